from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from lumira.progress import command_progress
from payments.reconciliation import payments_expire


class Command(BaseCommand):
    help = (
        "Cancel orders still pending after N hours, and their PaymentIntents. Stripe is asked first: an order "
        "paid meanwhile is marked paid instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours", type=float, default=None,
            help="Only orders pending for at least this long (default: PENDING_ORDER_EXPIRY_HOURS).",
        )
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, older_than_hours: float | None, limit: int, **options):
        hours = settings.PENDING_ORDER_EXPIRY_HOURS if older_than_hours is None else older_than_hours
        with command_progress(self.stdout, label="expiration", unit="commandes") as progress:
            def step(order, outcome: str) -> None:
                progress.advance(note=self._line(order, outcome))

            outcomes = payments_expire(older_than=timedelta(hours=hours), limit=limit, progress=step)
        summary = ", ".join(f"{outcome}: {count}" for outcome, count in sorted(outcomes.items())) or "nothing to do"
        self.stdout.write(self.style.SUCCESS(f"Expiry done ({summary})."))

    @staticmethod
    def _line(order, outcome: str) -> str:
        return f"{order.number}: {outcome}"
