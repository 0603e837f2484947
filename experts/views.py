"""The expert desk: Django templates, session login, htmx for in-page actions.

Every action also works without JavaScript (a normal POST answered by a redirect); with htmx the
view answers the fragment that changed.
"""

import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from accounts.models import Expert
from lumira.pagination import BoundedPaginator
from lumira.view_cache import cached_page
from orders.chart_display import chart_table, chart_wheel
from orders.models import Order, OrderStatus
from orders.services import OrderServiceError, holds

from . import selectors, services
from .auth import DESK_SESSION_BACKEND, expert_required
from .caching import DESK_GENERATION, request_parts
from .desk_stats import business_context
from .forms import AssignForm, GenerationForm, LoginForm, QueueFilterForm, ValidationForm
from .generation import QUEUE_UNAVAILABLE
from .prompts import instructions_for, prompt_for

LOGIN_ERROR = gettext_lazy("Incorrect e-mail or password, or expert account disabled.")
QUEUE_DELAYED = gettext_lazy("Sending delayed: the generation queue is unavailable for now (details below).")


def _page(request: HttpRequest, queryset):
    # A bounded count (lumira/pagination.py): "1000+ commandes" past the cap, at any size.
    return BoundedPaginator(queryset, settings.EXPERT_DESK_PAGE_SIZE).get_page(request.GET.get("page"))


def _querystring(request: HttpRequest) -> str:
    """The current filters, to keep them across pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and getattr(request.user, "expert", None) and request.user.expert.can_sign_in:
        return redirect("experts:queue")
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if is_ratelimited(request, group="experts:login", key="ip", rate=settings.EXPERT_LOGIN_RATE,
                          method="POST", increment=True):
            form.add_error(None, _("Too many sign-in attempts. Try again in a minute."))
            status = 429
        elif form.is_valid():
            expert = services.expert_authenticate(request, **form.cleaned_data)
            if expert is not None:
                login(request, expert.user, backend=DESK_SESSION_BACKEND)
                services.expert_record_login(expert=expert)
                next_url = request.POST.get("next") or request.GET.get("next")
                if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                    return redirect(next_url)
                return redirect("experts:queue")
            form.add_error(None, LOGIN_ERROR)
            status = 401
        else:
            status = 400
    next_url = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "experts/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("experts:login")


@require_GET
@expert_required
def queue(request: HttpRequest) -> HttpResponse:
    def build(csrf_token: str) -> str:
        # The filters come from the URL, which is part of the cache key: a cached page needs no form.
        data = request.GET.copy()
        data.setdefault("status", OrderStatus.PAID)  # the queue of paid orders unless another status is asked
        filters = QueueFilterForm(data)
        cleaned = filters.cleaned_data if filters.is_valid() else {"status": OrderStatus.PAID, "level": None}
        orders = selectors.order_queue(expert=request.expert, status=cleaned["status"] or None, level=cleaned["level"])
        context = {"filters": filters, "page": _page(request, orders), "querystring": _querystring(request),
                   "csrf_token": csrf_token, "stats": _stats_rows(request.expert)}
        return render_to_string("experts/order_queue.html", context, request)

    # The page shows the time left to each delivery target: a cached copy lives one minute at most.
    parts = (*request_parts(request, settings.EXPERT_DESK_PAGE_SIZE), int(time.time() // 60))
    return cached_page(request, "desk-queue", parts, depends_on=[DESK_GENERATION], build=build)


@require_GET
@expert_required
def validation_queue(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.validation_queue(expert=request.expert))
    return render(request, "experts/order_validation_queue.html", {"page": page, "querystring": ""})


@require_GET
@expert_required
def stats(request: HttpRequest) -> HttpResponse:
    context = {"stats": _stats_rows(request.expert)}
    if request.htmx:
        return render(request, "experts/partials/stats_panel.html", context)
    if request.expert.is_admin:
        context |= business_context(request.GET.get("since", ""))
    return render(request, "experts/order_stats.html", context)


def _stats_rows(expert: Expert) -> dict:
    stats = selectors.order_stats(expert=expert)
    rows = [(OrderStatus(status).label, count) for status, count in stats["counts"].items()]
    return {"rows": rows, "treated_today": stats["treated_today"], "ai_cost_eur": stats["ai_cost_eur"]}


def _panel_context(request: HttpRequest, order, **forms) -> dict:
    expert = request.expert
    may_act = holds(order, expert)
    context = {
        "order": order,
        "may_act": may_act,
        "generation_form": forms.get("generation_form")
        or GenerationForm(initial={"prompt": prompt_for(order), "instructions": instructions_for(order)}),
        "validation_form": forms.get("validation_form") or ValidationForm(),
        "assign_form": forms.get("assign_form") or (AssignForm() if expert.is_admin and order.expert_id is None else None),
        "generation": selectors.order_generation(order),
    }
    return context


def _detail_context(request: HttpRequest, order, **forms) -> dict:
    """The whole order page: the panel, plus the chart and, for the expert holding the order, the photos."""
    return {
        **_panel_context(request, order, **forms),
        "chart_rows": chart_table(order.chart),
        "chart_wheel": chart_wheel(order.chart),
        "photos": selectors.order_photos(order=order, expert=request.expert),
    }


@require_GET
@expert_required
def order_detail(request: HttpRequest, order_id) -> HttpResponse:
    order = selectors.order_for_expert(expert=request.expert, order_id=order_id)
    if request.htmx:  # the panel polls while generation runs
        return render(request, "experts/partials/order_panel.html", _panel_context(request, order))
    return render(request, "experts/order_detail.html", _detail_context(request, order))


def _visible_order(request: HttpRequest, order_id):
    try:
        return selectors.order_for_expert(expert=request.expert, order_id=order_id)
    except Http404:
        return None  # e.g. another expert holds it: the message says so, the order is not shown


def _after_action(request: HttpRequest, order_id, message: str | None = None, *, level=messages.SUCCESS,
                  status: int = 200, **forms) -> HttpResponse:
    """htmx: the refreshed panel (with the message in it); otherwise the order page (PRG)."""
    flash = {"text": message, "error": level == messages.ERROR} if message else None
    if request.htmx:
        order = _visible_order(request, order_id)
        if order is None:
            return render(request, "experts/partials/flash.html", {"flash": flash}, status=status)
        context = {**_panel_context(request, order, **forms), "flash": flash}
        return render(request, "experts/partials/order_panel.html", context, status=status)
    if forms:  # a form with errors: show it again on the full page
        order = selectors.order_for_expert(expert=request.expert, order_id=order_id)
        return render(request, "experts/order_detail.html", _detail_context(request, order, **forms), status=status)
    if message:
        messages.add_message(request, level, message)
    if _visible_order(request, order_id) is None:
        return redirect("experts:queue")
    return redirect("experts:order", order_id=order_id)


def _refused(request: HttpRequest, order_id, error: OrderServiceError) -> HttpResponse:
    return _after_action(request, order_id, error.message, level=messages.ERROR, status=services.error_status(error))


def _desk_action(view):
    """A POST of the order page, for experts: a refused action (OrderServiceError) shows its message."""

    @wraps(view)
    def wrapped(request: HttpRequest, order_id) -> HttpResponse:
        try:
            return view(request, order_id)
        except OrderServiceError as error:
            return _refused(request, order_id, error)

    return require_POST(expert_required(wrapped))


@require_POST
@expert_required
def take(request: HttpRequest, order_id) -> HttpResponse:
    order = selectors.order_for_action(order_id=order_id)
    try:
        services.order_take(order_id=order.pk, expert=request.expert)
    except OrderServiceError as error:
        if request.htmx and (request.htmx.target or "").startswith("order-row-"):
            return _queue_row(request, order.pk, error=error.message, status=409)
        return _refused(request, order.pk, error)
    if request.htmx and (request.htmx.target or "").startswith("order-row-"):
        return _queue_row(request, order.pk)
    return _after_action(request, order.pk, _("Order taken: it is yours."))


def _queue_row(request: HttpRequest, order_id, *, error: str = "", status: int = 200) -> HttpResponse:
    order = selectors.order_queue(expert=request.expert, status=None).filter(pk=order_id).first()
    if order is None:
        # Taken by someone else (or never this expert's): outside their scope, so the row keeps only the
        # refusal. Nothing about the order (number, client, holder) may leak through a forged HX-Target.
        context = {"order_id": order_id, "row_error": error or _("Order not found.")}
        return render(request, "experts/partials/queue_row_refused.html", context, status=status)
    return render(request, "experts/partials/queue_row.html", {"order": order, "row_error": error}, status=status)


def _desk_form_action(form_class: type, form_name: str):
    """A desk action that posts a form about an order: the action runs on the valid form's data; an invalid form
    shows again, with its errors (400), as the panel's `form_name`."""

    def decorate(act):
        @_desk_action
        @wraps(act)
        def view(request: HttpRequest, order_id) -> HttpResponse:
            order = selectors.order_for_action(order_id=order_id)
            form = form_class(request.POST)
            if not form.is_valid():
                return _after_action(request, order.pk, status=400, **{form_name: form})
            return act(request, order, form.cleaned_data)

        return view

    return decorate


