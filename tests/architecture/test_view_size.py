"""Views stay thin (issue 17): no view function or method longer than 25 lines; logic lives in the app's
forms, serializers, selectors and services."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 25
VIEW_MODULES = ("*/views.py", "*/*_views.py", "*/api/views.py")


def view_modules() -> list[Path]:
    found = {path for pattern in VIEW_MODULES for path in ROOT.glob(pattern)}
    return sorted(path for path in found if ".venv" not in path.parts and "tests" not in path.relative_to(ROOT).parts)


def functions(tree: ast.Module):
    """Module-level functions and the methods of module-level classes, with their qualified names."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield f"{node.name}.{member.name}", member


def body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """From the first line of the body (its docstring included) to the last: the signature and decorators not."""
    return function.end_lineno - function.body[0].lineno + 1


def test_the_view_modules_are_found():
    names = {str(path.relative_to(ROOT)) for path in view_modules()}
    assert {"experts/api/views.py", "sanctuaire/views.py", "payments/views.py", "experts/content_views.py"} <= names


def test_no_view_is_longer_than_25_lines():
    too_long = []
    for path in view_modules():
        for name, function in functions(ast.parse(path.read_text(), filename=str(path))):
            if (lines := body_lines(function)) > MAX_LINES:
                too_long.append(f"{path.relative_to(ROOT)}:{function.lineno} {name}: {lines} lines")
    assert not too_long, "Views over 25 lines (move the logic into a form, serializer, selector or service):\n" + "\n".join(
        too_long
    )
