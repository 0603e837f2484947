"""What `make demo` runs on, decided before Django starts: printed as shell `export` lines for scripts/demo.sh.

- Database: DATABASE_URL if set (a PostgreSQL database that does not exist yet is created); otherwise the
  local PostgreSQL (database `lumira`), or SQLite in var/ when PostgreSQL is not reachable.
- Celery: a real worker when the broker (Redis) answers, eager tasks inside the web process otherwise
  (or when CELERY_TASK_ALWAYS_EAGER=true).
- Celery queue: a demo on the default site port (8000) uses Celery's default queue (`celery`); a demo on any
  other port uses its own queue, `demo-<port>`, on the same broker, so that two demos on one machine never
  run each other's tasks (a task for an order of the other demo's database would fail with DoesNotExist).
- Ports: DEMO_PORT / DEMO_STRIPE_PORT when given (refused with a message when busy); otherwise 8000 and 8420,
  or the next free port after them.

Messages for the person running the demo go to stderr, the exports to stdout.
"""

import os
import shlex
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/lumira"
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
DEFAULT_SITE_PORT = 8000
DEFAULT_QUEUE = "celery"
TRUE = {"1", "true", "yes", "on"}


class DemoError(Exception):
    pass


def say(message: str) -> None:
    print(f"[demo] {message}", file=sys.stderr)


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as runserver and localstripe bind
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def port_choose(*, host: str, what: str, variable: str, default: int, taken: tuple[int, ...] = ()) -> int:
    requested = os.environ.get(variable, "").strip()
    if requested:
        port = int(requested)
        if port in taken or not port_is_free(host, port):
            raise DemoError(f"{what}: port {port} ({variable}) is already in use. Choose another one, "
                            f"or leave {variable} unset and the demo picks a free one.")
        return port
    for port in range(default, default + 50):
        if port not in taken and port_is_free(host, port):
            if port != default:
                say(f"{what}: port {default} is busy, using port {port} instead.")
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port = sock.getsockname()[1]
    say(f"{what}: ports {default}-{default + 49} are busy, using port {port}.")
    return port


def _postgres_connect(url: str, dbname: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1", port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password or None, dbname=dbname, connect_timeout=3, autocommit=True,
    )


def postgres_reachable(url: str) -> bool:
    try:
        _postgres_connect(url, "postgres").close()
    except Exception:  # any failure means: not usable for the demo
        return False
    return True


def postgres_database_ensure(url: str) -> bool:
    """Create the URL's database when it does not exist. True when it was created."""
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    with _postgres_connect(url, "postgres") as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def database_choose() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        if postgres_reachable(LOCAL_POSTGRES):
            url = LOCAL_POSTGRES
        else:
            (BASE_DIR / "var").mkdir(exist_ok=True)
            url = f"sqlite:///{BASE_DIR / 'var' / 'demo.sqlite3'}"
            say(f"PostgreSQL is not reachable on 127.0.0.1:5432: falling back to SQLite ({url}).")
            return url
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        if not postgres_reachable(url):
            raise DemoError(f"PostgreSQL is not reachable for {_without_password(url)}. "
                            "Start it, or unset DATABASE_URL to let the demo fall back to SQLite.")
        if postgres_database_ensure(url):
            say(f"database {urlsplit(url).path.lstrip('/')} created.")
        say(f"database: PostgreSQL ({_without_password(url)})")
    elif url.startswith("sqlite:"):
        say(f"database: SQLite ({url})")
    return url


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping())
    except Exception:  # any failure means: no worker, eager tasks
        return False


def celery_choose() -> tuple[str, str]:
    broker = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or DEFAULT_BROKER
    eager = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "").strip().lower()
    if eager in TRUE:
        say("Celery tasks run eagerly inside the web server (CELERY_TASK_ALWAYS_EAGER=true), no worker.")
        return "true", broker
    if not redis_reachable(broker):
        say(f"Redis is not reachable ({_without_password(broker)}): Celery tasks run eagerly "
            "inside the web server, no worker.")
        return "true", broker
    return "false", broker


def celery_queue_choose(*, site_port: int, eager: str, broker: str) -> str:
    """The Celery queue of this demo's tasks: its own one unless it runs on the default port."""
    if site_port == DEFAULT_SITE_PORT:
        return DEFAULT_QUEUE
    queue = f"demo-{site_port}"
    if eager != "true":
        say(f"Celery: tasks go to queue {queue} on {_without_password(broker)} (this demo's own queue: another "
            f"demo on this machine uses another one), consumed only by this demo's worker.")
    return queue


def _read_dotenv() -> None:
    """A local .env counts here as it does for Django (lumira/settings.py): the environment wins over it."""
    import environ

    if (BASE_DIR / ".env").exists():
        environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def main() -> int:
    _read_dotenv()
    host = os.environ.get("DEMO_HOST", "127.0.0.1")
    try:
        site_port = port_choose(host=host, what="site", variable="DEMO_PORT", default=DEFAULT_SITE_PORT)
        values = {
            "DEMO_PORT": site_port,
            "DEMO_STRIPE_PORT": port_choose(host="127.0.0.1", what="localstripe", variable="DEMO_STRIPE_PORT",
                                            default=8420, taken=(site_port,)),
            "DATABASE_URL": database_choose(),
        }
        values["CELERY_TASK_ALWAYS_EAGER"], values["CELERY_BROKER_URL"] = celery_choose()
        values["CELERY_TASK_DEFAULT_QUEUE"] = celery_queue_choose(
            site_port=site_port, eager=values["CELERY_TASK_ALWAYS_EAGER"], broker=values["CELERY_BROKER_URL"]
        )
    except DemoError as error:
        say(str(error))
        return 2
    for name, value in values.items():
        print(f"export {name}={shlex.quote(str(value))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
