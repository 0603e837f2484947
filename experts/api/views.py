"""The expert API (SPEC §9): the desk's actions as JSON, behind JWT; plus the signed n8n callback."""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import Expert
from lumira.api import error_response, error_responses
from lumira.pagination import PageNumberPagination
from lumira.view_cache import cached_json
from orders.models import Order
from orders.services import OrderServiceError

from .. import services, signing
from ..auth import EXPERTS_ONLY, INACTIVE_MESSAGE, ExpertJWTAuthentication, IsActiveExpert
from ..caching import DESK_GENERATION, request_parts
from ..generation import QUEUE_UNAVAILABLE, InvalidContent, generation_callback_content, generation_fail, last_error_display
from ..selectors import order_for_action, order_for_expert, order_for_holder, order_queue, order_stats, validation_queue
from . import serializers as s
from .authentication import N8nSignatureAuthentication

logger = logging.getLogger(__name__)

def _service_error(error: OrderServiceError) -> Response:
    """409 when the order's state (or holder) forbids the action, 400 for any other refused request."""
    return error_response(error.code, error.message, services.error_status(error))


def _order_response(request: Request, order_id, http_status: int = status.HTTP_200_OK) -> Response:
    order = order_for_expert(expert=request.expert, order_id=order_id)
    return Response({"order": s.OrderDetailSerializer(order).data}, status=http_status)


def _action_request(serializer_class: type, data, order_id=None) -> tuple[dict, Order]:
    """The validated body of an action, and the order it acts on (the URL's, else the body's `orderId`; 404
    for an unknown one)."""
    body = serializer_class(data=data)
    body.is_valid(raise_exception=True)
    return body.validated_data, order_for_action(order_id=order_id or body.validated_data["orderId"])


def _accepted_response(request: Request, order: Order) -> Response:
    """202 for an order sent to generation; accepted all the same when the queue is down (`warning`): the order
    waits in `processing` and the sweep sends it when the queue is back."""
    response = _order_response(request, order.pk, status.HTTP_202_ACCEPTED)
    if order.last_error == QUEUE_UNAVAILABLE:
        response.data["warning"] = last_error_display(order.last_error)
    return response


def _order_action_schema(*, request, summary: str, errors: dict, accepted: bool = False):
    """The OpenAPI description every order action shares: it answers with the order envelope (202 when the order
    goes to generation, else 200), or with one of `errors` (404 for an unknown order unless said otherwise)."""
    ok = status.HTTP_202_ACCEPTED if accepted else status.HTTP_200_OK
    errors = dict(sorted({404: "Unknown order.", **errors}.items()))
    return extend_schema(
        request=request, responses={ok: s.OrderEnvelopeSerializer, **error_responses(errors)}, summary=summary,
    )


class ExpertAPIView(APIView):
    authentication_classes = [ExpertJWTAuthentication]
    permission_classes = [IsActiveExpert]

    def handle_exception(self, exc: Exception) -> Response:
        # A refused action answers in the API's error shape (see _service_error).
        if isinstance(exc, OrderServiceError):
            return _service_error(exc)
        return super().handle_exception(exc)


class LoginView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.LoginSerializer,
        responses={
            200: s.LoginResponseSerializer,
            **error_responses({
                400: None,
                401: "Wrong email or password, or a deactivated expert (`error.code` invalid_credentials).",
                429: "Too many sign-in attempts from this address (EXPERT_LOGIN_RATE).",
            }),
        },
        summary="Sign an expert in: JWT access and refresh tokens.",
    )
    def post(self, request: Request) -> Response:
        if is_ratelimited(request, group="experts:login", key="ip", rate=settings.EXPERT_LOGIN_RATE,
                          method="POST", increment=True):
            return error_response("rate_limited", _("Too many sign-in attempts. Try again in a minute."), 429)
        serializer = s.LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expert = services.expert_authenticate(request._request, **serializer.validated_data)
        if expert is None:
            return error_response(
                "invalid_credentials", _("Incorrect e-mail or password, or expert account disabled."),
                status.HTTP_401_UNAUTHORIZED,
            )
        services.expert_record_login(expert=expert)
        # A sign-in like the desk's `login()`: listeners such as the lockout's reset of failed attempts run.
        user_logged_in.send(sender=type(expert.user), request=request._request, user=expert.user)
        refresh = RefreshToken.for_user(expert.user)
        return Response({
            "access": str(refresh.access_token),
            "refresh": str(refresh),
            "expert": {"id": expert.pk, "name": expert.name, "email": expert.email, "role": expert.role},
        })


