from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import Expert
from lumira.view_cache import cached_page

from .caching import CATALOGUE_GENERATION
from .models import Offer
from .presentation import catalogue_levels, catalogue_tiers


def landing(request):
    def build(csrf_token: str) -> str:
        offers = list(Offer.objects.active())
        context = {
            "levels": catalogue_levels(offers),
            "tiers": catalogue_tiers(offers),
            "experts": list(Expert.objects.active().only("name", "specialties", "rating")[:6]),
            "order_url": reverse("payments:order"),
            "lowest_price": min((offer.price_cents for offer in offers), default=None),
            "csrf_token": csrf_token,
        }
        return render_to_string("orders/landing.html", context, request)

    if request.GET:  # built for itself: each made-up query string would otherwise store a copy of the page
        return HttpResponse(build(get_token(request)))
    # The same page for every visitor (the URL, language and static files are part of the key).
    return cached_page(request, "landing", (), depends_on=[CATALOGUE_GENERATION], build=build)
