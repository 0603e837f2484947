"""Payment writes: start a checkout, confirm a card, and apply what Stripe reports to the order.

Order status only moves through `orders.services`; this module decides which transition Stripe's news
calls for, and checks the money before any order is marked paid. Webhook receivers (`receivers.py`) and
reconciliation (`reconciliation.py`) both end here, so a payment heals the same way whichever comes first.

The card flow works on Stripe and on localstripe alike (SPEC §10): the browser confirms a SetupIntent
with the card element, then `checkout_confirm` attaches the resulting payment method to the order's
PaymentIntent and confirms it server-side; `requires_action` is finished by the browser.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from uuid import uuid4

import stripe
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from djstripe.models import Charge as StripeCharge
from djstripe.models import Customer
from djstripe.models import PaymentIntent as StripePaymentIntent

from experts import services as expert_services
from lumira import metrics as lumira_metrics
from orders import services as order_services
from orders.models import Offer, Order, OrderEvent, OrderStatus
from orders.services import InvalidTransition
from sanctuaire.services import intake_reminder_schedule, profile_apply_to_orders

from .stripe_api import ORDER_ID_KEY, ORDER_NUMBER_KEY, is_localstripe, secret_key

logger = logging.getLogger(__name__)

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


# --- Checkout: create the order and its intents, then confirm the card --------------------------------


@dataclass(frozen=True)
class Checkout:
    order: Order
    client_secret: str
    setup_client_secret: str
    # This checkout created the client's account: only then may the paying browser enter it directly (SPEC §5).
    created_account: bool = False


@dataclass(frozen=True)
class Confirmation:
    order: Order
    status: str  # the PaymentIntent's status after confirmation
    client_secret: str = ""  # set when the browser must finish an authentication (requires_action)


def _order_metadata(order: Order) -> dict[str, str]:
    return {ORDER_ID_KEY: str(order.pk), ORDER_NUMBER_KEY: order.number}


def payment_intent_mirror(intent: Mapping) -> None:
    """Keep dj-stripe's copy of the PaymentIntent current (the status API reads `paymentStatus` from it)."""
    try:
        StripePaymentIntent.sync_from_stripe_data(intent, api_key=secret_key())
    except Exception:  # the webhook syncs it again; the payment itself must not fail on the mirror
        logger.exception("payments: could not mirror PaymentIntent %s", intent.get("id"))


def _stripe_customer(client) -> Customer:
    # One Stripe Customer per client: a SetupIntent's card is attached to it, so the PaymentIntent can use it.
    customer, _ = Customer.get_or_create(subscriber=client, api_key=secret_key())
    return customer


def _payment_intent_create(order: Order, *, customer_id: str, idempotency_key: str):
    # The amount comes from the order, which copied it from the offer: never from the request.
    return stripe.PaymentIntent.create(
        amount=order.amount,
        currency=order.currency,
        customer=customer_id,
        payment_method_types=["card"],
        metadata=_order_metadata(order),
        idempotency_key=idempotency_key,
        api_key=secret_key(),
    )


def _setup_intent_create(order: Order, *, customer_id: str, attempt: str):
    return stripe.SetupIntent.create(
        customer=customer_id,
        usage="on_session",
        payment_method_types=["card"],
        metadata=_order_metadata(order),
        idempotency_key=f"lumira-order-{order.pk}-setup-{attempt}",
        api_key=secret_key(),
    )