@_desk_form_action(AssignForm, "assign_form")
def assign(request: HttpRequest, order: Order, data: dict) -> HttpResponse:
    services.order_assign_to(order_id=order.pk, expert=data["expert"], by=request.expert)
    return _after_action(request, order.pk, _("Order assigned to %(name)s.") % {"name": data["expert"].name})


@_desk_form_action(GenerationForm, "generation_form")
def generate(request: HttpRequest, order: Order, data: dict) -> HttpResponse:
    result = services.generation_start(
        order_id=order.pk, expert=request.expert, prompt=data["prompt"], instructions=data["instructions"],
    )
    if result.order.last_error == QUEUE_UNAVAILABLE:
        return _after_action(request, order.pk, QUEUE_DELAYED, level=messages.ERROR)
    return _after_action(request, order.pk, _("Order sent to generation."))


@_desk_form_action(ValidationForm, "validation_form")
def validate(request: HttpRequest, order: Order, data: dict) -> HttpResponse:
    services.content_validate(
        order_id=order.pk, expert=request.expert, action=data["action"],
        notes=data["notes"], reason=data["reason"], version=data["version"],
    )
    message = (
        _("Reading approved: it is delivered and the client is told by e-mail.")
        if data["action"] == "approve"
        else _("Content rejected: a revision was requested from the generator.")
    )
    return _after_action(request, order.pk, message)


@_desk_action
def relaunch(request: HttpRequest, order_id) -> HttpResponse:
    """"Relancer la génération": a stuck attempt sent again as a new one (services.generation_relaunch)."""
    order = selectors.order_for_holder(expert=request.expert, order_id=order_id)
    if is_ratelimited(request, group="experts:relaunch", key="user", rate=settings.EXPERT_RELAUNCH_RATE,
                      method="POST", increment=True):
        return _after_action(request, order.pk, _("Too many relaunches: try again in a minute."), level=messages.ERROR,
                             status=429)
    relaunched = services.generation_relaunch(order_id=order.pk, expert=request.expert)
    if relaunched.last_error == QUEUE_UNAVAILABLE:
        return _after_action(request, order.pk, QUEUE_DELAYED, level=messages.ERROR)
    return _after_action(request, order.pk, _("Generation relaunched: a new try is on its way."))
