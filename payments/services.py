"""The payments app's public write API, by concern: `checkout` (order, intents, card confirmation),
`stripe_reports` (what Stripe reports, applied through `orders.services`), `declines` (what a refusal says).
"""

from .checkout import Checkout, Confirmation, checkout_confirm, checkout_setup_renew, checkout_start, payment_intent_mirror
from .declines import (
    DECLINE_MESSAGES,
    UNAVAILABLE_MESSAGE,
    CardDeclined,
    InvalidPaymentRequest,
    OrderNotPayable,
    PaymentError,
    PaymentUnavailable,
    decline_message,
)
from .stripe_reports import (
    charge_refunded,
    mirrored_charge,
    mirrored_payment_intent,
    order_for_payment_intent,
    payment_canceled,
    payment_failed,
    payment_succeeded,
)

__all__ = [
    "DECLINE_MESSAGES",
    "UNAVAILABLE_MESSAGE",
    "CardDeclined",
    "Checkout",
    "Confirmation",
    "InvalidPaymentRequest",
    "OrderNotPayable",
    "PaymentError",
    "PaymentUnavailable",
    "charge_refunded",
    "checkout_confirm",
    "checkout_setup_renew",
    "checkout_start",
    "decline_message",
    "mirrored_charge",
    "mirrored_payment_intent",
    "order_for_payment_intent",
    "payment_canceled",
    "payment_failed",
    "payment_intent_mirror",
    "payment_succeeded",
]
