import base64

from django import template

from engine.schema import readable_content

register = template.Library()


@register.filter
def svg_data_uri(svg: str | None) -> str:
    """Show a generated SVG through <img>: an image cannot run scripts, inline SVG could."""
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


# What each OrderEvent.action means, for the history shown to experts.
EVENT_LABELS = {
    "created": "Commande créée",
    "payment_succeeded": "Paiement reçu",
    "payment_failed": "Paiement échoué",
    "payment_flagged": "Anomalie de paiement",
    "canceled": "Commande annulée",
    "assigned": "Commande attribuée",
    "generation_started": "Envoyée en génération",
    "content_received": "Contenu reçu",
    "generation_failed": "Échec de la génération",
    "generation_relaunched": "Génération relancée",
    "approved": "Approuvée et livrée",
    "rejected": "Rejetée : révision demandée",
    "refunded": "Remboursée",
    "content_edited": "Texte corrigé par l'expert",
    "personal_data_erased": "Données personnelles effacées (demande du client)",
}


@register.filter
def event_label(action: str) -> str:
    return EVENT_LABELS.get(action, action)


@register.filter
def readable(content) -> dict[str, str]:
    """A reading's content as text per part (engine.schema.readable_content)."""
    return readable_content(content)
