"""What the client reads when a payment is refused, and the errors the payment API answers with."""

UNAVAILABLE_MESSAGE = "Le paiement est momentanément indisponible. Réessayez dans quelques instants."
DEFAULT_DECLINE_MESSAGE = "Le paiement a été refusé. Aucun montant n'a été débité : essayez avec une autre carte."
# Stripe's decline codes, in French for the client. Anything else gets DEFAULT_DECLINE_MESSAGE.
DECLINE_MESSAGES = {
    "card_declined": "Votre carte a été refusée. Aucun montant n'a été débité : essayez avec une autre carte.",
    "generic_decline": "Votre carte a été refusée. Aucun montant n'a été débité : essayez avec une autre carte.",
    "insufficient_funds": "Votre carte a été refusée (provision insuffisante). Essayez avec une autre carte.",
    "lost_card": "Votre carte a été refusée. Essayez avec une autre carte.",
    "stolen_card": "Votre carte a été refusée. Essayez avec une autre carte.",
    "expired_card": "Votre carte a expiré. Essayez avec une autre carte.",
    "incorrect_cvc": "Le code de sécurité (CVC) de la carte est incorrect.",
    "incorrect_number": "Le numéro de carte est incorrect.",
    "processing_error": "Une erreur est survenue pendant le traitement de la carte. Réessayez dans un instant.",
    "authentication_required": "Votre banque demande une authentification (3-D Secure) qui n'a pas abouti.",
    "payment_intent_authentication_failure": "L'authentification de la carte (3-D Secure) a échoué. Réessayez.",
}
# A PaymentIntent in one of these states can still be paid: a failure on it is one attempt, not the end.
RETRYABLE_INTENT_STATUSES = frozenset({"requires_payment_method", "requires_confirmation", "requires_action"})


class PaymentError(Exception):
    """A payment request refused for a reason the client can read (French `message`)."""

    code = "payment_error"
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
    return DECLINE_MESSAGES.get(decline_code or "") or DECLINE_MESSAGES.get(code or "") or DEFAULT_DECLINE_MESSAGE
