"""What the client reads when a payment is refused, and the errors the payment API answers with (English source,
translated into the active language: the client's on the checkout, French in webhooks and workers)."""

from django.utils.translation import gettext_lazy as _

UNAVAILABLE_MESSAGE = _("Payment is temporarily unavailable. Try again in a few moments.")
DEFAULT_DECLINE_MESSAGE = _("The payment was refused. No amount was charged: try another card.")
# Stripe's decline codes, in words for the client. Anything else gets DEFAULT_DECLINE_MESSAGE.
DECLINE_MESSAGES = {
    "card_declined": _("Your card was refused. No amount was charged: try another card."),
    "generic_decline": _("Your card was refused. No amount was charged: try another card."),
    "insufficient_funds": _("Your card was refused (insufficient funds). Try another card."),
    "lost_card": _("Your card was refused. Try another card."),
    "stolen_card": _("Your card was refused. Try another card."),
    "expired_card": _("Your card has expired. Try another card."),
    "incorrect_cvc": _("The card's security code (CVC) is incorrect."),
    "incorrect_number": _("The card number is incorrect."),
    "processing_error": _("An error occurred while processing the card. Try again in a moment."),
    "authentication_required": _("Your bank asked for an authentication (3-D Secure) that did not succeed."),
    "payment_intent_authentication_failure": _("The card's authentication (3-D Secure) failed. Try again."),
}
# A PaymentIntent in one of these states can still be paid: a failure on it is one attempt, not the end.
RETRYABLE_INTENT_STATUSES = frozenset({"requires_payment_method", "requires_confirmation", "requires_action"})


class PaymentError(Exception):
    """A payment request refused for a reason the client can read (`message`, translated)."""

    code = "payment_error"
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = str(message)


class PaymentUnavailable(PaymentError):
    code = "payment_unavailable"
    http_status = 503


class InvalidPaymentRequest(PaymentError):
    code = "invalid_payment"


class OrderNotPayable(PaymentError):
    code = "conflict"
    http_status = 409


class CardDeclined(PaymentError):
    code = "card_declined"
    http_status = 402


def decline_message(code: str | None, decline_code: str | None = None) -> str:
    return str(DECLINE_MESSAGES.get(decline_code or "") or DECLINE_MESSAGES.get(code or "") or DEFAULT_DECLINE_MESSAGE)
