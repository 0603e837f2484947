"""What the commands over pending orders share (expire_pending_orders, reconcile_payments); not a command."""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from lumira.progress import command_progress


class PendingOrdersCommand(BaseCommand):
    """A pass over the orders pending for at least `--older-than-<unit>` (default: the `age_setting`), `--limit`
    at most: one progress line per order, then the outcomes counted."""

    unit = "hours"  # of the age option: "hours" or "minutes"
    age_type: type = float
    age_setting = ""  # the setting that gives the default age
    label = ""  # the progress bar's
    done = ""  # the summary's first words

    def run(self, *, older_than: timedelta, limit: int, progress: Callable) -> dict:
        raise NotImplementedError

    def line(self, order, outcome: str) -> str:
        return f"{order.number}: {outcome}"

    def add_arguments(self, parser):
        parser.add_argument(
            f"--older-than-{self.unit}", type=self.age_type, default=None,
            help=f"Only orders pending for at least this long (default: {self.age_setting}).",
        )
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, limit: int, **options):
        age = options[f"older_than_{self.unit}"]
        age = getattr(settings, self.age_setting) if age is None else age
        with command_progress(self.stdout, label=self.label, unit="commandes") as progress:
            def step(order, outcome: str) -> None:
                progress.advance(note=self.line(order, outcome))

            outcomes = self.run(older_than=timedelta(**{self.unit: age}), limit=limit, progress=step)
        summary = ", ".join(f"{outcome}: {count}" for outcome, count in sorted(outcomes.items())) or "nothing to do"
        self.stdout.write(self.style.SUCCESS(f"{self.done} ({summary})."))
