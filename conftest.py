"""Personas shared by every test (STYLE §5): clients, experts, staff."""

import os

import pytest

from tests.factories import ExpertFactory, UserFactory


def _keep_xdist_workers_apart() -> None:
    """`make test` runs the suite in pytest-xdist workers (gw0, gw1…). pytest-django gives each its own test
    database; here each also gets its own two Redis databases (the tests' brokers, emptied as they start)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        first = int(os.environ.get("TEST_REDIS_DB", "2")) + 2 * int(worker.removeprefix("gw"))
        os.environ["TEST_REDIS_DB"] = str(first)


_keep_xdist_workers_apart()


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering, which puts transactional tests last
def pytest_collection_modifyitems(items):
    """Files holding a `long` test first: pytest-xdist hands files to workers in this order, and a long file
    handed out last would keep one worker busy alone at the end while the others wait."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"lumira: tests run against {database['ENGINE'].rsplit('.', 1)[-1]} at {database.get('HOST') or 'local file'}"


@pytest.fixture(autouse=True)
def _french_outside_requests():
    """Each test starts in the default language (French), as a worker or command does: a request made in
    English by an earlier test (the footer's choice) leaves English active in the thread otherwise."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _view_cache_only_where_writes_commit(request):
    """Cached pages are retired when a write commits (lumira/view_cache.py). In a test wrapped in a transaction
    nothing ever commits, so nothing would retire them: there, pages are built fresh (VIEW_CACHE_SECONDS=0).
    Tests whose writes really commit (transactional) keep it; tests/bench/conftest.py keeps it for its tests."""
    marker = request.node.get_closest_marker("django_db")
    commits = (marker is not None and marker.kwargs.get("transaction", False)) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not commits:
        request.getfixturevalue("settings").VIEW_CACHE_SECONDS = 0


@pytest.fixture
def client_user(db):
    return UserFactory(email="client.a@example.com", first_name="Alice", last_name="Martin")


@pytest.fixture
def other_client_user(db):
    return UserFactory(email="client.b@example.com", first_name="Bruno", last_name="Petit")


@pytest.fixture
def expert(db):
    return ExpertFactory(name="Oriane Lune", user__email="oriane@lumira.local")


@pytest.fixture
def other_expert(db):
    return ExpertFactory(name="Elias Soleil", user__email="elias@lumira.local")


@pytest.fixture
def inactive_expert(db):
    return ExpertFactory(name="Ancien Expert", user__email="ancien@lumira.local", is_active=False)


@pytest.fixture
def admin_expert(db):
    return ExpertFactory(name="Alma Admin", user__email="admin@lumira.local", role="admin", user__is_superuser=True)


@pytest.fixture
def staff_user(db):
    return UserFactory(email="staff@lumira.local", is_staff=True, is_superuser=True)


def pytest_sessionstart(session):
    """The translations compiled (.mo files are build output, never committed): a plain `pytest` sees French."""
    import gettext
    from pathlib import Path

    import polib
    from asgiref.local import Local
    from django.utils.translation import trans_real

    for po_path in Path(__file__).parent.glob("locale/*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            # Django may have read the stale catalogue while setting up: forget it (as override_settings does).
            trans_real._translations = {}
            trans_real._default = None
            trans_real._active = Local()
            gettext._translations.clear()


@pytest.fixture(scope="module")
def browser(request):
    """Headless Chromium for the module's browser tests; the module's ARTIFACTS folder (if any) is made first."""
    from tests.browser_support import chromium

    with chromium(artifacts=getattr(request.module, "ARTIFACTS", None)) as launched:
        yield launched
