"""The deliverables of a reading (SPEC §11): audio from level 2 (espeak or the provider's speech API, served to
its owner only, with byte ranges), the chart and the mandala drawn by Lumira from level 3, the 30 days at
level 4, on the reading page and in the PDF."""

import base64
import io
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.db.models.signals import pre_save
from django.urls import reverse
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from engine.chart import BODY_GLYPHS, SIGN_GLYPHS
from experts.services import content_validate
from orders.models import Order, OrderEvent
from orders.services import order_audio_attach
from sanctuaire.audio import audio_store
from sanctuaire.services import reading_audio_render
from tests.content import MANDALA_COLORS, reading_content, sample_chart

from .conftest import awaiting_order, complete_profile, completed_order

CHART = sample_chart()
AUDIO_BYTES = bytes(range(256)) * 40  # 10,240 bytes, each position recognisable


@pytest.fixture
def signed_in(client, client_user):
    complete_profile(client_user)
    client.force_login(client_user)
    return client


@pytest.fixture
def with_chart():
    """Orders carry the client's chart (stored encrypted on `Order.chart` when the order is created)."""
    def give_chart(sender, instance, **kwargs):
        if instance.chart is None:
            instance.chart = CHART

    pre_save.connect(give_chart, sender=Order)
    yield
    pre_save.disconnect(give_chart, sender=Order)


def _approve(client_user, level: int) -> Order:
    order = awaiting_order(client=client_user, level=level, content=reading_content(level))
    content_validate(order_id=order.pk, expert=order.expert, action="approve")
    order.refresh_from_db()
    return order


def _with_audio(order: Order, data: bytes = AUDIO_BYTES) -> Order:
    assert order_audio_attach(order_id=order.pk, name=audio_store(data, "ogg")).changed
    order.refresh_from_db()
    return order


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())


def _svgs(page: str, css_class: str) -> list[str]:
    found = re.findall(rf'<img class="{css_class}" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', page)
    return [base64.b64decode(data).decode() for data in found]


