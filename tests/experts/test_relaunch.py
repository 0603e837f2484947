"""A stuck generation on the desk: since when it runs, which try, the last error; "Relancer la génération" once
the attempt is overdue (or the order came back with a dead letter), through the replay path, audited."""

import html
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from experts.generation import generation_deliver
from experts.models import AttemptOutcome, DeadLetter, DeadLetterStatus, GenerationAttempt
from orders.models import OrderEvent, OrderStatus
from orders.services import OrderServiceError
from tests.concurrency import all_at_once
from tests.experts.helpers import CONTENT, api_for, dead_letter, event_actions, processing, version_rows

HTMX = {"HTTP_HX_REQUEST": "true"}
RELAUNCH = "Relancer la génération"


def desk(expert) -> Client:
    client = Client()
    client.force_login(expert.user)
    return client


def started_ago(order, *, seconds: int, sends: int = 1, error: str = "") -> GenerationAttempt:
    """Move the order's current attempt back in time (as if it had been sent `seconds` ago)."""
    attempt = GenerationAttempt.objects.get(pk=order.generation_attempt_id)
    attempt.created_at = timezone.now() - timedelta(seconds=seconds)
    attempt.sends, attempt.last_error = sends, error
    attempt.save(update_fields=["created_at", "sends", "last_error"])
    return attempt


def text(response) -> str:
    return html.unescape(response.content.decode())


def page_of(client, order, **headers) -> str:
    return text(client.get(reverse("experts:order", args=[order.pk]), **headers))


def relaunch(client, order, **headers):
    return client.post(reverse("experts:relaunch", args=[order.pk]), **headers)


@pytest.mark.django_db
def test_the_running_generation_shows_since_when_which_try_the_backend_and_the_last_error(expert, settings):
    settings.GENERATION_MAX_ATTEMPTS = 5
    order = processing(expert)
    started_ago(order, seconds=3 * 60 + 10, sends=1, error="n8n a répondu 503")

    page = page_of(desk(expert), order)

    assert "Génération en cours (tentative 2/5) depuis 3 min" in page
    assert "n8n a répondu 503" in page and "nouvel essai programmé" in page
    assert "<dt>Générateur</dt><dd>local" in page


@pytest.mark.django_db
def test_the_panel_polls_every_2_seconds_for_the_first_minute_then_every_10(expert):
    order = processing(expert)
    client = desk(expert)

    fresh = page_of(client, order, **HTMX)
    started_ago(order, seconds=90)
    later = page_of(client, order, **HTMX)

    assert 'hx-trigger="every 2s"' in fresh and "depuis 0 s" in fresh
    assert 'hx-trigger="every 10s"' in later and "depuis 1 min" in later
    # A failed poll is said, not swallowed (static/js/desk.js reveals it).
    assert 'id="poll-error"' in later and "La mise à jour automatique a échoué" in later


@pytest.mark.django_db
def test_the_relaunch_button_appears_only_once_the_attempt_is_overdue(expert, settings):
    settings.GENERATION_OVERDUE_SECONDS = 300
    order = processing(expert)
    client = desk(expert)
    started_ago(order, seconds=299)
    fresh = page_of(client, order)
    started_ago(order, seconds=301)
    overdue = page_of(client, order)

    assert RELAUNCH not in fresh and "Sans réponse au bout de 5 min, vous pourrez relancer" in fresh
    assert RELAUNCH in overdue and reverse("experts:relaunch", args=[order.pk]) in overdue


@pytest.mark.django_db
def test_the_holder_relaunches_an_overdue_generation_and_the_new_attempt_delivers(
    expert, django_capture_on_commit_callbacks
):
    order = processing(expert)
    old = started_ago(order, seconds=600, error="délai dépassé")
    client = desk(expert)

    with django_capture_on_commit_callbacks(execute=True):
        response = relaunch(client, order)

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_VALIDATION  # the local writer answered the new attempt
    assert order.generation_attempt_id != old.pk
    assert version_rows(order) == [(0, "pending")]
    old.refresh_from_db()
    assert old.outcome == AttemptOutcome.DEAD
    event = OrderEvent.objects.get(order=order, action="generation_relaunched")
    assert event.actor == expert.user and "tentative abandonnée après 10 min" in event.note
    assert event_actions(order)[-4:] == ["generation_failed", "generation_started", "generation_relaunched",
                                         "content_received"]
    letter = DeadLetter.objects.get(order=order)
    assert letter.status == DeadLetterStatus.REPLAYED and letter.resolved_by == expert.user
    # A late answer to the old attempt is refused and changes nothing.
    with pytest.raises(OrderServiceError):
        generation_deliver(order_id=order.pk, attempt_id=old.pk, content=CONTENT)
    assert version_rows(order) == [(0, "pending")]
    page = text(client.get(response["Location"]))
    assert "Génération relancée : une nouvelle tentative est partie." in page and "Génération relancée ·" in page


@pytest.mark.django_db
def test_a_double_click_on_relaunch_sends_only_once(expert):
    order = processing(expert)
    old = started_ago(order, seconds=600)
    client = desk(expert)

    first = relaunch(client, order, **HTMX)
    second = relaunch(client, order, **HTMX)

    assert first.status_code == 200 and "Génération relancée" in text(first)
    assert second.status_code == 409
    assert "rien n'a été renvoyé" in text(second)
    order.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING and order.generation_attempt_id != old.pk
    assert GenerationAttempt.objects.filter(order=order).count() == 2
    assert OrderEvent.objects.filter(order=order, action="generation_relaunched").count() == 1
    assert DeadLetter.objects.filter(order=order).count() == 1


