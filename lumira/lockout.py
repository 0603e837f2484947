"""Sign-in lockout for password accounts (experts on the desk and the API, staff in the admin): django-axes.

After AXES_FAILURE_LIMIT failed sign-ins for one account (whatever the IP address) the account is locked for
AXES_COOLOFF_TIME, even with the right password. Failures are counted in PostgreSQL (axes' AccessAttempt
rows), so every web process sees the same count; staff see and clear them in the admin or with
`manage.py axes_reset_username EMAIL`. The per-IP throttle on the same views stays django-ratelimit's
(EXPERT_LOGIN_RATE). Clients sign in by magic link: those carry no username and are never counted here.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

LOCKED_MESSAGE = gettext_lazy(
    "Too many failed sign-in attempts: this account is locked for {minutes} minutes. "
    "Try again later, or ask an administrator to unlock it."
)


class LockoutBackend(AxesStandaloneBackend):
    """axes' backend, first in AUTHENTICATION_BACKENDS: refuses a locked account before the password is checked.

    A sign-in without a request (a management command, a test's `client.login`) is no web sign-in: nothing
    to lock out, so it is left to the other backends instead of raising.
    """

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def username_for(request: HttpRequest, credentials: dict | None) -> str | None:
    """The account an attempt is about: its email, normalised as the sign-in forms normalise it."""
    email = (credentials or {}).get("email") or (credentials or {}).get("username")
    return email.strip().lower() if isinstance(email, str) and email.strip() else None


def _minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """429 in French: the API's JSON error shape, or a page for the desk and the admin."""
    message = LOCKED_MESSAGE.format(minutes=_minutes())
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "locked_out", "message": message}}, status=429)
    return render(request, "lockout.html", {"message": message}, status=429)
