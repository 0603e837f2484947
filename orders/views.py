from django.shortcuts import render
from django.urls import reverse

from accounts.models import Expert

from .models import Offer
from .presentation import catalogue_levels, catalogue_tiers


def landing(request):
    offers = list(Offer.objects.active())
    context = {
        "levels": catalogue_levels(offers),
        "tiers": catalogue_tiers(offers),
        "experts": list(Expert.objects.active().only("name", "specialties", "rating")[:6]),
        "order_url": reverse("payments:order"),
        "lowest_price": min((offer.price_cents for offer in offers), default=None),
    }
    return render(request, "orders/landing.html", context)
