"""The written reading: sections built from the chart, ordered by theme, fitted to the tier's length.

Each candidate section has a core paragraph (always kept when the section is) and optional paragraphs; the fit keeps
the most important sections for the tier, then adds optional paragraphs round by round (theme sections first and
faster) until the reading reaches its target, never overshooting it by more than ~15 %.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.composer.chartfacts import ChartFacts
from engine.composer.library import THEMES, Picker, capitalize, fill, frames, french_degree, of_element, texts, to_name, words
from engine.composer.plan import Plan

_OVERSHOOT = 1.12  # a paragraph is added only while the reading stays under target × this
_PERSONAL = ("mercury", "venus", "mars")
_SPARE_THEMES = ("amour", "travail", "famille")
_HOUSE_ORDER = ("sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn")


@dataclass
class Section:
    """Paragraphs as (label, text); the label (e.g. "planet:mars", "sun:travail") keeps a text from appearing twice."""

    key: str
    title: str
    paragraphs: list[tuple[str, str]]
    boost: int = 1  # optional paragraphs added per round (theme sections grow faster)
    core_size: int = 1  # leading paragraphs kept whenever the section is
    titled: bool = False  # the title names the planets actually kept
    signs: dict[str, str] = field(default_factory=dict)  # planet → sign name, for a one-planet title
    included: list[int] = field(default_factory=list)

    def body_parts(self) -> list[str]:
        return [self.paragraphs[index][1] for index in sorted(self.included)]

    def labels(self) -> list[str]:
        return [self.paragraphs[index][0] for index in sorted(self.included)]

    def words(self) -> int:
        return sum(words(part) for part in self.body_parts())

    def final_title(self) -> str:
        if not self.titled:
            return self.title
        planets = [label.split(":", 1)[1] for label in self.labels() if label.startswith("planet:")]
        if len(planets) == 1:
            return frames()["section_titles"]["planet"].format(
                planet=planet_name(planets[0]), sign=self.signs.get(planets[0], ""), function=planet_function(planets[0]))
        return planets_title(planets)


def planet_name(key: str) -> str:
    return texts("planets")["functions"][key]["name"]


def planet_article(key: str) -> str:
    return texts("planets")["functions"][key]["article_name"]


def planet_function(key: str) -> str:
    return texts("planets")["functions"][key]["function"]


def ruler_name(key: str) -> str:
    return frames()["ruler_names"].get(key, planet_name(key))


class ReadingBuilder:
    def __init__(self, facts: ChartFacts, plan: Plan, picker: Picker, first_name: str):
        self.facts, self.plan, self.pick, self.first_name = facts, plan, picker, first_name
        self.frames = frames()
        self.element = facts.dominant_element()
        self._turns: dict[str, int] = {}

    def _next(self, key: str) -> str:
        """The frames' variants for `key` in turn (seed-shuffled), so that no linking sentence comes twice in a row."""
        options = self.pick.order(key, self.frames[key])
        turn = self._turns.get(key, 0)
        self._turns[key] = turn + 1
        return options[turn % len(options)]

    # ---- positions, in words -------------------------------------------------------------------------------------
    def _sign_words(self, slug: str, degree: float | None = None) -> dict:
        info = texts("signs")[slug]
        return {
            "sign": info["name"],
            "degree": french_degree(degree) if degree is not None else "",
            "element": of_element(info["element"]),
            "element_noun": self.frames["element_nouns"][info["element"]],
            "modality": self.frames["modality_adjectives"][info["modality"]],
            "ruler": ruler_name(info["ruler"]),
        }

    def _house_paragraph(self, key: str) -> str | None:
        body = self.facts.body(key)
        if body is None or body.house is None:
            return None
        return capitalize(self._fill(texts("houses")[str(body.house)]["text"], astre=planet_article(key)))

    def _planet_paragraph(self, key: str) -> str | None:
        body = self.facts.body(key)
        if body is None or body.sign not in texts("planets").get(key, {}):
            return None
        text = self._fill(texts("planets")[key][body.sign])  # the text names the planet and its sign
        if body.retrograde:
            text += " " + self.frames["retrograde"].format(planet=planet_name(key))
        return text

    def _fill(self, text: str, **values: str) -> str:
        return fill(text, prenom=self.first_name, **values)

    # ---- sections ------------------------------------------------------------------------------------------------
    def theme_section(self, theme: str, rank: int) -> Section:
        data = texts("themes")[theme]
        topic = self.frames["topics"][theme]
        lead = self._next("theme_leads" if rank == 0 else "theme_leads_later").format(topic=topic)
        element = self._theme_element(theme)
        paragraphs = [(f"theme:{theme}", f"{capitalize(lead)} {self._fill(data['by_element'][element])}")]
        sun, moon = self.facts.body("sun"), self.facts.body("moon")
        sun_part = self.frames["theme_sun_parts"].get(theme)
        if sun and sun_part:
            paragraphs.append((f"sun:{sun_part}", self._fill(texts("sun")[sun.sign][sun_part])))
        moon_part = self.frames["theme_moon_parts"].get(theme)
        if moon and moon_part:
            paragraphs.append((f"moon:{moon_part}", self._fill(texts("moon")[moon.sign][moon_part])))
        for key in self.frames["theme_planets"][theme]:
            paragraph = self._planet_paragraph(key)
            if paragraph:
                bridge = self._next("theme_planet_bridges")
                paragraphs.append((f"planet:{key}", f"{capitalize(bridge.format(planet=planet_article(key)))} {paragraph}"))
        house = self.frames["theme_houses"][theme]
        for key in _HOUSE_ORDER:
            body = self.facts.body(key)
            if body and body.house == house:
                paragraphs.append((f"house:{house}", self._house_paragraph(key)))
                break
        second = next(e for e in self.facts.elements_by_weight() if e != element)
        bridge = self._next("second_element_bridges").format(element=self.frames["element_to"][second])
        paragraphs.append((f"theme:{theme}:second", f"{bridge} {self._fill(data['by_element'][second])}"))
        if theme in self.plan.concrete_themes or not self.facts.bodies:
            concrete = (f"concrete:{theme}", " ".join(self.frames["concrete"][theme]))
            paragraphs = [paragraphs[0], concrete, *paragraphs[1:]]
        # The leading theme is the longest section at every tier; one a revision asked for comes whole.
        section = Section(f"theme:{theme}", data["section_title"], paragraphs, boost=2, core_size=2 if rank == 0 else 1)
        if theme in self.plan.full_themes:
            section.core_size, section.boost = 3, 3
        return section

    def _theme_element(self, theme: str) -> str:
        """Love and money speak through Venus's element, home and health through the Moon's; others the chart's."""
        body = self.facts.body(self.frames["theme_element_planets"].get(theme, ""))
        return texts("signs")[body.sign]["element"] if body else self.element

    def sun_section(self) -> Section | None:
        sun = self.facts.body("sun")
        if sun is None:
            return None
        info, library = texts("signs")[sun.sign], texts("sun")[sun.sign]
        lead = self.pick.choice("sun-lead", self.frames["sun_leads"]).format(**self._sign_words(sun.sign, sun.degree))
        paragraphs = [("sun:core", f"{lead} {self._fill(library['core'])}")]
        if sun.house:
            paragraphs.append((f"house:{sun.house}", self._house_paragraph("sun")))
        paragraphs.append(("sun:don", self._fill(library["don"])))
        if not self.plan.gentler:
            paragraphs.append(("sun:ombre", self._fill(library["ombre"])))
        paragraphs += [(f"sun:{part}", self._fill(library[part])) for part in ("travail", "amour", "argent")]
        keywords = f"{info['keywords'][0]} et {info['keywords'][1]}"
        return Section("sun", self.frames["section_titles"]["sun"].format(sign=info["name"], keywords=keywords), paragraphs)

    def moon_section(self) -> Section | None:
        moon = self.facts.body("moon")
        if moon is None:
            return None
        lead = self.pick.choice("moon-lead", self.frames["moon_leads"]).format(**self._sign_words(moon.sign, moon.degree))
        paragraphs = [("moon:core", f"{lead} {self._fill(texts('moon')[moon.sign]['core'])}")]
        sun = self.facts.body("sun")
        if moon.house and sun and sun.house == moon.house:  # one house text told once: the Sun's, then a reminder
            paragraphs.append(("moon:shared-house", self.frames["moon_shares_sun_house"].format(
                house=_ROMAN[moon.house - 1], title=texts("houses")[str(moon.house)]["title"].partition("— ")[2])))
        elif moon.house:
            paragraphs.append((f"house:{moon.house}", self._house_paragraph("moon")))
        paragraphs += [(f"moon:{part}", self._fill(texts("moon")[moon.sign][part])) for part in ("besoins", "famille")]
        return Section("moon", self.frames["section_titles"]["moon"].format(sign=moon.sign_name), paragraphs)

    def ascendant_section(self) -> Section | None:
        slug = self.facts.ascendant
        if slug is None:
            return None
        lead = self.frames["ascendant_lead"].format(**self._sign_words(slug))
        name = texts("signs")[slug]["name"]
        paragraphs = [("ascendant:core", f"{lead} {self._fill(texts('ascendant')[slug]['core'])}"),
                      ("ascendant:presence", self._fill(texts("ascendant")[slug]["presence"]))]
        return Section("ascendant", self.frames["section_titles"]["ascendant"].format(sign=name), paragraphs)

    def _planets_section(self, key: str, planets: tuple[str, ...]) -> Section | None:
        paragraphs = [(f"planet:{planet}", self._planet_paragraph(planet)) for planet in planets]
        paragraphs = [(label, text) for label, text in paragraphs if text]
        if not paragraphs:
            return None
        signs = {planet: self.facts.body(planet).sign_name for planet in planets if self.facts.body(planet)}
        return Section(key, "", paragraphs, boost=len(paragraphs), titled=True, signs=signs)

    def planets_section(self) -> Section | None:
        """Mercury to Saturn in one section (those a theme section has not already told)."""
        return self._planets_section("planets", (*_PERSONAL, "jupiter", "saturn"))

    def aspects_section(self, count: int) -> Section | None:
        aspects = self.facts.aspects
        if self.plan.gentler:  # a gentler rewrite leads with the harmonious dialogues
            aspects = sorted(aspects, key=lambda aspect: (aspect.flavour == "tension", aspect.orb))
        paragraphs = [(f"aspect:{a.a}-{a.b}", self._aspect_paragraph(a)) for a in aspects[:count]]
        if not paragraphs:
            return None
        label, first = paragraphs[0]
        paragraphs[0] = (label, f"{self.frames['aspects_intro']} {first}")
        return Section("aspects", self.frames["section_titles"]["aspects"], paragraphs)

    def _aspect_paragraph(self, aspect) -> str:
        library = texts("aspects")
        pair = f"{aspect.a}-{aspect.b}" if f"{aspect.a}-{aspect.b}" in library["pairs"] else f"{aspect.b}-{aspect.a}"
        first, second = pair.split("-") if pair in library["pairs"] else (aspect.a, aspect.b)
        orb = f"{aspect.orb:.1f}".replace(".", ",") + " degré" + ("s" if aspect.orb >= 2 else "")
        lead = self.frames["aspect_lead"].format(
            planet_a=capitalize(ruler_name(first)), planet_b=ruler_name(second),
            article=self.frames["aspect_articles"][aspect.type], kind=library["types"][aspect.type]["name"].lower(),
            orb=orb,
        ).replace("serré à", f"{self.frames['aspect_agreement'][aspect.type]} à")
        functions = {"a": planet_function(first), "b": planet_function(second)}
        if pair in library["pairs"]:
            text = self._fill(library["pairs"][pair][aspect.flavour], **functions)
        else:
            text = self._fill(library["types"][aspect.type]["text"], **functions)
        return f"{lead} {capitalize(text)}"

    def numbers_section(self) -> Section | None:
        if self.facts.life_path is None:
            return None
        entry = texts("life_path")[str(self.facts.life_path)]
        lead = self.frames["life_path_lead"].format(number=self.facts.life_path, title=entry["title"].lower())
        paragraphs = [("numbers:life_path", f"{lead} {self._fill(entry['text'])}")]
        if self.facts.expression is not None and str(self.facts.expression) in texts("expression"):
            paragraphs.append(("numbers:expression", f"{self.frames['expression_lead'].format(number=self.facts.expression)} "
                                                     f"{self._fill(texts('expression')[str(self.facts.expression)])}"))
        title = self.frames["section_titles"]["numbers"].format(number=self.facts.life_path,
                                                                title=entry["title"][:1].lower() + entry["title"][1:])
        return Section("numbers", title, paragraphs)

    def arcanum_section(self) -> Section | None:
        if self.facts.arcanum is None:
            return None
        entry = texts("arcana")[str(self.facts.arcanum)]
        keywords = ", ".join(entry["keywords"][:-1]) + " et " + entry["keywords"][-1]
        lead = self.frames["arcanum_lead"].format(to_name=to_name(entry["name"]), keywords=keywords)
        return Section("arcanum", self.frames["section_titles"]["arcanum"].format(name=entry["name"]),
                       [("arcanum", f"{lead} {self._fill(entry['text'])}")])

    # ---- assembly --------------------------------------------------------------------------------------------------
    def candidates(self, aspect_count: int) -> list[Section]:
        themed = [self.theme_section(theme, rank) for rank, theme in enumerate(self.plan.themes)]
        chart_sections = [
            self.sun_section(), self.moon_section(), self.ascendant_section(), self.aspects_section(aspect_count),
            self.planets_section(), self.arcanum_section(), self.numbers_section(),
        ]
        lead = themed[:1]
        asked = [s for s in themed[1:] if s.key == f"theme:{self.plan.question_theme}"]  # the client's, early
        rest = [s for s in themed[1:] if s not in asked]
        ordered = [*lead, *[s for s in chart_sections[:1] if s], *asked, *[s for s in chart_sections[1:3] if s], *rest,
                   *[s for s in chart_sections[3:] if s]]
        # Themes nobody named, for the longer tiers when the chart sections are not enough (taken only if needed).
        # Without a chart (not computed yet), the themes are all the reading can stand on.
        spare = [theme for theme in (_SPARE_THEMES if self.facts.bodies else THEMES) if theme not in self.plan.themes]
        return ordered + [self.theme_section(theme, 1) for theme in spare]


