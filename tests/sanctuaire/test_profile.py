import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from accounts.models import ClientProfile
from orders import services as order_services
from orders.models import Order, OrderStatus
from sanctuaire import services
from tests.concurrency import all_at_once
from tests.factories import ExpertFactory, paid_order

from .conftest import PROFILE_FORM, complete_profile, image_bytes, processing_order

PROFILE = reverse("sanctuaire:profile")
HOME = reverse("sanctuaire:home")
VALID = PROFILE_FORM


def _photo_url(profile: ClientProfile, kind: str) -> str:
    return reverse("sanctuaire:photo", kwargs={"profile_id": profile.pk, "kind": kind})


@pytest.mark.django_db
def test_a_client_without_a_complete_profile_is_shown_the_profile_form_first(client, client_user):
    client.force_login(client_user)

    response = client.get(HOME, follow=True)

    assert response.redirect_chain[-1][0] == PROFILE
    page = response.content.decode()
    assert "Commencez par compléter votre profil" in page
    for label in ("Date de naissance", "Heure de naissance", "Lieu de naissance", "Votre question", "Votre objectif"):
        assert label in page


@pytest.mark.django_db
def test_saving_the_profile_leads_to_the_dashboard(client, client_user):
    client.force_login(client_user)

    response = client.post(PROFILE, VALID, follow=True)

    assert response.redirect_chain == [(HOME, 302)]
    assert "Bienvenue dans votre Sanctuaire" in response.content.decode()
    profile = ClientProfile.objects.get(user=client_user)
    assert (profile.birth_date, profile.birth_time, profile.birth_place) == (
        datetime.date(1990, 4, 12), "08:30", "Lyon (Auvergne-Rhône-Alpes)"
    )
    assert profile.is_complete


