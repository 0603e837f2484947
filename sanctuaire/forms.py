from django import forms

from orders.intake import IntakeForm, intake_initial

from .models import ClientProfile, PhotoKind
from .photos import ACCEPTED, photo_prepare

PHOTO_ACCEPT = ",".join(ACCEPTED)
# The profile asks for the whole intake (the time may be "unknown"); the order page asks for none of it.
PROFILE_REQUIRED = ("birth_date", "birth_place", "question", "objective")


class MagicLinkRequestForm(forms.Form):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        help_text="Celle utilisée lors de votre commande.",
    )


class ProfileForm(IntakeForm):
    """The intake (the same form and rules as the order page's) plus the optional photos."""

    face_photo = forms.FileField(
        label="Photo du visage (facultative)", required=False,
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
        help_text="JPEG, PNG ou WebP. Visible seulement par vous et l'expert qui prépare votre lecture.",
    )
    palm_photo = forms.FileField(
        label="Photo de la paume (facultative)", required=False,
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
        help_text="Main dominante, bien éclairée.",
    )
    remove_face_photo = forms.BooleanField(label="Supprimer ma photo du visage", required=False)
    remove_palm_photo = forms.BooleanField(label="Supprimer ma photo de la paume", required=False)

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

    @property
    def profile_data(self) -> dict:
        return self.intake

    @property
    def photos(self) -> dict:
        return {kind: self.cleaned_data[f"{kind}_photo"] for kind in PhotoKind.values if self.cleaned_data.get(f"{kind}_photo")}

    @property
    def photos_to_remove(self) -> set[str]:
        return {kind for kind in PhotoKind.values if self.cleaned_data.get(f"remove_{kind}_photo")}
