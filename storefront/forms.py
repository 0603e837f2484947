from django import forms

from .models import ContactSubject


class ContactForm(forms.Form):
    name = forms.CharField(label="Votre nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label="Votre adresse e-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Pour vous répondre ; elle n'est utilisée pour rien d'autre.",
    )
    subject = forms.ChoiceField(label="Sujet", choices=ContactSubject.choices)
    message = forms.CharField(
        label="Votre message", min_length=10, max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Indiquez votre numéro de commande (LU…) si votre message la concerne.",
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots. Not a security boundary.
    website = forms.CharField(label="Laissez ce champ vide", required=False)

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
