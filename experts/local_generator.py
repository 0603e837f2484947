"""The built-in stand-in writer (GENERATION_BACKEND=local until `engine.composer` lands): a French reading in
the content schema of the order's level (engine/schema.py), at the tier's target length.

It takes the fields of `engine.composer.CompositionRequest` (see `experts.writers.local`). Deterministic for
one seed. On a revision it puts first the themes the expert's reason asks for, without ever quoting it.
"""

import hashlib
from datetime import date

from engine.schema import GUIDANCE_DAYS, MANDALA_SYMBOLS, target_words

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

THEMES = {
    "travail": ("Votre chemin professionnel", ("travail", "carrière", "carriere", "métier", "professionnel", "emploi")),
    "amour": ("Vos liens et votre cœur", ("amour", "couple", "relation", "cœur", "coeur", "sentiment")),
    "argent": ("Votre rapport à l'abondance", ("argent", "finance", "abondance", "matériel")),
    "sante": ("Votre énergie et votre corps", ("santé", "sante", "corps", "fatigue")),
    "famille": ("Votre famille et vos racines", ("famille", "parent", "enfant", "racine")),
    "spiritualite": ("Votre vie intérieure", ("spirituel", "âme", "sens", "intuition", "méditation")),
    "changement": ("Le changement qui s'annonce", ("changement", "transition", "déménagement", "nouveau départ")),
}
GENERAL_TITLES = (
    "Votre élan du moment", "Vos ressources intérieures", "Ce que votre thème éclaire", "Vos cycles et vos saisons",
    "L'équilibre à cultiver", "Vos talents à honorer", "Le pas suivant", "Votre rythme juste", "Vos alliés intérieurs",
)
SENTENCES = (
    "{archetype} vous rappelle que {meaning} fait déjà partie de vous.",
    "Dans le domaine « {theme} », cette énergie vous invite à avancer à votre rythme, sans vous comparer.",
    "Observez ce qui vous met en mouvement et ce qui vous freine : les deux ont quelque chose à vous apprendre.",
    "Votre sensibilité est une boussole ; elle mérite d'être écoutée avec la même attention que votre raison.",
    "Un petit geste tenu chaque jour vaut mieux qu'un grand projet remis à plus tard.",
    "Les périodes de doute sont aussi des périodes de tri : gardez ce qui vous nourrit, laissez le reste s'éloigner.",
    "Vous avez déjà traversé des passages délicats, et vous en avez gardé des forces que vous sous-estimez.",
    "Accordez-vous le droit d'essayer, de vous tromper et de recommencer : c'est ainsi que la confiance grandit.",
    "Entourez-vous de personnes qui vous encouragent, et osez demander l'aide dont vous avez besoin.",
    "Le calme que vous cherchez à l'extérieur se construit d'abord dans de courts moments de silence.",
    "Notez ce qui vous touche au fil des jours ; ces notes dessineront peu à peu votre direction.",
    "Votre intuition parle souvent doucement : un temps de marche ou d'écriture l'aide à se faire entendre.",
    "Ce thème ne fixe rien d'avance ; il éclaire des tendances, et vos choix restent les vôtres.",
    "Célébrez chaque progrès, même modeste : il nourrit l'élan des suivants.",
)
_PALETTES = (("#3c096c", "#ffd166", "#c77dff"), ("#240046", "#f4a261", "#e0aaff"), ("#5a189a", "#2ec4b6", "#ffbf69"))


def _number(seed: str) -> int:
    return int(hashlib.sha256(seed.encode()).hexdigest(), 16)


def _archetype(birth_date: date | None, seed: int) -> tuple[str, str]:
    if birth_date:
        total = sum(int(digit) for digit in birth_date.strftime("%d%m%Y"))
        while total > len(ARCHETYPES):
            total = sum(int(digit) for digit in str(total))
        return ARCHETYPES[total - 1]
    return ARCHETYPES[seed % len(ARCHETYPES)]


def _themes(*texts: str) -> list[str]:
    lowered = " ".join(texts).lower()
    return [key for key, (_, words) in THEMES.items() if any(word in lowered for word in words)]


