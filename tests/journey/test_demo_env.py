"""`make demo`'s decisions (scripts/demo_env.py): database, Celery mode and ports, before Django starts."""

import importlib.util
import socket
from pathlib import Path

import pytest

from tests.server_support import suite_redis_url

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "demo_env.py"
UNREACHABLE_POSTGRES = "postgres://postgres@127.0.0.1:9/lumira"
UNREACHABLE_REDIS = "redis://127.0.0.1:9/0"


@pytest.fixture
def demo_env(monkeypatch):
    spec = importlib.util.spec_from_file_location("demo_env", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("DATABASE_URL", "DEMO_PORT", "DEMO_STRIPE_PORT", "DEMO_HOST", "CELERY_TASK_ALWAYS_EAGER",
                 "CELERY_BROKER_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    return module


@pytest.fixture
def busy_port():
    """A port something already listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def _exports(capsys) -> dict[str, str]:
    out = capsys.readouterr().out
    return dict(line.removeprefix("export ").split("=", 1) for line in out.splitlines())


def test_a_busy_default_port_is_replaced_by_the_next_free_one_and_said(demo_env, busy_port, capsys):
    port = demo_env.port_choose(host="127.0.0.1", what="localstripe", variable="DEMO_STRIPE_PORT", default=busy_port)

    assert port != busy_port and demo_env.port_is_free("127.0.0.1", port)
    assert f"localstripe: port {busy_port} is busy, using port {port} instead." in capsys.readouterr().err


def test_a_busy_port_asked_for_explicitly_stops_the_demo_with_a_message(demo_env, busy_port, monkeypatch):
    monkeypatch.setenv("DEMO_STRIPE_PORT", str(busy_port))

    with pytest.raises(demo_env.DemoError, match=f"port {busy_port} \\(DEMO_STRIPE_PORT\\) is already in use"):
        demo_env.port_choose(host="127.0.0.1", what="localstripe", variable="DEMO_STRIPE_PORT", default=8420)


def test_the_site_and_localstripe_never_get_the_same_port(demo_env):
    site = demo_env.port_choose(host="127.0.0.1", what="site", variable="DEMO_PORT", default=8000)

    stripe = demo_env.port_choose(host="127.0.0.1", what="localstripe", variable="DEMO_STRIPE_PORT", default=site,
                                  taken=(site,))

    assert stripe != site


def test_without_postgresql_the_demo_falls_back_to_sqlite_and_says_so(demo_env, monkeypatch, capsys):
    monkeypatch.setattr(demo_env, "LOCAL_POSTGRES", UNREACHABLE_POSTGRES)

    url = demo_env.database_choose()

    assert url.startswith("sqlite:///") and url.endswith("/var/demo.sqlite3")
    assert "PostgreSQL is not reachable on 127.0.0.1:5432: falling back to SQLite" in capsys.readouterr().err


def test_an_unreachable_postgresql_asked_for_explicitly_stops_the_demo_with_a_message(demo_env, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres:s3cret@127.0.0.1:9/lumira")

    with pytest.raises(demo_env.DemoError) as error:
        demo_env.database_choose()

    assert "PostgreSQL is not reachable for postgres://postgres:***@127.0.0.1:9/lumira" in str(error.value)


def test_a_missing_postgresql_database_is_created(demo_env, monkeypatch, django_db_blocker):
    import psycopg

    name = "lumira_demo_env_test"
    url = f"postgres://postgres@127.0.0.1:5432/{name}"
    monkeypatch.setenv("DATABASE_URL", url)
    with django_db_blocker.unblock(), psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres",
                                                      autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        try:
            assert demo_env.database_choose() == url
            assert connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            assert demo_env.postgres_database_ensure(url) is False  # there now: left alone
        finally:
            connection.execute(f"DROP DATABASE IF EXISTS {name}")


def test_without_redis_tasks_run_eagerly_and_it_is_said(demo_env, monkeypatch, capsys):
    monkeypatch.setenv("CELERY_BROKER_URL", UNREACHABLE_REDIS)

    assert demo_env.celery_choose() == ("true", UNREACHABLE_REDIS)
    assert "Redis is not reachable (redis://127.0.0.1:9/0): Celery tasks run eagerly" in capsys.readouterr().err


def test_with_redis_a_worker_runs(demo_env, monkeypatch):
    broker = suite_redis_url()
    monkeypatch.setenv("CELERY_BROKER_URL", broker)

    assert demo_env.celery_choose() == ("false", broker)


def test_the_decisions_are_printed_as_shell_exports(demo_env, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/demo.sqlite3")
    monkeypatch.setenv("CELERY_TASK_ALWAYS_EAGER", "true")

    assert demo_env.main() == 0

    exports = _exports(capsys)
    assert exports["DATABASE_URL"] == f"sqlite:///{tmp_path}/demo.sqlite3"
    assert exports["CELERY_TASK_ALWAYS_EAGER"] == "true"
    assert int(exports["DEMO_PORT"]) != int(exports["DEMO_STRIPE_PORT"])


def test_a_demo_on_the_default_port_uses_celerys_default_queue(demo_env):
    assert demo_env.celery_queue_choose(site_port=8000, eager="false", broker="redis://127.0.0.1:6379/0") == "celery"


def test_a_demo_on_another_port_uses_its_own_queue_and_says_which(demo_env, capsys):
    queue = demo_env.celery_queue_choose(site_port=8001, eager="false", broker="redis://127.0.0.1:6379/0")

    assert queue == "demo-8001"
    assert "Celery: tasks go to queue demo-8001 on redis://127.0.0.1:6379/0" in capsys.readouterr().err


def test_a_second_demo_exports_its_queue_and_its_tasks_never_reach_the_first_demos_queue(demo_env, monkeypatch, capsys,
                                                                                        tmp_path):
    import redis
    from celery import Celery

    broker = suite_redis_url()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        free_port = sock.getsockname()[1]
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/demo.sqlite3")
    monkeypatch.setenv("CELERY_BROKER_URL", broker)
    monkeypatch.setenv("DEMO_PORT", str(free_port))
    assert demo_env.main() == 0
    queue = _exports(capsys)["CELERY_TASK_DEFAULT_QUEUE"]
    store = redis.Redis.from_url(broker)
    store.delete(queue, "celery")

    second_demo = Celery("lumira", broker=broker, set_as_current=False)
    second_demo.conf.task_default_queue = queue
    second_demo.send_task("payments.tasks.send_order_paid_email", args=["00000000-0000-0000-0000-000000000000"])

    assert queue == f"demo-{free_port}"
    assert store.llen(queue) == 1
    assert store.llen("celery") == 0  # the first demo's worker (default queue) never sees it
    store.delete(queue)
