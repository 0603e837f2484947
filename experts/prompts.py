"""Per-level starting points for the expert's directive and instructions (the desk pre-fills them).

The directive steers the writer (themes, tone, emphasis). It holds no personal data: the client's first
name, chart and intake travel in the generation request's user message (`experts.generation_request`).
"""

from orders.models import Level, Order

_COMMON = (
    "Partez de la question et de l'objectif de la personne, et reliez chaque section aux positions du thème. "
    "Mettez en avant ses ressources et des pistes concrètes, avec douceur.\n"
)

PROMPT_TEMPLATES: dict[int, str] = {
    Level.SIMPLE: _COMMON + "Niveau Simple : l'archétype dominant et une lecture écrite claire et chaleureuse.",
    Level.INTUITIVE: _COMMON + (
        "Niveau Intuitive : l'archétype dominant, une lecture approfondie et un rituel simple à pratiquer chez soi."
    ),
    Level.ALCHIMIQUE: _COMMON + (
        "Niveau Alchimique : archétype, lecture approfondie, rituel, mandala personnel et synthèse des forces "
        "en présence."
    ),
    Level.INTEGRALE: _COMMON + (
        "Niveau Intégrale : archétype, lecture complète, rituel, mandala, synthèse et une guidance sur 30 jours, "
        "progressive semaine après semaine."
    ),
}

INSTRUCTION_TEMPLATES: dict[int, str] = {
    Level.SIMPLE: "Ton doux et concret. Environ {duration} minutes de lecture à voix haute.",
    Level.INTUITIVE: "Ton intuitif, images symboliques. Rituel réalisable en 15 minutes. Durée : {duration} minutes.",
    Level.ALCHIMIQUE: "Relier l'archétype, le mandala et la synthèse en un fil conducteur. Durée : {duration} minutes.",
    Level.INTEGRALE: "Guidance progressive, une action par semaine, sans promesse médicale. Durée : {duration} minutes.",
}


def prompt_for(order: Order) -> str:
    """The saved directive, or the level's template."""
    return order.expert_prompt or PROMPT_TEMPLATES[order.level]


def instructions_for(order: Order) -> str:
    return order.expert_instructions or INSTRUCTION_TEMPLATES[order.level].format(duration=order.duration)