def _sun_sign(chart: dict | None) -> str:
    for body in (chart or {}).get("bodies") or []:
        if body.get("key") == "sun":
            return body.get("sign", "")
    return ""


def _body(words: int, *, start: int, theme: str, archetype: str, meaning: str) -> str:
    sentences, count, index = [], 0, start
    while count < words:
        sentence = SENTENCES[index % len(SENTENCES)].format(theme=theme.lower(), archetype=archetype, meaning=meaning)
        sentences.append(sentence)
        count += len(sentence.split())
        index += 1
    return " ".join(sentences)


def compose_reading(fields: dict, *, birth_date: date | None = None) -> dict:
    """Content valid for the level's schema, about the tier's target length (SPEC §11)."""
    seed = _number(fields["seed"])
    level, first_name = fields["level"], fields["first_name"] or "vous"
    name, meaning = _archetype(birth_date, seed)
    sun = _sun_sign(fields.get("chart"))
    # A revision puts first what the reason and notes ask for; the first version follows the client's words.
    asked = _themes(fields.get("revision_reason", ""), fields.get("revision_notes", ""))
    themes = list(dict.fromkeys(asked + _themes(fields["question"], fields["objective"], fields["expert_prompt"])))
    words = target_words(fields["duration_minutes"])
    count = max(1, round(words / 250))
    titles = [THEMES[key][0] for key in themes] + [title for title in GENERAL_TITLES if title not in themes]
    titles = (titles * 2)[:count]
    per_section = max(40, (words - 80) // count)
    sun_line = f" Votre Soleil en {sun} colore cette lecture." if sun else ""
    intro = f"{first_name}, voici votre lecture. Votre archétype, {name}, évoque {meaning}.{sun_line}"
    if fields["question"]:
        intro += f" Vous vous demandez : « {fields['question']} ». Les pages qui suivent vous proposent des pistes."
    sections = [
        {"title": title, "body": _body(per_section, start=seed + index * 3, theme=title, archetype=name, meaning=meaning)}
        for index, title in enumerate(titles)
    ]
    closing = "Gardez de cette lecture ce qui vous parle, et laissez le reste mûrir : votre chemin vous appartient."
    if fields["objective"]:
        closing = f"Pour votre objectif, « {fields['objective']} », choisissez un premier pas simple. " + closing
    content: dict = {
        "title": f"{name} : la lecture de {first_name}",
        "archetype": {"name": name, "source": "arcane majeur issu de la date de naissance" if birth_date else "tirage"},
        "reading": {"intro": intro, "sections": sections, "closing": closing},
    }
    if level >= 2:
        content["ritual"] = {
            "title": "Rituel de la bougie et de l'intention",
            "moment": "un soir calme, de préférence à la nouvelle lune",
            "steps": [
                "Allumez une bougie blanche et respirez lentement pendant une minute.",
                f"Écrivez une phrase qui résume ce que {name} vous inspire.",
                "Relisez-la à voix haute, puis gardez le papier près de vous pendant sept jours.",
            ],
            "intention": f"Accueillir {meaning}.",
        }
        content["audioScript"] = " ".join([intro, *(section["body"] for section in sections[:2]), closing])
    if level >= 3:
        content["synthesis"] = (
            f"{name} relie votre lecture, votre rituel et votre mandala autour d'un même fil : {meaning}. "
            "Votre force est dans la constance plus que dans l'effort."
        )
        content["mandala"] = {
            "colors": list(_PALETTES[seed % len(_PALETTES)]),
            "symbols": [MANDALA_SYMBOLS[(seed + step * 5) % len(MANDALA_SYMBOLS)] for step in range(3)],
            "intention": f"Contempler {meaning}.",
        }
    if level >= 4:
        content["guidance"] = [
            {"day": day, "focus": titles[(day - 1) % len(titles)],
             "practice": SENTENCES[(seed + day) % len(SENTENCES)].format(
                 theme=titles[(day - 1) % len(titles)].lower(), archetype=name, meaning=meaning)}
            for day in range(1, GUIDANCE_DAYS + 1)
        ]
    return content