@pytest.mark.django_db
def test_the_form_shows_the_saved_values_for_editing(client, client_user):
    complete_profile(client_user, birth_place="Brest")
    client.force_login(client_user)
    page = client.get(PROFILE).content.decode()
    assert 'value="Brest"' in page and 'value="1990-04-12"' in page and 'value="08:30"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", "2999-01-01", "ne peut pas être dans le futur"),
        ("birth_date", "hier", "Cette date n&#x27;existe pas"),
        ("birth_time", "25:99", "Saisissez l&#x27;heure au format HH:MM"),
        ("question", "", "Ce champ est obligatoire"),
        ("birth_place", "x" * 201, "au plus 200 caractères"),
    ],
)
def test_bad_input_gets_a_french_error_and_saves_nothing(client, client_user, field, value, message):
    client.force_login(client_user)
    response = client.post(PROFILE, {**VALID, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ClientProfile.objects.filter(user=client_user).exists()


@pytest.mark.django_db
def test_personal_data_is_stored_encrypted(client_user):
    complete_profile(client_user, birth_place="Carcassonne", question="Ma question secrète", objective="Objectif intime")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT birth_date, birth_time, birth_place, question, objective FROM sanctuaire_clientprofile WHERE user_id = %s",
            [client_user.pk],
        )
        raw = " ".join(cursor.fetchone())
    for plaintext in ("1990-04-12", "08:30", "Carcassonne", "Ma question secrète", "Objectif intime"):
        assert plaintext not in raw
    assert raw.startswith("gAAAAA")  # Fernet tokens
    assert ClientProfile.objects.get(user=client_user).birth_place == "Carcassonne"


@pytest.mark.django_db
def test_photo_paths_and_copied_order_inputs_are_stored_encrypted(client, client_user):
    order = paid_order(client=client_user)
    client.force_login(client_user)
    client.post(PROFILE, {**VALID, "birth_place": "Carcassonne", "face_photo": SimpleUploadedFile("v.jpg", image_bytes())})

    with connection.cursor() as cursor:
        cursor.execute("SELECT face_photo FROM sanctuaire_clientprofile WHERE user_id = %s", [client_user.pk])
        (face_photo,) = cursor.fetchone()
        cursor.execute("SELECT birth_place, question, client_phone FROM orders_order WHERE id = %s", [order.pk])
        order_raw = " ".join(cursor.fetchone())
    stored_name = ClientProfile.objects.get(user=client_user).face_photo
    assert stored_name.startswith("client-photos/") and stored_name not in face_photo
    assert "Carcassonne" not in order_raw and "carrière" not in order_raw and "+33" not in order_raw


@pytest.mark.django_db
def test_the_profile_reaches_the_generation_inputs_of_paid_orders_only(client, client_user):
    waiting = paid_order(client=client_user)
    in_generation = processing_order(client=client_user)
    someone_else = paid_order()
    client.force_login(client_user)

    client.post(PROFILE, VALID)

    waiting.refresh_from_db()
    in_generation.refresh_from_db()
    someone_else.refresh_from_db()
    assert (waiting.birth_date, waiting.birth_time, waiting.birth_place) == (
        datetime.date(1990, 4, 12), "08:30", "Lyon (Auvergne-Rhône-Alpes)"
    )
    assert (waiting.question, waiting.objective) == (VALID["question"], VALID["objective"])
    assert waiting.status == OrderStatus.PAID
    assert waiting.events.filter(action="client_inputs_updated", actor=client_user).count() == 1
    assert not in_generation.birth_place and not in_generation.events.filter(action="client_inputs_updated").exists()
    assert not someone_else.birth_place


@pytest.mark.django_db
def test_saving_the_same_profile_again_writes_no_new_order_event(client_user):
    order = paid_order(client=client_user)
    data = {**VALID, "birth_date": datetime.date(1990, 4, 12)}
    services.profile_update(user=client_user, data=data)

    services.profile_update(user=client_user, data=data)

    assert order.events.filter(action="client_inputs_updated").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_profile_saved_while_an_expert_starts_generation_never_changes_the_order_in_generation(client_user):
    assert connection.vendor == "postgresql"
    order = paid_order(client=client_user)
    expert = ExpertFactory()
    outcomes = all_at_once([
        lambda: services.profile_update(user=client_user, data={**VALID, "birth_date": datetime.date(1990, 4, 12)}),
        lambda: order_services.order_start_generation(order_id=order.pk, expert=expert, prompt="p"),
    ])

    assert [outcome for outcome in outcomes if isinstance(outcome, Exception)] == []
    order.refresh_from_db()
    assert order.status == OrderStatus.PROCESSING
    changed_after_start = order.events.filter(
        action="client_inputs_updated", created_at__gt=order.events.get(action="generation_started").created_at
    )
    assert not changed_after_start.exists()
    assert order.birth_place in (None, "Lyon, France")


# --- photos ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_photo_is_stored_privately_under_a_random_name_and_shown_to_its_owner(client, client_user):
    client.force_login(client_user)
    client.post(PROFILE, {**VALID, "face_photo": SimpleUploadedFile("moi-vacances.jpg", image_bytes(), "image/jpeg")})

    profile = ClientProfile.objects.get(user=client_user)
    assert "moi-vacances" not in profile.face_photo and len(profile.face_photo.rsplit("/", 1)[-1]) > 40
    assert default_storage.exists(profile.face_photo)
    response = client.get(_photo_url(profile, "face"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg" and "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


@pytest.mark.django_db
def test_a_png_and_a_webp_are_accepted(client, client_user):
    client.force_login(client_user)
    response = client.post(
        PROFILE,
        {
            **VALID,
            "face_photo": SimpleUploadedFile("a.png", image_bytes("PNG")),
            "palm_photo": SimpleUploadedFile("b.webp", image_bytes("WEBP")),
        },
    )
    assert response.status_code == 302
    profile = ClientProfile.objects.get(user=client_user)
    assert profile.face_photo.endswith(".png") and profile.palm_photo.endswith(".webp")


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused_whatever_its_name_and_content_type(client, client_user):
    client.force_login(client_user)
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")

    response = client.post(PROFILE, {**VALID, "face_photo": fake})

    assert response.status_code == 400
    assert "Format non accepté" in response.content.decode()
    assert not ClientProfile.objects.filter(user=client_user).exists()


@pytest.mark.django_db
def test_a_truncated_image_is_refused(client, client_user):
    client.force_login(client_user)
    broken = SimpleUploadedFile("p.jpg", image_bytes()[:60], "image/jpeg")
    response = client.post(PROFILE, {**VALID, "palm_photo": broken})
    assert response.status_code == 400 and "illisible" in response.content.decode()


@pytest.mark.django_db
def test_a_photo_over_the_size_limit_is_refused(client, client_user, settings):
    settings.SANCTUAIRE_PHOTO_MAX_BYTES = 1000
    client.force_login(client_user)
    response = client.post(PROFILE, {**VALID, "face_photo": SimpleUploadedFile("big.png", image_bytes("PNG", (400, 400)))})
    assert response.status_code == 400 and "taille maximale" in response.content.decode()


@pytest.mark.django_db
def test_replacing_or_removing_a_photo_deletes_the_old_file(client, client_user, django_capture_on_commit_callbacks):
    client.force_login(client_user)
    client.post(PROFILE, {**VALID, "face_photo": SimpleUploadedFile("a.jpg", image_bytes())})
    first = ClientProfile.objects.get(user=client_user).face_photo

    with django_capture_on_commit_callbacks(execute=True):
        client.post(PROFILE, {**VALID, "face_photo": SimpleUploadedFile("b.jpg", image_bytes())})
    second = ClientProfile.objects.get(user=client_user).face_photo
    assert second != first and not default_storage.exists(first) and default_storage.exists(second)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(PROFILE, {**VALID, "remove_face_photo": "on"})
    assert not ClientProfile.objects.get(user=client_user).face_photo and not default_storage.exists(second)


@pytest.mark.django_db
def test_the_expert_assigned_to_one_of_the_clients_orders_sees_the_photo(client, client_user, expert):
    paid_order(client=client_user, expert=expert)
    profile = complete_profile(client_user)
    services.profile_update(user=client_user, data={}, photos={"palm": _prepared()})
    client.force_login(expert.user)

    response = client.get(_photo_url(profile, "palm"))

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (OrderStatus.PENDING, 404), (OrderStatus.PAID, 200), (OrderStatus.PROCESSING, 200),
        (OrderStatus.AWAITING_VALIDATION, 200), (OrderStatus.COMPLETED, 404), (OrderStatus.REFUNDED, 404),
        (OrderStatus.CANCELED, 404), (OrderStatus.FAILED, 404),
    ],
)
def test_an_expert_sees_a_clients_photo_only_while_working_on_one_of_their_orders(
    client, client_user, expert, status, expected
):
    order = paid_order(client=client_user, expert=expert)
    Order.objects.filter(pk=order.pk).update(status=status)  # only the status decides
    profile = complete_profile(client_user)
    services.profile_update(user=client_user, data={}, photos={"face": _prepared()})
    client.force_login(expert.user)

    assert client.get(_photo_url(profile, "face")).status_code == expected


@pytest.mark.django_db
def test_anyone_else_gets_404_for_a_photo(client, client_user, other_client_user, other_expert, inactive_expert, staff_user):
    paid_order(client=client_user, expert=inactive_expert)
    paid_order(client=other_client_user, expert=other_expert)  # assigned to another client's order only
    profile = complete_profile(client_user)
    services.profile_update(user=client_user, data={}, photos={"face": _prepared()})

    for viewer in (other_client_user, other_expert.user, inactive_expert.user, staff_user):
        client.force_login(viewer)
        assert client.get(_photo_url(profile, "face")).status_code == 404
    client.force_login(client_user)
    assert client.get(_photo_url(profile, "palm")).status_code == 404  # no palm photo
    assert client.get(_photo_url(profile, "passport")).status_code == 404


@pytest.mark.django_db
def test_an_anonymous_visitor_asking_for_a_photo_is_sent_to_sign_in(client, client_user):
    profile = complete_profile(client_user)
    services.profile_update(user=client_user, data={}, photos={"face": _prepared()})
    response = client.get(_photo_url(profile, "face"))
    assert response.status_code == 302 and reverse("sanctuaire:login") in response["Location"]


@pytest.mark.django_db
def test_the_uploaded_photo_loses_its_metadata(client, client_user):
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="JPEG", exif=exif)
    assert b"PhoneMaker" in buffer.getvalue()
    client.force_login(client_user)

    client.post(PROFILE, {**VALID, "face_photo": SimpleUploadedFile("e.jpg", buffer.getvalue())})

    with default_storage.open(ClientProfile.objects.get(user=client_user).face_photo) as stored:
        assert b"PhoneMaker" not in stored.read()


def _prepared():
    from sanctuaire.photos import photo_prepare

    return photo_prepare(SimpleUploadedFile("p.jpg", image_bytes()))


@pytest.mark.django_db
def test_a_failed_save_leaves_no_new_file_behind(client_user, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "profile_apply_to_orders", explode)
    with pytest.raises(RuntimeError):
        services.profile_update(user=client_user, data=VALID, photos={"face": _prepared()})

    assert not ClientProfile.objects.filter(user=client_user).exists()
    _, files = default_storage.listdir("client-photos")
    assert files == []


@pytest.mark.django_db
def test_the_profile_page_refuses_other_methods(client, client_user):
    client.force_login(client_user)
    assert client.put(PROFILE).status_code == 405
    assert Order.objects.count() == 0
