"""A PostgreSQL connection killed under the app is replaced on the next request (CONN_HEALTH_CHECKS).

Runs the app as in production (gunicorn, persistent connections) against the test database.
"""

import os
import urllib.request

import pytest
from django.db import connection

from tests.server_support import gunicorn_server

APP_NAME = "lumira-outage-test"  # tags the app's connections so the test kills those and no other


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def gunicorn_app(transactional_db):
    database = connection.settings_dict
    env = {
        **os.environ,
        "LUMIRA_ENV": "test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
            f"?application_name={APP_NAME}"
        ),
        "DATABASE_CONN_MAX_AGE": "600",
    }
    with gunicorn_server(env) as url:
        yield url


def _kill_app_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s", [APP_NAME]
        )
        return cursor.fetchone()[0]


def test_the_app_answers_again_after_its_database_connection_is_killed(gunicorn_app):
    assert _get(gunicorn_app + "/") == 200

    killed = _kill_app_connections()

    assert killed == 1  # the app's persistent connection
    assert _get(gunicorn_app + "/") == 200
    assert _get(gunicorn_app + "/") == 200
