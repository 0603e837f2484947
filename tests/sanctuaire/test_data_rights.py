"""A client's data rights (issue 15): download everything as a ZIP, erase the account."""

import io
import json
import uuid
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import ClientProfile
from orders.models import ContentVersion, Order, OrderEvent, OrderStatus
from sanctuaire.data_rights import MANIFEST_NAME
from sanctuaire.models import DataRequest
from sanctuaire.services import magic_link_request, profile_update
from tests.factories import UserFactory
from tests.sanctuaire.conftest import (
    MARKS,
    awaiting_order,
    complete_profile,
    completed_order,
    image_bytes,
    processing_order,
)

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice():
    user = UserFactory(email="alice.data@example.com", first_name="Alice", last_name="Martin")
    complete_profile(user, question="Dois-je partir à Lisbonne ?")
    profile_update(user=user, data={}, photos={"face": ContentFile(image_bytes(), name="face.jpg")})
    return user


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))


# --- export -----------------------------------------------------------------------------------------------

def test_the_export_is_a_zip_with_the_profile_the_orders_the_reading_and_the_photo(alice):
    order = completed_order(client=alice)
    client = _signed_in(alice)

    response = client.post(reverse("sanctuaire:data_export"))

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="lumira-mes-donnees-')
    assert "no-store" in response["Cache-Control"]
    archive = _zip(response)
    manifest = json.loads(archive.read(MANIFEST_NAME))
    assert manifest["account"]["email"] == "alice.data@example.com"
    assert manifest["profile"]["question"] == "Dois-je partir à Lisbonne ?"
    assert manifest["profile"]["birthDate"] == "1990-04-12" and manifest["profile"]["birthPlace"] == "Lyon, France"
    [record] = manifest["orders"]
    assert record["number"] == order.number and record["amountCents"] == order.amount
    assert record["clientEmail"] == "alice.data@example.com"
    assert MARKS["reading"] in json.dumps(record["reading"], ensure_ascii=False)
    assert [event["action"] for event in record["events"]][:2] == ["created", "payment_succeeded"]
    assert all("note" not in event for event in record["events"])  # the experts' internal notes stay internal
    face = manifest["profile"]["photos"]["face"]
    assert face in archive.namelist() and archive.read(face)[:3] == b"\xff\xd8\xff"  # the JPEG itself
    assert DataRequest.objects.filter(user=alice, kind="export", orders_count=1, files_count=1).count() == 1


def test_a_reading_not_yet_delivered_is_not_in_the_export(alice):
    awaiting_order(client=alice)
    manifest = json.loads(_zip(_signed_in(alice).post(reverse("sanctuaire:data_export"))).read(MANIFEST_NAME))
    assert manifest["orders"][0]["reading"] is None


def test_the_export_is_only_the_signed_in_clients_own_and_never_a_get(alice):
    completed_order(client=alice)
    stranger = UserFactory(email="bruno@example.com")
    complete_profile(stranger)

    theirs = _signed_in(stranger).post(reverse("sanctuaire:data_export"))
    as_get = _signed_in(alice).get(reverse("sanctuaire:data_export"))
    signed_out = Client().post(reverse("sanctuaire:data_export"))

    manifest = json.loads(_zip(theirs).read(MANIFEST_NAME))
    assert manifest["account"]["email"] == "bruno@example.com" and manifest["orders"] == []
    assert "alice" not in json.dumps(manifest).lower()
    assert as_get.status_code == 405
    assert signed_out.status_code == 302
    assert list(DataRequest.objects.values_list("user__email", "kind")) == [("bruno@example.com", "export")]


def test_a_stranger_gets_404_for_the_clients_photo_and_reading_even_after_an_export(alice):
    order = completed_order(client=alice)
    profile = ClientProfile.objects.get(user=alice)
    stranger = _signed_in(UserFactory(email="bruno@example.com"))

    assert stranger.get(reverse("sanctuaire:photo", args=[profile.pk, "face"])).status_code == 404
    assert stranger.get(reverse("sanctuaire:reading_detail", args=[order.pk])).status_code == 404


# --- erasure ----------------------------------------------------------------------------------------------

def _erase(client: Client, email: str, understood: bool = True):
    data = {"email": email, **({"understood": "on"} if understood else {})}
    return client.post(reverse("sanctuaire:data_erase"), data)


