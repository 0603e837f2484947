from datetime import timedelta

from django.conf import settings

from payments.reconciliation import payments_reconcile

from ._pending import PendingOrdersCommand


class Command(PendingOrdersCommand):
    help = "Ask Stripe about orders still pending after N minutes and apply what it says (missed webhooks)."
    label = "réconciliation"
    done = "Reconciliation done"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes", type=int, default=None,
            help="Only orders pending for at least this long (default: PENDING_ORDER_RECONCILE_MINUTES).",
        )
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, older_than_minutes: int | None, limit: int, **options):
        minutes = settings.PENDING_ORDER_RECONCILE_MINUTES if older_than_minutes is None else older_than_minutes
        self.run_pass(payments_reconcile, older_than=timedelta(minutes=minutes), limit=limit)

    def line(self, order, outcome: str) -> str:
        return f"{order.number} ({order.stripe_payment_intent_id}): {outcome}"
