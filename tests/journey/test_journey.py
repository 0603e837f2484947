"""The whole journey in headless Chromium, with nothing stubbed: the live site on PostgreSQL, localstripe (its
API, its fake Stripe.js in the page, its webhooks to the site) and a Celery worker consuming from Redis.

A client orders and pays by card → the confirmation shows it paid → an expert signs in to the desk, takes
the order, sends it to generation (the worker runs the local generator), rejects the first version with a
reason, corrects one text of the revision and approves it on its preview → the client signs in by the emailed
link, completes the profile, reads the reading (with the correction) and downloads its PDF, downloads all
their data, and erases their account. Every page is checked with axe-core (no serious or critical violation) and
photographed into test-artifacts/journey/.

The worker runs in a thread of this process (celery.contrib.testing), so the emails it sends land in
`mail.outbox` like the site's own.
"""

import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
import redis
from axe_playwright_python.sync_playwright import Axe
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connections
from playwright.sync_api import expect

from accounts.models import ClientProfile
from engine.places import resolve_place
from experts.services import expert_create
from lumira.celery import app as celery_app
from orders.models import Order, OrderStatus, VersionOutcome
from payments.stripe_api import local_account_ensure
from payments.webhooks import webhook_endpoint_register
from tests.browser_support import chromium, fill_order_form, reading_pdf_download, type_card
from tests.factories import offer
from tests.reliability.helpers import publishing_to
from tests.server_support import suite_redis_url

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "journey"
# What waits on localstripe and the worker (payment, generation): 2 CPUs shared by other jobs can take seconds.
WORKER_WAIT_MS = 60_000
BROKER = suite_redis_url()
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CLIENT_EMAIL = "camille.lune@example.com"
EXPERT_EMAIL, EXPERT_PASSWORD = "oriane@lumira.local", "expert-password-123"
REJECTION = "Parler davantage de la carrière"
REVISED = "Votre vocation et votre travail"  # the composer's section on work, first in a revision asking for it
EXPERT_EDIT = "Ajout de votre experte : respirez trois fois avant de commencer."
NOWHERE = "http://127.0.0.1:9"  # where localstripe's later webhooks go once the live server is gone


@pytest.fixture
def site(live_server, stripe_api, settings):
    """The live site, registered with localstripe: its webhooks reach the site for real."""
    settings.SITE_URL = live_server.url  # links in emails (the magic link) point at the live site
    settings.GENERATION_BACKEND = "local"
    # The place gazetteer is built once per process (seconds, a quarter of a minute on a busy machine): built
    # here, not inside the first checkout, whose page would otherwise outwait the browser's timeout.
    resolve_place("Lyon")
    local_account_ensure()
    registration = webhook_endpoint_register(base_url=live_server.url)
    offer()  # the catalogue
    expert_create(email=EXPERT_EMAIL, name="Oriane Lune", password=EXPERT_PASSWORD)
    yield live_server
    stripe_api.register_webhook(NOWHERE, registration.endpoint.secret)


@pytest.fixture
def worker(site):
    """A Celery worker consuming from Redis in a thread of this process; the site publishes to Redis."""
    redis.Redis.from_url(BROKER).flushdb()  # nothing left over from an earlier run
    # The worker thread opens its own database connection: close it after each task, so that none is
    # left open on the test database when the thread ends.
    max_age = connections.settings["default"]["CONN_MAX_AGE"]
    connections.settings["default"]["CONN_MAX_AGE"] = 0
    try:
        # publishing_to puts Celery's broker back as it found it (writing back values read here would pin
        # them for every later test).
        with publishing_to(BROKER), start_worker(celery_app, pool="solo", perform_ping_check=False,
                                                 loglevel="WARNING", shutdown_timeout=30) as running:
            yield running
    finally:
        connections.settings["default"]["CONN_MAX_AGE"] = max_age


@pytest.fixture
def browser():
    with chromium("--lang=fr-FR") as launched:
        yield launched


