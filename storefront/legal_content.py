"""The first version of the legal pages, seeded by a data migration (and by the tests' fixtures).

Staff edit them afterwards in admin ("Pages légales"); seeding never overwrites an edited page.
The bodies live in storefront/legal_texts/<slug>.txt, in storefront/markup.py's light markup;
[[LEGAL_…]] values come from the settings of each deployment.
"""

from pathlib import Path

TEXTS = Path(__file__).resolve().parent / "legal_texts"

LEGAL_PAGES = [
    {
        "slug": "cgv",
        "title": "Conditions générales de vente",
        "description": (
            "Les conditions de vente des lectures spirituelles Lumira : commande, prix, paiement, délais de "
            "livraison, droit de rétractation et réclamations."
        ),
    },
    {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "description": (
            "Éditeur, directeur de la publication, hébergeur et contact du site Lumira."
        ),
    },
    {
        "slug": "confidentialite",
        "title": "Politique de confidentialité",
        "description": (
            "Quelles données personnelles Lumira traite, pourquoi, combien de temps, et comment exercer vos droits."
        ),
    },
    {
        "slug": "droit-de-retractation",
        "title": "Droit de rétractation",
        "description": (
            "Pourquoi le droit de rétractation ne s'applique plus une fois votre lecture numérique livrée, "
            "et ce que vous acceptez en cochant la case au paiement."
        ),
    },
]


def legal_page_body(slug: str) -> str:
    return (TEXTS / f"{slug}.txt").read_text(encoding="utf-8")


def seed_legal_pages(page_model) -> int:
    """Create the missing legal pages (existing ones, maybe edited by staff, are left alone)."""
    created = 0
    for data in LEGAL_PAGES:
        _, was_created = page_model.objects.get_or_create(
            slug=data["slug"], defaults={**data, "body": legal_page_body(data["slug"])}
        )
        created += was_created
    return created
