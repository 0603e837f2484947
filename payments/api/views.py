"""Payments API (SPEC §9): public endpoints, no sign-in; the order id is the only key a client holds."""

import uuid

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.sessions import new_account_order_remember, paid_order_remember
from lumira.api import error_response, error_responses, limited_per_ip
from lumira.view_cache import cached_json
from orders.models import Order
from orders.services import OrderServiceError

from ..caching import order_generation
from ..checkout import Checkout, checkout_confirm, checkout_setup_renew, checkout_start
from ..declines import PaymentError
from ..selectors import order_with_payment_status
from .serializers import (
    ConfirmPaymentResponseSerializer,
    ConfirmPaymentSerializer,
    CreatePaymentIntentResponseSerializer,
    CreatePaymentIntentSerializer,
    OrderIdSerializer,
    OrderPaymentStatusResponseSerializer,
    OrderPaymentStatusSerializer,
    SetupIntentResponseSerializer,
)

ORDER_NOT_FOUND = _("Order not found.")
# What a payment step on an existing order may answer besides its own errors (OpenAPI descriptions).
PAYMENT_STEP_ERRORS = {
    404: "Unknown order.",
    409: "The order can no longer be paid.",
    503: "Stripe is unavailable: try again.",
}


def _payment_step_schema(*, request, response, errors: dict, summary: str, ok: int = status.HTTP_200_OK):
    """The OpenAPI description of a payment step on an existing order: it answers `response` (status `ok`), one of
    its own `errors`, or one of the PAYMENT_STEP_ERRORS."""
    return extend_schema(
        request=request, responses={ok: response, **error_responses({**errors, **PAYMENT_STEP_ERRORS})}, summary=summary,
    )


class PublicAPIView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def handle_exception(self, exc: Exception) -> Response:
        # A refused payment (declined card, Stripe down, an order that can no longer be paid) in the API's error shape.
        if isinstance(exc, PaymentError):
            return error_response(exc.code, exc.message, exc.http_status)
        return super().handle_exception(exc)


def _remember_checkout(request: Request, checkout: Checkout) -> None:
    """This browser paid for the order; a client account created by the order may enter the Sanctuaire directly."""
    paid_order_remember(request.session, checkout.order.pk)
    if checkout.created_account:
        new_account_order_remember(request.session, checkout.order.pk)


def _order_request(serializer_class: type[OrderIdSerializer], request: Request) -> tuple[dict, Order]:
    """The request body, validated, and the order it names (404 for an unknown one)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    order = Order.objects.filter(pk=serializer.validated_data["orderId"]).first()
    if order is None:
        raise NotFound(ORDER_NOT_FOUND)
    return serializer.validated_data, order


class CreatePaymentIntentView(PublicAPIView):
    @extend_schema(
        request=CreatePaymentIntentSerializer,
        responses={
            201: CreatePaymentIntentResponseSerializer,
            **error_responses({
                400: "Invalid form (`error.fields`), or an unknown or inactive offer.",
                429: "Too many orders from this address (PAYMENTS_CREATE_RATE).",
                503: "Stripe is unavailable: nothing was charged, try again.",
            }),
        },
        summary="Create a pending order and its PaymentIntent (amount from the offer).",
    )
    @limited_per_ip(
        group="payments:create", rate_setting="PAYMENTS_CREATE_RATE",
        message=_("Too many orders in a short time: try again in a minute."),
    )
    def post(self, request: Request) -> Response:
        serializer = CreatePaymentIntentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            checkout = checkout_start(
                offer=data["offer"], email=data["email"], name=data["name"], phone=data["phone"],
                expert=data.get("expertId"), intake=data["intake"],
                withdrawal_waived_at=timezone.now(),  # validated: the box was ticked
            )
        except OrderServiceError as error:
            return error_response("offer_unavailable", error.message, status.HTTP_400_BAD_REQUEST)
        _remember_checkout(request, checkout)
        return Response(CreatePaymentIntentResponseSerializer(checkout).data, status=status.HTTP_201_CREATED)


class ConfirmPaymentView(PublicAPIView):
    @_payment_step_schema(
        request=ConfirmPaymentSerializer, response=ConfirmPaymentResponseSerializer,
        errors={
            400: "Invalid request, or the SetupIntent is not this order's, or not confirmed.",
            402: "Card declined (`error.code` card_declined, French message): the order stays pending, "
                 "another card may be tried.",
        },
        summary="Pay the order with the card set up in the browser (server-side confirmation).",
    )
    def post(self, request: Request) -> Response:
        data, order = _order_request(ConfirmPaymentSerializer, request)
        confirmation = checkout_confirm(order=order, setup_intent_id=data["setupIntentId"])
        body = {
            "status": confirmation.status,
            "orderId": order.pk,
            "redirectUrl": reverse("payments:confirmation", args=[order.pk]),
        }
        if confirmation.client_secret:
            body["clientSecret"] = confirmation.client_secret
        return Response(ConfirmPaymentResponseSerializer(body).data)


class SetupIntentView(PublicAPIView):
    @_payment_step_schema(
        request=OrderIdSerializer, response=SetupIntentResponseSerializer, ok=status.HTTP_201_CREATED,
        errors={400: None},
        summary="A fresh SetupIntent for a pending order, to try another card after a refusal.",
    )
    def post(self, request: Request) -> Response:
        _, order = _order_request(OrderIdSerializer, request)
        body = {"setupClientSecret": checkout_setup_renew(order=order)}
        return Response(SetupIntentResponseSerializer(body).data, status=status.HTTP_201_CREATED)


class OrderPaymentStatusView(PublicAPIView):
    @extend_schema(
        responses={200: OrderPaymentStatusResponseSerializer, **error_responses({404: "Unknown order."})},
        summary="An order's status, without personal data.",
    )
    def get(self, request: Request, order_id: str) -> Response:
        try:
            order_uuid = uuid.UUID(order_id)
        except ValueError as error:
            raise NotFound(ORDER_NOT_FOUND) from error

        def build() -> dict:
            order = order_with_payment_status(order_uuid)
            if order is None:
                raise NotFound(ORDER_NOT_FOUND)  # unknown ids are never cached
            return {"order": OrderPaymentStatusSerializer(order).data}

        return cached_json("order-status-api", (order_uuid,), depends_on=[order_generation(order_uuid)], build=build)
