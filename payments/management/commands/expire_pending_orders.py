from payments.reconciliation import payments_expire

from ._pending import PendingOrdersCommand


class Command(PendingOrdersCommand):
    help = (
        "Cancel orders still pending after N hours, and their PaymentIntents. Stripe is asked first: an order "
        "paid meanwhile is marked paid instead."
    )
    unit, age_type, age_setting = "hours", float, "PENDING_ORDER_EXPIRY_HOURS"
    label, done = "expiration", "Expiry done"

    def run(self, **options):
        return payments_expire(**options)
