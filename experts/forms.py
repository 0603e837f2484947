from django import forms
from django.utils.translation import gettext_lazy as _

from orders.content_fields import content_fields, content_with_texts
from orders.models import Level

from .selectors import DESK_STATUSES

STATUS_CHOICES = [("", _("All current statuses"))] + [
    (status.value, status.label) for status in DESK_STATUSES
]


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    level = forms.TypedChoiceField(
        label=_("Level"), choices=[("", _("All levels")), *Level.choices], coerce=int, empty_value=None, required=False
    )


class GenerationForm(forms.Form):
    # Editable, and said to be part of what leaves for the writer (shown in full under "What will be sent").
    prompt = forms.CharField(
        label=_("Prompt: sent to the AI writer as written"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )
    instructions = forms.CharField(
        label=_("Instructions: sent to the AI writer as written"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ValidationForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput)
    # The version the page displayed: a click on a page older than the content now waiting is refused.
    version = forms.IntegerField(min_value=0, max_value=10_000, required=False, widget=forms.HiddenInput)
    notes = forms.CharField(
        label=_("Validation notes"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Reason for rejection"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject: it guides the revision."),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the rejection."))
        return data


class AssignForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Assign to"), queryset=None, empty_label=None)

    def __init__(self, *args, **kwargs):
        from accounts.models import Expert

        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = Expert.objects.active().order_by("name")


class ContentEditForm(forms.Form):
    """One field per text of the version being corrected (orders.content_fields), and the revision it was
    built from, so that a correction made on a version that changed since is refused."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, content: dict, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.content = content
        # Empty texts are sections this level does not include (older content shape): nothing to correct.
        self.content_fields = [field for field in content_fields(content) if field.value.strip()]
        for field in self.content_fields:
            rows = 2 if not field.long else min(14, 3 + len(field.value) // 90)
            self.fields[field.name] = forms.CharField(
                label=field.label, initial=field.value, max_length=20000,
                widget=forms.Textarea(attrs={"rows": rows}),
                error_messages={"required": _("This text cannot be empty.")},
            )

    def groups(self) -> list[tuple[str, list]]:
        """The bound fields by section of the reading, in the content's order."""
        groups: list[tuple[str, list]] = []
        for field in self.content_fields:
            if not groups or groups[-1][0] != field.group:
                groups.append((field.group, []))
            groups[-1][1].append(self[field.name])
        return groups

    def edited_content(self) -> dict:
        texts = {field.name: self.cleaned_data[field.name].replace("\r\n", "\n") for field in self.content_fields}
        return content_with_texts(self.content, texts)
