"""The bench's database and settings: production settings on a seeded copy, its own Redis database.

`<name>_seed` is seeded once (bench/seed.py; kept while its seed mark matches, --fresh rebuilds it) and every
run works on `<name>`, a fresh copy of it (the webhooks pay pending orders). BENCH_DATABASE_NAME and
BENCH_REDIS_URL choose other names (several benches side by side, one per size).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "lumira_bench")
SEED_DB_NAME = f"{DB_NAME}_seed"  # the seeded original; each run works on a copy (see prepare_database)
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
# Bump when bench/seed.py changes what it writes: a seed with another mark is rebuilt.
SEED_VERSION = 4


def bench_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "lumira.settings",
        "LUMIRA_ENV": "prod",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "bench-" + "k" * 60),
        # A fixed Fernet key for the bench database only (it holds made-up clients).
        "FIELD_ENCRYPTION_KEYS": os.environ.get("BENCH_FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktMDAwMDAwMDAwMDA="),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": BENCH_REDIS_URL,
        "CELERY_BROKER_URL": BENCH_REDIS_URL,
        "LUMIRA_BENCH": "true",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Shaped like a Stripe key (dj-stripe checks the shape); only the local stand-in ever sees it.
        "STRIPE_TEST_SECRET_KEY": "sk_test_bench000000000000000000000000",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
        "N8N_WEBHOOK_SECRET": "bench-n8n-webhook",
        "N8N_CALLBACK_SECRET": "bench-n8n-callback",
        # Required in production settings; nothing in the bench starts a generation, so nothing calls it.
        "N8N_WEBHOOK_URL": "http://127.0.0.1:9/n8n-not-used",
    })
    env.update(extra or {})
    return env


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        check=True, capture_output=True, text=True,
    ).stdout.strip()


def manage(*args: str, env: dict) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def _seed_mark(orders: int) -> str:
    return f"lumira bench seed v{SEED_VERSION}, {orders} orders"


def prepare_database(env: dict, *, orders: int, fresh: bool) -> None:
    """Seed SEED_DB_NAME once (reused while its mark matches), then give each run a fresh copy of it as
    DB_NAME: the webhooks pay thousands of pending orders, and the next run must find them pending again."""
    seed_env = {**env, "DATABASE_URL": DATABASE_URL.replace(f"/{DB_NAME}", f"/{SEED_DB_NAME}")}
    mark = psql(f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{SEED_DB_NAME}'")
    if mark == _seed_mark(orders) and not fresh:
        print(f"[bench] reusing the seeded {SEED_DB_NAME} ({orders} orders); --fresh to rebuild it")
        manage("migrate", "-v", "0", env=seed_env)
    else:
        psql(f"DROP DATABASE IF EXISTS {SEED_DB_NAME} WITH (FORCE)")
        psql(f"CREATE DATABASE {SEED_DB_NAME}")
        print(f"[bench] migrating {SEED_DB_NAME}")
        manage("migrate", "-v", "0", env=seed_env)
        print("[bench] seeding")
        started = time.monotonic()
        subprocess.run([str(BIN / "python"), "-m", "bench.seed", "--orders", str(orders)], cwd=ROOT, env=seed_env,
                       check=True)
        print(f"[bench] seed took {time.monotonic() - started:.1f} s")
        # Marked only once complete: an interrupted seed is never reused.
        psql(f"COMMENT ON DATABASE {SEED_DB_NAME} IS '{_seed_mark(orders)}'")
    started = time.monotonic()
    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")  # the bench's own database: a crashed run's sessions go
    psql(f"CREATE DATABASE {DB_NAME} TEMPLATE {SEED_DB_NAME} STRATEGY FILE_COPY")
    print(f"[bench] {DB_NAME}: a fresh copy of {SEED_DB_NAME} ({time.monotonic() - started:.1f} s)")


def flush_bench_redis() -> None:
    """The bench's own Redis database (cache and Celery broker): no stale cache, no queue left from before."""
    import redis

    redis.Redis.from_url(BENCH_REDIS_URL).flushdb()


