"""Legal and reassurance pages, the experts' profiles and the contact form."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from accounts.models import Expert

from .forms import ContactForm
from .markup import render_legal_markup
from .models import LegalPage
from .services import contact_message_create

# The head of each page (templates/page.html): its title and its description for search engines.
EXPERTS_PAGE = {"title": gettext_lazy("Our experts"), "description": gettext_lazy(
    "The Lumira experts who prepare, review and approve every reading: their specialties and their rating.")}
CONTACT_PAGE = {"title": gettext_lazy("Contact"), "description": gettext_lazy(
    "Write to the Lumira team: a question about an order, a reading, a refund or your personal data. "
    "Answer within two working days.")}


@require_GET
def legal_page(request, slug: str):
    page = get_object_or_404(LegalPage, slug=slug)
    return render(request, "storefront/legal_page.html", {"page": page, "body": render_legal_markup(page.body)})


@require_GET
def experts_page(request):
    experts = Expert.objects.active().only("name", "specialties", "rating")
    return render(request, "storefront/experts.html", {"page": EXPERTS_PAGE, "experts": experts})


def _contact_page(request, form: ContactForm, status: int = 200):
    context = {"page": CONTACT_PAGE, "form": form, "contact_email": settings.LEGAL_CONTACT_EMAIL}
    return render(request, "storefront/contact.html", context, status=status)


@require_http_methods(["GET", "POST"])
def contact(request):
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if is_ratelimited(request, group="storefront:contact", key="ip", rate=settings.CONTACT_RATE, increment=True):
            form.add_error(None, _("You have sent many messages in a short time: try again in an hour."))
            return _contact_page(request, form, status=429)
        if form.is_valid():
            if not form.is_bot():  # a bot is thanked like anyone, and nothing is sent
                data = form.cleaned_data
                contact_message_create(
                    name=data["name"], email=data["email"], subject=data["subject"], message=data["message"]
                )
            messages.success(request, _("Thank you, your message is on its way. We answer within two working days."))
            return redirect("storefront:contact")
    return _contact_page(request, form, status=400 if form.errors else 200)
