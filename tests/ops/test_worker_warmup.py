"""A production web worker builds the place gazetteer and opens the ephemeris before it takes requests, so
the first client who types a birth place does not wait seconds for it (gunicorn.conf.py's post_worker_init)."""

import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def loaded(monkeypatch):
    """Records which of the two slow loaders the hook calls (the real ones are cached for the process)."""
    calls = []
    monkeypatch.setattr("engine.places._gazetteer", lambda: calls.append("gazetteer"))
    monkeypatch.setattr("engine.ephemeris._sky", lambda: calls.append("ephemeris"))
    return calls


def test_a_production_worker_loads_the_gazetteer_and_the_ephemeris_before_its_first_request(monkeypatch, loaded):
    monkeypatch.setenv("LUMIRA_ENV", "prod")

    runpy.run_path(str(CONF))["post_worker_init"](worker=None)

    assert sorted(loaded) == ["ephemeris", "gazetteer"]


def test_the_test_suites_short_lived_servers_skip_the_warm_up(monkeypatch, loaded):
    monkeypatch.setenv("LUMIRA_ENV", "test")

    runpy.run_path(str(CONF))["post_worker_init"](worker=None)

    assert loaded == []
