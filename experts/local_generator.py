"""The built-in generator (GENERATION_BACKEND=local): a French reading composed from the order's inputs.

It stands in for n8n in the demo and in tests, and its content reaches the order through the same service
as the n8n callback (`experts.generation.generation_deliver`). Deterministic for one order and revision.
"""

import hashlib
import math

from orders.models import Level, Order

# The 22 major arcana: the archetype a birth date reduces to (numerology of the date's digits).
ARCHETYPES = [
    ("Le Bateleur", "l'élan des commencements et le talent de faire avec ce que l'on a"),
    ("La Papesse", "la sagesse silencieuse et la connaissance intérieure"),
    ("L'Impératrice", "la créativité, la fécondité des idées et la parole juste"),
    ("L'Empereur", "la structure, la stabilité et la capacité à bâtir"),
    ("Le Pape", "la transmission, le conseil et la foi en un sens plus grand"),
    ("L'Amoureux", "le choix du cœur et l'harmonie des relations"),
    ("Le Chariot", "la volonté en mouvement et la victoire sur soi"),
    ("La Justice", "l'équilibre, la clarté et la juste mesure"),
    ("L'Ermite", "la recherche intérieure et la lumière qui guide pas à pas"),
    ("La Roue de Fortune", "les cycles, le changement et l'art de saisir l'instant"),
    ("La Force", "le courage doux et la maîtrise des instincts"),
    ("Le Pendu", "le lâcher-prise et le regard renouvelé"),
    ("L'Arcane sans nom", "la transformation profonde et le renouveau"),
    ("Tempérance", "la guérison, la patience et la circulation des énergies"),
    ("Le Diable", "la puissance du désir et la libération des attachements"),
    ("La Maison Dieu", "la révélation soudaine et l'ouverture"),
    ("L'Étoile", "l'espérance, la générosité et la confiance retrouvée"),
    ("La Lune", "l'intuition, les rêves et la sensibilité"),
    ("Le Soleil", "la joie, la chaleur et la réussite partagée"),
    ("Le Jugement", "l'appel intérieur et la renaissance"),
    ("Le Monde", "l'accomplissement et l'unité retrouvée"),
    ("Le Mat", "la liberté, l'aventure et la confiance dans le chemin"),
]

_OPENINGS = [
    "Votre chemin traverse en ce moment une saison d'écoute.",
    "Une énergie nouvelle se lève autour de vous.",
    "Ce moment de votre vie appelle à la fois la patience et l'audace.",
    "Les signes de votre thème parlent d'un passage, d'un seuil à franchir.",
]
_RITUALS = [
    "Chaque soir pendant sept jours, allumez une bougie blanche, écrivez une gratitude et gardez le papier sous la bougie.",
    "À la nouvelle lune, posez un verre d'eau près de votre fenêtre, formulez votre intention et buvez-le au réveil.",
    "Marchez vingt minutes en silence trois matins de suite, en portant votre attention sur votre souffle.",
]
_PALETTES = {
    Level.SIMPLE: ("#7b2cbf", "#e0aaff"),
    Level.INTUITIVE: ("#5a189a", "#c77dff"),
    Level.ALCHIMIQUE: ("#3c096c", "#ffd166"),
    Level.INTEGRALE: ("#240046", "#f4a261"),
}


def _archetype_index(order: Order) -> int:
    if order.birth_date:
        total = sum(int(digit) for digit in order.birth_date.strftime("%d%m%Y"))
        while total > len(ARCHETYPES):
            total = sum(int(digit) for digit in str(total))
        return total - 1
    return int(hashlib.sha256(order.client_name.encode()).hexdigest(), 16) % len(ARCHETYPES)


def _seed(order: Order) -> int:
    return int(hashlib.sha256(f"{order.pk}:{order.revision_count}".encode()).hexdigest(), 16)