_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def planets_title(planets: list[str]) -> str:
    """"Mercure, Vénus et Mars : penser, aimer, agir" for the planets a section kept."""
    verbs = frames()["planet_verbs"]
    return f"{_join([planet_name(p) for p in planets])} : {_join([verbs[p] for p in planets])}"


def fit(sections: list[Section], *, fixed_words: int, target: float, max_sections: int) -> list[Section]:
    """Keep the first sections that fit the tier, then grow them paragraph by paragraph up to the target.

    A paragraph already given (same label) is never repeated: a theme section that took Mars's text leaves the
    planets section to open with Venus. A section left with nothing new is skipped.
    """
    seen: set[str] = set()
    chosen: list[Section] = []
    total = fixed_words

    def take(section: Section, index: int) -> None:
        nonlocal total
        section.included.append(index)
        seen.add(section.paragraphs[index][0])
        total += words(section.paragraphs[index][1])

    def open_section(section: Section) -> bool:
        fresh = [i for i, (label, _) in enumerate(section.paragraphs) if label not in seen]
        if not fresh:
            return False
        for index in fresh[: section.core_size]:
            take(section, index)
        chosen.append(section)
        return True

    def grow() -> None:
        added = True
        while added and total < target:
            added = False
            for section in chosen:
                for _ in range(section.boost):
                    fresh = [i for i, (label, _) in enumerate(section.paragraphs)
                             if i not in section.included and label not in seen]
                    if fresh and total + words(section.paragraphs[fresh[0]][1]) <= target * _OVERSHOOT:
                        take(section, fresh[0])
                        added = True

    pending = list(sections)
    while pending and len(chosen) < max_sections:
        open_section(pending.pop(0))
    while total > target * _OVERSHOOT and len(chosen) > 3:
        dropped = chosen.pop()
        for label, text in (dropped.paragraphs[i] for i in dropped.included):
            seen.discard(label)
            total -= words(text)
    grow()
    for section in pending:  # still short (no birth time, few themes): bring in more sections
        if total >= target * 0.95:
            break
        core = section.paragraphs[0]
        if core[0] not in seen and total + words(core[1]) <= target * _OVERSHOOT and open_section(section):
            grow()
    return chosen
