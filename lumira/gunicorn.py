"""gunicorn settings read by scripts/entrypoint.sh (`--config python:lumira.gunicorn`).

With PROMETHEUS_MULTIPROC_DIR set, each worker writes its metrics to files there; a dead worker's live
gauges must be dropped or /metrics would keep counting a process that no longer exists.
"""

import os


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
