"""HTTP helpers for tests against the running site (live server): signed-in sessions, concurrent calls."""

import threading

import requests
from django.conf import settings
from django.test import Client
from django.utils.crypto import get_random_string
from rest_framework_simplejwt.tokens import RefreshToken


def api_session(user) -> requests.Session:
    """A JSON client carrying the user's JWT, as the desk's scripts or an outside client would."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {RefreshToken.for_user(user).access_token}"
    return http


def browser_session(user=None) -> requests.Session:
    """A browser (signed in with a session cookie when a user is given) holding a CSRF cookie and sending
    the matching header, as the desk's htmx forms do."""
    http = requests.Session()
    if user is not None:
        client = Client()
        client.force_login(user)
        http.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    secret = get_random_string(32)  # an unmasked CSRF secret is accepted in the header as it is
    http.cookies.set(settings.CSRF_COOKIE_NAME, secret)
    http.headers["X-CSRFToken"] = secret
    return http


def all_at_once(calls) -> list:
    """Run each call in its own thread, released together by a barrier; results in call order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # reported to the test as a result
            results[index] = error

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
