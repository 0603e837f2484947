from datetime import timedelta

from django.conf import settings

from payments.reconciliation import payments_expire

from ._pending import PendingOrdersCommand


class Command(PendingOrdersCommand):
    help = (
        "Cancel orders still pending after N hours, and their PaymentIntents. Stripe is asked first: an order "
        "paid meanwhile is marked paid instead."
    )
    label = "expiration"
    done = "Expiry done"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours", type=float, default=None,
            help="Only orders pending for at least this long (default: PENDING_ORDER_EXPIRY_HOURS).",
        )
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, older_than_hours: float | None, limit: int, **options):
        hours = settings.PENDING_ORDER_EXPIRY_HOURS if older_than_hours is None else older_than_hours
        self.run_pass(payments_expire, older_than=timedelta(hours=hours), limit=limit)