# --- audio -------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_approving_a_level_2_reading_renders_its_audio_with_espeak_after_commit(
    signed_in, client_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = _approve(client_user, level=2)
    order.refresh_from_db()

    assert order.audio_name.startswith("reading-audio/") and order.audio_name.endswith(".ogg")
    with default_storage.open(order.audio_name, "rb") as handle:
        data = handle.read()
    assert data.startswith(b"OggS") and b"OpusHead" in data[:200] and len(data) > 2_000
    assert OrderEvent.objects.filter(order=order, action="audio_rendered").count() == 1
    page = signed_in.get(reverse("sanctuaire:reading_detail", args=[order.pk])).content.decode()
    audio_url = reverse("sanctuaire:reading_audio", args=[order.pk])
    assert f'<audio controls preload="none" src="{audio_url}"' in page
    response = signed_in.get(audio_url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/ogg"
    assert b"".join(response.streaming_content) == data
    [email] = mail.outbox  # the delivery email leads to the reading page, where the player is
    assert "version audio" in email.body and f"/sanctuaire/lectures/{order.pk}/" in email.body


@pytest.mark.django_db
def test_a_level_1_reading_gets_no_audio(signed_in, client_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = _approve(client_user, level=1)

    assert len(mail.outbox) == 1  # the delivery email only: no audio task ran
    assert not order.audio_name and not OrderEvent.objects.filter(action="audio_rendered").exists()
    page = signed_in.get(reverse("sanctuaire:reading_detail", args=[order.pk])).content.decode()
    assert "<audio" not in page and "Passer au niveau Intuitive" in page
    assert "version audio" not in mail.outbox[0].body
    assert signed_in.get(reverse("sanctuaire:reading_audio", args=[order.pk])).status_code == 404


@pytest.mark.django_db
def test_rendering_the_audio_again_keeps_the_first_file_only(client_user):
    order = _with_audio(completed_order(client=client_user, level=2, content=reading_content(2)))

    assert reading_audio_render(order_id=order.pk) == "skipped"

    order.refresh_from_db()
    assert len(default_storage.listdir("reading-audio")[1]) == 1
    assert OrderEvent.objects.filter(order=order, action="audio_rendered").count() == 1


@pytest.mark.django_db
def test_the_audio_is_served_with_byte_ranges_so_a_player_can_seek(signed_in, client_user):
    order = _with_audio(completed_order(client=client_user, level=2, content=reading_content(2)))
    url = reverse("sanctuaire:reading_audio", args=[order.pk])

    whole = signed_in.get(url)
    middle = signed_in.get(url, HTTP_RANGE="bytes=1000-1999")
    tail = signed_in.get(url, HTTP_RANGE="bytes=-100")
    open_ended = signed_in.get(url, HTTP_RANGE="bytes=10000-")
    beyond = signed_in.get(url, HTTP_RANGE="bytes=20000-")

    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes" and whole["Content-Length"] == "10240"
    assert whole["Cache-Control"] == "private, no-store"
    assert middle.status_code == 206 and middle["Content-Range"] == "bytes 1000-1999/10240"
    assert b"".join(middle.streaming_content) == AUDIO_BYTES[1000:2000] and middle["Content-Length"] == "1000"
    assert tail.status_code == 206 and b"".join(tail.streaming_content) == AUDIO_BYTES[-100:]
    assert open_ended["Content-Range"] == "bytes 10000-10239/10240"
    assert b"".join(open_ended.streaming_content) == AUDIO_BYTES[10000:]
    assert beyond.status_code == 416 and beyond["Content-Range"] == "bytes */10240"


@pytest.mark.django_db
def test_another_client_gets_404_and_a_visitor_is_sent_to_sign_in_for_the_audio(client, client_user, other_client_user):
    order = _with_audio(completed_order(client=client_user, level=2, content=reading_content(2)))
    url = reverse("sanctuaire:reading_audio", args=[order.pk])
    complete_profile(other_client_user)
    completed_order(client=other_client_user, level=4, content=reading_content(4))

    anonymous = client.get(url, HTTP_RANGE="bytes=0-99")
    client.force_login(other_client_user)
    stranger = client.get(url, HTTP_RANGE="bytes=0-99")

    assert anonymous.status_code == 302 and "/sanctuaire/connexion/" in anonymous["Location"]
    assert stranger.status_code == 404


class _SpeechStandIn(BaseHTTPRequestHandler):
    """The provider's `POST /v1/audio/speech`: records the request, answers MP3-looking bytes."""

    requests: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        self.send_response(200)
        self.send_header("Content-Type", "audio/mpeg")
        payload = b"ID3\x03\x00" + b"\xff\xfb" * 500
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.mark.django_db
def test_the_openai_backend_speaks_the_script_through_the_providers_speech_api(
    settings, signed_in, client_user, django_capture_on_commit_callbacks
):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SpeechStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.TTS_BACKEND, settings.TTS_MODEL, settings.TTS_VOICE = "openai", "tts-test", "alloy"
    settings.LLM_BASE_URL, settings.LLM_API_KEY = f"http://127.0.0.1:{server.server_port}/v1", "sk-test"
    _SpeechStandIn.requests = []
    try:
        with django_capture_on_commit_callbacks(execute=True):
            order = _approve(client_user, level=2)
    finally:
        server.shutdown()
    order.refresh_from_db()

    [request] = _SpeechStandIn.requests
    assert request["path"] == "/v1/audio/speech" and request["auth"] == "Bearer sk-test"
    assert request["body"]["model"] == "tts-test" and request["body"]["voice"] == "alloy"
    assert request["body"]["input"] == reading_content(2)["audioScript"]
    assert order.audio_name.endswith(".mp3")
    response = signed_in.get(reverse("sanctuaire:reading_audio", args=[order.pk]))
    assert response["Content-Type"] == "audio/mpeg" and b"".join(response.streaming_content).startswith(b"ID3")


# --- page and PDF per level ------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_the_reading_page_shows_what_the_level_unlocks_and_nothing_more(signed_in, client_user, with_chart, level):
    content = reading_content(level)
    order = _with_audio(completed_order(client=client_user, level=level, content=content)) if level >= 2 else (
        completed_order(client=client_user, level=level, content=content))

    page = signed_in.get(reverse("sanctuaire:reading_detail", args=[order.pk])).content.decode()

    assert "<h3>Votre chemin professionnel MARK-SECTION</h3>" in page and "Votre archétype" in page
    assert ('<ol class="ritual-steps">' in page) is (level >= 2)
    assert ("Le soir de la nouvelle lune du 12 décembre 2026" in page) is (level >= 2)
    assert ("<audio controls" in page) is (level >= 2)
    assert ("MARK-SYNTHESIS" in page) is (level >= 3)
    assert (len(_svgs(page, "wheel")) == 1 and "<th scope=\"row\">Soleil</th>" in page) is (level >= 3)
    assert (len(_svgs(page, "mandala")) == 1) is (level >= 3)
    assert page.count('<li class="guidance-day">') == (30 if level == 4 else 0)
    assert ("Jour 30" in page) is (level == 4)


@pytest.mark.django_db
def test_the_mandala_on_the_page_holds_no_script_and_only_the_allowed_colours(signed_in, client_user, with_chart):
    content = reading_content(3)
    content["mandala"]["colors"] = [*MANDALA_COLORS, "url(javascript:alert(1))", "#zzzzzz"]
    content["mandala"]["symbols"].append("<script>")
    order = completed_order(client=client_user, level=3, content=content)

    page = signed_in.get(reverse("sanctuaire:reading_detail", args=[order.pk])).content.decode()

    [svg] = _svgs(page, "mandala")
    assert "<script" not in svg.lower() and "javascript" not in svg and " on" not in svg.replace(" onl", "")
    colours = set(re.findall(r'(?:fill|stroke)="([^"]+)"', svg)) - {"none"}
    assert colours and colours <= set(MANDALA_COLORS)


@pytest.mark.django_db
def test_the_pdf_holds_every_section_of_a_level_4_reading_with_page_numbers_and_the_first_name(
    signed_in, client_user, with_chart, caplog
):
    content = reading_content(4)
    content["reading"]["sections"][1]["body"] += "\n" + "x" * 200  # a word wider than the page still prints
    order = completed_order(client=client_user, level=4, content=content)

    response = signed_in.get(reverse("sanctuaire:reading_pdf", args=[order.pk]))
    text = _pdf_text(response)
    pages = len(PdfReader(io.BytesIO(response.content)).pages)

    for step in content["ritual"]["steps"]:
        assert " ".join(step.split()) in text
    assert "Le soir de la nouvelle lune du 12 décembre 2026" in text and "Je laisse venir ce qui est juste." in text
    assert "MARK-SYNTHESIS Confiance et patience." in text and "Votre force est dans la constance." in text
    assert "Votre chemin professionnel MARK-SECTION" in text and "Vos liens et votre cœur" in text
    assert "Votre thème astral" in text and "Astre Signe Degré Maison" in text and "Saturne Capricorne" in text
    assert "Votre mandala" in text and "Accueillir la douceur." in text
    assert "Pratique n° 30 : marchez en silence dix minutes." in text and "Focus du jour 30" in text
    assert "Page 1/" in text and f"Page {pages}/{pages}" in text and "Alice · Page" in text
    assert "Lumira · lecture pour Alice" in text  # the header from page 2 (no "de Alice")
    assert "« œuvre du cœur »" in text and "d’écoute" in text  # embedded DejaVu: French typography kept
    assert b"/FontFile2" in response.content  # the TrueType font is embedded
    assert "x" * 60 in text.replace(" ", "")
    fonts = {str(font.get_object()["/BaseFont"]) for page in PdfReader(io.BytesIO(response.content)).pages
             for font in page["/Resources"].get_object().get("/Font", {}).values()}
    assert fonts and all("DejaVu" in font for font in fonts), fonts  # the wheel's text too: no unembedded Helvetica
    assert not [r for r in caplog.records if "drawing left out" in r.getMessage()]  # the wheel and mandala drawn


@pytest.mark.django_db
def test_the_pdf_wheel_prints_the_zodiac_and_planet_glyphs_in_the_embedded_font(signed_in, client_user, with_chart):
    order = completed_order(client=client_user, level=3, content=reading_content(3))

    response = signed_in.get(reverse("sanctuaire:reading_pdf", args=[order.pk]))

    [wheel_page] = [page for page in PdfReader(io.BytesIO(response.content)).pages
                    if "Votre thème astral" in page.extract_text()]
    text = wheel_page.extract_text()
    assert [glyph for glyph in SIGN_GLYPHS if glyph not in text] == []  # ♈ … ♓, drawn on the zodiac ring
    assert [glyph for glyph in BODY_GLYPHS.values() if glyph not in text] == []
    # The font that draws them is embedded (a subset of DejaVu Sans) and maps each sign to a glyph of its own.
    embedded = {}
    for font in wheel_page["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        embedded[str(font["/BaseFont"])] = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
    regular = next(font for name, font in embedded.items() if name.endswith("DejaVuSansBook"))
    cmap = regular.getBestCmap()
    assert all(cmap.get(ord(glyph), ".notdef") != ".notdef" for glyph in SIGN_GLYPHS), cmap


@pytest.mark.django_db
@pytest.mark.parametrize("level", [1, 2, 3])
def test_the_pdf_of_a_lower_level_leaves_out_what_it_does_not_unlock(signed_in, client_user, with_chart, level):
    order = completed_order(client=client_user, level=level, content=reading_content(4))

    text = _pdf_text(signed_in.get(reverse("sanctuaire:reading_pdf", args=[order.pk])))

    assert "MARK-READING" in text and "Page 1/" in text
    assert ("Allumez une bougie blanche" in text) is (level >= 2)
    assert ("MARK-SYNTHESIS" in text) is (level >= 3)
    assert ("Votre thème astral" in text) is (level >= 3)
    assert ("Votre mandala" in text) is (level >= 3)
    assert "Votre guidance sur 30 jours" not in text and "Focus du jour" not in text


@pytest.mark.django_db
def test_without_a_chart_a_level_3_reading_shows_the_mandala_but_no_wheel(signed_in, client_user):
    order = completed_order(client=client_user, level=3, content=reading_content(3))

    page = signed_in.get(reverse("sanctuaire:reading_detail", args=[order.pk])).content.decode()
    text = _pdf_text(signed_in.get(reverse("sanctuaire:reading_pdf", args=[order.pk])))

    assert _svgs(page, "wheel") == [] and len(_svgs(page, "mandala")) == 1
    assert "Votre thème astral" not in text and "Votre mandala" in text
