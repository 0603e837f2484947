"""Who may use the desk and the expert API.

- A deactivated expert (Expert.is_active off, or their user inactive) is refused everywhere, including
  with a JWT issued or a session opened before the deactivation: 401 on the API, back to the login on
  the desk.
- Anyone else with a valid token or session (a client of the Sanctuaire, staff without an Expert row)
  is authenticated but not allowed: 403.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings

INACTIVE_MESSAGE = _("This expert account is disabled.")
EXPERTS_ONLY = _("For Lumira experts only.")
# The backend a desk session is opened with (experts.views.login_view).
DESK_SESSION_BACKEND = "experts.auth.ExpertSessionBackend"


class ExpertSessionBackend(ModelBackend):
    """Loads a desk session's user together with their Expert row (one query instead of two per page).

    It authenticates nobody (the desk checks passwords with ModelBackend); the desk login names it for
    the session, so each later request finds `request.user.expert` already loaded. Whether the expert may
    still work is checked on every request all the same (`expert_required`).
    """

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("expert").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ExpertJWTAuthentication(JWTAuthentication):
    """simplejwt's authentication, loading the user with their Expert row (one query) and refusing a
    deactivated expert on every request, whatever the token's age."""

    def get_user(self, validated_token):
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError as error:
            raise InvalidToken(_("The token names no user.")) from error
        user = (
            get_user_model().objects.select_related("expert")
            .filter(**{api_settings.USER_ID_FIELD: user_id})
            .first()
        )
        if user is None:
            raise AuthenticationFailed(_("User not found."), code="user_not_found")
        if not user.is_active:
            raise AuthenticationFailed(INACTIVE_MESSAGE, code="user_inactive")
        expert = getattr(user, "expert", None)
        if expert is not None and not expert.is_active:
            raise AuthenticationFailed(INACTIVE_MESSAGE, code="expert_inactive")
        return user


class IsActiveExpert(BasePermission):
    message = EXPERTS_ONLY

    def has_permission(self, request, view) -> bool:
        expert = getattr(request.user, "expert", None) if request.user.is_authenticated else None
        if expert is None or not expert.can_sign_in:
            return False
        request.expert = expert
        return True


def expert_required(view):
    """Desk views: a signed-in, active expert, available as `request.expert`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("experts:login"))
        expert = getattr(request.user, "expert", None)
        if expert is None:
            raise PermissionDenied(EXPERTS_ONLY)
        if not expert.can_sign_in:
            logout(request)
            messages.error(request, INACTIVE_MESSAGE)
            return redirect("experts:login")
        request.expert = expert
        return view(request, *args, **kwargs)

    return wrapped
