"""What the expert sees of the intake (SPEC §5, §9, §11): what is missing, the chart (wheel and table, and
in the API), the client's photos; and the refusal to send an order whose intake lacks what generation needs."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import ClientProfile
from orders.models import OrderStatus
from orders.services import order_chart_apply
from tests.experts.helpers import assert_desk_refused, desk
from tests.factories import paid_order

PROCESS = "/api/expert/process-order"


def charted_order(**kwargs):
    order = paid_order(
        birth_date=datetime.date(1985, 3, 21), birth_time="14:30", birth_place="Paris (Île-de-France)", **kwargs
    )
    order_chart_apply(order)
    order.save()
    return order


@pytest.mark.django_db
def test_the_api_lists_what_the_intake_lacks_and_gives_no_chart_without_a_birth_date(expert_api):
    order = paid_order(birth_date=None, question="")

    body = expert_api.get(f"/api/expert/orders/{order.pk}").json()["order"]

    assert body["intakeMissing"] == ["birthDate", "question"]
    assert body["chart"] is None


@pytest.mark.django_db
def test_the_api_gives_the_stored_chart(expert_api):
    order = charted_order()

    body = expert_api.get(f"/api/expert/orders/{order.pk}").json()["order"]

    assert body["intakeMissing"] == []
    chart = body["chart"]
    assert chart["timeKnown"] is True and chart["place"]["name"] == "Paris (Île-de-France)"
    assert [b["key"] for b in chart["bodies"]][:2] == ["sun", "moon"] and chart["bodies"][0]["sign"] == "Bélier"
    assert len(chart["houses"]) == 12 and chart["numerology"]["lifePath"]


@pytest.mark.django_db
@pytest.mark.parametrize(("inputs", "missing"), [
    ({"birth_date": None}, "la date de naissance"),
    ({"question": ""}, "la question"),
])
def test_process_order_refuses_an_incomplete_intake_with_a_409(expert_api, inputs, missing):
    order = paid_order(**inputs)

    response = expert_api.post(PROCESS, {"orderId": str(order.pk), "expertPrompt": "Lis."}, format="json")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "intake_incomplete" and missing in error["message"]
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.generation_attempt_id is None


@pytest.mark.django_db
def test_the_desk_disables_the_send_button_and_says_what_is_missing(expert):
    order = paid_order(birth_date=None, question="")

    page = desk(expert).get(reverse("experts:order", args=[order.pk])).content.decode()

    assert "En attente du client : il manque la date de naissance et la question." in page
    assert '<button type="submit" class="btn" disabled aria-describedby="intake-missing">Envoyer en génération</button>' in page
    assert "Pas de thème natal : la date de naissance manque." in page


@pytest.mark.django_db
def test_the_desk_refuses_to_send_an_incomplete_order_with_a_409(expert):
    order = paid_order(question="")

    response = desk(expert).post(
        reverse("experts:generate", args=[order.pk]), {"prompt": "Lis.", "instructions": ""}, HTTP_HX_REQUEST="true"
    )

    assert_desk_refused(response, 409, "il manque la question", order, OrderStatus.PAID)


@pytest.mark.django_db
def test_the_desk_shows_the_chart_wheel_and_its_table(expert):
    order = charted_order()

    page = desk(expert).get(reverse("experts:order", args=[order.pk])).content.decode()

    chart = page[page.index('id="chart"'):]
    assert "<svg" in chart and "</svg>" in chart
    assert "<th scope=\"row\">Soleil</th><td>Bélier</td>" in chart
    assert "Ascendant" in chart and "Chemin de vie" in chart and "Aspects majeurs" in chart
    assert '<button type="submit" class="btn">Envoyer en génération</button>' in page


@pytest.mark.django_db
def test_an_unknown_birth_time_says_there_are_no_houses(expert):
    order = paid_order(birth_date=datetime.date(1985, 3, 21), birth_time="", birth_place="Paris (Île-de-France)")
    order_chart_apply(order)
    order.save()

    page = desk(expert).get(reverse("experts:order", args=[order.pk])).content.decode()

    assert "Heure inconnue : pas de maisons ni d&#x27;Ascendant." in page
    assert "Maison</th>" not in page


def _profile_with_photos(order) -> ClientProfile:
    return ClientProfile.objects.create(user=order.client, face_photo="photos/face.jpg", palm_photo="photos/palm.jpg")


@pytest.mark.django_db
def test_the_assigned_expert_sees_the_client_photos(expert):
    order = paid_order(expert=expert)
    profile = _profile_with_photos(order)

    page = desk(expert).get(reverse("experts:order", args=[order.pk])).content.decode()

    assert "Photos du client" in page
    assert f'src="{profile.photo_url("face")}"' in page and f'src="{profile.photo_url("palm")}"' in page


@pytest.mark.django_db
def test_an_expert_who_does_not_hold_the_order_sees_no_photos(expert, admin_expert):
    order = paid_order()
    _profile_with_photos(order)

    for viewer in (expert, admin_expert):
        page = desk(viewer).get(reverse("experts:order", args=[order.pk])).content.decode()
        assert "Photos du client" not in page and "/sanctuaire/photos/" not in page
