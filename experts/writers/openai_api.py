"""GENERATION_BACKEND=openai: any OpenAI-compatible chat-completions API, called with the official SDK.

JSON-Schema structured output first; a server that refuses it (400) is asked again in JSON mode with the
schema in the messages, and the answer is validated like any other.
"""

import json

import openai
from django.conf import settings

from .base import PermanentGenerationError, TransientGenerationError, Written

JSON_MODE_NOTE = (
    "Répondez par un unique objet JSON conforme à ce schéma (JSON Schema), sans texte autour :\n{schema}"
)


def _client() -> openai.OpenAI:
    # max_retries=0: retries belong to the generation task (backoff, attempt count, dead letter).
    # A local server (Ollama, vLLM) may need no key; the SDK wants one all the same.
    return openai.OpenAI(
        base_url=settings.LLM_BASE_URL, api_key=settings.LLM_API_KEY or "no-key",
        timeout=settings.LLM_TIMEOUT_SECONDS, max_retries=0,
    )


def _complete(client: openai.OpenAI, request):
    model = settings.LLM_MODEL
    structured = {
        "type": "json_schema",
        "json_schema": {"name": f"lecture_niveau_{request.level}", "schema": request.response_schema, "strict": True},
    }
    try:
        return client.chat.completions.create(model=model, messages=request.messages, response_format=structured)
    except openai.BadRequestError:
        # The server does not do structured output (older vLLM or Ollama, some providers): JSON mode instead.
        note = JSON_MODE_NOTE.format(schema=json.dumps(request.response_schema, ensure_ascii=False))
        messages = [*request.messages, {"role": "system", "content": note}]
        return client.chat.completions.create(model=model, messages=messages, response_format={"type": "json_object"})


def write(*, order, attempt, request) -> Written:
    try:
        completion = _complete(_client(), request)
    except openai.APITimeoutError as error:
        raise TransientGenerationError(f"le modèle n'a pas répondu dans les {settings.LLM_TIMEOUT_SECONDS:g} s") from error
    except openai.APIConnectionError as error:
        raise TransientGenerationError("modèle injoignable (connexion refusée ou interrompue)") from error
    except openai.APIStatusError as error:
        if error.status_code >= 500 or error.status_code == 429:
            raise TransientGenerationError(f"le modèle a répondu {error.status_code}") from error
        raise PermanentGenerationError(f"le modèle a refusé la requête ({error.status_code})") from error
    usage = completion.usage
    written = {
        "model": completion.model or settings.LLM_MODEL,
        "prompt_tokens": usage.prompt_tokens if usage else None,
        "completion_tokens": usage.completion_tokens if usage else None,
    }
    text = (completion.choices[0].message.content or "") if completion.choices else ""
    try:
        return Written(content=json.loads(text), **written)
    except json.JSONDecodeError:
        return Written(content=None, parse_error="réponse du modèle qui n'est pas du JSON valide", **written)
