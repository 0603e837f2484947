"""Checkout: create the order and its intents, then confirm the card (SPEC §10).

The card flow works on Stripe and on localstripe alike: the browser confirms a SetupIntent with the card
element, then `checkout_confirm` attaches the resulting payment method to the order's PaymentIntent and
confirms it server-side; `requires_action` is finished by the browser. Order rows are written by
`orders.services` only.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import uuid4

import stripe
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from djstripe.models import Customer
from djstripe.models import PaymentIntent as StripePaymentIntent

from orders import services as order_services
from orders.models import Offer, Order, OrderStatus

from .declines import (
    UNAVAILABLE_MESSAGE,
    CardDeclined,
    InvalidPaymentRequest,
    OrderNotPayable,
    PaymentUnavailable,
    decline_message,
)
from .stripe_api import ORDER_ID_KEY, ORDER_NUMBER_KEY, is_localstripe, object_id, secret_key

logger = logging.getLogger(__name__)


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
    customer, _created = Customer.get_or_create(subscriber=client, api_key=secret_key())
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


def checkout_start(
    *,
    offer: Offer,
    email: str,
    name: str,
    phone: str,
    expert=None,
    intake: dict | None = None,
    withdrawal_waived_at=None,
) -> Checkout:
    """A `pending` order priced from the offer, with the client's intake (validated by the shared intake
    form) and its chart, its PaymentIntent and a SetupIntent for the card form."""
    User = get_user_model()
    with transaction.atomic():
        client, created_account = User.objects.client_get_or_create(email, full_name=name)
        order = order_services.order_create(
            offer=offer,
            client=client,
            client_name=name,
            client_email=email,
            client_phone=phone,
            expert=expert,
            intake=intake,
            withdrawal_waived_at=withdrawal_waived_at,
        )
    try:
        customer = _stripe_customer(client)
        intent = _payment_intent_create(order, customer_id=customer.id, idempotency_key=f"lumira-order-{order.pk}-payment-intent")
        setup = _setup_intent_create(order, customer_id=customer.id, attempt="1")
    except stripe.StripeError as error:
        logger.exception("payments: Stripe refused the checkout of order %s", order.number)
        # Nothing can pay this order: close it rather than leave a pending order without a PaymentIntent.
        order_services.order_cancel(order_id=order.pk, note=f"Paiement indisponible à la création : {error}")
        raise PaymentUnavailable(UNAVAILABLE_MESSAGE) from error
    order = order_services.order_payment_intent_attach(order_id=order.pk, payment_intent_id=intent.id)
    payment_intent_mirror(intent)
    return Checkout(
        order=order,
        client_secret=intent.client_secret,
        setup_client_secret=setup.client_secret,
        created_account=created_account,
    )


def _check_payable(order: Order) -> None:
    if order.status != OrderStatus.PENDING or not order.stripe_payment_intent_id:
        raise OrderNotPayable(_("This order can no longer be paid."))


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
        order,
        customer_id=object_id(intent.get("customer")),
        idempotency_key=f"lumira-order-{order.pk}-payment-intent-after-{intent.id}",
    )
    order_services.order_payment_intent_attach(order_id=order.pk, payment_intent_id=replacement.id)
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
        raise InvalidPaymentRequest(_("The card details cannot be found: reload the page.")) from error
    except stripe.StripeError as error:
        raise PaymentUnavailable(UNAVAILABLE_MESSAGE) from error
    if (setup.get("metadata") or {}).get(ORDER_ID_KEY) != str(order.pk):
        raise InvalidPaymentRequest(_("These card details do not belong to this order."))
    payment_method = object_id(setup.get("payment_method"))
    if setup.status != "succeeded" or not payment_method:
        raise InvalidPaymentRequest(_("The card has not been validated yet."))

    try:
        intent = _payable_intent(order, key)
        if intent.status in ("requires_payment_method", "requires_confirmation"):
            if object_id(intent.get("payment_method")) != payment_method:
                stripe.PaymentIntent.modify(intent.id, payment_method=payment_method, api_key=key)
            intent = stripe.PaymentIntent.confirm(
                intent.id,
                api_key=key,
                idempotency_key=f"lumira-confirm-{intent.id}-{payment_method}",
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
