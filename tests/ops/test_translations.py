"""Interface translations: English is the source language, French (the default) comes from the catalogue."""

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", ".git", "var", "media", "staticfiles", "test-artifacts", "node_modules", "__pycache__",
           ".pytest_cache", ".ruff_cache"}


def test_makemessages_would_add_no_untranslated_or_fuzzy_string_to_the_french_catalogue(tmp_path):
    # On a copy of the sources: makemessages merges the committed catalogue with what the code uses today.
    copy = tmp_path / "lumira"
    shutil.copytree(ROOT, copy, symlinks=True, ignore=lambda directory, names: [n for n in names if n in SKIPPED])
    (copy / ".venv").symlink_to(ROOT / ".venv")
    subprocess.run(["bash", "scripts/make_messages.sh"], cwd=copy, check=True, capture_output=True)

    # django.po: Python and templates; djangojs.po: gettext() in the JavaScript (order.js, via /jsi18n/).
    for domain, at_least in (("django", 50), ("djangojs", 20)):
        catalogue = polib.pofile(str(copy / f"locale/fr/LC_MESSAGES/{domain}.po"))
        untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
        fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
        assert untranslated == [], f"{domain}: msgids without French (run scripts/make_messages.sh): {untranslated}"
        assert fuzzy == [], f"{domain}: fuzzy French entries (check and unflag them): {fuzzy}"
        assert len(catalogue) > at_least


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected", "absent"), [
    ("fr", ["Aller au contenu", "Quatre niveaux, du plus simple au plus complet", "Choisir ma lecture"],
     "Skip to content"),
    ("en", ["Skip to content", "Four levels, from the simplest to the fullest", "Choose my reading"],
     "Aller au contenu"),
])
def test_the_landing_page_speaks_the_language_the_visitor_chose(client, language, expected, absent):
    client.cookies["django_language"] = language

    page = client.get(reverse("orders:landing")).content.decode()

    assert f'<html lang="{language}">' in page
    for text in expected:
        assert text in page
    assert absent not in page


@pytest.mark.django_db
def test_the_order_page_stays_french_for_an_english_browser_until_english_is_chosen(client):
    # French by default, whatever the browser's language: English is the visitor's choice.
    french = client.get(reverse("payments:order"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Commander votre lecture" in french

    client.cookies["django_language"] = "en"
    english = client.get(reverse("payments:order")).content.decode()

    assert "Order your reading" in english
    assert "Commander votre lecture" not in english


@pytest.mark.django_db
def test_the_footer_switch_remembers_english_and_brings_the_visitor_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("payments:order")})

    assert response.status_code == 302
    assert response["Location"] == reverse("payments:order")
    page = client.get(response["Location"]).content.decode()
    assert "Order your reading" in page
    assert '<option value="en" lang="en" selected>' in page


@pytest.mark.django_db
def test_the_order_page_loads_its_script_texts_from_lumiras_own_javascript_catalogue(client):
    page = client.get(reverse("payments:order")).content.decode()
    catalogue_url = reverse("javascript-catalog")

    # Served by Lumira, before order.js (no CDN: the CSP allows only our own scripts and Stripe's).
    assert page.index(f'<script src="{catalogue_url}?language=fr">') < page.index("payments/order.js")
    response = client.get(catalogue_url)
    assert response.status_code == 200 and "javascript" in response["Content-Type"]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "declined"), [
    ("fr", "Votre carte a été refusée. Aucun montant n'a été débité : essayez avec une autre carte."),
    ("en", None),
])
def test_order_js_messages_come_in_the_visitors_language(client, language, declined):
    # order.js calls gettext("Your card was declined…"): French from the catalogue, English as written.
    client.cookies["django_language"] = language

    script = client.get(reverse("javascript-catalog")).content.decode()

    english = "Your card was declined. No amount was charged: try another card."
    if declined:
        assert json.dumps(english) in script and json.dumps(declined) in script
        assert json.dumps("Livraison promise sous %(hours)s h après le paiement.") in script
    else:
        assert "refus" not in script and "Livraison promise" not in script
    assert "function gettext" in script or "django.gettext" in script
