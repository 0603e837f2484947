"""lumira/settings.py reads top to bottom: each setting is defined in one place, never redefined or patched later."""

import ast
from collections import Counter
from pathlib import Path

import pytest

SETTINGS = Path(__file__).resolve().parents[2] / "lumira" / "settings.py"
# Calls that change a list or dict in place: `INSTALLED_APPS += [...]` written another way.
MUTATING_METHODS = {"append", "extend", "insert", "remove", "pop", "update", "setdefault", "clear"}


def _module_statements(body: list[ast.stmt]):
    """Top-level statements, including those inside top-level `if`/`for`/`try` blocks (conditional settings)."""
    for node in body:
        yield node
        if isinstance(node, ast.If | ast.For | ast.While | ast.With | ast.Try):
            for block in ("body", "orelse", "finalbody"):
                yield from _module_statements(getattr(node, block, []))
            for handler in getattr(node, "handlers", []):
                yield from _module_statements(handler.body)


def _bound_names(target: ast.expr):
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _bound_names(element)
    elif isinstance(target, ast.Starred):
        yield from _bound_names(target.value)


def _assignments(tree: ast.Module) -> Counter:
    names = Counter()
    for node in _module_statements(tree.body):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(_bound_names(target))
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.For):
            names.update(_bound_names(node.target))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def _later_changes(tree: ast.Module) -> list[str]:
    """Settings changed after their definition: `X["k"] = v`, `X += ...` (counted above), `X.append(...)`..."""
    changes = []
    for node in _module_statements(tree.body):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id.isupper():
                changes.append(f"line {node.lineno}: {ast.unparse(target)} = ...")
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            function = node.value.func
            if (
                isinstance(function, ast.Attribute)
                and function.attr in MUTATING_METHODS
                and isinstance(function.value, ast.Name)
                and function.value.id.isupper()
            ):
                changes.append(f"line {node.lineno}: {ast.unparse(node.value)}")
    return changes


def _tree(source: str | None = None) -> ast.Module:
    return ast.parse(source if source is not None else SETTINGS.read_text())


def test_no_name_is_assigned_twice_in_the_settings_module():
    twice = sorted(name for name, count in _assignments(_tree()).items() if count > 1)

    assert twice == [], f"assigned more than once in lumira/settings.py: {twice}"


def test_no_setting_is_patched_after_its_definition():
    assert _later_changes(_tree()) == []


@pytest.mark.parametrize(
    "source",
    [
        "A = [1]\nA += [2]\n",
        "A = [1]\nif B:\n    A = [2]\n",
        "A = 1\nA: int = 2\n",
        "A, B = 1, 2\nB = 3\n",
    ],
    ids=["augmented", "inside-an-if", "annotated", "unpacked"],
)
def test_the_check_sees_a_redefinition_however_it_is_written(source):
    assert [name for name, count in _assignments(_tree(source)).items() if count > 1]


@pytest.mark.parametrize("source", ['A = {}\nA["k"] = 1\n', "A = []\nA.insert(0, 1)\n", "A = {}\nA.setdefault('k', {})\n"])
def test_the_check_sees_a_setting_patched_in_place(source):
    assert _later_changes(_tree(source))
