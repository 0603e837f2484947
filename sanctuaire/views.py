from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited
from sesame import settings as sesame_settings

from accounts.models import PhotoKind
from lumira.ranged import ranged_file_response
from lumira.view_cache import cached_page
from orders.levels import SECTIONS_BY_KEY
from orders.models import Order

from . import notices, selectors, services
from .access import client_entitlements
from .audio import audio_content_type, audio_open
from .caching import client_generation
from .deliverables import reading_parts, svg_data_uri
from .direct_entry import direct_entry_login
from .forms import MagicLinkRequestForm, ProfileForm
from .pdf import reading_pdf as build_reading_pdf
from .photos import photo_content_type, photo_max_size_label, photo_open


def client_required(view):
    """The Sanctuaire is the clients' space: signed out → the login page; staff and experts (signed in with
    their password for the desk or the admin) → 403, as they never get a magic link either."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if request.user.is_staff:
            raise PermissionDenied(_("The Sanctuary is for clients only."))
        return view(request, *args, **kwargs)

    return wrapped


# A magic link's token between the link's first GET and the click that spends it (never in a URL after that).
MAGIC_LINK_SESSION_KEY = "lumira_magic_link_token"
ENTRY_AWAITING_PAYMENT = gettext_lazy(
    "Enter your e-mail address: we send you a sign-in link as soon as your payment is confirmed."
)
ENTRY_NEEDS_LINK = gettext_lazy(
    "To protect your Sanctuary, direct access from the order page is possible only once, right after the "
    "payment that created your account. Ask for a sign-in link here: it is sent to you by e-mail."
)


def _link_requests_limited(request, email: str | None) -> bool:
    """Counts every request per IP, and valid ones per address too (django-ratelimit, shared cache)."""
    limited = is_ratelimited(
        request, group="sanctuaire-link-ip", key="ip", rate=settings.SANCTUAIRE_LINK_RATE_PER_IP, increment=True
    )
    if email is not None:
        limited = is_ratelimited(
            request, group="sanctuaire-link-email", key=lambda _group, _request: email,
            rate=settings.SANCTUAIRE_LINK_RATE_PER_EMAIL, increment=True,
        ) or limited
    return limited


@never_cache
@require_http_methods(["GET", "POST"])
def login_request(request):
    """Ask for a magic link. The answer is the same whether an account exists for the address or not."""
    if request.user.is_authenticated and not request.user.is_staff:
        return redirect("sanctuaire:home")
    form = MagicLinkRequestForm(request.POST or None)
    if request.method == "POST":
        valid = form.is_valid()
        if _link_requests_limited(request, form.cleaned_data["email"].lower() if valid else None):
            form.add_error(None, _("Too many link requests. Wait a moment before trying again."))
            return render(request, "sanctuaire/login.html", {"form": form}, status=429)
        if valid:
            services.magic_link_request(email=form.cleaned_data["email"])
            return redirect("sanctuaire:link_sent")
    return render(request, "sanctuaire/login.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def link_sent(request):
    notice = notices.link_sent(minutes=int(settings.SESAME_MAX_AGE // 60))
    return render(request, "sanctuaire/notice.html", {"notice": notice})


def _referrer_policy(response: HttpResponse, policy: str) -> HttpResponse:
    response["Referrer-Policy"] = policy
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def magic_link(request):
    """GET checks the link and asks for one click; POST signs in and spends the link.

    Mail scanners open links by GET: spending the one-time link only on POST keeps it for the client.
    The link's URL (…?sesame=<token>) only ever answers a redirect, with no Referer, to the same page without
    its query (the token waits in the session): no later request line, access log or Referer repeats it. The
    page behind it keeps Referers on this site (`same-origin`: a `no-referrer` page makes browsers send
    `Origin: null` with its form, which the CSRF check rightly refuses).
    """
    if request.method == "POST":
        token = request.POST.get("token") or request.session.pop(MAGIC_LINK_SESSION_KEY, None)
        user = services.magic_link_consume(token=token, request=request)
        if user is not None:
            return redirect("sanctuaire:home")
    else:
        link_token = request.GET.get(sesame_settings.TOKEN_NAME)
        if link_token is not None:
            request.session[MAGIC_LINK_SESSION_KEY] = link_token[:512]
            return _referrer_policy(redirect("sanctuaire:magic_link"), "no-referrer")
        token = request.session.get(MAGIC_LINK_SESSION_KEY)
        user = authenticate(request, sesame=token) if token else None  # checks the link without spending it
        if user is not None:
            page = render(request, "sanctuaire/link_confirm.html", {"link_user": user})
            return _referrer_policy(page, "same-origin")
    return _link_invalid_page(request)


def _link_invalid_page(request) -> HttpResponse:
    """The link is unknown, expired or spent: say so and offer to send a new one."""
    context = {"notice": notices.link_invalid(), "form": MagicLinkRequestForm()}
    page = render(request, "sanctuaire/notice.html", context, status=400)
    return _referrer_policy(page, "same-origin")


@never_cache
@require_GET
def enter_from_order(request, order_id):
    """The browser that just paid enters without waiting for the email, under the rules of direct_entry.py;
    everyone else is sent to ask for a magic link, with a message that says so."""
    user = request.user
    if user.is_authenticated and not user.is_staff and Order.objects.for_client(user).filter(pk=order_id).exists():
        return redirect("sanctuaire:home")  # already inside: nothing to open
    entry = direct_entry_login(request, order_id)
    if entry.user is None:
        messages.info(request, ENTRY_AWAITING_PAYMENT if entry.awaiting_payment else ENTRY_NEEDS_LINK)
        return redirect("sanctuaire:login")
    services.profile_apply_to_orders(user=entry.user)
    return redirect("sanctuaire:home")


class _ProfileIncomplete(Exception):
    pass


@never_cache
@client_required
@require_GET
def home(request):
    user = request.user

    def build(csrf_token: str) -> str:
        # Checked when the page is built: a cached page was built for a complete profile, and any profile
        # save retires it (sanctuaire/caching.py), so a page served from the cache needs no check.
        if not selectors.profile_is_complete(user):
            raise _ProfileIncomplete
        context = {**selectors.dashboard(user), "entitlements": client_entitlements(user), "nav": "home"}
        return render_to_string("sanctuaire/dashboard.html", {**context, "csrf_token": csrf_token}, request)

    # The page shows the client's first name besides their orders (a rename rebuilds it).
    parts = (user.pk, user.first_name)
    try:
        return cached_page(request, "sanctuaire-dashboard", parts, depends_on=[client_generation(user.pk)], build=build)
    except _ProfileIncomplete:
        messages.info(request, _("Start by completing your profile: it is used to prepare your reading."))
        return redirect("sanctuaire:profile")


@never_cache
@client_required
@require_http_methods(["GET", "POST"])
def profile(request):
    current = selectors.profile_for(request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, profile=current)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            user=request.user, data=form.profile_data, photos=form.photos, remove_photos=form.photos_to_remove
        )
        messages.success(request, _("Your profile is saved."))
        return redirect("sanctuaire:home")
    context = {
        "form": form, "profile": current, "photo_fields": form.photo_fields(), "nav": "profile",
        "waiting_orders": selectors.orders_waiting_for_intake(request.user),
        "max_photo_size": photo_max_size_label(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "sanctuaire/profile.html", context, status=status)


@never_cache
@client_required
@require_GET
def order_detail(request, order_id):
    order = selectors.client_orders(request.user).filter(pk=order_id).first()
    if order is None:
        raise Http404("Commande introuvable.")
    return render(
        request, "sanctuaire/order_detail.html", {"order": order, "timeline": selectors.order_timeline(order)}
    )


# The reading page's parts under the text, in page order, each shown if the client's level unlocks it and
# offered as an upgrade otherwise. Audio has no part here: its player sits in the page header.
READING_PARTS = (
    ("ritual", "sanctuaire/includes/reading_ritual.html"),
    ("audio", ""),
    ("synthesis", "sanctuaire/includes/reading_synthesis.html"),
    ("chart", "sanctuaire/includes/reading_chart.html"),
    ("mandala", "sanctuaire/includes/reading_mandala.html"),
    ("guidance", "sanctuaire/includes/reading_guidance.html"),
)


@never_cache
@client_required
@require_GET
def reading_detail(request, order_id):
    order = selectors.client_reading_get(request.user, order_id)
    entitlements = client_entitlements(request.user)
    parts = reading_parts(order.generated_content, entitlements=entitlements, chart=getattr(order, "chart", None))
    audio_ready = entitlements.unlocks("audio") and bool(order.audio_name)
    context = {
        "order": order,
        "entitlements": entitlements,
        "parts": parts,
        "mandala_uri": svg_data_uri(parts.mandala_svg),
        "wheel_uri": svg_data_uri(parts.wheel_svg),
        "audio_url": reverse("sanctuaire:reading_audio", args=[order.pk]) if audio_ready else "",
        # A reading with an audio part whose file is not rendered yet says so rather than showing nothing.
        "audio_pending": entitlements.unlocks("audio") and order.level >= services.AUDIO_MIN_LEVEL and not audio_ready,
        "gated_parts": [(SECTIONS_BY_KEY[key], entitlements.unlocks(key), part) for key, part in READING_PARTS],
    }
    return render(request, "sanctuaire/reading_detail.html", context)


@client_required  # "private, no-store" is set below (never_cache would add headers players do not need)
@require_GET
def reading_audio(request, order_id):
    """The reading read aloud, to its owner only (anyone else: 404), with byte ranges so players can seek."""
    order = selectors.client_reading_get(request.user, order_id)
    if not order.audio_name or not client_entitlements(request.user).unlocks("audio"):
        raise Http404("Audio introuvable.")
    try:
        handle = audio_open(order.audio_name)
        size = handle.size
    except FileNotFoundError as exc:
        raise Http404("Audio introuvable.") from exc
    response = ranged_file_response(request, handle, size=size, content_type=audio_content_type(order.audio_name))
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@client_required
@require_GET
def reading_pdf(request, order_id):
    order = selectors.client_reading_get(request.user, order_id)
    return pdf_response(order, request.user)


def pdf_response(order: Order, user) -> HttpResponse:
    data = build_reading_pdf(
        order=order, entitlements=client_entitlements(user), client_name=user.display_name,
        first_name=user.first_name or order.client_first_name,
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="lecture-lumira-{order.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required  # not client_required: the expert assigned to the client's order sees the photo too
@require_GET
def photo(request, profile_id, kind):
    if kind not in PhotoKind.values:
        raise Http404("Photo introuvable.")
    _, name = selectors.profile_photo_get(request.user, profile_id, kind)
    try:
        handle = photo_open(name)
    except FileNotFoundError as exc:
        raise Http404("Photo introuvable.") from exc
    response = FileResponse(handle, content_type=photo_content_type(name))
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
