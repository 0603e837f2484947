import pytest
from django.core.cache import cache

from tests.experts.helpers import api_for
from tests.experts.n8n_stub import n8n_stub, n8n_stub_running  # noqa: F401 (n8n_stub: a fixture)
from tests.experts.openai_stub import OpenAIStub


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Login rate limits count in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def expert_api(expert):
    return api_for(expert.user)


@pytest.fixture
def other_expert_api(other_expert):
    return api_for(other_expert.user)


@pytest.fixture
def admin_api(admin_expert):
    return api_for(admin_expert.user)


@pytest.fixture
def n8n(settings):
    """The n8n stand-in, wired into the settings, with short timeouts and backoffs. It does not call back:
    the tests play n8n's answer themselves (the Celery worker tests use one that does)."""
    with n8n_stub_running(call_back=False) as stub:
        settings.GENERATION_BACKEND = "n8n"
        settings.N8N_WEBHOOK_URL = stub.url
        settings.N8N_TIMEOUT_SECONDS = 0.3
        settings.GENERATION_MAX_ATTEMPTS = 3
        settings.GENERATION_RETRY_BACKOFF_SECONDS = 0.01
        yield stub


@pytest.fixture
def llm(settings):
    """The OpenAI-compatible stand-in, wired in as GENERATION_BACKEND=openai, with a short timeout and backoff."""
    stub = OpenAIStub().start()
    settings.GENERATION_BACKEND = "openai"
    settings.LLM_BASE_URL = stub.base_url
    settings.LLM_API_KEY = "sk-test"
    settings.LLM_MODEL = "gpt-4o-mini"
    settings.LLM_TIMEOUT_SECONDS = 0.5
    settings.GENERATION_MAX_ATTEMPTS = 3
    settings.GENERATION_RETRY_BACKOFF_SECONDS = 0.01
    yield stub
    stub.stop()
