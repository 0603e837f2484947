"""Legal pages, experts, contact form, landing page and favicon: what a visitor of the shop sees."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from orders.models import Order
from sanctuaire.services import profile_update
from storefront.models import ContactMessage, LegalPage
from tests.factories import ExpertFactory, paid_order
from tests.sanctuaire.conftest import complete_profile

pytestmark = pytest.mark.django_db

FOOTER_LINKS = {
    "Conditions générales de vente": "/cgv/",
    "Mentions légales": "/mentions-legales/",
    "Politique de confidentialité": "/confidentialite/",
    "Droit de rétractation": "/droit-de-retractation/",
    "Nos experts": "/nos-experts/",
    "Contact": "/contact/",
}


def _footer(page: str) -> str:
    return page.split('<footer class="site-footer">')[1]


@pytest.mark.parametrize("start", ["/", "/commander/", "/sanctuaire/connexion/"])
def test_every_legal_page_is_linked_from_the_footer_and_opens(client, legal_pages, catalogue, start):
    footer = _footer(client.get(start).content.decode())

    for label, href in FOOTER_LINKS.items():
        assert f'<a href="{href}">{label}</a>' in footer
        response = client.get(href)
        assert response.status_code == 200, href


def test_the_cgv_state_the_delivery_times_and_the_withdrawal_exception_with_the_settings_company(
    client, legal_pages, settings
):
    settings.LEGAL_ADDRESS = "8 rue des Étoiles, 69002 Lyon"
    settings.DELIVERY_TARGET_HOURS = {"basic": 72, "premium": 24, "vip": 12}

    page = client.get("/cgv/").content.decode()

    assert "<h1>Conditions générales de vente</h1>" in page
    assert "8 rue des Étoiles, 69002 Lyon" in page and "[[LEGAL_ADDRESS]]" not in page
    assert "Basic : environ 750 mots (30 minutes de lecture), livrée sous 72 heures" in page
    assert "L221-28, 13°" in page
    assert '<a href="/droit-de-retractation/">/droit-de-retractation/</a>' in page
    assert '<meta name="description" content="Les conditions de vente des lectures spirituelles Lumira' in page


def test_staff_edit_a_legal_page_in_admin_and_the_page_shows_the_new_text_at_once(client, legal_pages, admin_user):
    client.force_login(admin_user)
    page = legal_pages["mentions-legales"]
    form = {"title": "Mentions légales", "description": page.description,
            "body": "## Hébergement\n\nHébergé par Nuage Français SAS, 1 place du Ciel, Paris.\n\n<script>x</script>"}

    response = client.post(reverse("admin:storefront_legalpage_change", args=[page.pk]), form)

    assert response.status_code == 302
    shown = Client().get("/mentions-legales/").content.decode()
    assert "<h2>Hébergement</h2>" in shown
    assert "Hébergé par Nuage Français SAS, 1 place du Ciel, Paris." in shown
    assert "<script>x</script>" not in shown and "&lt;script&gt;x&lt;/script&gt;" in shown


def test_a_legal_page_cannot_be_added_or_deleted_in_admin(client, legal_pages, admin_user):
    client.force_login(admin_user)
    page = legal_pages["cgv"]

    assert client.get(reverse("admin:storefront_legalpage_add")).status_code == 403
    assert client.post(reverse("admin:storefront_legalpage_delete", args=[page.pk]), {"post": "yes"}).status_code == 403
    assert LegalPage.objects.filter(pk=page.pk).exists()


def test_the_experts_page_shows_each_active_expert_with_specialties_and_rating(client, django_assert_num_queries):
    ExpertFactory(name="Oriane Lune", specialties=["Astrologie", "Tarot"], rating="4.80")
    ExpertFactory(name="Ancien Expert", is_active=False)

    with django_assert_num_queries(1):
        page = client.get("/nos-experts/").content.decode()

    assert "Oriane Lune" in page and "Ancien Expert" not in page
    assert "<li>Astrologie</li><li>Tarot</li>" in page
    assert "4,8" in page and "sur 5" in page


CONTACT = {"name": "Camille Lune", "email": "camille@example.com", "subject": "order",
           "message": "Bonjour, où en est ma commande LU20260314-0001 ?"}


def test_the_contact_form_emails_staff_with_the_sender_as_reply_to(client, settings, django_capture_on_commit_callbacks):
    settings.CONTACT_EMAIL_TO = ["equipe@lumira.example"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", CONTACT)

    assert response.status_code == 302 and response["Location"] == "/contact/"
    assert "Merci, votre message est bien parti" in client.get("/contact/").content.decode()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["equipe@lumira.example"] and email.reply_to == ["camille@example.com"]
    assert email.subject == "Lumira — message de contact : Une commande"
    assert "où en est ma commande LU20260314-0001 ?" in email.body
    stored = ContactMessage.objects.get()
    assert stored.emailed_at is not None and stored.message == CONTACT["message"]


def test_the_contact_email_to_staff_is_french_even_when_the_visitor_browses_in_english(
    client, settings, django_capture_on_commit_callbacks
):
    settings.CONTACT_EMAIL_TO = ["equipe@lumira.example"]
    client.cookies["django_language"] = "en"

    form = client.get("/contact/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contact/", {**CONTACT, "subject": "withdrawal"})

    assert "Your e-mail address" in form and "Withdrawal or refund" in form
    assert "Thank you, your message is on its way" in client.get("/contact/").content.decode()
    email = mail.outbox[0]
    assert email.subject == "Lumira — message de contact : Rétractation ou remboursement"
    assert email.body.startswith("Nouveau message reçu par le formulaire de contact de Lumira.")
    assert "Sujet : Rétractation ou remboursement" in email.body
    assert "De : Camille Lune <camille@example.com>" in email.body
    assert re.search(r"Reçu le : \d{1,2} \w+ \d{4} à \d\d:\d\d", email.body)
    assert "Répondez directement à cet e-mail : la réponse part vers l'expéditeur." in email.body


def test_a_contact_message_with_a_bad_address_is_refused_at_the_field(client):
    response = client.post("/contact/", {**CONTACT, "email": "camille"})

    assert response.status_code == 400
    assert "Saisissez une adresse e-mail valide." in response.content.decode()
    assert not ContactMessage.objects.exists() and not mail.outbox


def test_the_honeypot_thanks_a_bot_and_sends_nothing(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", {**CONTACT, "website": "http://spam.example"})

    assert response.status_code == 302
    assert not ContactMessage.objects.exists() and not mail.outbox


def test_the_contact_form_is_rate_limited_per_address(settings, django_capture_on_commit_callbacks):
    settings.CONTACT_RATE = "3/h"
    sender = Client(REMOTE_ADDR="203.0.113.9")

    with django_capture_on_commit_callbacks(execute=True):
        codes = [sender.post("/contact/", CONTACT).status_code for _ in range(4)]
        other = Client(REMOTE_ADDR="203.0.113.10").post("/contact/", CONTACT).status_code

    assert codes == [302, 302, 302, 429] and other == 302
    assert ContactMessage.objects.count() == 4 and len(mail.outbox) == 4


def test_the_landing_page_shows_levels_tiers_steps_experts_and_faq_with_short_prices(
    client, catalogue, django_assert_num_queries
):
    ExpertFactory(name="Oriane Lune", specialties=["Astrologie"], rating="4.90")

    with django_assert_num_queries(2):
        page = client.get("/").content.decode()

    for heading in ("Quatre niveaux", "Trois formules", "Comment ça marche", "Nos experts", "Questions fréquentes"):
        assert heading in page
    assert "La guidance : un plan d&#x27;accompagnement sur 30 jours" in page
    assert "Tout le niveau Alchimique, plus :" in page
    assert re.search(r"≈ 750\s*mots", page) and re.search(r"≈ 2[\s\u202f\u00a0]?250\s*mots", page)
    assert "sous 48 h" in page and "sous 24 h" in page and "sous 12 h" in page
    assert "<strong>27\u00a0€</strong>" in page and "27,00" not in page
    assert "Oriane Lune" in page and "<li>Astrologie</li>" in page
    assert 'href="/commander/?level=integrale&amp;service=vip"' in page
    assert '<meta name="description" content="Votre lecture spirituelle personnalisée' in page
    assert '<meta property="og:title"' in page and '<html lang="fr">' in page


def test_the_delivery_targets_follow_the_settings(client, catalogue, settings):
    settings.DELIVERY_TARGET_HOURS = {"basic": 72, "premium": 36, "vip": 6}

    landing = client.get("/").content.decode()
    order_page = client.get("/commander/?level=simple&service=vip").content.decode()

    assert "sous 72 h" in landing and "sous 36 h" in landing and "sous 6 h" in landing
    assert "Livraison promise sous 6 h après le paiement." in order_page


def test_the_order_page_deep_link_shows_the_chosen_offer_first_and_the_others_behind_changer_de_formule(
    client, catalogue
):
    page = client.get("/commander/?level=integrale&service=vip").content.decode()

    chosen = page.split('id="chosen-offer"')[1].split("</div>")[0]
    assert "Intégrale VIP" in chosen and "179\u00a0€" in chosen and "livrée sous 12 h" in chosen
    assert "hidden" not in chosen.split(">")[0]
    picker = page.split('<details class="offer-picker" id="offer-picker"')[1]
    assert picker.startswith("><summary>") or picker.startswith(">\n")  # closed
    assert "<summary>Changer de formule</summary>" in picker
    assert 'value="integrale:vip"' in picker and "checked" in picker.split('value="integrale:vip"')[1].split(">")[0]


def test_the_order_page_without_a_choice_opens_the_offer_list(client, catalogue):
    page = client.get("/commander/?level=inconnu&service=vip").content.decode()

    assert '<details class="offer-picker" id="offer-picker" open>' in page
    assert "<summary>Choisir une formule</summary>" in page
    assert 'id="chosen-offer" hidden' in page


def test_the_withdrawal_checkbox_is_unticked_by_default_and_explained(client, catalogue):
    page = client.get("/commander/").content.decode()

    checkbox = re.search(r'<input type="checkbox" id="withdrawal-waiver"[^>]*>', page).group(0)
    assert "checked" not in checkbox
    assert 'name="withdrawalWaiver"' in checkbox
    assert "je reconnais perdre mon droit de rétractation une fois la lecture livrée" in page
    assert 'href="/droit-de-retractation/"' in page and 'href="/cgv/"' in page


def test_the_waiting_dashboard_estimates_the_delivery_from_the_tier(client, client_user):
    complete_profile(client_user)
    order = paid_order(client=client_user, service="vip")
    paid_at = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    Order.objects.filter(pk=order.pk).update(paid_at=paid_at)
    profile_update(user=client_user, data={})  # retires the cached dashboard
    client.force_login(client_user, backend="sanctuaire.backends.ClientMagicLinkBackend")

    page = client.get("/sanctuaire/").content.decode()

    assert "Livraison estimée avant le <strong>14 mars 2026 à 22:30</strong>" in page
    assert Order.objects.get(pk=order.pk).delivery_due_at == paid_at + timedelta(hours=12)


@pytest.mark.parametrize(("path", "content_type"), [
    ("/favicon.ico", "image/"), ("/favicon.svg", "image/svg+xml"), ("/robots.txt", "text/plain"),
])
def test_the_favicon_and_robots_are_served_at_the_root(client, path, content_type):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)


def test_the_confirmation_page_promises_the_delivery_before_a_date_once_paid(client):
    order = paid_order(service="premium")
    Order.objects.filter(pk=order.pk).update(paid_at=datetime(2026, 7, 1, 8, 0, tzinfo=UTC))  # 10:00 in Paris

    page = client.get(f"/commande/{order.pk}/").content.decode()

    assert '<dt>Livraison promise</dt><dd id="promised-delivery">avant le 2 juillet 2026 à 10:00</dd>' in page
