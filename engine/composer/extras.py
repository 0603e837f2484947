"""The parts of a reading beyond the text: ritual (level ≥ 2), synthesis and mandala (≥ 3), 30-day guidance (4).

Ritual and guidance are grounded in the sky after delivery, through `engine.composer.sky` (engine.transits).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from engine.composer import sky
from engine.composer.chartfacts import FLAVOURS, ChartFacts
from engine.composer.library import (
    ELEMENTS,
    GUIDANCE_TZ,
    Picker,
    capitalize,
    fill,
    frames,
    french_date,
    sign_slug,
    texts,
)
from engine.composer.plan import Plan
from engine.composer.reading import planet_function, planet_name, ruler_name
from engine.schema import GUIDANCE_DAYS, MANDALA_SYMBOLS

# The Moon crosses a sign in about 2.5 days and moves 11.8–15.4° a day, so two noons of one stay never fall in the same
# third of the sign (0–10°, 10–20°, 20–30°): each third has its own focus text, and consecutive days never share one.
_MOON_THIRDS = ("early", "middle", "late")
_ORDINALS = ("", "premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième", "huitième",
             "neuvième", "dixième", "onzième", "douzième")


def local_zone(facts: ChartFacts) -> ZoneInfo:
    """The client's time zone when the birth place is known (a fair guess for where they live), else Paris."""
    name = (facts.place or {}).get("timezone") or GUIDANCE_TZ
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo(GUIDANCE_TZ)


def ritual(facts: ChartFacts, plan: Plan, delivery_date: date, first_name: str) -> dict:
    lunation = sky.next_lunation(datetime.combine(delivery_date, time(0), tzinfo=UTC))
    kind, element = lunation["kind"], facts.dominant_element()
    day = lunation["at"].astimezone(local_zone(facts)).date()
    data = texts("rituals")[kind][element]
    moment = frames()["ritual_moment"].format(name=frames()["lunation_names"][kind], date=french_date(day),
                                              sign=lunation["sign"])
    steps = [fill(step, prenom=first_name) for step in data["steps"]]
    topic_theme = plan.themes[0] if plan.themes else None
    if topic_theme:
        step = frames()["ritual_theme_step"][kind].format(topic=frames()["topics"][topic_theme])
        steps.insert(len(steps) - 1, step)
    return {
        "title": fill(data["title"], prenom=first_name),
        "moment": f"{moment}. {frames()['ritual_moment_hint'][kind]}",
        "steps": steps,
        "intention": fill(data["intention"], prenom=first_name),
    }


def synthesis(facts: ChartFacts, first_name: str) -> str:
    library, frame = texts("synthesis"), frames()
    paragraphs = []
    balance = _personal_points(facts)
    dominant = facts.dominant_element()
    dominant = facts.dominant_element()
    paragraphs.append(f"{balance} {fill(library['dominant'][dominant], prenom=first_name)}".strip())
    missing = facts.missing_element()
    if missing:
        paragraphs.append(fill(library["missing"][missing], prenom=first_name))
    paragraphs.append(fill(library["modality"][facts.dominant_modality()], prenom=first_name))
    closing = []
    if facts.arcanum is not None:
        arcanum = texts("arcana")[str(facts.arcanum)]
        keywords = ", ".join(arcanum["keywords"][:-1]) + " et " + arcanum["keywords"][-1]
        tail = Picker(first_name).choice("synthesis-tail", frame["synthesis_tails"])
        closing.append(frame["synthesis_arcanum"].format(name=arcanum["name"], keywords=keywords, tail=tail))
    if facts.life_path is not None:
        title = texts("life_path")[str(facts.life_path)]["title"]
        closing.append(frame["synthesis_life_path"].format(number=facts.life_path, title=title.lower()))
    if closing:
        paragraphs.append(" ".join(closing))
    return "\n\n".join(paragraphs)


def _aspect_words(aspect: dict, *, opens_sentence: bool = True) -> dict:
    frame = frames()
    transiting = ruler_name(aspect["transiting"])
    return {
        "transiting": capitalize(transiting) if opens_sentence else transiting,
        "kind": frame["guidance_kinds"][aspect["type"]],
        "aspect": frame["guidance_aspect_nouns"][aspect["type"]],
        "natal": planet_name(aspect["natal"]),
        "orb": _orb(float(aspect["orb"])),
        "function": planet_function(aspect["natal"]),
    }


def _aspect_lead(aspect: dict, streak: int) -> str:
    """The day's aspect; on the following days of the same aspect, which day of it this is."""
    if streak == 1:
        return frames()["guidance_aspect"].format(**_aspect_words(aspect))
    nth = _ORDINALS[streak] if streak < len(_ORDINALS) else f"{streak}e"
    return frames()["guidance_repeat"].format(**_aspect_words(aspect), nth=nth)


