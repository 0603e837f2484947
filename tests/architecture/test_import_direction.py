"""Apps import one way: lumira < accounts < orders < {experts, payments, sanctuaire, storefront} (issue 17).

Every module of the apps is read with `ast` (imports inside functions included; migrations skipped: they are
history). An app imports only from the layers below it; the four top apps never import each other; `lumira`
and the reading engine (`engine`, a library) import no app. The tools outside the apps (`bench`, `demo`,
`scripts`, `tests`) may import anything, and no app imports them.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = {"lumira": 0, "accounts": 1, "orders": 2, "experts": 3, "payments": 3, "sanctuaire": 3, "storefront": 3}
LIBRARIES = {"engine"}  # pure code below every app: anyone may import it, it imports no app
TOOLS = {"bench", "demo", "scripts", "tests"}  # may import any app; no app may import them

# Spelled once in the app code (a constant, or a route in urls.py); everywhere else it is imported or reversed.
# The direct-entry route is "entrer/" below sanctuaire/ (sanctuaire/urls.py): a literal "/sanctuaire/entrer/"
# elsewhere contains it too, so it is caught.
SPELLED_ONCE = ("lumira_paid_orders", "lumira_new_account_orders", "entrer/")


def _app_modules():
    for package in [*LAYERS, *LIBRARIES]:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield package, path


def _imports(path: Path):
    """(line, module) of every absolute import in the module, wherever it is written."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def _allowed(package: str, target: str) -> bool:
    if target == package or target in LIBRARIES:
        return True
    if package in LIBRARIES:
        return target not in LAYERS and target not in TOOLS
    if target in TOOLS:
        return False
    return target not in LAYERS or LAYERS[target] < LAYERS[package]


def import_violations() -> list[tuple[str, int, str]]:
    found = []
    for package, path in _app_modules():
        for line, module in _imports(path):
            if not _allowed(package, module.split(".")[0]):
                found.append((path.relative_to(ROOT).as_posix(), line, module))
    return found


def test_apps_import_only_from_the_layers_below_them():
    new = [(path, line, module) for path, line, module in import_violations()]
    listing = "\n".join(f"  {path}:{line} imports {module}" for path, line, module in new)
    assert not new, (
        "Imports against the direction lumira < accounts < orders < {experts, payments, sanctuaire, storefront} "
        f"(move the code down, or react to an orders signal):\n{listing}"
    )


def test_the_rule_catches_an_import_inside_a_function(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("def f():\n    from sanctuaire.services import x\n    import payments.webhooks\n")
    targets = [target for _, target in _imports(module)]
    assert targets == ["sanctuaire.services", "payments.webhooks"]
    assert not _allowed("experts", "sanctuaire")
    assert not _allowed("orders", "experts")
    assert not _allowed("lumira", "orders")
    assert not _allowed("accounts", "orders")
    assert not _allowed("orders", "bench")
    assert not _allowed("engine", "orders")
    assert _allowed("experts", "orders") and _allowed("sanctuaire", "accounts") and _allowed("orders", "engine")


def _string_literals(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_the_session_keys_and_the_direct_entry_path_are_spelled_once_in_the_app_code():
    places: dict[str, list[str]] = {text: [] for text in SPELLED_ONCE}
    for _, path in _app_modules():
        for line, value in _string_literals(path):
            for text in SPELLED_ONCE:
                if text in value:
                    places[text].append(f"{path.relative_to(ROOT).as_posix()}:{line}")
    for package in LAYERS:  # templates and scripts of the apps: reverse() / {% url %} there, never the path
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix in {".html", ".txt", ".js"}:
                content = path.read_text(errors="replace")
                places.update(
                    {text: [*places[text], path.relative_to(ROOT).as_posix()] for text in SPELLED_ONCE if text in content}
                )
    assert {text: len(where) for text, where in places.items()} == dict.fromkeys(SPELLED_ONCE, 1), places
    for key in ("lumira_paid_orders", "lumira_new_account_orders"):
        assert places[key][0].startswith("accounts/sessions.py:"), places[key]
    assert places["entrer/"][0].startswith("sanctuaire/urls.py:")
