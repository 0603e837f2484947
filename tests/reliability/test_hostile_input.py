"""Hostile input: oversized and malformed bodies, wrong content types, huge uploads, files that are not images,
script in every text field, SQL-ish strings → a clear 4xx (JSON error shape for the APIs, a French page or
form error for the pages), nothing half-written, and whatever is stored is shown escaped."""

import html
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.models import ClientProfile
from experts.models import GenerationAttempt
from orders.models import ContentVersion, Order, OrderEvent
from tests.experts.helpers import CONTENT, api_for, processing, sample_content, signed_callback
from tests.factories import ExpertFactory, UserFactory, offer, paid_order
from tests.sanctuaire.conftest import complete_profile

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("lumira")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
SQL = "Robert'); DROP TABLE orders_order; --"
HOSTILE = f"{SCRIPT} {ATTRIBUTE} {SQL}"
CREATE = "/api/payments/create-payment-intent"
MB = 1024 * 1024


def _counts() -> tuple[int, ...]:
    return (Order.objects.count(), get_user_model().objects.count(), OrderEvent.objects.count(),
            GenerationAttempt.objects.count(), ContentVersion.objects.count(), ClientProfile.objects.count())


def _order_form(**changes) -> dict:
    return {"level": "intuitive", "service": "premium", "expertId": None, "email": "camille@example.com",
            "name": "Camille Lune", "phone": "06 12 34 56 78", "withdrawalWaiver": True, **changes}


NESTED = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (json.dumps(_order_form(name="x" * 3 * MB)), "application/json", 413, "too_large"),
        ("x" * 13 * MB, "application/json", 413, "too_large"),  # refused before it is read
        ("{'level': 'simple'", "application/json", 400, "parse_error"),
        (NESTED, "application/json", 400, "parse_error"),
        (b"\xff\xfe{\x00", "application/json", 400, "parse_error"),
        ("level=simple&service=basic", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        (json.dumps(_order_form()), "text/plain", 415, "unsupported_media_type"),
        (json.dumps([_order_form()]), "application/json", 400, "invalid"),
        (json.dumps(_order_form(name="Camille\x00Lune")), "application/json", 400, "invalid"),
        (json.dumps(_order_form(name="x" * 151)), "application/json", 400, "invalid"),
        (json.dumps(_order_form(email="a" * 250 + "@example.com")), "application/json", 400, "invalid"),
        (json.dumps(_order_form(email=SQL)), "application/json", 400, "invalid"),
        (json.dumps(_order_form(level="' OR 1=1 --")), "application/json", 400, "invalid"),
        (json.dumps(_order_form(expertId="1 OR 1=1")), "application/json", 400, "invalid"),
    ],
    ids=["3MB-json", "13MB-body", "malformed", "nested-100k", "not-utf8", "form-encoded", "text-plain", "list",
         "nul-char", "name-too-long", "email-too-long", "sql-email", "sql-level", "sql-expert-id"],
)
def test_hostile_bodies_to_the_order_api_get_a_clear_4xx_and_write_nothing(body, content_type, status, code):
    offer()
    before = _counts()

    response = Client().post(CREATE, data=body, content_type=content_type)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == code and response.json()["error"]["message"]
    assert _counts() == before


@pytest.mark.parametrize(
    ("body", "status"),
    [(NESTED, 400), ("{", 400), (json.dumps({"orderId": "x", "expertPrompt": "x" * 3 * MB}), 413),
     (json.dumps({"orderId": "1' OR '1'='1", "expertPrompt": "p"}), 400)],
    ids=["nested", "malformed", "3MB", "sql-order-id"],
)
def test_hostile_bodies_to_the_expert_and_sanctuaire_apis_get_a_json_4xx(expert, body, status):
    api = api_for(expert.user)
    for url in ("/api/expert/process-order", "/api/expert/validate-content", "/api/sanctuaire/token"):
        response = api.post(url, data=body, content_type="application/json")
        assert response.status_code == status, (url, response.content[:200])
        assert response.json()["error"]["code"]


