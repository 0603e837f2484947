"""The account of every call to a writer (SPEC §11 "AI runs"): backend, model, tokens, latency, estimated cost."""

import time

from django.conf import settings
from django.utils import timezone

from .models import AIRun, GenerationAttempt
from .writers.base import estimated_cost_eur


def ai_run_record(attempt: GenerationAttempt, *, outcome: str, started: float | None = None, model: str = "",
                prompt_tokens: int | None = None, completion_tokens: int | None = None, error: str = "",
                latency_ms: int | None = None) -> AIRun:
    if latency_ms is None and started is not None:
        latency_ms = round((time.monotonic() - started) * 1000)
    return AIRun.objects.create(
        attempt_id=attempt.pk, order_id=attempt.order_id, backend=attempt.backend, model=model[:100],
        prompt_tokens=prompt_tokens, completion_tokens=completion_tokens, latency_ms=latency_ms,
        cost_eur=estimated_cost_eur(model, prompt_tokens, completion_tokens), outcome=outcome, error=error[:2000],
    )


def configured_model(backend: str) -> str:
    return {"openai": settings.LLM_MODEL, "local": "local"}.get(backend, "")


def ai_run_from_callback(attempt: GenerationAttempt, usage: dict | None, *, outcome: str, error: str = "") -> None:
    usage = usage or {}
    latency = round((timezone.now() - attempt.sent_at).total_seconds() * 1000) if attempt.sent_at else None
    ai_run_record(attempt, outcome=outcome, latency_ms=latency, model=str(usage.get("model") or ""),
                prompt_tokens=usage.get("promptTokens"), completion_tokens=usage.get("completionTokens"), error=error)
