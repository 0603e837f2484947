"""Per-level starting points for the expert's prompt and instructions (the desk pre-fills them)."""

from orders.models import Level, Order

_COMMON = (
    "Tu es un guide spirituel bienveillant. Rédige en français, au vouvoiement, une lecture personnalisée "
    "pour {first_name}, né(e) le {birth_date} à {birth_place} ({birth_time}).\n"
    "Question posée : {question}\n"
    "Objectif : {objective}\n"
)

PROMPT_TEMPLATES: dict[int, str] = {
    Level.SIMPLE: _COMMON + "Niveau Simple : donne l'archétype dominant et une lecture écrite claire et chaleureuse.",
    Level.INTUITIVE: _COMMON + (
        "Niveau Intuitive : donne l'archétype dominant, une lecture écrite approfondie et un rituel simple "
        "à pratiquer chez soi."
    ),
    Level.ALCHIMIQUE: _COMMON + (
        "Niveau Alchimique : archétype, lecture approfondie, rituel, mandala personnel et synthèse des "
        "énergies en présence."
    ),
    Level.INTEGRALE: _COMMON + (
        "Niveau Intégrale : archétype, lecture complète, rituel, mandala, synthèse et un plan de guidance "
        "sur 30 jours, semaine par semaine."
    ),
}

INSTRUCTION_TEMPLATES: dict[int, str] = {
    Level.SIMPLE: "Ton doux et concret. Environ {duration} minutes de lecture à voix haute.",
    Level.INTUITIVE: "Ton intuitif, images symboliques. Rituel réalisable en 15 minutes. Durée : {duration} minutes.",
    Level.ALCHIMIQUE: "Relier l'archétype, le mandala et la synthèse en un fil conducteur. Durée : {duration} minutes.",
    Level.INTEGRALE: "Guidance progressive, une action par semaine, sans promesse médicale. Durée : {duration} minutes.",
}


def _values(order: Order) -> dict[str, str]:
    return {
        "first_name": order.client_first_name or "la personne",
        "birth_date": order.birth_date.strftime("%d/%m/%Y") if order.birth_date else "date inconnue",
        "birth_time": order.birth_time or "heure inconnue",
        "birth_place": order.birth_place or "lieu inconnu",
        "question": order.question or "(aucune question précisée)",
        "objective": order.objective or "(aucun objectif précisé)",
        "duration": str(order.duration),
    }


def prompt_for(order: Order) -> str:
    """The saved prompt, or the level's template filled with the client's inputs."""
    return order.expert_prompt or PROMPT_TEMPLATES[order.level].format_map(_values(order))


def instructions_for(order: Order) -> str:
    return order.expert_instructions or INSTRUCTION_TEMPLATES[order.level].format_map(_values(order))
