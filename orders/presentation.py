"""The catalogue as the storefront shows it: levels with their offers, tiers with what each changes.

Shared by the landing page and the order page (payments), so both say the same thing.
"""

from .models import LEVEL_DESCRIPTIONS, Level, Offer, Service

# What each level adds (SPEC §1), as the landing page's cards list it; each level includes the ones below.
LEVEL_FEATURES = {
    Level.SIMPLE: ["Votre profil astrologique et numérologique", "Votre lecture écrite, en ligne et en PDF"],
    Level.INTUITIVE: ["Un rituel personnalisé", "La version audio de votre lecture"],
    Level.ALCHIMIQUE: ["Votre mandala, dessiné d'après votre thème", "Une synthèse de votre lecture"],
    Level.INTEGRALE: ["La guidance : un plan d'accompagnement sur 30 jours"],
}
TIER_SUMMARIES = {
    Service.BASIC: "L'essentiel de votre lecture, clair et direct.",
    Service.PREMIUM: "Deux fois plus de matière : chaque partie est approfondie.",
    Service.VIP: "La lecture la plus complète, livrée en priorité.",
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