def order_payment_intent_attach(*, order_id, payment_intent_id: str) -> Order:
    """Record the order's current PaymentIntent (not a status change, so no transition)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.stripe_payment_intent_id != payment_intent_id:
            previous = order.stripe_payment_intent_id
            order.stripe_payment_intent_id = payment_intent_id
            order.save(update_fields=["stripe_payment_intent_id", "updated_at"])
            if previous:
                OrderEvent.objects.create(
                    order=order, from_status=order.status, to_status=order.status, action="payment_intent_replaced",
                    note=f"{previous} → {payment_intent_id}",
                )
    return order


def checkout_start(
    *, offer: Offer, email: str, name: str, phone: str, expert=None, intake: dict | None = None,
    withdrawal_waived_at=None,
) -> Checkout:
    """A `pending` order priced from the offer, with the client's intake (validated by the shared intake
    form) and its chart, its PaymentIntent and a SetupIntent for the card form."""
    User = get_user_model()
    with transaction.atomic():
        client, created_account = User.objects.client_get_or_create(email, full_name=name)
        order = order_services.order_create(
            offer=offer, client=client, client_name=name, client_email=email, client_phone=phone, expert=expert,
            intake=intake,
            withdrawal_waived_at=withdrawal_waived_at,
        )
    try:
        customer = _stripe_customer(client)
        intent = _payment_intent_create(
            order, customer_id=customer.id, idempotency_key=f"lumira-order-{order.pk}-payment-intent"
        )
        setup = _setup_intent_create(order, customer_id=customer.id, attempt="1")
    except stripe.StripeError as error:
        logger.exception("payments: Stripe refused the checkout of order %s", order.number)
        # Nothing can pay this order: close it rather than leave a pending order without a PaymentIntent.
        order_services.order_cancel(order_id=order.pk, note=f"Paiement indisponible à la création : {error}")
        raise PaymentUnavailable(UNAVAILABLE_MESSAGE) from error
    order = order_payment_intent_attach(order_id=order.pk, payment_intent_id=intent.id)
    payment_intent_mirror(intent)
    return Checkout(
        order=order, client_secret=intent.client_secret, setup_client_secret=setup.client_secret,
        created_account=created_account,
    )


def _check_payable(order: Order) -> None:
    if order.status != OrderStatus.PENDING or not order.stripe_payment_intent_id:
        raise OrderNotPayable("Cette commande ne peut plus être payée.")


def checkout_setup_renew(*, order: Order) -> str:
    """A fresh SetupIntent for a pending order: the client tries another card after a refusal."""
    _check_payable(order)
    try:
        customer = _stripe_customer(order.client)
        setup = _setup_intent_create(order, customer_id=customer.id, attempt=uuid4().hex)
    except stripe.StripeError as error:
        logger.exception("payments: no new SetupIntent for order %s", order.number)
        raise PaymentUnavailable(UNAVAILABLE_MESSAGE) from error
    return setup.client_secret


def object_id(value) -> str:
    return value if isinstance(value, str) else (value or {}).get("id", "")


def _payable_intent(order: Order, key: str):
    """The order's PaymentIntent, ready for a new card.

    After a declined charge Stripe lets the same PaymentIntent be retried; localstripe does not. Both
    accept this: cancel the failed intent (so it can never be paid later) and continue on a new one whose
    idempotency key derives from the order and the intent it replaces (a double click makes one, not two).
    """
    intent = stripe.PaymentIntent.retrieve(order.stripe_payment_intent_id, api_key=key)
    if intent.status != "requires_payment_method" or not intent.get("last_payment_error"):
        return intent
    try:
        stripe.PaymentIntent.cancel(intent.id, api_key=key, idempotency_key=f"lumira-cancel-{intent.id}")
    except stripe.InvalidRequestError:
        intent = stripe.PaymentIntent.retrieve(intent.id, api_key=key)
        if intent.status != "canceled":
            return intent  # it moved on by itself (paid meanwhile): use what Stripe says
    replacement = _payment_intent_create(
        order, customer_id=object_id(intent.get("customer")),
        idempotency_key=f"lumira-order-{order.pk}-payment-intent-after-{intent.id}",
    )
    order_payment_intent_attach(order_id=order.pk, payment_intent_id=replacement.id)
    order.stripe_payment_intent_id = replacement.id
    return replacement


def _confirm_options() -> dict:
    # Stripe: the next action (3-D Secure) is then handled by Stripe.js (confirmCardPayment). localstripe
    # refuses any confirm parameter and always answers in that form.
    return {} if is_localstripe() else {"use_stripe_sdk": True}


def _intent_after_refusal(order: Order, key: str):
    try:
        intent = stripe.PaymentIntent.retrieve(order.stripe_payment_intent_id, api_key=key)
    except stripe.StripeError:
        return None
    return intent if intent.status in ("succeeded", "processing", "requires_action") else None


def checkout_confirm(*, order: Order, setup_intent_id: str) -> Confirmation:
    """Pay the order with the card the browser just set up (SetupIntent), server-side."""
    if order.paid_at is not None:
        return Confirmation(order=order, status="succeeded")
    _check_payable(order)
    key = secret_key()
    try:
        setup = stripe.SetupIntent.retrieve(setup_intent_id, api_key=key)
    except stripe.InvalidRequestError as error:
        raise InvalidPaymentRequest("Les informations de carte sont introuvables : rechargez la page.") from error
    except stripe.StripeError as error:
        raise PaymentUnavailable(UNAVAILABLE_MESSAGE) from error
    if (setup.get("metadata") or {}).get(ORDER_ID_KEY) != str(order.pk):
        raise InvalidPaymentRequest("Ces informations de carte ne correspondent pas à cette commande.")
    payment_method = object_id(setup.get("payment_method"))
    if setup.status != "succeeded" or not payment_method:
        raise InvalidPaymentRequest("La carte n'a pas encore été validée.")

    try:
        intent = _payable_intent(order, key)
        if intent.status in ("requires_payment_method", "requires_confirmation"):
            if object_id(intent.get("payment_method")) != payment_method:
                stripe.PaymentIntent.modify(intent.id, payment_method=payment_method, api_key=key)
            intent = stripe.PaymentIntent.confirm(
                intent.id, api_key=key, idempotency_key=f"lumira-confirm-{intent.id}-{payment_method}",
                **_confirm_options(),
            )
    except stripe.CardError as error:
        # The order stays pending: the client may try another card (a fresh SetupIntent, checkout_setup_renew).
        raise CardDeclined(decline_message(error.code, getattr(error, "decline_code", None))) from error
    except stripe.InvalidRequestError as error:
        # A concurrent confirmation (double click, second tab) got there first: report where the intent is.
        intent = _intent_after_refusal(order, key)
        if intent is None:
            logger.exception("payments: confirming order %s refused", order.number)
            raise PaymentUnavailable(UNAVAILABLE_MESSAGE) from error
    except stripe.StripeError as error:
        logger.exception("payments: confirming order %s failed", order.number)
        raise PaymentUnavailable(UNAVAILABLE_MESSAGE) from error
    payment_intent_mirror(intent)
    return Confirmation(
        order=order,
        status=intent.status,
        client_secret=intent.client_secret if intent.status == "requires_action" else "",
    )


# --- What Stripe reports: shared by the webhook receivers and reconciliation ---------------------------


# What the webhook receivers read from the order before a transition locks and reloads it: the
# encrypted client inputs are neither read nor decrypted on this path.
_WEBHOOK_ORDER_FIELDS = ("id", "number", "status", "amount", "currency", "stripe_payment_intent_id", "paid_at")


def order_for_payment_intent(intent: Mapping) -> Order | None:
    """The order a PaymentIntent pays: by the order id in its metadata, else by the stored intent id."""
    orders = Order.objects.only(*_WEBHOOK_ORDER_FIELDS)
    order_id = (intent.get("metadata") or {}).get(ORDER_ID_KEY)
    if order_id:
        try:
            return orders.get(pk=order_id)
        except (Order.DoesNotExist, ValidationError, ValueError):
            return None
    intent_id = intent.get("id")
    return orders.filter(stripe_payment_intent_id=intent_id).first() if intent_id else None


def _mirror(model, object_id: str | None, synced_since) -> Mapping | None:
    mirrors = model.objects.filter(id=object_id)
    if synced_since is not None:
        mirrors = mirrors.filter(djstripe_updated__gte=synced_since)
    mirror = mirrors.only("stripe_data").first() if object_id else None
    return mirror.stripe_data if mirror else None


def mirrored_payment_intent(intent_id: str | None, *, synced_since=None) -> Mapping | None:
    """dj-stripe's copy, re-retrieved from the Stripe API while it processed the event. With `synced_since`
    (the event's arrival), None unless it was refreshed since: dj-stripe skips an object Stripe answers
    `resource_missing` for, leaving an older copy that must not be taken for Stripe's current word."""
    return _mirror(StripePaymentIntent, intent_id, synced_since)


def mirrored_charge(charge_id: str | None, *, synced_since=None) -> Mapping | None:
    """dj-stripe's copy of a charge, as `mirrored_payment_intent`."""
    return _mirror(StripeCharge, charge_id, synced_since)


def _money_problem(order: Order, reports: Iterable[Mapping]) -> str:
    """Why these reports of a successful payment do not pay this order ("" when they do)."""
    for report in reports:
        intent_id = report.get("id", "")
        if order.stripe_payment_intent_id and intent_id != order.stripe_payment_intent_id:
            return f"Paiement {intent_id} reçu, mais la commande attend {order.stripe_payment_intent_id}."
        if report.get("status") != "succeeded":
            return f"Stripe indique le paiement {intent_id} « {report.get('status')} », pas réussi."
        amount = report.get("amount_received") or report.get("amount")
        currency = (report.get("currency") or "").lower()
        if amount != order.amount or currency != order.currency.lower():
            return (
                f"Montant reçu {amount} {currency} pour {intent_id}, "
                f"alors que la commande vaut {order.amount} {order.currency}."
            )
    return ""


def _send_paid_email_after_commit(order_id) -> None:
    from .tasks import send_order_paid_email

    transaction.on_commit(lambda: send_order_paid_email.delay(str(order_id)))


def payment_succeeded(*, order: Order, reports: Iterable[Mapping], source: str, notify: bool = True) -> bool:
    """Stripe reports money taken for this order. Mark it paid if every report matches it, else flag it.

    `reports` are the event's PaymentIntent and dj-stripe's fresh copy from the API: both must carry the
    order's amount and currency. Returns whether the order moved to paid now.
    """
    reports = [report for report in reports if report]
    problem = _money_problem(order, reports)
    if problem:
        logger.warning("payments: order %s flagged: %s", order.number, problem)
        order_services.order_flag_payment(order_id=order.pk, reason=problem[:255])
        return False
    try:
        result = order_services.order_mark_paid(
            order_id=order.pk, payment_intent_id=reports[0].get("id", ""), note=source
        )
    except InvalidTransition as error:
        # Money arrived for an order that can no longer take it (canceled): staff must refund it.
        reason = f"Paiement reçu alors que la commande est « {error.order.get_status_display()} »."
        order_services.order_flag_payment(order_id=order.pk, reason=reason)
        return False
    if result.changed:
        lumira_metrics.payment_succeeded()
        # A returning client's completed profile fills the new order's inputs for the expert; what is still
        # missing then is asked for once by email.
        profile_apply_to_orders(user=result.order.client)
        intake_reminder_schedule(order_id=order.pk)
        if notify:
            _send_paid_email_after_commit(order.pk)
            if result.order.expert_id:
                expert_services.order_paid_notify_expert(order_id=order.pk)
    return result.changed


def order_payment_attempt_failed(*, order_id, error: str, intent_id: str = "") -> bool:
    """A card was refused on a PaymentIntent that can still be paid: note it, the order stays pending."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status != OrderStatus.PENDING:
            return False  # late news about an order that moved on (paid, canceled): nothing to record
        order.last_error = error
        order.save(update_fields=["last_error", "updated_at"])
        OrderEvent.objects.create(
            order=order, from_status=order.status, to_status=order.status, action="payment_attempt_failed",
            note=f"{intent_id} : {error}" if intent_id else error,
        )
    return True


def payment_failed(*, order: Order, intent: Mapping, current: Mapping | None, source: str) -> None:
    """Stripe reports a refused payment.

    While the PaymentIntent can still be paid (Stripe puts it back to requires_payment_method after a
    decline) the failure is one attempt: recorded on the order, which stays `pending` so the client can
    retry with another card. Only an intent that can no longer be paid fails the order.
    """
    error_data = intent.get("last_payment_error") or {}
    error = decline_message(error_data.get("code"), error_data.get("decline_code"))
    status = (current or intent).get("status", "")
    if status in RETRYABLE_INTENT_STATUSES or status == "succeeded":
        if order_payment_attempt_failed(order_id=order.pk, error=error, intent_id=intent.get("id", "")):
            lumira_metrics.payment_failed()
        return
    try:
        if order_services.order_mark_payment_failed(order_id=order.pk, error=error).changed:
            lumira_metrics.payment_failed()
    except InvalidTransition:
        logger.info("payments: %s ignored for order %s (%s)", source, order.number, order.status)


def payment_canceled(*, order: Order, intent: Mapping, source: str) -> None:
    """The order's PaymentIntent was canceled: the order is canceled (a superseded intent changes nothing)."""
    if order.stripe_payment_intent_id and intent.get("id") != order.stripe_payment_intent_id:
        logger.info("payments: %s concerns a replaced PaymentIntent of order %s", source, order.number)
        return
    try:
        order_services.order_cancel(order_id=order.pk, note=f"PaymentIntent annulé ({source}).")
    except InvalidTransition:
        logger.info("payments: %s ignored for order %s (%s)", source, order.number, order.status)


def charge_refunded(*, order: Order, charge: Mapping, source: str) -> None:
    """A refund on the order's charge (Stripe's copy of it, not the event's). A full refund refunds the
    order; a partial one is flagged for staff; no refund at all (a forged event) is flagged and changes nothing.

    A refund can be delivered before the payment's own success event: the charge proves the payment,
    so the order is marked paid first (without the "paid" email), then refunded.
    """
    amount_refunded = charge.get("amount_refunded") or 0
    if not amount_refunded:
        # `charge` is Stripe's copy: an event announcing a refund that Stripe does not record is forged.
        reason = f"Remboursement annoncé ({source}) mais absent chez Stripe : rien n'a été changé."
        logger.warning("payments: order %s flagged: %s", order.number, reason)
        order_services.order_flag_payment(order_id=order.pk, reason=reason[:255])
        return
    if not charge.get("refunded") or amount_refunded < order.amount:
        order_services.order_flag_payment(
            order_id=order.pk, reason=f"Remboursement partiel : {amount_refunded} {charge.get('currency', '')}."
        )
        return
    if order.paid_at is None and charge.get("paid") and charge.get("status") == "succeeded":
        paid_report = {
            "id": object_id(charge.get("payment_intent")), "status": "succeeded",
            "amount_received": charge.get("amount_captured") or charge.get("amount"), "currency": charge.get("currency"),
        }
        payment_succeeded(order=order, reports=[paid_report], source=source, notify=False)
    try:
        order_services.order_refund(order_id=order.pk, note=f"Remboursement total ({source}).")
    except InvalidTransition:
        logger.warning("payments: %s could not refund order %s (%s)", source, order.number, order.status)
