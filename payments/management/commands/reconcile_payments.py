from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from lumira.progress import command_progress
from payments.reconciliation import payments_reconcile


class Command(BaseCommand):
    help = "Ask Stripe about orders still pending after N minutes and apply what it says (missed webhooks)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes", type=int, default=None,
            help="Only orders pending for at least this long (default: PENDING_ORDER_RECONCILE_MINUTES).",
        )
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, older_than_minutes: int | None, limit: int, **options):
        minutes = settings.PENDING_ORDER_RECONCILE_MINUTES if older_than_minutes is None else older_than_minutes
        with command_progress(self.stdout, label="réconciliation", unit="commandes") as progress:
            def step(order, outcome: str) -> None:
                progress.advance(note=self._line(order, outcome))

            outcomes = payments_reconcile(older_than=timedelta(minutes=minutes), limit=limit, progress=step)
        summary = ", ".join(f"{outcome}: {count}" for outcome, count in sorted(outcomes.items())) or "nothing to do"
        self.stdout.write(self.style.SUCCESS(f"Reconciliation done ({summary})."))

    @staticmethod
    def _line(order, outcome: str) -> str:
        return f"{order.number} ({order.stripe_payment_intent_id}): {outcome}"
