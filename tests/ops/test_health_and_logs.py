import logging

import pytest

from lumira.logging import RedactingFilter, redact
from tests.reliability.helpers import publishing_to


@pytest.mark.django_db
def test_health_reports_database_and_redis(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no worker in this test: the Celery check is skipped

    response = client.get("/health/", headers={"accept": "application/json"})

    assert response.status_code == 200
    checks = response.json()
    assert any(name.startswith("Database") for name in checks) and any(name.startswith("Redis") for name in checks)
    assert set(checks.values()) == {"OK"}


@pytest.mark.django_db
def test_health_fails_when_no_celery_worker_answers(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # A broker no worker listens on, set where Celery reads it (its own settings layer, pools dropped): a
    # Django setting alone is not enough once an earlier test has opened a pool to, or pinned, another broker.
    with publishing_to("redis://127.0.0.1:6379/15"):
        response = client.get("/health/", headers={"accept": "application/json"})

    assert response.status_code == 500
    celery = [value for name, value in response.json().items() if "Celery" in name]
    assert celery and "OK" not in celery  # the Celery check is the one that failed


@pytest.mark.parametrize(
    "secret",
    [
        "https://lumira.example/sanctuaire/?sesame=AAAAAbcdEFGH123456789",
        '{"token": "AAAAAbcdEFGH123456789"}',
        "sk_test_51Habcdefghijk",
        "whsec_abcdef123456",
        "pi_3Nabc_secret_xyz123",
        "Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig",
        "card 4242 4242 4242 4242",
    ],
)
def test_logs_never_contain_tokens_keys_or_card_numbers(secret, caplog):
    logger = logging.getLogger("lumira.test")
    logger.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO, logger="lumira.test"):
        logger.info("received %s", secret)
    logger.filters.clear()
    assert secret not in caplog.text
    assert "redacted" in caplog.text


def test_redaction_leaves_ordinary_text_alone():
    assert redact("Commande LU2026112500001 payée") == "Commande LU2026112500001 payée"


def test_redaction_leaves_uuids_alone_even_when_their_groups_are_digits():
    order_id = "12345678-1234-5678-1234-567812345678"
    assert redact(f"order {order_id} paid") == f"order {order_id} paid"
