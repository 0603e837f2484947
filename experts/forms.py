from django import forms

from orders.models import Level

from .selectors import DESK_STATUSES

STATUS_CHOICES = [("", "Tous les statuts en cours")] + [
    (status.value, status.label) for status in DESK_STATUSES
]


class LoginForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail", widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label="Statut", choices=STATUS_CHOICES, required=False)
    level = forms.TypedChoiceField(
        label="Niveau", choices=[("", "Tous les niveaux"), *Level.choices], coerce=int, empty_value=None, required=False
    )


class GenerationForm(forms.Form):
    prompt = forms.CharField(label="Prompt", max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    instructions = forms.CharField(
        label="Instructions", max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ValidationForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", "Approuver"), ("reject", "Rejeter")], widget=forms.HiddenInput)
    # The version the page displayed: a click on a page older than the content now waiting is refused.
    version = forms.IntegerField(min_value=0, max_value=10_000, required=False, widget=forms.HiddenInput)
    notes = forms.CharField(
        label="Notes de validation", max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label="Motif du rejet", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour rejeter : il guide la révision.",
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Indiquez le motif du rejet.")
        return data


class AssignForm(forms.Form):
    expert = forms.ModelChoiceField(label="Attribuer à", queryset=None, empty_label=None)

    def __init__(self, *args, **kwargs):
        from .models import Expert

        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = Expert.objects.active().order_by("name")