class Journey:
    """Numbered screenshots, and an axe-core check of every page they show (all its findings, whatever their
    impact, go to test-artifacts/journey/axe.json with the time they took; serious and critical ones fail
    the test)."""

    def __init__(self) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob("*.png"):  # the screenshots of this run only
            old.unlink()
        self.count = 0
        self.checked: list[str] = []
        self.findings: dict[str, list[dict]] = {}
        self.axe_seconds = 0.0

    def step(self, page, name: str) -> None:
        self.count += 1
        page.screenshot(path=ARTIFACTS / f"{self.count:02d}-{name}.png", full_page=True)
        # localstripe's fake card element (absent with real Stripe, whose card iframe is Stripe's) is not ours.
        started = time.monotonic()
        violations = Axe().run(page, context={"exclude": [["#card-element"]]}).response["violations"]
        self.axe_seconds += time.monotonic() - started
        self.findings[name] = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]]}
            for v in violations
        ]
        report = {"seconds": round(self.axe_seconds, 2), "violations": self.findings}
        (ARTIFACTS / "axe.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
        serious = [f for f in self.findings[name] if f["impact"] in ("serious", "critical")]
        assert serious == [], f"{name} ({page.url}): {serious}"
        self.checked.append(name)


def _wait_for(predicate, *, timeout: float = 20.0, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _emails_to(address: str, subject_part: str) -> list:
    return [message for message in mail.outbox if address in message.to and subject_part in message.subject]


@pytest.mark.long
def test_a_client_pays_an_expert_validates_a_revision_and_the_client_reads_and_downloads_the_reading(
    site, worker, browser, tmp_path
):
    journey = Journey()

    # 1. The client orders Intuitive Premium and pays with 4242 on the order page.
    client = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    client.set_default_timeout(20_000)
    client.goto(site.url + "/")
    journey.step(client, "home")
    client.get_by_role("link", name="Commander Intuitive Premium").click()
    expect(client.get_by_role("heading", name="Commander votre lecture")).to_be_visible()
    fill_order_form(
        client, name="Camille Lune", email=CLIENT_EMAIL, phone="06 12 34 56 78", birth_date="1990-04-12",
        birth_time="08:30", birth_place="Lyon", question="Quelle direction pour ma carrière ?",
    )
    type_card(client, "4242424242424242")
    # Paying without the withdrawal acknowledgement is refused at the checkbox; ticking it lets the payment go.
    waiver = client.get_by_label("Je demande que ma lecture me soit fournie avant la fin du délai de rétractation")
    expect(waiver).not_to_be_checked()
    client.get_by_role("button", name="Payer ma lecture").click()
    expect(client.locator("#error-withdrawalWaiver")).to_contain_text("Cochez la case")
    assert not Order.objects.exists()
    waiver.check()
    journey.step(client, "order-form")
    client.get_by_role("button", name="Payer ma lecture").click()

    # 2. localstripe's webhook marks it paid; the confirmation page (htmx polling) says so.
    client.wait_for_url("**/commande/*/", timeout=WORKER_WAIT_MS)
    expect(client.get_by_text("Paiement confirmé")).to_be_visible(timeout=WORKER_WAIT_MS)
    order = Order.objects.get()
    assert (order.status, order.amount, order.client_email) == (OrderStatus.PAID, 7900, CLIENT_EMAIL)
    assert order.withdrawal_waived_at is not None
    expect(client.get_by_role("heading", name=f"Commande {order.number}")).to_be_visible()
    journey.step(client, "paid")
    _wait_for(lambda: _emails_to(CLIENT_EMAIL, "est payée"), what="the payment email")

    # 3. The expert signs in to the desk and takes the order from the queue.
    desk = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    desk.set_default_timeout(20_000)
    desk.goto(site.url + "/desk/")
    desk.get_by_label("Adresse e-mail").fill(EXPERT_EMAIL)
    desk.get_by_label("Mot de passe").fill(EXPERT_PASSWORD)
    journey.step(desk, "desk-login")
    desk.get_by_role("button", name="Se connecter").click()
    expect(desk.get_by_role("heading", name="File d'attente")).to_be_visible()
    expect(desk.locator("#stats-panel")).to_contain_text("Payée")  # drawn with the page
    row = desk.locator(f"#order-row-{order.pk}")
    journey.step(desk, "desk-queue")
    row.get_by_role("button", name="Prendre").click()
    expect(row).to_contain_text("À vous")
    row.get_by_role("link", name=order.number).click()
    expect(desk.get_by_role("heading", name=f"Commande {order.number}")).to_be_visible()
    journey.step(desk, "desk-order")

    # 4. Generation through Redis and the worker; the desk page polls until the content is there.
    desk.get_by_role("button", name="Envoyer en génération").click()
    expect(desk.get_by_role("heading", name="Contenu à valider")).to_be_visible(timeout=WORKER_WAIT_MS)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_VALIDATION
    journey.step(desk, "desk-first-version")

    # 5. The expert rejects it with a reason: the worker generates the revision, which answers the reason.
    desk.get_by_label("Motif du rejet (obligatoire)").fill(REJECTION)
    desk.get_by_role("button", name="Rejeter et demander une révision").click()
    expect(desk.locator("#order-panel")).to_contain_text("révision 1")
    # The revision's content, after polling: it answers the reason (the career first) without quoting it.
    expect(desk.locator(".reading")).to_contain_text(REVISED, timeout=WORKER_WAIT_MS)
    expect(desk.locator(".reading")).not_to_contain_text(REJECTION)
    journey.step(desk, "desk-revision")
    _wait_for(lambda: _emails_to(EXPERT_EMAIL, "Révision 1"), what="the revision email to the expert")

    # 6. The expert corrects the ritual (a new version in their name), sees what the client will receive,
    # and confirms: the reading is delivered.
    desk.get_by_role("link", name="Corriger le texte").click()
    ritual = desk.get_by_label("Intention", exact=True)  # the ritual's (a level-2 reading has no mandala)
    ritual.fill(f"{ritual.input_value()} {EXPERT_EDIT}")
    journey.step(desk, "desk-correction")
    desk.get_by_role("button", name="Enregistrer la correction").click()
    expect(desk.get_by_text("Correction enregistrée")).to_be_visible()
    desk.get_by_role("link", name="Approuver et livrer").click()
    expect(desk.locator(".reading-preview")).to_contain_text(EXPERT_EDIT)
    journey.step(desk, "desk-approve-preview")
    desk.get_by_role("button", name="Confirmer : livrer cette lecture").click()
    expect(desk.locator("#order-panel")).to_contain_text("Lecture livrée le")
    journey.step(desk, "desk-delivered")
    order.refresh_from_db()
    assert (order.status, order.revision_count) == (OrderStatus.COMPLETED, 2)
    assert [(v.revision, v.outcome) for v in order.versions.order_by("revision")] == [
        (0, VersionOutcome.REJECTED), (1, VersionOutcome.EDITED), (2, VersionOutcome.APPROVED),
    ]
    assert order.versions.get(revision=2).edited_by.email == EXPERT_EMAIL
    assert order.versions.get(revision=0).rejection_reason == REJECTION
    _wait_for(lambda: _emails_to(CLIENT_EMAIL, "lecture"), what="the reading-ready email")
    # The worker reads the reading aloud (espeak-ng + ffmpeg) once it is delivered (level 2: Intuitive).
    _wait_for(lambda: Order.objects.get(pk=order.pk).audio_name, timeout=90, what="the reading's audio")

    # 7. The client, in a fresh browser (phone width), asks for a sign-in link; the worker emails it.
    reader = browser.new_context(viewport=PHONE, locale="fr-FR", accept_downloads=True).new_page()
    reader.set_default_timeout(20_000)
    reader.goto(site.url + "/sanctuaire/")
    expect(reader.get_by_role("heading", name="Entrer dans votre Sanctuaire")).to_be_visible()
    reader.get_by_label("Votre adresse e-mail").fill(CLIENT_EMAIL)
    journey.step(reader, "sanctuaire-login")
    reader.get_by_role("button", name="Recevoir mon lien de connexion").click()
    reader.wait_for_url("**/connexion/envoye/")
    journey.step(reader, "link-sent")
    email = _wait_for(lambda: _emails_to(CLIENT_EMAIL, "lien de connexion"), what="the magic-link email")[-1]
    link = re.search(r"https?://\S+/sanctuaire/connexion/lien/\S+", email.body).group(0)
    assert link.startswith(site.url)

    # 8. The link signs the client in; the Sanctuaire asks for the profile first.
    reader.goto(link)
    journey.step(reader, "link-confirm")
    reader.get_by_role("button", name="Entrer dans mon Sanctuaire").click()
    reader.wait_for_url("**/sanctuaire/profil/")
    expect(reader.get_by_text("Commencez par compléter votre profil")).to_be_visible()
    journey.step(reader, "profile-form")
    reader.get_by_label("Date de naissance").fill("1990-04-12")
    reader.get_by_label("Heure de naissance").fill("08:30")
    reader.get_by_label("Lieu de naissance").fill("Lyon, France")
    reader.get_by_label("Votre question").fill("Quelle direction pour ma carrière ?")
    reader.get_by_label("Votre objectif").fill("Retrouver confiance.")
    reader.get_by_role("button", name="Enregistrer mon profil").click()

    # 9. The dashboard lists the delivered reading; the client reads it, then downloads the PDF.
    reader.wait_for_url("**/sanctuaire/")
    expect(reader.get_by_text("Votre profil est enregistré")).to_be_visible()
    assert ClientProfile.objects.get(user__email=CLIENT_EMAIL).is_complete
    journey.step(reader, "dashboard")
    reader.get_by_role("link", name=re.compile("Lire ma lecture")).click()
    reader.wait_for_url(f"**/sanctuaire/lectures/{order.pk}/")
    expect(reader.locator("main")).to_contain_text(REVISED)  # the approved revision, not the first version
    expect(reader.locator("main")).not_to_contain_text(REJECTION)
    expect(reader.locator("main")).to_contain_text(EXPERT_EDIT)  # with the expert's correction
    journey.step(reader, "reading")
    audio = reader.locator("audio")
    assert audio.get_attribute("preload") == "none"
    answer = reader.context.request.get(site.url + audio.get_attribute("src"))
    assert answer.status == 200 and answer.headers["content-type"] in ("audio/ogg", "audio/mpeg")
    assert len(answer.body()) > 1000
    filename, text = reading_pdf_download(reader, tmp_path)
    assert filename == f"lecture-lumira-{order.number}.pdf"
    assert "Camille Lune" in text and order.number in text and REVISED in text and REJECTION not in text
    assert order.generated_content["archetype"]["name"] in text

    # 10. The client downloads everything Lumira holds about them (a POST: nothing personal in a URL).
    reader.get_by_role("link", name="Mes données").click()
    expect(reader.get_by_role("heading", name="Mes données", exact=True)).to_be_visible()
    journey.step(reader, "my-data")
    with reader.expect_download() as download_info:
        reader.get_by_role("button", name="Télécharger mes données (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    manifest = json.loads(archive.read("donnees.json"))
    assert manifest["account"]["email"] == CLIENT_EMAIL and manifest["profile"]["birthPlace"].startswith("Lyon")
    assert [record["number"] for record in manifest["orders"]] == [order.number]
    assert EXPERT_EDIT in json.dumps(manifest["orders"][0]["reading"], ensure_ascii=False)

    # 11. … then erases the account: personal data gone, the order kept for accounting, signed out for good.
    reader.get_by_role("link", name="Effacer mon compte").click()
    reader.get_by_label("Votre adresse e-mail, pour confirmer").fill(CLIENT_EMAIL)
    reader.get_by_label(re.compile("Je comprends")).check()
    journey.step(reader, "erase-confirm")
    reader.get_by_role("button", name="Effacer définitivement mon compte").click()
    expect(reader.get_by_role("heading", name="Votre compte est effacé")).to_be_visible()
    journey.step(reader, "erased")
    order.refresh_from_db()
    assert (order.status, order.amount, order.client_email, order.client_name, order.question or "") == (
        OrderStatus.COMPLETED, 7900, "", "", "")
    assert order.generated_content is None and not ClientProfile.objects.filter(user=order.client).exists()
    assert order.events.filter(action="personal_data_erased").count() == 1
    reader.goto(site.url + "/sanctuaire/")
    reader.wait_for_url("**/sanctuaire/connexion/**")

    assert journey.checked == [
        "home", "order-form", "paid", "desk-login", "desk-queue", "desk-order", "desk-first-version",
        "desk-revision", "desk-correction", "desk-approve-preview", "desk-delivered", "sanctuaire-login", "link-sent",
        "link-confirm", "profile-form", "dashboard", "reading", "my-data", "erase-confirm", "erased",
    ]


def test_the_accessibility_check_catches_what_it_should(browser):
    """The axe-core check above is not blind: a page with an unlabelled field and an image without alt fails it."""
    page = browser.new_page()
    page.set_content('<html lang="fr"><body><main><h1>Test</h1><img src="data:,"><input type="text"></main></body></html>')

    violations = {v["id"]: v["impact"] for v in Axe().run(page).response["violations"]}

    assert violations["image-alt"] == "critical" and violations["label"] == "critical"
