"""The web server's access log over a real magic-link sign-in: gunicorn (with the project's gunicorn.conf.py,
as the Dockerfile and the bench run it) never writes the link's token, and no page sends it as a Referer."""

import logging
import os
import re

import pytest
import requests
from django.db import connection
from sesame.utils import get_token

from tests.factories import UserFactory
from tests.server_support import gunicorn_server


@pytest.fixture
def app_with_access_log(transactional_db, tmp_path):
    database = connection.settings_dict
    env = {
        **os.environ,
        "LUMIRA_ENV": "test",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
    }
    log = tmp_path / "access.log"
    with gunicorn_server(env, access_log=log) as url:
        yield url, log


def test_a_real_magic_link_sign_in_leaves_no_token_in_gunicorns_access_log_nor_in_a_referer(app_with_access_log):
    url, log = app_with_access_log
    client = UserFactory(email="camille.lune@example.com")
    token = get_token(client)
    browser = requests.Session()

    opened = browser.get(f"{url}/sanctuaire/connexion/lien/?sesame={token}", allow_redirects=False, timeout=10)
    confirm = browser.get(f"{url}/sanctuaire/connexion/lien/", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', confirm.text)[1]
    # What a browser sends with the form: the confirm page's own URL as Referer (it carries no token).
    entered = browser.post(f"{url}/sanctuaire/connexion/lien/", data={"csrfmiddlewaretoken": csrf},
                           headers={"Referer": confirm.url}, allow_redirects=False, timeout=10)
    home = browser.get(f"{url}/sanctuaire/", allow_redirects=False, timeout=10)

    assert opened.status_code == 302 and opened.headers["Location"] == "/sanctuaire/connexion/lien/"
    assert opened.headers["Referrer-Policy"] == "no-referrer"
    assert confirm.status_code == 200 and token not in confirm.text and "?" not in confirm.url
    assert entered.status_code == 302 and entered.headers["Location"] == "/sanctuaire/"
    assert home.status_code == 302 and home.headers["Location"] == "/sanctuaire/profil/"  # signed in: profile first
    written = log.read_text()
    assert written.count("/sanctuaire/connexion/lien/") == 3  # the three requests were logged…
    assert token not in written and "sesame" not in written  # …without the token or its parameter


def test_the_demo_servers_request_lines_go_through_the_redacting_handler():
    """`make demo` serves with runserver, whose request lines are logged by `django.server`."""
    logger = logging.getLogger("django.server")
    record = logger.makeRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s',
        ("GET /sanctuaire/connexion/lien/?sesame=AAAAAbcdEFGH123456789 HTTP/1.1", "302", "0"), None,
    )

    written = [handler.format(record) for handler in logger.handlers if handler.filter(record)]

    assert written and not logger.propagate
    assert all("AAAAAbcdEFGH123456789" not in line and "sesame=[redacted]" in line for line in written)