class ExpertTokenRefreshSerializer(TokenRefreshSerializer):
    """A refresh token gives a new access token only to an expert who is still active."""

    def validate(self, attrs: dict) -> dict:
        try:
            refresh = self.token_class(attrs["refresh"])
        except TokenError as error:
            raise InvalidToken(str(error)) from error
        user_id = refresh.payload.get("user_id")
        expert = Expert.objects.select_related("user").filter(user_id=user_id).first()
        if expert is None or not expert.can_sign_in:
            raise AuthenticationFailed(INACTIVE_MESSAGE if expert else EXPERTS_ONLY,
                                       code="no_active_account")
        return super().validate(attrs)


class TokenRefreshView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request: Request) -> str:
        # No authentication class here, but a refused token is still a 401 (DRF would answer 403).
        return ExpertJWTAuthentication().authenticate_header(request)

    @extend_schema(
        request=ExpertTokenRefreshSerializer,
        responses={
            200: ExpertTokenRefreshSerializer,
            **error_responses({
                400: None,
                401: "Invalid or expired refresh token, or the expert was deactivated since.",
            }),
        },
        summary="A new access token for a still active expert.",
    )
    def post(self, request: Request) -> Response:
        serializer = ExpertTokenRefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class QueuePagination(PageNumberPagination):
    page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]


class OrderQueueView(ExpertAPIView):
    pagination_class = QueuePagination  # read by the OpenAPI schema: the list is paginated
    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=["paid", "processing", "awaiting_validation", "completed", "all", ""],
                             description="Default (and empty): paid. `all`: every status of the desk."),
            OpenApiParameter("level", str, enum=["simple", "intuitive", "alchimique", "integrale", ""],
                             description="Empty or absent: every level."),
            OpenApiParameter("page", int),
        ],
        responses={
            200: s.OrderListSerializer(many=True),
            **error_responses({400: "Unknown status or level filter.", 404: "Page number out of range."}),
        },
        summary="The queue: own and unassigned orders (admins: all), filtered, paginated.",
    )
    def get(self, request: Request) -> Response:
        query = s.QueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)

        def build() -> dict:
            orders = order_queue(expert=request.expert, **query.validated_data)
            paginator = QueuePagination()
            page = paginator.paginate_queryset(orders, request, view=self)
            return paginator.get_paginated_response(s.OrderListSerializer(page, many=True).data).data

        parts = request_parts(request, QueuePagination.page_size)
        return cached_json("expert-queue-api", parts, depends_on=[DESK_GENERATION], build=build)


class ValidationQueueView(ExpertAPIView):
    pagination_class = QueuePagination
    @extend_schema(
        parameters=[OpenApiParameter("page", int)],
        responses={200: s.ValidationQueueSerializer(many=True), **error_responses({404: "Page number out of range."})},
        summary="Orders whose generated content waits for validation, with a preview.",
    )
    def get(self, request: Request) -> Response:
        def build() -> dict:
            paginator = QueuePagination()
            page = paginator.paginate_queryset(validation_queue(expert=request.expert), request, view=self)
            return paginator.get_paginated_response(s.ValidationQueueSerializer(page, many=True).data).data

        parts = request_parts(request, QueuePagination.page_size)
        return cached_json("expert-validation-api", parts, depends_on=[DESK_GENERATION], build=build)


class OrderDetailView(ExpertAPIView):
    @extend_schema(
        responses={200: s.OrderEnvelopeSerializer, **error_responses({404: "No such order in this expert's reach."})},
        summary="An order with the client's inputs, its versions and its events.",
    )
    def get(self, request: Request, order_id) -> Response:
        return _order_response(request, order_id)


class AssignView(ExpertAPIView):
    @_order_action_schema(
        request=s.AssignSerializer,
        summary="Take an order (or, for an admin, give it to an expert).",
        errors={
            400: "Invalid body, unknown expert, or only admins may assign to someone else.",
            409: "Another expert holds the order, or its state does not allow it.",
        },
    )
    def post(self, request: Request, order_id) -> Response:
        data, order = _action_request(s.AssignSerializer, request.data or {}, order_id)
        if "expertId" in data and data["expertId"] != request.expert.pk:
            target = Expert.objects.select_related("user").filter(pk=data["expertId"]).first()
            if target is None:
                return error_response("invalid", "Expert inconnu.", 400, {"expertId": ["Expert inconnu."]})
            services.order_assign_to(order_id=order.pk, expert=target, by=request.expert)
        else:
            services.order_take(order_id=order.pk, expert=request.expert)
        return _order_response(request, order.pk)


