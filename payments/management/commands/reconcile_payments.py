from payments.reconciliation import payments_reconcile

from ._pending import PendingOrdersCommand


class Command(PendingOrdersCommand):
    help = "Ask Stripe about orders still pending after N minutes and apply what it says (missed webhooks)."
    unit, age_type, age_setting = "minutes", int, "PENDING_ORDER_RECONCILE_MINUTES"
    label, done = "réconciliation", "Reconciliation done"

    def run(self, **options):
        return payments_reconcile(**options)

    def line(self, order, outcome: str) -> str:
        return f"{order.number} ({order.stripe_payment_intent_id}): {outcome}"
