"""Permission checks the admin's third-party views lack.

dj-stripe's admin actions ("resync from Stripe", "sync all", "cancel subscription"…) are served by a view that
only checks that the user is staff. Lumira's experts are staff (they browse orders in the admin), so without
this guard any expert could make Lumira call Stripe on any object. Here only a user who may change that
Stripe model (the admins) runs them; everyone else gets 403.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from djstripe.admin.views import ConfirmCustomAction

_confirm_custom_action = ConfirmCustomAction.as_view()


def _guarded_custom_action(request: HttpRequest, admin_model: str, action_name: str, model_name: str) -> HttpResponse:
    if not request.user.has_perm(f"djstripe.change_{model_name.lower()}"):
        raise PermissionDenied(_("Action reserved for the administrators of Stripe objects."))
    return _confirm_custom_action(request, action_name=action_name, model_name=model_name)


# The admin's own wrapper first: signed-out users go to the admin login, non-staff likewise.
djstripe_custom_action = admin.site.admin_view(_guarded_custom_action)