def test_erasing_the_account_removes_personal_data_keeps_accounting_and_closes_the_account(
    alice, settings, django_capture_on_commit_callbacks, mailoutbox
):
    order = completed_order(client=alice)
    photo = Path(settings.MEDIA_ROOT) / ClientProfile.objects.get(user=alice).face_photo
    assert photo.exists()
    other_browser = _signed_in(alice)
    client = _signed_in(alice)

    with django_capture_on_commit_callbacks(execute=True):
        response = _erase(client, "Alice.Data@example.com")

    assert response.status_code == 200 and "Votre compte est effacé" in response.content.decode()
    assert not photo.exists()
    assert not ClientProfile.objects.filter(user=alice).exists()
    # Raw SQL: no trace of the email, the name, the birth data or the question, encrypted or not.
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, first_name, last_name, is_active FROM accounts_user WHERE id = %s", [alice.pk])
        email, first, last, active = cursor.fetchone()
        cursor.execute(
            "SELECT number, amount, currency, status, level, service, client_name, client_email, client_phone,"
            " birth_date, birth_place, question, objective, chart, generated_content, expert_prompt"
            " FROM orders_order WHERE client_id = %s", [alice.pk])
        [row] = cursor.fetchall()
        cursor.execute("SELECT content, prompt FROM orders_contentversion WHERE order_id = %s", [order.pk])
        versions = cursor.fetchall()
    assert "alice" not in email.lower() and email.endswith("@efface.invalid") and (first, last, active) == ("", "", False)
    assert row[:6] == (order.number, order.amount, order.currency, OrderStatus.COMPLETED, order.level, order.service)
    assert row[6:8] == ("", "") and all(value in (None, "") for value in row[8:])
    stored = Order.objects.get(pk=order.pk)
    assert (stored.question or "", stored.birth_date, stored.generated_content, stored.chart) == ("", None, None, None)
    assert all(ContentVersion.objects.get(pk=v.pk).content == {} for v in order.versions.all()) and versions
    assert [event.note for event in OrderEvent.objects.filter(order=order)] == [""] * order.events.count()
    # Logged: an event on the order, an audit row; the orders still count for accounting.
    assert OrderEvent.objects.filter(order=order, action="personal_data_erased", actor=alice).count() == 1
    assert DataRequest.objects.filter(user=alice, kind="erasure", orders_count=1, files_count=1).count() == 1
    assert Order.objects.filter(status=OrderStatus.COMPLETED, amount=order.amount, number=order.number).exists()
    # The account is closed everywhere: this browser, the other one, and magic links.
    assert client.get(reverse("sanctuaire:home")).status_code == 302
    assert other_browser.get(reverse("sanctuaire:home")).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        magic_link_request(email="alice.data@example.com")
    assert mailoutbox == []


def test_erasure_needs_the_accounts_email_and_the_box_ticked(alice):
    client = _signed_in(alice)

    wrong = _erase(client, "someone@example.com")
    unticked = _erase(client, "alice.data@example.com", understood=False)

    assert wrong.status_code == 400 and "Ce n&#x27;est pas l&#x27;adresse de votre compte." in wrong.content.decode()
    assert unticked.status_code == 400
    alice.refresh_from_db()
    assert alice.is_active and ClientProfile.objects.filter(user=alice).exists()
    assert not DataRequest.objects.filter(kind="erasure").exists()


def test_erasure_is_refused_while_an_order_is_being_prepared_and_nothing_changes(alice):
    order = processing_order(client=alice)

    response = _erase(_signed_in(alice), "alice.data@example.com")

    assert response.status_code == 409
    assert f"Votre commande {order.number} n&#x27;est pas encore livrée" in response.content.decode()
    order.refresh_from_db()
    alice.refresh_from_db()
    assert alice.is_active and alice.email == "alice.data@example.com" and order.question
    assert not OrderEvent.objects.filter(action="personal_data_erased").exists()


def test_the_data_page_offers_the_download_by_post_and_the_erasure(alice):
    html = _signed_in(alice).get(reverse("sanctuaire:data")).content.decode()
    assert f'method="post" action="{reverse("sanctuaire:data_export")}"' in html
    assert f'href="{reverse("sanctuaire:data_erase")}"' in html


def test_the_reading_audio_is_in_the_export_and_deleted_with_the_account(alice, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    from experts.models import AIRun, GenerationAttempt
    from orders.services import order_audio_attach

    order = completed_order(client=alice, level=2)
    name = default_storage.save("reading-audio/test-audio.ogg", ContentFile(b"OggS-fake-audio"))
    order_audio_attach(order_id=order.pk, name=name)
    attempt = GenerationAttempt.objects.create(id=uuid.uuid4(), order=order, revision=0, deadline_at=order.paid_at,
                                               request={"messages": [{"content": "Lisbonne"}]})
    AIRun.objects.create(attempt=attempt, order=order, backend="openai", model="m", error="refus : Lisbonne")
    client = _signed_in(alice)

    archive = _zip(client.post(reverse("sanctuaire:data_export")))
    assert archive.read(f"lectures/{order.number}-audio.ogg") == b"OggS-fake-audio"

    with django_capture_on_commit_callbacks(execute=True):
        _erase(client, alice.email)

    order.refresh_from_db()
    assert not order.audio_name and not default_storage.exists(name)
    attempt.refresh_from_db()
    assert attempt.request is None and AIRun.objects.get(attempt=attempt).error == ""
