from django.shortcuts import render
from django.urls import reverse

from .models import LEVEL_DESCRIPTIONS, Level, Offer


def landing(request):
    offers = list(Offer.objects.active())
    levels = [
        {
            "level": level,
            "description": LEVEL_DESCRIPTIONS[level],
            "offers": [offer for offer in offers if offer.level == level.value],
        }
        for level in Level
    ]
    return render(request, "orders/landing.html", {"levels": levels, "order_url": reverse("payments:order")})
