"""Field-encryption keys: their own list from the environment, rotation, and `reencrypt_fields` (issue 11)."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.contrib.auth import SESSION_KEY
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from encrypted_fields.fields import EncryptedTextField as LibraryTextField
from rest_framework.test import APIClient
from sesame.utils import get_token

from accounts.models import ClientProfile
from orders.models import Order
from tests.experts.helpers import CONTENT, in_validation
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
K1, K2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _raw_order(order_id) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT birth_place, question, expert_prompt, generated_content FROM orders_order WHERE id = %s", [order_id]
        )
        return dict(zip(("birth_place", "question", "expert_prompt", "generated_content"), cursor.fetchone(), strict=True))


@pytest.mark.django_db
def test_a_key_rotation_keeps_data_readable_and_reencrypt_fields_moves_it_to_the_new_key(expert, settings):
    settings.FIELD_ENCRYPTION_KEYS = [K1]
    order = in_validation(expert, content=CONTENT, birth_place="Lyon", question="Quel chemin ?")
    before = _raw_order(order.pk)
    assert Fernet(K1).decrypt(before["birth_place"].encode()) == b"Lyon"

    settings.FIELD_ENCRYPTION_KEYS = [K2, K1]
    still = Order.objects.get(pk=order.pk)
    assert (still.birth_place, still.question, still.generated_content) == ("Lyon", "Quel chemin ?", CONTENT)

    out = io.StringIO()
    call_command("reencrypt_fields", "--batch-size", "2", stdout=out)

    after = _raw_order(order.pk)
    assert all(after[column] != before[column] for column in before)
    for value in after.values():
        Fernet(K2).decrypt(value.encode())  # the new key alone reads every value
        with pytest.raises(InvalidToken):
            Fernet(K1).decrypt(value.encode())
    assert "orders.Order: 1/1 rows" in out.getvalue()  # progress, as plain lines when not at a terminal
    settings.FIELD_ENCRYPTION_KEYS = [K2]  # the old key can go
    order = Order.objects.get(pk=order.pk)
    assert (order.birth_place, order.generated_content, order.versions.get().content) == ("Lyon", CONTENT, CONTENT)


@pytest.mark.django_db
def test_reencrypt_fields_run_twice_rewrites_nothing_the_second_time(expert, settings):
    settings.FIELD_ENCRYPTION_KEYS = [K1]
    in_validation(expert, birth_place="Lyon")
    settings.FIELD_ENCRYPTION_KEYS = [K2, K1]
    call_command("reencrypt_fields", stdout=io.StringIO())
    raw = _raw_order(Order.objects.get().pk)

    out = io.StringIO()
    call_command("reencrypt_fields", stdout=out)

    assert "0 values re-encrypted" in out.getvalue()
    assert _raw_order(Order.objects.get().pk) == raw


@pytest.mark.django_db
def test_data_written_with_the_secret_key_derived_key_stays_readable_and_is_moved_to_the_new_key(settings):
    """A database written before FIELD_ENCRYPTION_KEYS (key from SECRET_KEY + FIELD_ENCRYPTION_SALT)."""
    settings.SALT_KEY = settings.FIELD_ENCRYPTION_LEGACY_SALTS  # the library's own setting name
    legacy_token = LibraryTextField().get_prep_value("Née à Brest")
    profile = ClientProfile.objects.create(user=UserFactory())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sanctuaire_clientprofile SET birth_place = %s WHERE id = %s", [legacy_token, profile.pk])

    assert ClientProfile.objects.get(pk=profile.pk).birth_place == "Née à Brest"
    call_command("reencrypt_fields", stdout=io.StringIO())

    with connection.cursor() as cursor:
        cursor.execute("SELECT birth_place FROM sanctuaire_clientprofile WHERE id = %s", [profile.pk])
        stored = cursor.fetchone()[0]
    assert Fernet(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(stored.encode()) == "Née à Brest".encode()


@pytest.mark.django_db
def test_reencrypt_fields_fails_loudly_on_a_value_no_key_decrypts(expert, settings):
    settings.FIELD_ENCRYPTION_KEYS = [K1]
    in_validation(expert, birth_place="Lyon")
    settings.FIELD_ENCRYPTION_KEYS = [K2]  # K1 forgotten

    with pytest.raises(CommandError, match="decrypt with none of the configured keys"):
        call_command("reencrypt_fields", stdout=io.StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [K1]
    assert Order.objects.get().birth_place == "Lyon"  # left as it was


@pytest.mark.django_db
def test_a_magic_link_signed_before_a_secret_key_rotation_works_while_the_old_key_is_a_fallback(
    client, client_user, settings
):
    old_secret = settings.SECRET_KEY
    token = get_token(client_user)
    settings.SECRET_KEY = "rotated-" + "s" * 60

    settings.SECRET_KEY_FALLBACKS = []
    refused = client.post(reverse("sanctuaire:magic_link"), {"token": token})
    settings.SECRET_KEY_FALLBACKS = [old_secret]
    accepted = client.post(reverse("sanctuaire:magic_link"), {"token": token})

    assert refused.status_code == 400
    assert accepted.status_code == 302 and client.session[SESSION_KEY] == str(client_user.pk)


@pytest.mark.django_db
def test_api_tokens_issued_before_a_secret_key_rotation_work_while_the_old_key_is_a_fallback(client_user, settings):
    """The Sanctuaire's (and the desk's) JWTs: signed with SECRET_KEY, so a rotation must not end them at once."""
    api = APIClient()
    pair = api.post(reverse("sanctuaire:api_token"), {"token": get_token(client_user)}, format="json").json()
    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY = "rotated-" + "s" * 60

    def profile(access: str) -> int:
        return api.get(reverse("sanctuaire:api_profile"), HTTP_AUTHORIZATION=f"Bearer {access}").status_code

    settings.SECRET_KEY_FALLBACKS = []
    refused = profile(pair["access"])
    settings.SECRET_KEY_FALLBACKS = [old_secret]
    accepted = profile(pair["access"])
    renewed = api.post(reverse("sanctuaire:api_token_refresh"), {"refresh": pair["refresh"]}, format="json")
    settings.SECRET_KEY_FALLBACKS = []  # the old key dropped: what was issued after the rotation still works

    assert (refused, accepted, renewed.status_code) == (401, 200, 200)
    assert profile(renewed.json()["access"]) == 200
    assert profile(pair["access"]) == 401


def test_secret_key_fallbacks_and_field_keys_are_read_from_the_environment():
    env = {**os.environ, "LUMIRA_ENV": "test", "DJANGO_SECRET_KEY_FALLBACKS": "old-one,older-one",
           "FIELD_ENCRYPTION_KEYS": f"{K2},{K1}"}
    code = "from lumira import settings as s; print(s.SECRET_KEY_FALLBACKS, s.FIELD_ENCRYPTION_KEYS)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    assert result.stdout.strip() == f"['old-one', 'older-one'] ['{K2}', '{K1}']", result.stderr
