"""`make bench`'s cost per reading: the local writer measured, hosted models estimated."""

from __future__ import annotations

import time

# Rough token counts for an estimate of what a hosted model would cost (French: ~1.5 tokens per word, ~4
# characters per token of prompt); the recorded AI runs give the real figures.
TOKENS_PER_WORD = 1.5
CHARS_PER_TOKEN = 4


def generation_costs() -> dict:
    """Cost per reading: the local writer measured (0 EUR, its latency), and an estimate per priced model."""
    from django.conf import settings

    from experts.generation_request import generation_request_for
    from experts.writers import local
    from experts.writers.base import estimated_cost_eur
    from orders.models import Level, Order

    rows = []
    for level in Level:
        for service, duration in (("basic", 30), ("premium", 60), ("vip", 90)):
            order = Order(level=level, service=service, duration=duration, client_name="Camille Banc")
            request = generation_request_for(order)
            started = time.perf_counter()
            local.write(order=order, attempt=None, request=request)
            latency_ms = (time.perf_counter() - started) * 1000
            prompt = sum(len(message["content"]) for message in request.messages) // CHARS_PER_TOKEN
            completion = round(request.target_words * TOKENS_PER_WORD * (1.4 if level >= 2 else 1.0))
            rows.append({
                "level": int(level), "service": service, "local_ms": round(latency_ms, 1), "local_eur": 0.0,
                "estimated_prompt_tokens": prompt, "estimated_completion_tokens": completion,
                "estimated_eur": {model: float(estimated_cost_eur(model, prompt, completion))
                                  for model in settings.LLM_PRICES if model != "local"},
            })
    models = [model for model in settings.LLM_PRICES if model != "local"]
    print(f"\n{'reading':<16} {'local ms':>8} {'local €':>7}  " + " ".join(f"{m[:20]:>20}" for m in models))
    for row in rows:
        costs = " ".join(f"{row['estimated_eur'][m]:>19.4f}€" for m in models)
        print(f"{row['level']}/{row['service']:<14} {row['local_ms']:>8.1f} {0:>7.2f}  {costs}")
    print("[bench] cost per reading: the local writer measured; hosted models estimated from the request's size "
          "and the tier's target length (LLM_PRICES); the AI runs on the desk record the real tokens")
    return {"per_reading": rows, "prices_eur_per_million_tokens": settings.LLM_PRICES}