def _moon_third(day: dict, stay_day: int) -> str:
    """The third of its sign the Moon crosses at the day's noon; without its longitude (a stand-in sky), the day's
    rank in the Moon's stay in the sign, which also changes from one day to the next."""
    longitude = day.get("moonLongitude")
    if longitude is None:
        return _MOON_THIRDS[stay_day % len(_MOON_THIRDS)]
    return _MOON_THIRDS[min(int(float(longitude) % 30 // 10), len(_MOON_THIRDS) - 1)]


def _practice_options(aspect: dict) -> list[str]:
    """The practices that fit an aspect: the transiting planet's for its flavour, then the natal planet's."""
    practices = texts("transits")["practices"]
    flavour = FLAVOURS[aspect["type"]]
    keys = [(aspect["transiting"], flavour), (aspect["natal"], flavour)]
    return [practices[planet][flavour] for planet, _ in keys if flavour in practices.get(planet, {})]


def _personal_points(facts: ChartFacts) -> str:
    """"Parmi vos points les plus personnels, la Lune et Mercure sont en signes de terre, … ; l'air n'y figure pas."."""
    frame = frames()
    points = {key: facts.body(key).sign for key in ("sun", "moon", "mercury", "venus", "mars") if facts.body(key)}
    if facts.ascendant:
        points["ascendant"] = facts.ascendant
    if not points:
        return ""
    order = ("sun", "moon", "ascendant", "mercury", "venus", "mars")
    groups = []
    for element in facts.elements_by_weight():
        names = [frame["point_names"][key] for key in order
                 if key in points and texts("signs")[points[key]]["element"] == element]
        if names:
            verb = "sont" if len(names) > 1 else "est"
            groups.append(f"{_join(names)} {verb} {_of(element, len(names))}")
    absent = [element for element in ELEMENTS if not any(texts("signs")[slug]["element"] == element for slug in points.values())]
    text = frame["synthesis_points"].format(groups=", ".join(groups))
    if absent:
        absent_frame = frame["synthesis_absent_plural" if len(absent) > 1 else "synthesis_absent"]
        text += " ; " + absent_frame.format(element=_join([frame["element_the"][e] for e in absent]))
    return text + "."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _of(element: str, count: int) -> str:
    return ("en signes " if count > 1 else "en signe ") + ("d'" if element[0] in "aeiou" else "de ") + element


def _orb(orb_deg: float) -> str:
    return "exact" if orb_deg < 0.1 else "orbe " + f"{orb_deg:.1f}".replace(".", ",") + "°"


def mandala(facts: ChartFacts, plan: Plan) -> dict:
    frame = frames()
    first, second = facts.elements_by_weight()[:2]
    colors = [*frame["palettes"][first], *frame["palettes"][second], frame["gold"]]
    symbols = ["soleil", "lune", frame["element_symbols"][first], frame["element_symbols"][second]]
    if plan.themes:
        symbols.append(frame["theme_symbols"][plan.themes[0]])
    if facts.arcanum is not None:
        symbols.append(frame["arcanum_symbols"][facts.arcanum % len(frame["arcanum_symbols"])])
    symbols = [symbol for index, symbol in enumerate(symbols) if symbol in MANDALA_SYMBOLS and symbol not in symbols[:index]]
    topic = frame["topics"][plan.themes[0]] if plan.themes else frame["mandala_default_topic"]
    intention = frame["mandala_intention"].format(first=frame["element_the"][first], second=frame["element_the"][second],
                                                  topic=topic)
    return {"colors": colors, "symbols": symbols[:8], "intention": intention}


def guidance(facts: ChartFacts, delivery_date: date, first_name: str, picker: Picker) -> list[dict]:
    """Day 1 is the delivery day; each day from the real transits of that day (engine.transits.daily_transits)."""
    frame, library = frames(), texts("transits")
    days = sky.daily_transits(facts.chart if facts.bodies else {"bodies": []}, delivery_date, GUIDANCE_DAYS)
    quiet = picker.order("quiet", library["quiet"])
    entries, last_used, previous, streak = [], {}, None, 1
    stay_day, previous_moon = 0, None
    for number, day in enumerate(days[:GUIDANCE_DAYS], start=1):
        moon = sign_slug(day["moonSign"])
        stay_day = stay_day + 1 if moon == previous_moon else 0
        previous_moon = moon
        when = capitalize(french_date(day["date"], weekday=True).rsplit(" ", 1)[0])
        moon_text = library["moon_signs"][moon][_moon_third(day, stay_day)]
        focus = frame["guidance_focus"].format(date=when, sign=texts("signs")[moon]["name"], focus=_lower_first(moon_text))
        aspect = day.get("aspect")
        options: list[tuple[str, dict | None]] = []
        if aspect:
            same = previous == (aspect["transiting"], aspect["natal"], aspect["type"])
            streak = streak + 1 if same else 1
            lead = _aspect_lead(aspect, streak)
            second = next((other for other in day.get("aspects") or [] if other != aspect), None)
            if same and second:  # the same slow aspect as yesterday: the day's next one gives it its colour
                lead += " " + frame["guidance_second"].format(**_aspect_words(second, opens_sentence=False))
                options += [(text, second) for text in _practice_options(second)]
            options += [(text, aspect) for text in _practice_options(aspect)]
            previous = (aspect["transiting"], aspect["natal"], aspect["type"])
        else:
            lead, previous = frame["guidance_quiet"], None
            options += [(text, None) for text in quiet]
        # A slow planet can hold one aspect for days: a practice not given yet comes first, else the one given
        # longest ago (never yesterday's when another fits).
        practice, source = min(options, key=lambda option: (last_used.get(option[0], -1), options.index(option)))
        last_used[practice] = number
        body = fill(practice, prenom=first_name, a=planet_function(source["natal"] if source else "sun"),
                    b=planet_function(source["transiting"] if source else "moon"))
        entries.append({"day": number, "focus": focus, "practice": f"{lead} {capitalize(body)}"})
    return entries
