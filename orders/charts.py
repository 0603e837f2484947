"""The birth chart of an order (SPEC §11), computed from its intake by the reading engine.

One entry point, `chart_for_intake`, used by `orders.services` whenever an order's intake is set or
changes. It never raises: an intake the engine cannot use (no birth date, a place the gazetteer no
longer knows) gives no chart, or a chart without houses, and the expert sees what is missing.
"""

import datetime
import json
import logging

from django.core.serializers.json import DjangoJSONEncoder

from engine.chart import BirthData, BirthDataError, compute_chart
from engine.places import PlaceError, resolve_place

logger = logging.getLogger(__name__)


def _parse_time(value: str) -> datetime.time | None:
    try:
        return datetime.datetime.strptime(value, "%H:%M").time() if value else None
    except ValueError:
        return None


def chart_for_intake(*, birth_date, birth_time: str = "", birth_place: str = "", full_name: str = "") -> dict | None:
    """The chart as stored on the order (plain JSON), or None without a birth date."""
    if not birth_date:
        return None
    place = None
    if birth_place:
        try:
            place = resolve_place(birth_place)
        except PlaceError:
            # Stored places are resolved labels; one the gazetteer dropped gives a chart without houses.
            logger.warning("chart: stored birth place no longer resolves")
    birth = BirthData(birth_date=birth_date, birth_time=_parse_time(birth_time), place=place, full_name=full_name)
    try:
        chart = compute_chart(birth)
    except BirthDataError as error:
        logger.warning("chart: intake refused by the engine (%s)", error.field)
        return None
    # Round-trip through JSON so what is stored is exactly what will be read back.
    return json.loads(json.dumps(chart, cls=DjangoJSONEncoder))
