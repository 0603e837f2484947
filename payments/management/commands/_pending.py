"""What the commands over pending orders share (expire_pending_orders, reconcile_payments); not a command."""

from collections.abc import Callable

from django.core.management.base import BaseCommand

from lumira.progress import command_progress


class PendingOrdersCommand(BaseCommand):
    """A pass over the orders still pending: one progress line per order, then the outcomes counted."""

    label = ""  # the progress bar's
    done = ""  # the summary's first words

    def line(self, order, outcome: str) -> str:
        return f"{order.number}: {outcome}"

    def run_pass(self, run: Callable, **options) -> None:
        with command_progress(self.stdout, label=self.label, unit="commandes") as progress:
            def step(order, outcome: str) -> None:
                progress.advance(note=self.line(order, outcome))

            outcomes = run(progress=step, **options)
        summary = ", ".join(f"{outcome}: {count}" for outcome, count in sorted(outcomes.items())) or "nothing to do"
        self.stdout.write(self.style.SUCCESS(f"{self.done} ({summary})."))
