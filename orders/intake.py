"""The intake (SPEC §5): one form, one validation, for the order page (through its JSON API) and the
Sanctuaire profile.

The rules that need the reading engine live here once: the birth date inside the ephemeris' range and
not in the future, a birth place the offline gazetteer resolves to exactly one city (else the candidates
are listed), a local birth time that exists at that place on that day (not the hour a spring-forward
skips). What is stored is the place's resolved label ("Saint-Denis (La Réunion)"), so that the chart can
always be computed again from the order alone.
"""

import datetime

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine.chart import EPHEMERIS_FIRST_DATE, EPHEMERIS_LAST_DATE, BirthData, BirthDataError, birth_moment_utc
from engine.places import AmbiguousPlace, Place, PlaceError, resolve_place

# Form field → API field (camelCase, SPEC §9): the API reports errors under its own names.
API_NAMES = {
    "birth_date": "birthDate",
    "birth_time": "birthTime",
    "birth_time_unknown": "birthTimeUnknown",
    "birth_place": "birthPlace",
    "question": "question",
    "objective": "objective",
}
FORM_NAMES = {api: field for field, api in API_NAMES.items()}
# What a saved intake is made of: the same names on the order and on the client's profile.
INTAKE_FIELDS = ("birth_date", "birth_time", "birth_place", "question", "objective")

TIME_OR_UNKNOWN = _("Give the time of birth or tick “I do not know the time”.")


def birth_date_check(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(_("The date of birth cannot be in the future."), code="future")
    if not EPHEMERIS_FIRST_DATE <= value <= EPHEMERIS_LAST_DATE:
        raise forms.ValidationError(
            _("The date of birth must be between %(first)s and %(last)s.")
            % {"first": EPHEMERIS_FIRST_DATE.year, "last": EPHEMERIS_LAST_DATE.year},
            code="out_of_range",
        )


def place_error_message(error: PlaceError) -> str:
    """The engine's sentence, then the candidates the client can pick (an ambiguous name lists each city)."""
    if not error.candidates:
        return str(error)
    candidates = ", ".join(_("“%(place)s”") % {"place": label} for label in error.candidates)
    lead = _("Choose from: %(candidates)s.") if isinstance(error, AmbiguousPlace) else _("Did you mean: %(candidates)s?")
    return f"{error} " + lead % {"candidates": candidates}


class IntakeForm(forms.Form):
    """Birth date, birth time (or "unknown"), birth place, question, objective.

    `required` names the fields this path insists on (the profile asks for everything, the API for
    nothing: the intake can be completed later in the Sanctuaire). `time_choice_required` asks for a time
    or the "unknown" box. `intake` is what to store; `place` the resolved gazetteer entry.
    """

    birth_date = forms.DateField(
        label=_("Date of birth"), required=False,
        widget=forms.DateInput(attrs={"type": "date", "min": f"{EPHEMERIS_FIRST_DATE:%Y-%m-%d}"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("This date does not exist: check the day, the month and the year.")},
    )
    birth_time = forms.TimeField(
        label=_("Time of birth"), required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M"],
        error_messages={"invalid": _("Enter the time as HH:MM, for example 14:30.")},
        help_text=_("The local time at your place of birth, as on the birth certificate."),
    )
    birth_time_unknown = forms.BooleanField(label=_("I do not know the time"), required=False)
    birth_place = forms.CharField(
        label=_("Place of birth"), required=False, max_length=200,
        widget=forms.TextInput(
            attrs={"list": "birth-place-options", "autocomplete": "off", "data-places-url": reverse_lazy("orders:api_places")}
        ),
        help_text=_("The town; choose from the list offered if several towns have that name."),
    )
    question = forms.CharField(
        label=_("Your question"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you would like this reading to shed light on."),
    )
    objective = forms.CharField(
        label=_("Your objective"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you would like to see change in the coming months."),
    )

    def __init__(self, *args, required: tuple[str, ...] = (), time_choice_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_choice_required = time_choice_required
        self.place: Place | None = None
        for name in required:
            self.fields[name].required = True

    def clean_birth_date(self) -> datetime.date | None:
        value = self.cleaned_data["birth_date"]
        if value is not None:
            birth_date_check(value)
        return value

    def clean_birth_place(self) -> str:
        text = " ".join(self.cleaned_data["birth_place"].split())
        if not text:
            return ""
        try:
            self.place = resolve_place(text)
        except PlaceError as error:
            raise forms.ValidationError(place_error_message(error), code="place") from error
        return self.place.label

    def clean(self) -> dict:
        data = super().clean()
        if data.get("birth_time_unknown"):
            data["birth_time"] = None
        elif self.time_choice_required and not data.get("birth_time") and "birth_time" not in self.errors:
            self.add_error("birth_time", forms.ValidationError(TIME_OR_UNKNOWN, code="required"))
        if data.get("birth_date") and not self.errors:
            birth = BirthData(birth_date=data["birth_date"], birth_time=data.get("birth_time"), place=self.place)
            try:
                birth_moment_utc(birth)  # a local time skipped by a spring-forward, or out of range
            except BirthDataError as error:
                self.add_error(FORM_NAMES.get(error.field, "birth_date"), forms.ValidationError(error.message))
        return data

    @property
    def intake(self) -> dict:
        """The cleaned intake as stored on orders and profiles (time "HH:MM" or "" when unknown)."""
        data = self.cleaned_data
        birth_time = data.get("birth_time")
        return {
            "birth_date": data.get("birth_date"),
            "birth_time": birth_time.strftime("%H:%M") if birth_time else "",
            "birth_place": data.get("birth_place") or "",
            "question": (data.get("question") or "").strip(),
            "objective": (data.get("objective") or "").strip(),
        }

    def api_errors(self) -> dict[str, list[str]]:
        """The errors under the API's field names."""
        return {API_NAMES.get(name, name): [str(m) for m in messages] for name, messages in self.errors.items()}


def intake_initial(source) -> dict:
    """A form's initial values from a saved intake (an order or a profile)."""
    if source is None:
        return {}
    initial = {name: getattr(source, name) or None for name in INTAKE_FIELDS}
    initial["birth_time_unknown"] = bool(source.birth_date) and not source.birth_time
    return initial
