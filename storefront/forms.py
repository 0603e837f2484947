from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ContactSubject


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Your e-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("To answer you; it is used for nothing else."),
    )
    subject = forms.ChoiceField(label=_("Subject"), choices=ContactSubject.choices)
    message = forms.CharField(
        label=_("Your message"), min_length=10, max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Give your order number (LU…) if your message is about it."),
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots. Not a security boundary.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