class ProcessOrderView(ExpertAPIView):
    @_order_action_schema(
        request=s.ProcessOrderSerializer, accepted=True,
        summary="Send an order to generation (Celery → n8n or the local generator).",
        errors={
            409: "The order is not paid, another expert holds it, or its intake lacks a birth date or a "
                 "question (`error.code` intake_incomplete; see `intakeMissing`).",
        },
    )
    def post(self, request: Request) -> Response:
        data, order = _action_request(s.ProcessOrderSerializer, request.data)
        result = services.generation_start(
            order_id=order.pk, expert=request.expert, prompt=data["expertPrompt"], instructions=data["expertInstructions"]
        )
        return _accepted_response(request, result.order)


class RetryGenerationView(ExpertAPIView):
    @_order_action_schema(
        request=None, accepted=True,
        summary="Relaunch a stuck generation: a new attempt, once the current one is overdue or dead-lettered.",
        errors={
            404: "Unknown order, or one another expert holds.",
            409: "Nothing to relaunch: the current attempt is younger than GENERATION_OVERDUE_SECONDS (or was "
                 "just relaunched), or the order is not in generation nor back from a failed one.",
            429: "Too many relaunches by this expert (EXPERT_RELAUNCH_RATE).",
        },
    )
    def post(self, request: Request, order_id) -> Response:
        order = order_for_holder(expert=request.expert, order_id=order_id)
        if is_ratelimited(request, group="experts:relaunch", key="user", rate=settings.EXPERT_RELAUNCH_RATE,
                          method="POST", increment=True):
            return error_response("rate_limited", _("Too many relaunches: try again in a minute."), 429)
        relaunched = services.generation_relaunch(order_id=order.pk, expert=request.expert)
        return _accepted_response(request, relaunched)


class ValidateContentView(ExpertAPIView):
    @_order_action_schema(
        request=s.ValidateContentSerializer,
        summary="Approve (deliver to the client) or reject (start a revision) the generated content.",
        errors={
            400: "Invalid body; a rejection needs its `rejectionReason`.",
            409: "No content waits for validation, another expert holds the order, or the judged `version` is "
                 "no longer current (`stale_version`).",
        },
    )
    def post(self, request: Request) -> Response:
        data, order = _action_request(s.ValidateContentSerializer, request.data)
        services.content_validate(
            order_id=order.pk, expert=request.expert, action=data["action"],
            notes=data["validationNotes"], reason=data["rejectionReason"], version=data["version"],
        )
        return _order_response(request, order.pk)


class StatsView(ExpertAPIView):
    @extend_schema(responses=s.StatsSerializer, summary="Orders per status, and how many this expert treated today.")
    def get(self, request: Request) -> Response:
        stats = order_stats(expert=request.expert)
        return Response(
            {"counts": stats["counts"], "treatedToday": stats["treated_today"], "aiCostEur": stats["ai_cost_eur"]}
        )


class N8nCallbackView(APIView):
    """n8n answers a generation request. Signed with N8N_CALLBACK_SECRET over the raw body."""

    authentication_classes = [N8nSignatureAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(
        request=s.CallbackSerializer,
        parameters=[
            OpenApiParameter(signing.TIMESTAMP_HEADER, str, OpenApiParameter.HEADER, required=True),
            OpenApiParameter(signing.SIGNATURE_HEADER, str, OpenApiParameter.HEADER, required=True),
        ],
        responses={
            200: s.CallbackResponseSerializer,
            **error_responses({
                400: "Stale timestamp, malformed JSON or invalid body.",
                401: "Missing or wrong signature.",
                404: "Unknown order.",
                409: "Replayed, for an old attempt, or the order is in another state.",
            }),
        },
        summary="n8n's answer to a generation request, signed with N8N_CALLBACK_SECRET.",
    )
    def post(self, request: Request) -> Response:
        data = s.CallbackSerializer.validated_body(request._request.body)
        if not Order.objects.filter(pk=data["orderId"]).exists():
            return error_response("not_found", "Commande inconnue.", status.HTTP_404_NOT_FOUND)
        try:
            answer = _callback_apply(data)
        except InvalidContent as error:
            logger.info("n8n callback with invalid content", extra={"order_id": str(data["orderId"])})
            return error_response(
                error.code, error.message, status.HTTP_422_UNPROCESSABLE_ENTITY, fields={"content": error.reasons}
            )
        except OrderServiceError as error:
            logger.info("n8n callback refused", extra={"order_id": str(data["orderId"]), "code": error.code})
            return _service_error(error)
        return Response({"status": answer})


def _callback_apply(data: dict) -> str:
    """Store n8n's content or its failure for the attempt; the word the callback answers with."""
    usage = data.get("usage")
    if data["success"]:
        generation_callback_content(
            order_id=data["orderId"], attempt_id=data["attemptId"], content=data["content"], usage=usage
        )
        return "content_received"
    generation_fail(order_id=data["orderId"], attempt_id=data["attemptId"], error=data["error"], usage=usage)
    return "failure_recorded"
