"""No module over 400 lines (issue 17): app code, tests, bench, scripts and settings alike; a module that grows
past it is split by concern. Migrations (generated) and the virtualenv are not Lumira's modules."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400
SKIPPED_DIRECTORIES = {"migrations", "node_modules", "staticfiles", "__pycache__"}


def python_modules(root: Path = ROOT) -> list[Path]:
    """Every .py file under root, migrations, hidden directories (.venv, .git) and build output left out."""
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if name not in SKIPPED_DIRECTORIES and not name.startswith(".")]
        found.extend(Path(directory) / name for name in files if name.endswith(".py"))
    return sorted(found)


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_the_modules_are_found_and_migrations_are_not():
    names = {path.relative_to(ROOT).as_posix() for path in python_modules()}
    assert {"lumira/settings.py", "orders/models.py", "tests/architecture/test_module_size.py", "manage.py"} <= names
    assert not [name for name in names if "/migrations/" in name or name.startswith(".venv/")]


def test_no_module_is_longer_than_400_lines():
    too_long = {path.relative_to(ROOT).as_posix(): n for path in python_modules() if (n := line_count(path)) > MAX_LINES}
    assert too_long == {}, f"modules over {MAX_LINES} lines (split them by concern): {too_long}"


def test_the_check_sees_a_long_module_and_skips_migrations(tmp_path):
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 1000)
    (tmp_path / "app" / "short.py").write_text("x = 1\n" * MAX_LINES)

    modules = python_modules(tmp_path)

    assert {path.relative_to(tmp_path).as_posix() for path in modules} == {"app/long.py", "app/short.py"}
    assert [path.name for path in modules if line_count(path) > MAX_LINES] == ["long.py"]
