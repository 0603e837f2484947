"""HTTP helpers for tests against the running site (live server): signed-in sessions, concurrent calls."""

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import kombu.pools
import redis
import requests
from celery import current_app
from django.conf import settings
from django.db import connections
from django.test import Client
from django.utils.crypto import get_random_string
from rest_framework_simplejwt.tokens import RefreshToken

from bench.processes import free_port
from tests.server_support import wait_for


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


# --- Celery workers and brokers for outage tests --------------------------------------------------------

BASE_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = BASE_DIR / "test-artifacts" / "reliability"


class PrivateRedis:
    """A redis-server of this test's own on a free port (never the shared one): it can be killed at will."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="the private redis-server")
        return self

    def _answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
        except redis.ConnectionError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def celery_worker(*, broker: str, name: str, env: dict[str, str]) -> tuple[subprocess.Popen, Path]:
    """`celery -A lumira worker` on the test database (a separate process, like production)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"{name}.log"
    database = connections["default"].settings_dict["NAME"]
    full_env = {
        **os.environ,
        "LUMIRA_ENV": "test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        **env,
    }
    log = log_path.open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "lumira", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}-{os.getpid()}@%h"],
        cwd=BASE_DIR, env=full_env, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    wait_for(lambda: "ready." in log_path.read_text() or process.poll() is not None, timeout=30,
             what=f"the worker {name}", log=log_path)
    assert process.poll() is None, log_path.read_text()
    return process, log_path


@contextlib.contextmanager
def generation_worker(
    db_blocker, *, broker: str, name: str, n8n_url: str, site_url: str, n8n_timeout: float, max_attempts: int,
    backoff: float,
) -> Iterator[tuple[subprocess.Popen, Path]]:
    """A worker (see celery_worker) sending generations to an n8n stand-in at `n8n_url`, on an emptied `broker`:
    `max_attempts` tries, `backoff` seconds before a retry (at most 1 s), `n8n_timeout` per request. Started
    with pytest-django's `db_blocker` lifted (a module fixture's setup), stopped when the block ends."""
    redis.Redis.from_url(broker).flushdb()  # nothing left over from an earlier run
    with db_blocker.unblock():
        process, log_path = celery_worker(broker=broker, name=name, env={
            "GENERATION_BACKEND": "n8n",
            "N8N_WEBHOOK_URL": n8n_url,
            "N8N_TIMEOUT_SECONDS": str(n8n_timeout),
            "SITE_URL": site_url,
            "GENERATION_MAX_ATTEMPTS": str(max_attempts),
            "GENERATION_RETRY_BACKOFF_SECONDS": str(backoff),
            "GENERATION_RETRY_BACKOFF_MAX_SECONDS": "1",
        })
    try:
        yield process, log_path
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def publishing_to(broker: str):
    """This process publishes its tasks to `broker` (not eagerly) while inside the block."""
    # Celery reads Django's settings live; only what is set on its own `changes` layer is put back afterwards
    # (writing back the values read inside a test whose settings fixture changed them would pin them for good).
    changes = current_app.conf.changes
    keys = ("task_always_eager", "broker_url")
    saved = {key: changes[key] for key in keys if key in changes}
    changes.update({"task_always_eager": False, "broker_url": broker})
    _reset_broker_pools()
    try:
        yield
    finally:
        for key in keys:
            changes.pop(key, None)
        changes.update(saved)
        _reset_broker_pools()


def _reset_broker_pools() -> None:
    # Celery caches its broker connection pools: drop them so that the broker just set is the one used.
    kombu.pools.reset()
    current_app.amqp._producer_pool = None
    current_app._pool = None