def test_a_signed_callback_that_is_nested_too_deep_or_carries_nul_characters_is_refused_and_changes_nothing(expert):
    order = processing(expert)
    nul = {"orderId": str(order.pk), "attemptId": str(order.generation_attempt_id), "success": True,
           "content": {**CONTENT, "title": "a\u0000b"}}

    nested = signed_callback(Client(), NESTED.encode())
    with_nul = signed_callback(Client(), nul)

    assert (nested.status_code, nested.json()["error"]["code"]) == (400, "invalid")
    assert (with_nul.status_code, with_nul.json()["error"]["code"]) == (400, "invalid")
    order.refresh_from_db()
    assert order.status == "processing" and not order.versions.exists()


def test_query_strings_and_ids_that_look_like_sql_are_a_4xx(expert):
    api = api_for(expert.user)
    assert api.get("/api/expert/orders?status=' OR 1=1 --").status_code == 400
    assert api.get("/api/expert/orders?level=1;DROP TABLE orders_order").status_code == 400
    assert api.get("/api/expert/orders?page=1' OR '1'='1").status_code == 404
    assert Client().get("/api/payments/order/1' OR '1'='1").status_code == 404
    assert Client().get("/sanctuaire/commandes/not-a-uuid/").status_code == 404


# --- forms and uploads ------------------------------------------------------------------------------------------

