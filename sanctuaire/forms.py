from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ClientProfile, PhotoKind
from orders.intake import IntakeForm, intake_initial

from .photos import ACCEPTED, photo_prepare

PHOTO_ACCEPT = ",".join(ACCEPTED)
# The profile asks for the whole intake (the time may be "unknown"); the order page asks for none of it.
PROFILE_REQUIRED = ("birth_date", "birth_place", "question", "objective")


class MagicLinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        help_text=_("The one you used when ordering."),
    )


class ProfileForm(IntakeForm):
    """The intake (the same form and rules as the order page's) plus the optional photos."""

    face_photo = forms.FileField(
        label=_("Face photo (optional)"), required=False,
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
        help_text=_("JPEG, PNG or WebP. Seen only by you and the expert preparing your reading."),
    )
    palm_photo = forms.FileField(
        label=_("Palm photo (optional)"), required=False,
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
        help_text=_("Dominant hand, well lit."),
    )
    remove_face_photo = forms.BooleanField(label=_("Delete my face photo"), required=False)
    remove_palm_photo = forms.BooleanField(label=_("Delete my palm photo"), required=False)

    def __init__(self, *args, profile: ClientProfile | None = None, **kwargs):
        self.profile = profile
        if profile is not None and "initial" not in kwargs:
            kwargs["initial"] = intake_initial(profile)
        super().__init__(*args, required=PROFILE_REQUIRED, time_choice_required=True, **kwargs)
        for kind in PhotoKind.values:
            if not (profile and profile.photo_name(kind)):
                del self.fields[f"remove_{kind}_photo"]

    def _clean_photo(self, name: str):
        upload = self.cleaned_data.get(name)
        return photo_prepare(upload) if upload else None

    def clean_face_photo(self):
        return self._clean_photo("face_photo")

    def clean_palm_photo(self):
        return self._clean_photo("palm_photo")

    def photo_fields(self) -> list[tuple]:
        """Per photo kind: (kind, upload field, (remove box, current photo's URL, label) or None without a photo)."""
        return [
            (
                kind,
                self[f"{kind}_photo"],
                (self[f"remove_{kind}_photo"], self.profile.photo_url(kind), label)
                if f"remove_{kind}_photo" in self.fields else None,
            )
            for kind, label in PhotoKind.choices
        ]

    @property
    def profile_data(self) -> dict:
        return self.intake

    @property
    def photos(self) -> dict:
        return {kind: self.cleaned_data[f"{kind}_photo"] for kind in PhotoKind.values if self.cleaned_data.get(f"{kind}_photo")}

    @property
    def photos_to_remove(self) -> set[str]:
        return {kind for kind in PhotoKind.values if self.cleaned_data.get(f"remove_{kind}_photo")}
