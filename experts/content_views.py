"""The desk's correction of a reading before approval, and the approval's confirmation step.

Both are plain pages with plain forms (no JavaScript needed): "Corriger le texte" opens the correction
form, "Approuver et livrer" opens what the client will receive with the button that delivers it.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from orders.content_fields import content_fields
from orders.models import OrderStatus
from orders.services import InvalidContent, OrderServiceError, holds

from . import selectors, services
from .auth import expert_required
from .forms import ContentEditForm, ValidationForm


def _reviewable(request: HttpRequest, order_id):
    """The order if this expert may review it now; otherwise None after flashing why."""
    order = selectors.order_for_expert(expert=request.expert, order_id=order_id)
    if not holds(order, request.expert):
        messages.error(request, _("This order is taken by another expert."))
        return None
    if order.status != OrderStatus.AWAITING_VALIDATION:
        messages.error(request, _("Order %(number)s is not awaiting validation.") % {"number": order.number})
        return None
    return order


@require_http_methods(["GET", "POST"])
@expert_required
def content_edit(request: HttpRequest, order_id) -> HttpResponse:
    order = _reviewable(request, order_id)
    if order is None:
        return redirect("experts:order", order_id=order_id)
    form = ContentEditForm(request.POST or None, content=order.generated_content or {},
                           initial={"revision": order.revision_count})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.content_edit(
                order_id=order.pk, expert=request.expert, content=form.edited_content(),
                base_revision=form.cleaned_data["revision"],
            )
        except InvalidContent as error:
            form.add_error(None, error.message)
        except OrderServiceError as error:
            messages.error(request, error.message)
            return redirect("experts:order", order_id=order.pk)
        else:
            messages.success(request, _("Correction saved: a new version, in your name.")
                             if result.changed else _("No change: the version stays the same."))
            return redirect("experts:order", order_id=order.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "experts/content_edit.html", {"order": order, "form": form}, status=status)


@require_GET
@expert_required
def approve_confirm(request: HttpRequest, order_id) -> HttpResponse:
    """What the client will receive (the current version) and the button that delivers it."""
    order = _reviewable(request, order_id)
    if order is None:
        return redirect("experts:order", order_id=order_id)
    versions = list(order.versions.all())  # prefetched
    fields = [field for field in content_fields(order.generated_content) if field.value.strip()]
    context = {"order": order, "fields": fields, "validation_form": ValidationForm(),
               "current_version": versions[-1] if versions else None}
    return render(request, "experts/approve_confirm.html", context)