def _jpeg(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 200, 90)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _pixel_bomb() -> bytes:
    """A PNG of a few kilobytes that would decode to 400 million pixels."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG")
    return buffer.getvalue()


PROFILE = {"birth_date": "1990-04-12", "birth_time": "08:30", "birth_place": "Lyon", "question": "Q ?", "objective": "O."}


@pytest.fixture
def client_in(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    user = UserFactory(email="alice@example.com")
    complete_profile(user)
    browser = Client()
    browser.force_login(user)
    return browser, user, tmp_path / "private"


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (SimpleUploadedFile("photo.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg"), "Format non accepté"),
        (SimpleUploadedFile("photo.jpg", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n" * 10, content_type="image/jpeg"),
         "Format non accepté"),
        (SimpleUploadedFile("photo.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                            content_type="image/jpeg"), "Format non accepté"),
        (SimpleUploadedFile("photo.jpg", _jpeg()[:200], content_type="image/jpeg"), "illisible"),
        (SimpleUploadedFile("big.jpg", _jpeg() + b"\0" * (6 * MB), content_type="image/jpeg"), "taille maximale"),
        (SimpleUploadedFile("bomb.jpg", _pixel_bomb(), content_type="image/jpeg"), "illisible"),  # Pillow: a bomb
    ],
    ids=["php-as-jpg", "pdf-as-jpg", "svg-script-as-jpg", "truncated-jpeg", "6MB", "pixel-bomb-png-as-jpg"],
)
def test_a_photo_that_is_not_a_small_real_image_is_a_form_error_and_nothing_is_written(client_in, upload, error):
    browser, user, media = client_in
    before = ClientProfile.objects.get(user=user)

    response = browser.post(reverse("sanctuaire:profile"), {**PROFILE, "birth_place": "Paris", "face_photo": upload})

    assert response.status_code == 400
    assert error in html.unescape(response.content.decode())
    after = ClientProfile.objects.get(user=user)
    assert (after.birth_place, after.face_photo) == (before.birth_place, before.face_photo)  # not half-saved
    assert not media.exists() or not any(media.rglob("*.*"))


def test_a_huge_upload_is_refused_before_it_is_read_with_a_413_page(client_in):
    browser, _, media = client_in
    huge = SimpleUploadedFile("huge.jpg", _jpeg() + b"\0" * (13 * MB), content_type="image/jpeg")

    response = browser.post(reverse("sanctuaire:profile"), {**PROFILE, "face_photo": huge})

    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()
    assert not media.exists() or not any(media.rglob("*.*"))


def test_an_oversized_or_overstuffed_desk_form_gets_a_french_400_page(expert):
    order = processing(expert)
    desk = Client()
    desk.force_login(expert.user)
    url = reverse("experts:generate", args=[order.pk])

    too_big = desk.post(url, {"prompt": "x" * 3 * MB})
    too_many = desk.post(url, {f"field{n}": "1" for n in range(1200)})

    assert too_big.status_code == too_many.status_code == 400
    assert "Requête invalide" in too_big.content.decode() and "Requête invalide" in too_many.content.decode()


# --- script in every text field, shown escaped ---------------------------------------------------------------

def _assert_escaped(page: str, where: str, *, shown: bool = True) -> None:
    for raw in (SCRIPT, ATTRIBUTE, "<img src=x", "<script>alert(1)"):
        assert raw not in page, f"{where}: {raw!r} rendered unescaped"
    if shown:
        assert "&lt;script&gt;alert(&quot;lumira&quot;)&lt;/script&gt;" in page, f"{where}: the escaped text is missing"


def _with_hostile_text(value, key=""):
    """Every free text of the content followed by the hostile string (colours and symbols stay valid)."""
    if isinstance(value, dict):
        return {k: _with_hostile_text(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return value if key in ("colors", "symbols") else [_with_hostile_text(item, key) for item in value]
    return f"{value} {HOSTILE}" if isinstance(value, str) else value


def test_script_in_every_text_field_is_shown_escaped_on_the_desk_and_in_the_sanctuaire(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    expert = ExpertFactory(name=f"Expert {SCRIPT}")
    client_user = UserFactory(email="eve@example.com", first_name=SCRIPT, last_name=SQL)
    browser = Client()
    browser.force_login(client_user)
    desk = Client()
    desk.force_login(expert.user)
    # The client's inputs through the profile form (they are copied onto the paid order).
    paid = paid_order(client=client_user, expert=expert, client_name=HOSTILE, level=3)  # level 3 shows the mandala
    profile = browser.post(reverse("sanctuaire:profile"), {
        # The place is resolved against the gazetteer (a hostile one is a form error): only the free texts carry it.
        "birth_date": "1990-04-12", "birth_time": "08:30", "birth_place": "Lyon", "question": HOSTILE,
        "objective": HOSTILE,
    })
    assert profile.status_code == 302
    # The expert's prompt and instructions through the desk; the generator's answer through the signed callback.
    sent = desk.post(reverse("experts:generate", args=[paid.pk]), {"prompt": HOSTILE, "instructions": HOSTILE})
    assert sent.status_code == 302
    paid.refresh_from_db()
    content = _with_hostile_text(sample_content(3, paid.duration))
    body = {"orderId": str(paid.pk), "attemptId": str(paid.generation_attempt_id), "success": True, "content": content}
    assert signed_callback(Client(), body).status_code == 200
    # The expert rejects with a hostile reason and notes, the revision comes back, the expert approves.
    rejected = desk.post(reverse("experts:validate", args=[paid.pk]),
                         {"action": "reject", "reason": HOSTILE, "notes": HOSTILE})
    assert rejected.status_code == 302
    paid.refresh_from_db()
    body["attemptId"] = str(paid.generation_attempt_id)
    assert signed_callback(Client(), body).status_code == 200
    desk_pages = {
        "desk order": desk.get(reverse("experts:order", args=[paid.pk])),
        "desk queue": desk.get(reverse("experts:queue") + "?status=all"),
        "desk validation queue": desk.get(reverse("experts:validation_queue")),
    }
    approved = desk.post(reverse("experts:validate", args=[paid.pk]), {"action": "approve", "notes": HOSTILE})
    assert approved.status_code == 302

    pages = {
        **desk_pages,
        "desk order after approval": desk.get(reverse("experts:order", args=[paid.pk])),
        "sanctuaire dashboard": browser.get(reverse("sanctuaire:home")),
        "sanctuaire profile": browser.get(reverse("sanctuaire:profile")),
        "sanctuaire order": browser.get(reverse("sanctuaire:order_detail", args=[paid.pk])),
        "sanctuaire reading": browser.get(reverse("sanctuaire:reading_detail", args=[paid.pk])),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        _assert_escaped(response.content.decode(), where, shown=where != "sanctuaire order")  # a timeline only
    # No markup from the AI reaches a page: its mandala is colours and symbols that Lumira draws itself.
    reading = pages["sanctuaire reading"].content.decode()
    assert "<script>alert(1)" not in reading and "<script>alert(" not in pages["desk order"].content.decode()
    # SQL-ish text is stored and given back as it was typed (parameterised queries), nothing was dropped.
    paid.refresh_from_db()
    assert paid.client_name == HOSTILE and paid.question == HOSTILE and paid.expert_prompt == HOSTILE
    assert paid.rejection_reason == HOSTILE and paid.validation_notes == HOSTILE
    assert Order.objects.filter(pk=paid.pk).exists()
    assert "Robert&#x27;); DROP TABLE orders_order; --" in pages["desk order"].content.decode()
