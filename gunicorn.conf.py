"""gunicorn's settings, read by every gunicorn Lumira starts (Dockerfile, bench, tests' real-server runs):
gunicorn loads ./gunicorn.conf.py by default, and the launchers also name it with `-c`.

The access log writes the path without its query string (%(U)s, not %(r)s) and no Referer: a magic link's
token (`?sesame=…`), or any other secret a URL or a Referer might carry, never reaches a log.
"""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'


def post_worker_init(worker):
    """Build the place gazetteer and open the ephemeris before the worker takes requests: built on first use
    they cost a few seconds of CPU, which the first client typing a birth place would wait for. The test
    suite's short-lived servers skip it (LUMIRA_ENV=test): they start often and rarely need a place."""
    import os

    if os.environ.get("LUMIRA_ENV") == "test":
        return
    from engine.ephemeris import _sky
    from engine.places import _gazetteer

    _gazetteer()
    _sky()


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR set, each worker writes its metrics to files there; a dead worker's live
    gauges are dropped, or /metrics would keep counting a process that no longer exists."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