@pytest.mark.django_db
def test_a_fresh_attempt_is_not_relaunched(expert):
    order = processing(expert)
    started_ago(order, seconds=30)

    response = relaunch(desk(expert), order, **HTMX)

    assert response.status_code == 409
    assert "a commencé il y a 30 s : rien n'a été renvoyé" in text(response)
    before = order.generation_attempt_id
    order.refresh_from_db()
    assert order.generation_attempt_id == before and not DeadLetter.objects.filter(order=order).exists()


@pytest.mark.django_db
def test_an_order_back_in_the_queue_with_a_dead_letter_is_relaunched_through_its_replay(expert):
    letter = dead_letter(expert)
    order = letter.order
    client = desk(expert)

    page = page_of(client, order)
    response = relaunch(client, order, **HTMX)

    assert RELAUNCH in page and "n8n injoignable" in page
    assert response.status_code == 200
    order.refresh_from_db()
    letter.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING and order.last_error == ""
    assert letter.status == DeadLetterStatus.REPLAYED and letter.resolved_by == expert.user
    assert OrderEvent.objects.get(order=order, action="generation_relaunched").actor == expert.user


@pytest.mark.django_db
def test_a_delivered_or_never_sent_order_has_nothing_to_relaunch(expert):
    from tests.factories import paid_order

    order = paid_order(expert=expert)
    response = relaunch(desk(expert), order, **HTMX)

    assert response.status_code == 409 and "pas de génération à relancer" in text(response)
    assert RELAUNCH not in page_of(desk(expert), order)


@pytest.mark.django_db
def test_another_expert_gets_a_404_and_changes_nothing(expert, other_expert):
    order = processing(expert)
    started_ago(order, seconds=600)
    before = order.generation_attempt_id

    response = relaunch(desk(other_expert), order)

    assert response.status_code == 404
    order.refresh_from_db()
    assert order.generation_attempt_id == before and not DeadLetter.objects.filter(order=order).exists()


@pytest.mark.django_db
def test_an_admin_may_relaunch_an_experts_order(expert, admin_expert):
    order = processing(expert)
    started_ago(order, seconds=600)

    response = relaunch(desk(admin_expert), order, **HTMX)

    assert response.status_code == 200
    assert OrderEvent.objects.get(order=order, action="generation_relaunched").actor == admin_expert.user


@pytest.mark.django_db
def test_clients_and_signed_out_visitors_cannot_relaunch(expert, client, client_user):
    order = processing(expert)
    started_ago(order, seconds=600)

    anonymous = relaunch(client, order)
    client.force_login(client_user)
    as_client = relaunch(client, order)

    assert anonymous.status_code == 302 and reverse("experts:login") in anonymous["Location"]
    assert as_client.status_code == 403
    assert not DeadLetter.objects.filter(order=order).exists()


@pytest.mark.django_db
def test_relaunch_is_a_post(expert):
    order = processing(expert)
    assert desk(expert).get(reverse("experts:relaunch", args=[order.pk])).status_code == 405


@pytest.mark.django_db
def test_relaunches_are_rate_limited_per_expert(expert, settings):
    settings.EXPERT_RELAUNCH_RATE = "1/m"
    first, second = processing(expert), processing(expert)
    started_ago(first, seconds=600)
    started_ago(second, seconds=600)
    client = desk(expert)

    assert relaunch(client, first, **HTMX).status_code == 200
    refused = relaunch(client, second, **HTMX)

    assert refused.status_code == 429 and "Trop de relances" in text(refused)
    assert not DeadLetter.objects.filter(order=second).exists()


# --- the JSON API ---------------------------------------------------------------------------------------------

def api_relaunch(user, order):
    return api_for(user).post(f"/api/expert/orders/{order.pk}/retry-generation")


@pytest.mark.django_db
def test_the_api_relaunches_an_overdue_generation_once_and_refuses_the_repeat(expert):
    order = processing(expert)
    old = started_ago(order, seconds=600)

    first = api_relaunch(expert.user, order)
    second = api_relaunch(expert.user, order)

    assert first.status_code == 202
    assert first.json()["order"]["status"] == "processing" and first.json()["order"]["attempt"]["number"] == 1
    assert second.status_code == 409 and second.json()["error"]["code"] == "already_done"
    order.refresh_from_db()
    assert order.generation_attempt_id != old.pk
    assert GenerationAttempt.objects.filter(order=order).count() == 2


@pytest.mark.django_db
def test_the_api_answers_404_to_another_expert_and_409_when_nothing_is_stuck(expert, other_expert):
    order = processing(expert)
    started_ago(order, seconds=600)
    fresh = processing(expert)

    stranger = api_relaunch(other_expert.user, order)
    too_soon = api_relaunch(expert.user, fresh)

    assert stranger.status_code == 404
    assert too_soon.status_code == 409 and "rien n'a été renvoyé" in too_soon.json()["error"]["message"]
    assert not DeadLetter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_relaunches_at_the_same_moment_send_one_new_attempt_to_n8n(expert, n8n):
    order = processing(expert)
    started_ago(order, seconds=600)
    assert len(n8n.received) == 1
    apis = [api_for(expert.user), api_for(expert.user)]

    responses = all_at_once([lambda api=api: api.post(f"/api/expert/orders/{order.pk}/retry-generation") for api in apis])

    assert sorted(response.status_code for response in responses) == [202, 409]
    order.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING
    assert len(n8n.received) == 2 and n8n.received[1]["attemptId"] == str(order.generation_attempt_id)
    assert OrderEvent.objects.filter(order=order, action="generation_relaunched").count() == 1
