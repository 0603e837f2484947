"""What each access level unlocks (SPEC §1): the Sanctuaire's sections and the parts of a reading they show.

Here, with the levels themselves, because several apps need it: the Sanctuaire shows and locks the sections,
the experts' e-mails say whether a reading comes with its audio.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Level


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    level: int
    # Keys of `Order.generated_content` that belong to this section (empty: a feature, not a text).
    content_keys: tuple[str, ...] = ()

    @property
    def level_name(self) -> str:
        return Level(self.level).label

    @property
    def upgrade_url(self) -> str:
        """The order page with this section's level chosen."""
        return f"{reverse('payments:order')}?level={Level(self.level).slug}&service=premium"


SECTIONS: tuple[Section, ...] = (
    Section("reading", _("Written reading"), Level.SIMPLE, ("title", "archetype", "reading")),
    Section("pdf", _("Reading as PDF"), Level.SIMPLE),
    Section("ritual", _("Ritual"), Level.INTUITIVE, ("ritual",)),
    Section("audio", _("Audio listening"), Level.INTUITIVE),
    Section("mandala", _("Mandala"), Level.ALCHIMIQUE, ("mandala",)),
    Section("synthesis", _("Synthesis"), Level.ALCHIMIQUE, ("synthesis",)),
    Section("chart", _("Birth chart"), Level.ALCHIMIQUE),
    Section("guidance", _("30-day guidance"), Level.INTEGRALE, ("guidance",)),
)
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}
# From this level the client sees their birth chart (wheel and table) with the reading and in the PDF.
CHART_LEVEL = Level.ALCHIMIQUE
# The audio part comes with this level.
AUDIO_LEVEL = SECTIONS_BY_KEY["audio"].level
