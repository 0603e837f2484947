"""What every writer returns or raises, and the estimated cost of a run."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings


class GenerationError(Exception):
    """Sending a request to the writer failed."""


class TransientGenerationError(GenerationError):
    """Worth another try: timeout, connection refused, 5xx, 429, invalid content."""


class PermanentGenerationError(GenerationError):
    """Another try would fail the same way: the request was refused (4xx), the writer is misconfigured."""


@dataclass(frozen=True)
class Written:
    """A writer's answer. `content` is whatever it returned (validated by the caller); `parse_error` says why
    there is no content at all (e.g. not JSON). Tokens are None when the writer does not report them."""

    content: object
    model: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    parse_error: str = ""


def _price(model: str) -> tuple[float, float]:
    """The price of the longest LLM_PRICES key the model name starts with ("gpt-4o-mini-2024-07-18" → gpt-4o-mini)."""
    prices = settings.LLM_PRICES
    matches = [key for key in prices if model == key or model.startswith(f"{key}-")]
    return prices[max(matches, key=len)] if matches else (0.0, 0.0)


def estimated_cost_eur(model: str, prompt_tokens: int | None, completion_tokens: int | None) -> Decimal:
    prompt_price, completion_price = _price(model or "")
    cost = ((prompt_tokens or 0) * prompt_price + (completion_tokens or 0) * completion_price) / 1_000_000
    return Decimal(str(round(cost, 6)))