def mandala_svg(*, petals: int, rings: int, colors: tuple[str, str]) -> str:
    """A symmetric mandala drawn from numbers only (no text from the order ends up in the SVG)."""
    stroke, fill = colors
    shapes = [f'<circle cx="100" cy="100" r="96" fill="none" stroke="{stroke}" stroke-width="2"/>']
    for ring in range(rings):
        radius = 80 - ring * 18
        for index in range(petals):
            angle = 2 * math.pi * index / petals + ring * math.pi / petals
            x = 100 + radius * math.cos(angle)
            y = 100 + radius * math.sin(angle)
            shapes.append(
                f'<ellipse cx="{x:.1f}" cy="{y:.1f}" rx="{6 + ring * 2}" ry="{12 - ring * 2}" '
                f'transform="rotate({math.degrees(angle) + 90:.1f} {x:.1f} {y:.1f})" '
                f'fill="{fill}" fill-opacity="0.7" stroke="{stroke}" stroke-width="1"/>'
            )
    shapes.append(f'<circle cx="100" cy="100" r="10" fill="{stroke}"/>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" role="img" aria-label="Mandala">'
        + "".join(shapes)
        + "</svg>"
    )


def compose_reading(order: Order) -> dict[str, str]:
    """The six parts of a reading; the parts above the order's level stay empty."""
    name, meaning = ARCHETYPES[_archetype_index(order)]
    seed = _seed(order)
    first_name = order.client_first_name or "vous"
    place = f" à {order.birth_place}" if order.birth_place else ""
    question = (order.question or "").strip()
    objective = (order.objective or "").strip()

    opening = _OPENINGS[seed % len(_OPENINGS)]
    paragraphs = [f"{first_name}, {opening[0].lower()}{opening[1:]} Votre archétype, {name}, évoque {meaning}."]
    if place:
        paragraphs.append(
            f"Né(e){place}, vous portez cette énergie depuis toujours ; elle se manifeste aujourd'hui avec plus de netteté."
        )
    else:
        paragraphs.append("Vous portez cette énergie depuis toujours ; elle se manifeste aujourd'hui avec plus de netteté.")
    if question:
        paragraphs.append(
            f"À votre question « {question} », les cartes répondent par l'image de {name} : "
            "avancez avec confiance, en accordant vos actes à ce que vous ressentez profondément."
        )
    if objective:
        paragraphs.append(f"Pour votre objectif, « {objective} », choisissez un premier pas simple et tenez-le sept jours.")
    if order.revision_count:
        focus = order.rejection_reason.strip() or "une lecture plus précise"
        paragraphs.append(
            f"Approfondissement (version {order.revision_count + 1}) : cette lecture a été reprise pour répondre à "
            f"ce point : {focus}."
        )
    content = {
        "archetype": name,
        "reading": "\n\n".join(paragraphs),
        "ritual": "",
        "mandalaSvg": "",
        "synthesis": "",
        "guidance": "",
    }
    if order.level >= Level.INTUITIVE:
        content["ritual"] = _RITUALS[seed % len(_RITUALS)]
    if order.level >= Level.ALCHIMIQUE:
        content["mandalaSvg"] = mandala_svg(
            petals=6 + seed % 7, rings=2 + seed % 3, colors=_PALETTES[Level(order.level)]
        )
        content["synthesis"] = (
            f"{name} vous invite à unir {meaning.split(' et ')[0]} et l'action : "
            "votre force est dans la constance plus que dans l'effort."
        )
    if order.level >= Level.INTEGRALE:
        content["guidance"] = "\n".join([
            "Semaine 1 : observer. Notez chaque soir un signe ou une synchronicité.",
            f"Semaine 2 : choisir. Décidez d'une intention liée à {name}.",
            "Semaine 3 : agir. Un petit geste quotidien vers votre objectif.",
            "Semaine 4 : intégrer. Relisez vos notes et célébrez le chemin parcouru.",
        ])
    return content
