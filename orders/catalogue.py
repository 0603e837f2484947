"""The default catalogue (SPEC §1), seeded by a data migration and by the test fixtures."""

LEVEL_NAMES = {1: "Simple", 2: "Intuitive", 3: "Alchimique", 4: "Intégrale"}
SERVICE_TIERS = {
    # service: (duration in minutes, price in cents for levels 1..4)
    "basic": (30, (2700, 4700, 6700, 9700)),
    "premium": (60, (5900, 7900, 9900, 12900)),
    "vip": (90, (10900, 12900, 14900, 17900)),
}
SERVICE_NAMES = {"basic": "Basic", "premium": "Premium", "vip": "VIP"}
# The language readings are written in: asked of the generator (n8n payload), and the reading PDF's labels.
READING_LANGUAGE = "fr"


def default_offers() -> list[dict]:
    return [
        {
            "level": level,
            "service": service,
            "name": f"{LEVEL_NAMES[level]} {SERVICE_NAMES[service]}",
            "price_cents": prices[level - 1],
            "currency": "eur",
            "duration_minutes": duration,
            "is_active": True,
        }
        for level in LEVEL_NAMES
        for service, (duration, prices) in SERVICE_TIERS.items()
    ]


def seed_offers(offer_model) -> int:
    """Create the missing default offers (existing ones, maybe edited by staff, are left alone)."""
    created = 0
    for data in default_offers():
        _, was_created = offer_model.objects.get_or_create(
            level=data["level"], service=data["service"], defaults=data
        )
        created += was_created
    return created
