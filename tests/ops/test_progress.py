"""lumira/progress.py: long staff commands show a bar at a terminal and plain lines otherwise (issue 16)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper

from experts.models import DeadLetter, DeadLetterReason
from lumira.progress import command_progress
from tests.factories import paid_order


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_away_from_a_terminal_each_step_is_a_plain_line_on_stdout():
    buffer, err = io.StringIO(), io.StringIO()
    out = OutputWrapper(buffer)  # what a command's self.stdout is

    with command_progress(out, label="orders.Order", total=5, unit="rows", stream=err) as progress:
        progress.advance(2)
        progress.advance(3)

    assert buffer.getvalue().splitlines() == ["orders.Order: 2/5 rows", "orders.Order: 5/5 rows"]
    assert err.getvalue() == ""


def test_notes_become_numbered_lines_and_an_unknown_total_is_just_counted():
    buffer = io.StringIO()

    with command_progress(OutputWrapper(buffer), label="réconciliation", stream=io.StringIO()) as progress:
        progress.advance(note="LU20261130-0001 (pi_1): paid")
        progress.advance(note="LU20261130-0002 (pi_2): unchanged")

    assert buffer.getvalue().splitlines() == ["[1] LU20261130-0001 (pi_1): paid", "[2] LU20261130-0002 (pi_2): unchanged"]


def test_at_a_terminal_a_bar_is_drawn_on_stderr_and_stdout_stays_clean():
    out, terminal = io.StringIO(), Terminal()

    with command_progress(out, label="orders.Order", total=4, unit="rows", stream=terminal) as progress:
        progress.advance(4, note="batch done")

    assert out.getvalue() == ""
    drawn = terminal.getvalue()
    assert "orders.Order" in drawn and "4/4" in drawn and "100%" in drawn and "batch done" in drawn


@pytest.mark.django_db
def test_replay_dead_letters_prints_one_numbered_line_per_letter_in_a_log(expert):
    for _ in range(2):
        DeadLetter.objects.create(order=paid_order(expert=expert), task="t", reason=DeadLetterReason.NO_ANSWER)
    out = io.StringIO()

    call_command("replay_dead_letters", "--dry-run", stdout=out)

    lines = out.getvalue().splitlines()
    assert [line[:5] for line in lines] == ["[1/2]", "[2/2]"]
    assert all("serait rejouée (Aucune réponse dans le délai)" in line for line in lines)


@pytest.mark.django_db
def test_load_demo_data_counts_its_orders_on_stderr_and_keeps_stdout_for_the_logins():
    out, err = io.StringIO(), io.StringIO()

    call_command("load_demo_data", stdout=out, stderr=err)

    assert "commandes de démo: 8/8 commandes" in err.getvalue()
    assert "commandes de démo" not in out.getvalue() and "oriane@lumira.local" in out.getvalue()
