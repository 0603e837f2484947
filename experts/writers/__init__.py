"""The writers behind GENERATION_BACKEND (SPEC §11): each turns a generation request into content.

`write(order, attempt, request)` returns a `Written` (openai, local: the content is at hand) or None (n8n: the
content comes later through the signed callback). Errors are `TransientGenerationError` (retried with backoff)
or `PermanentGenerationError` (dead-lettered at once).
"""

from types import ModuleType

from .base import GenerationError, PermanentGenerationError, TransientGenerationError, Written


def writer_for(backend: str) -> ModuleType:
    from . import local, n8n, openai_api

    return {"local": local, "n8n": n8n, "openai": openai_api}[backend]


__all__ = ["GenerationError", "PermanentGenerationError", "TransientGenerationError", "Written", "writer_for"]
