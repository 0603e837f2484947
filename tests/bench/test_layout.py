"""The bench stays outside the apps: no app imports it, and its modules stay readable (< 400 lines)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "orders", "experts", "payments", "sanctuaire", "storefront", "lumira", "engine")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_app_imports_the_bench():
    offenders = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if any(name == "bench" or name.startswith("bench.") for name in _imports(path))
    ]
    assert offenders == []


def test_every_bench_module_is_under_400_lines():
    long = {path.name: n for path in (ROOT / "bench").glob("*.py") if (n := len(path.read_text().splitlines())) >= 400}
    assert long == {}
