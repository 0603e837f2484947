import datetime

from django import forms

from .models import ClientProfile, PhotoKind
from .photos import ACCEPTED, photo_prepare
from .validators import birth_date_validate

PHOTO_ACCEPT = ",".join(ACCEPTED)


class MagicLinkRequestForm(forms.Form):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        help_text="Celle utilisée lors de votre commande.",
    )


class ProfileForm(forms.Form):
    birth_date = forms.DateField(
        label="Date de naissance", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    birth_time = forms.TimeField(
        label="Heure de naissance",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Approximative si vous ne la connaissez pas exactement.",
    )
    birth_place = forms.CharField(label="Lieu de naissance", max_length=200, help_text="Ville et pays.")
    question = forms.CharField(
        label="Votre question", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que vous souhaitez éclairer par cette lecture.",
    )
    objective = forms.CharField(
        label="Votre objectif", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce que vous aimeriez voir changer dans les prochains mois.",
    )
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
            kwargs["initial"] = {
                "birth_date": profile.birth_date,
                "birth_time": profile.birth_time,
                "birth_place": profile.birth_place,
                "question": profile.question,
                "objective": profile.objective,
            }
        super().__init__(*args, **kwargs)
        for kind in PhotoKind.values:
            if not (profile and profile.photo_name(kind)):
                del self.fields[f"remove_{kind}_photo"]

    def clean_birth_date(self) -> datetime.date:
        return birth_date_validate(self.cleaned_data["birth_date"])

    def clean_birth_time(self) -> str:
        return self.cleaned_data["birth_time"].strftime("%H:%M")

    def _clean_photo(self, name: str):
        upload = self.cleaned_data.get(name)
        return photo_prepare(upload) if upload else None

    def clean_face_photo(self):
        return self._clean_photo("face_photo")

    def clean_palm_photo(self):
        return self._clean_photo("palm_photo")

    @property
    def profile_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("birth_date", "birth_time", "birth_place", "question", "objective")}

    @property
    def photos(self) -> dict:
        return {kind: self.cleaned_data[f"{kind}_photo"] for kind in PhotoKind.values if self.cleaned_data.get(f"{kind}_photo")}

    @property
    def photos_to_remove(self) -> set[str]:
        return {kind for kind in PhotoKind.values if self.cleaned_data.get(f"remove_{kind}_photo")}
