"""The client's data rights pages: download everything (POST, so no personal data ever sits in a URL or a
cache) and erase the account after a confirmation."""

from django import forms
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import notices
from .data_rights import ErasureRefused, client_data_export, client_erase
from .views import client_required


class ErasureForm(forms.Form):
    email = forms.CharField(label=_("Your e-mail address, to confirm"), max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    understood = forms.BooleanField(
        label=_("I understand that my profile, my photos and my readings will be erased for good."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email != self.user.email.lower():
            raise forms.ValidationError("Ce n'est pas l'adresse de votre compte.")
        return email


@never_cache
@client_required
@require_http_methods(["GET"])
def data_page(request):
    return render(request, "sanctuaire/data.html", {"nav": "data", "form": ErasureForm(user=request.user)})


@never_cache
@client_required
@require_POST
def data_export(request):
    export = client_data_export(user=request.user)
    response = HttpResponse(export.data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@client_required
@require_http_methods(["GET", "POST"])
def data_erase(request):
    form = ErasureForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                client_erase(user=request.user)
            except ErasureRefused as error:
                form.add_error(None, error.message)
                status = 409
            else:
                logout(request)
                return render(request, "sanctuaire/notice.html", {"notice": notices.account_erased()})
        else:
            status = 400
    return render(request, "sanctuaire/data_erase.html", {"nav": "data", "form": form}, status=status)
