"""What a client may see: their access level and the Sanctuaire sections it unlocks (SPEC §1; the sections
themselves are in orders/levels.py)."""

from dataclasses import dataclass

from django.db.models import Max

from orders.levels import SECTIONS, SECTIONS_BY_KEY, Section
from orders.models import Level, Order


@dataclass(frozen=True)
class Entitlements:
    level: int  # 0: no paid order giving access

    @property
    def level_name(self) -> str:
        return Level(self.level).label if self.level else ""

    def unlocks(self, key: str) -> bool:
        return self.level >= SECTIONS_BY_KEY[key].level

    @property
    def unlocked(self) -> dict[str, bool]:
        return {section.key: self.level >= section.level for section in SECTIONS}

    @property
    def sections(self) -> list[tuple[Section, bool]]:
        return [(section, self.level >= section.level) for section in SECTIONS]

    @property
    def locked_levels(self) -> list[tuple[int, str, list[Section]]]:
        """Levels above the client's, with what each adds and where to buy it (for the upgrade offers)."""
        return [
            (level, Level(level).label, [s for s in SECTIONS if s.level == level])
            for level in Level.values
            if level > self.level
        ]

    def visible_content(self, content: dict | None) -> dict:
        """The parts of a reading's content that this level may see; the rest is left out, not blanked."""
        content = content or {}
        allowed = {key for section, unlocked in self.sections if unlocked for key in section.content_keys}
        return {key: content[key] for key in allowed if content.get(key)}


def client_entitlements(user) -> Entitlements:
    """The highest level among the client's paid, not refunded orders (one query)."""
    level = Order.objects.for_client(user).with_access().aggregate(level=Max("level"))["level"]
    return Entitlements(level=level or 0)
