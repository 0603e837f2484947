"""Where the time goes: py-spy samples gunicorn's workers while one endpoint is loaded (`--profile KEY`,
during a warm-up as long as the measure: the measure itself is never slowed by the sampler).

py-spy (PyPI, requirements-dev.txt) reads the workers' stacks from outside, so the app runs unchanged,
with production settings. `--gil` keeps only the samples of a worker holding the GIL: time spent waiting
on PostgreSQL, Redis or a socket is left out, what remains is the CPU spent in Python. The raw stacks
are kept (flamegraph.pl or speedscope can draw them) and summarised here: CPU by library (the innermost
frame's package), the share of a few phases (any frame on the stack), and the top functions.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = tuple(f"{ROOT}/{app}/" for app in ("accounts", "orders", "experts", "payments", "sanctuaire", "lumira"))
# The innermost frame's path (py-spy --full-filenames) decides the bucket; the first match wins.
BUCKETS = (
    ("Lumira (ours)", OURS),
    ("dj-stripe", ("djstripe/",)),
    ("stripe client, requests, HTTP", ("stripe/", "requests/", "urllib3/", "http/client", "socket.py", "ssl.py")),
    ("Django ORM + psycopg", ("django/db/", "psycopg/", "psycopg_binary")),
    ("Django templates", ("django/template/", "django/templatetags/")),
    ("DRF + simplejwt + jwt", ("rest_framework/", "rest_framework_simplejwt/", "jwt/")),
    ("Redis, Celery, kombu", ("redis/", "kombu/", "celery/")),
    ("field encryption", ("encrypted_fields/", "cryptography/")),
    ("Django (request, middleware, rest)", ("django/", "whitenoise/", "csp/", "django_htmx/", "asgiref/")),
    ("gunicorn", ("gunicorn/",)),
    ("json, pickle, stdlib", ("json/", "copy.py", "uuid.py", "datetime", "re/", "enum.py", "<frozen")),
)
# Phases: the share of samples with such a frame anywhere on the stack (they overlap).
PHASES = (
    ("dj-stripe's webhook processing (WebhookEventTrigger.from_request)", "djstripe/models/webhooks.py"),
    ("Lumira's webhook receivers (payments/receivers.py)", f"{ROOT}/payments/receivers.py"),
    ("dj-stripe's retrieval of the PaymentIntent from the Stripe API", "djstripe/models/base.py:api_retrieve"),
    ("loading the session and the user (django.contrib.auth/sessions)", "django/contrib/auth/__init__.py"),
    ("JWT authentication (simplejwt)", "rest_framework_simplejwt/authentication.py"),
    ("the view cache (lumira/view_cache.py)", f"{ROOT}/lumira/view_cache.py"),
    ("template rendering", "django/template/base.py"),
    ("DRF serializers", "rest_framework/serializers.py"),
    ("SQL (Django's execute)", "django/db/backends/utils.py"),
)
_FRAME = re.compile(r"(?P<function>.*) \((?P<path>[^()]*):\d+\)$")


def _path(frame: str) -> str:
    match = _FRAME.match(frame)
    return match.group("path") if match else frame


def _bucket(path: str) -> str:
    if _ours(path):
        return BUCKETS[0][0]
    package_path = path.rsplit("site-packages/", 1)[-1]
    for name, needles in BUCKETS[1:]:
        if any(needle in package_path for needle in needles):
            return name
    return "other"


def _ours(path: str) -> bool:
    return path.startswith(OURS)


def summarise(raw: Path, *, top: int = 12) -> str:
    """A text summary of py-spy's raw (collapsed) stacks: `frame;frame;... count` per line."""
    by_bucket: Counter[str] = Counter()
    by_function: Counter[str] = Counter()
    by_phase: Counter[str] = Counter()
    inside_ours = 0
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        frames = stack.split(";")
        leaf = frames[-1]
        total += samples
        by_bucket[_bucket(_path(leaf))] += samples
        by_function[leaf] += samples
        if any(_ours(_path(frame)) for frame in frames):
            inside_ours += samples
        for label, needle in PHASES:
            path, _, function = needle.partition(":")
            if any(path in frame and (not function or frame.startswith(f"{function} ") or f".{function} " in frame)
                   for frame in frames):
                by_phase[label] += samples
    if not total:
        return "no samples (py-spy saw only idle workers)"
    lines = [f"{total} CPU samples; {inside_ours / total:.0%} with Lumira's own code on the stack"]
    lines.append("CPU by library (innermost frame):")
    lines += [f"  {share / total:>5.1%}  {name}" for name, share in by_bucket.most_common()]
    lines.append("phases (any frame on the stack; they overlap):")
    lines += [f"  {share / total:>5.1%}  {label}" for label, share in by_phase.most_common() if share / total >= 0.01]
    lines.append(f"top {top} functions (self time):")
    lines += [f"  {share / total:>5.1%}  {frame}" for frame, share in by_function.most_common(top)]
    return "\n".join(lines)
