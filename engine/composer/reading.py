"""The written reading: sections built from the chart, ordered by theme, fitted to the tier's length.

Each candidate section has a core paragraph (always kept when the section is) and optional paragraphs; the fit keeps
the most important sections for the tier, then adds optional paragraphs round by round (theme sections first and
faster) until the reading reaches its target, never overshooting it by more than ~15 %.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.composer.chartfacts import ChartFacts
from engine.composer.library import Picker, capitalize, fill, frames, french_degree, of_element, texts, words
from engine.composer.plan import Plan

_OVERSHOOT = 1.12  # a paragraph is added only while the reading stays under target × this
_PERSONAL = ("mercury", "venus", "mars")
_SPARE_THEMES = ("amour", "travail", "famille")


@dataclass
class Section:
    key: str
    title: str
    core: str
    extras: list[str] = field(default_factory=list)
    boost: int = 1  # optional paragraphs added per round (theme sections grow faster)
    kept: int = 0  # optional paragraphs kept by the fit
    titles: list[str] | None = None  # a title per number of optional paragraphs kept (when the title names them)

    def final_title(self) -> str:
        return self.titles[self.kept] if self.titles else self.title

    def body_parts(self) -> list[str]:
        return [self.core, *self.extras[: self.kept]]

    def words(self) -> int:
        return sum(words(part) for part in self.body_parts())


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
        self.used_sun_parts: set[str] = set()
        self.used_moon_parts: set[str] = set()
        self.used_planets: set[str] = set()  # planet or house paragraphs already given to a theme section
        self.used_houses: set[str] = set()

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
        house = texts("houses")[str(body.house)]
        astre = planet_article(key)
        lead = self.frames["house_lead"].format(astre=astre, house=body.house, title=house["title"])
        return f"{capitalize(lead)} {capitalize(self._fill(house['text'], astre=astre))}"

    def _planet_paragraph(self, key: str) -> str | None:
        body = self.facts.body(key)
        if body is None or body.sign not in texts("planets").get(key, {}):
            return None
        lead = self.frames["planet_lead"].format(planet=planet_name(key), function=planet_function(key), sign=body.sign_name)
        text = f"{lead} {self._fill(texts('planets')[key][body.sign])}"
        if body.retrograde:
            text += " " + self.frames["retrograde"].format(planet=planet_name(key))
        return text

    def _fill(self, text: str, **values: str) -> str:
        return fill(text, prenom=self.first_name, **values)

    # ---- sections ------------------------------------------------------------------------------------------------
    def theme_section(self, theme: str, rank: int) -> Section:
        data = texts("themes")[theme]
        topic = self.frames["topics"][theme]
        leads = self.frames["theme_leads"] if rank == 0 else self.frames["theme_leads_later"]
        lead = self.pick.choice(f"theme-lead-{theme}", leads).format(topic=topic)
        element_lead = self.frames["theme_element_leads"][self.element]
        core = f"{capitalize(lead)} {element_lead} {self._fill(data['by_element'][self.element])}"
        extras: list[str] = []
        sun = self.facts.body("sun")
        sun_part = self.frames["theme_sun_parts"].get(theme)
        if sun and sun_part and sun_part not in self.used_sun_parts:
            self.used_sun_parts.add(sun_part)
            extras.append(self._fill(texts("sun")[sun.sign][sun_part]))
        moon = self.facts.body("moon")
        moon_part = self.frames["theme_moon_parts"].get(theme)
        if moon and moon_part and moon_part not in self.used_moon_parts:
            self.used_moon_parts.add(moon_part)
            extras.append(self._fill(texts("moon")[moon.sign][moon_part]))
        for key in self.frames["theme_planets"][theme]:
            if key in (*_PERSONAL, "jupiter", "saturn") and key not in self.used_planets:
                paragraph = self._planet_paragraph(key)
                if paragraph:
                    self.used_planets.add(key)
                    extras.append(paragraph)
        house = self.frames["theme_houses"][theme]
        for key in sorted(self.facts.bodies, key=lambda k: ("sun moon mercury venus mars jupiter saturn".find(k), k)):
            body = self.facts.bodies[key]
            if body.house == house and key not in self.used_houses:
                paragraph = self._house_paragraph(key)
                if paragraph:
                    self.used_houses.add(key)
                    extras.append(paragraph)
                    break
        second = self.facts.elements_by_weight()[1]
        if theme in self.plan.concrete_themes:
            extras = [*self.frames["concrete"][theme], *extras]
        elif self.plan.longer or rank == 0:
            extras.append(self._fill(data["by_element"][second]))
        section = Section(f"theme:{theme}", data["section_title"], core, extras, boost=2)
        if theme in self.plan.full_themes:  # the revision asked for this: keep it whole
            section.core = " ".join([section.core, *section.extras[:2]])
            section.extras = section.extras[2:]
            section.boost = 3
        return section

    def sun_section(self) -> Section | None:
        sun = self.facts.body("sun")
        if sun is None:
            return None
        info = texts("signs")[sun.sign]
        lead = self.pick.choice("sun-lead", self.frames["sun_leads"]).format(**self._sign_words(sun.sign, sun.degree))
        core = f"{lead} {self._fill(texts('sun')[sun.sign]['core'])}"
        house = None if "sun" in self.used_houses else self._house_paragraph("sun")
        extras = [p for p in [house, self._fill(texts("sun")[sun.sign]["don"])] if p]
        if not self.plan.gentler:
            extras.append(self._fill(texts("sun")[sun.sign]["ombre"]))
        for part in ("travail", "amour", "argent"):
            if part not in self.used_sun_parts:
                extras.append(self._fill(texts("sun")[sun.sign][part]))
        keywords = f"{info['keywords'][0]} et {info['keywords'][1]}"
        return Section("sun", self.frames["section_titles"]["sun"].format(sign=info["name"], keywords=keywords), core, extras)

    def moon_section(self) -> Section | None:
        moon = self.facts.body("moon")
        if moon is None:
            return None
        lead = self.pick.choice("moon-lead", self.frames["moon_leads"]).format(**self._sign_words(moon.sign, moon.degree))
        core = f"{lead} {self._fill(texts('moon')[moon.sign]['core'])}"
        extras = [p for p in [None if "moon" in self.used_houses else self._house_paragraph("moon")] if p]
        extras += [self._fill(texts("moon")[moon.sign][part]) for part in ("besoins", "famille")
                   if part not in self.used_moon_parts]
        return Section("moon", self.frames["section_titles"]["moon"].format(sign=moon.sign_name), core, extras)

    def ascendant_section(self) -> Section | None:
        slug = self.facts.ascendant
        if slug is None:
            return None
        lead = self.frames["ascendant_lead"].format(**self._sign_words(slug))
        core = f"{lead} {self._fill(texts('ascendant')[slug]['core'])}"
        name = texts("signs")[slug]["name"]
        return Section("ascendant", self.frames["section_titles"]["ascendant"].format(sign=name), core,
                       [self._fill(texts("ascendant")[slug]["presence"])])

    def _planets_section(self, key: str, planets: tuple[str, ...]) -> Section | None:
        planets = tuple(planet for planet in planets if planet not in self.used_planets and self._planet_paragraph(planet))
        if not planets:
            return None
        verbs = self.frames["planet_verbs"]
        titles = [f"{_join([planet_name(p) for p in planets[:n]])} : {_join([verbs[p] for p in planets[:n]])}"
                  for n in range(1, len(planets) + 1)]
        paragraphs = [self._planet_paragraph(planet) for planet in planets]
        return Section(key, titles[-1], paragraphs[0], paragraphs[1:], boost=len(planets), titles=titles)

    def personal_section(self) -> Section | None:
        return self._planets_section("personal", _PERSONAL)

    def social_section(self) -> Section | None:
        return self._planets_section("social", ("jupiter", "saturn"))

    def aspects_section(self, count: int) -> Section | None:
        aspects = self.facts.aspects
        if self.plan.gentler:  # a gentler rewrite leads with the harmonious dialogues
            aspects = sorted(aspects, key=lambda aspect: (aspect.flavour == "tension", aspect.orb))
        paragraphs = [self._aspect_paragraph(aspect) for aspect in aspects[:count]]
        if not paragraphs:
            return None
        return Section("aspects", self.frames["section_titles"]["aspects"],
                       f"{self.frames['aspects_intro']} {paragraphs[0]}", paragraphs[1:])

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
        core = f"{lead} {self._fill(entry['text'])}"
        extras = []
        if self.facts.expression is not None and str(self.facts.expression) in texts("expression"):
            extras.append(f"{self.frames['expression_lead'].format(number=self.facts.expression)} "
                          f"{self._fill(texts('expression')[str(self.facts.expression)])}")
        title = self.frames["section_titles"]["numbers"].format(number=self.facts.life_path, title=entry["title"])
        return Section("numbers", title, core, extras)

    def arcanum_section(self) -> Section | None:
        if self.facts.arcanum is None:
            return None
        entry = texts("arcana")[str(self.facts.arcanum)]
        keywords = ", ".join(entry["keywords"][:-1]) + " et " + entry["keywords"][-1]
        lead = self.frames["arcanum_lead"].format(name=entry["name"], keywords=keywords)
        return Section("arcanum", self.frames["section_titles"]["arcanum"].format(name=entry["name"]),
                       f"{lead} {self._fill(entry['text'])}")

    # ---- assembly --------------------------------------------------------------------------------------------------
    def candidates(self, aspect_count: int) -> list[Section]:
        themed = [self.theme_section(theme, rank) for rank, theme in enumerate(self.plan.themes)]
        chart_sections = [
            self.sun_section(), self.moon_section(), self.ascendant_section(), self.aspects_section(aspect_count),
            self.personal_section(), self.numbers_section(), self.arcanum_section(), self.social_section(),
        ]
        lead, rest = themed[:1], themed[1:]
        ordered = [*lead, *[s for s in chart_sections[:3] if s], *rest, *[s for s in chart_sections[3:] if s]]
        # Themes nobody named, for the longer tiers when the chart sections are not enough (taken only if needed).
        spare = [theme for theme in _SPARE_THEMES if theme not in self.plan.themes]
        return ordered + [self.theme_section(theme, 1) for theme in spare]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def fit(sections: list[Section], *, fixed_words: int, target: float, max_sections: int) -> list[Section]:
    """Keep the first `max_sections` sections, then grow them paragraph by paragraph up to the target."""
    chosen = sections[:max_sections]
    spare = sections[max_sections:]
    total = fixed_words + sum(section.words() for section in chosen)
    while total > target * _OVERSHOOT and len(chosen) > 3:
        total -= chosen.pop().words()

    def grow(pool: list[Section]) -> int:
        nonlocal total
        added = True
        while added and total < target:
            added = False
            for section in pool:
                for _ in range(section.boost):
                    if section.kept < len(section.extras):
                        size = words(section.extras[section.kept])
                        if total + size <= target * _OVERSHOOT:
                            section.kept += 1
                            total += size
                            added = True
                        else:
                            break
        return total

    grow(chosen)
    for section in spare:  # still short (a chart without birth time, few themes): bring in more sections
        if total >= target * 0.95:
            break
        if total + section.words() <= target * _OVERSHOOT:
            chosen.append(section)
            total += section.words()
            grow(chosen)
    return chosen
