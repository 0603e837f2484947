"""The catalogue as the storefront shows it: levels with their offers, tiers with what each changes.

Shared by the landing page and the order page (payments), so both say the same thing.
"""

from django.utils.translation import gettext_lazy as _

from .models import LEVEL_DESCRIPTIONS, Level, Offer, Service

# What each level adds (SPEC §1), as the landing page's cards list it; each level includes the ones below.
LEVEL_FEATURES = {
    Level.SIMPLE: [_("Your astrological and numerological profile"), _("Your written reading, online and as a PDF")],
    Level.INTUITIVE: [_("A personalised ritual"), _("The audio version of your reading")],
    Level.ALCHIMIQUE: [_("Your mandala, drawn from your chart"), _("A synthesis of your reading")],
    Level.INTEGRALE: [_("The guidance: a 30-day support plan")],
}
TIER_SUMMARIES = {
    Service.BASIC: _("The essentials of your reading, clear and direct."),
    Service.PREMIUM: _("Twice as much material: every part goes deeper."),
    Service.VIP: _("The fullest reading, delivered first."),
}


def catalogue_levels(offers: list[Offer]) -> list[dict]:
    """Levels in order, each with its active offers (cheapest first) and what it adds."""
    return [
        {
            "level": level,
            "description": LEVEL_DESCRIPTIONS[level],
            "features": LEVEL_FEATURES[level],
            "includes": Level(level.value - 1) if level.value > 1 else None,
            "offers": [offer for offer in offers if offer.level == level.value],
        }
        for level in Level
    ]


def catalogue_tiers(offers: list[Offer]) -> list[dict]:
    """Each tier that has an active offer: its length, words, delivery target and lowest price."""
    tiers = []
    for service in Service:
        of_tier = [offer for offer in offers if offer.service == service.value]
        if not of_tier:
            continue
        sample = of_tier[0]
        tiers.append({
            "service": service,
            "summary": TIER_SUMMARIES[service],
            "duration": sample.duration_minutes,
            "words": sample.target_words,
            "delivery_hours": sample.delivery_hours,
            "from_price": min(offer.price_cents for offer in of_tier),
        })
    return tiers
