"""Staff commands: replay_dead_letters and sweep_stuck_generations."""

from io import StringIO

import pytest
from django.core.management import call_command

from experts.models import DeadLetter, DeadLetterStatus
from experts.services import generation_start
from orders.models import OrderStatus
from orders.services import order_refund
from tests.experts.helpers import dead_letter


def run(*args) -> str:
    out = StringIO()
    call_command("replay_dead_letters", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_replay_sends_pending_letters_and_reports_progress(expert, django_capture_on_commit_callbacks):
    first, second = dead_letter(expert), dead_letter(expert)

    with django_capture_on_commit_callbacks(execute=True):
        output = run()

    assert "[1/2]" in output and "[2/2]" in output and "2 renvoyée(s) en génération" in output
    for letter in (first, second):
        letter.refresh_from_db()
        letter.order.refresh_from_db()
        assert letter.status == DeadLetterStatus.REPLAYED
        assert letter.order.status == OrderStatus.AWAITING_VALIDATION


@pytest.mark.django_db
def test_replay_closes_letters_whose_order_moved_on(expert, django_capture_on_commit_callbacks):
    resent_by_hand = dead_letter(expert)
    generation_start(order_id=resent_by_hand.order_id, expert=expert, prompt="Encore")
    refunded = dead_letter(expert)
    order_refund(order_id=refunded.order_id)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        output = run()

    assert "0 renvoyée(s) en génération, 2 sans objet" in output
    assert callbacks == []  # nothing sent
    assert set(DeadLetter.objects.values_list("status", flat=True)) == {DeadLetterStatus.OBSOLETE}


@pytest.mark.django_db
def test_replay_can_target_one_letter_or_one_order_and_dry_run(expert):
    first, second = dead_letter(expert), dead_letter(expert)

    dry = run("--dry-run")
    assert "[2/2]" in dry and "serait rejouée" in dry and DeadLetter.objects.pending().count() == 2

    only = run("--id", str(first.pk))
    assert "[1/1] lettre" in only and list(DeadLetter.objects.pending()) == [second]

    by_order = run("--order", second.order.number)
    assert f"commande {second.order.number}" in by_order and not DeadLetter.objects.pending().exists()


@pytest.mark.django_db
def test_replay_with_nothing_to_do_says_so():
    assert "Aucune lettre morte" in run()
