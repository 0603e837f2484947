import base64
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from orders import services as order_services
from tests.factories import create_order, paid_order

from .conftest import MARKS, awaiting_order, complete_profile, completed_order, content_with_intro, processing_order

HOME = reverse("sanctuaire:home")

# What each level shows (SPEC §1); each level includes the ones below it.
VISIBLE_BY_LEVEL = {
    1: {"reading"},
    2: {"reading", "ritual"},
    3: {"reading", "ritual", "synthesis"},
    4: {"reading", "ritual", "synthesis", "guidance"},
}


@pytest.fixture
def signed_in(client, client_user):
    complete_profile(client_user)
    client.force_login(client_user)
    return client


def _data_uri_svgs(page: str, css_class: str) -> list[str]:
    """The SVGs of the page's <img class="…"> data URIs, decoded."""
    found = re.findall(rf'<img class="{css_class}" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', page)
    return [base64.b64decode(data).decode() for data in found]


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.django_db
def test_the_dashboard_lists_orders_with_their_timeline(signed_in, client_user):
    paid = paid_order(client=client_user)
    processing = processing_order(client=client_user)
    waiting = awaiting_order(client=client_user)
    delivered = completed_order(client=client_user)

    page = signed_in.get(HOME).content.decode()

    for order in (paid, processing, waiting, delivered):
        assert order.number in page
    assert page.count('class="timeline"') == 4
    assert page.count("(étape en cours)") == 2  # "en cours" for processing, "validation" for awaiting
    assert "Livrée" in page and "Payée" in page


@pytest.mark.django_db
def test_only_approved_readings_are_shown_never_a_draft(signed_in, client_user):
    draft = awaiting_order(client=client_user, content=content_with_intro("DRAFT-TEXT"))

    page = signed_in.get(HOME).content.decode()

    assert "DRAFT-TEXT" not in page and "Votre lecture apparaîtra ici" in page
    assert signed_in.get(reverse("sanctuaire:reading_detail", args=[draft.pk])).status_code == 404
    assert signed_in.get(reverse("sanctuaire:reading_pdf", args=[draft.pk])).status_code == 404


@pytest.mark.django_db
def test_a_rejected_then_approved_reading_shows_the_approved_version(signed_in, client_user):
    order = awaiting_order(client=client_user, content=content_with_intro("FIRST-VERSION"))
    order = order_services.order_reject(order_id=order.pk, expert=order.expert, reason="Trop court").order
    order_services.order_receive_content(
        order_id=order.pk, attempt_id=order.generation_attempt_id, content=content_with_intro("SECOND-VERSION")
    )
    order_services.order_approve(order_id=order.pk, expert=order.expert)

    page = signed_in.get(reverse("sanctuaire:reading_detail", args=[order.pk])).content.decode()

    assert "SECOND-VERSION" in page and "FIRST-VERSION" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_each_level_shows_its_sections_and_offers_the_upgrade_for_the_others(signed_in, client_user, level):
    order = completed_order(client=client_user, level=level)

    reading = signed_in.get(reverse("sanctuaire:reading_detail", args=[order.pk])).content.decode()
    pdf = _pdf_text(signed_in.get(reverse("sanctuaire:reading_pdf", args=[order.pk])))
    dashboard = signed_in.get(HOME).content.decode()

    for section, mark in MARKS.items():
        visible = section in VISIBLE_BY_LEVEL[level]
        assert (mark in reading) is visible, section
        assert (mark in pdf) is visible, section
    assert ('class="mandala"' in reading) is (level >= 3)
    assert "speechSynthesis" not in reading and "audio-toggle" not in reading  # no browser speech any more
    for higher in range(level + 1, 5):
        slug = ["simple", "intuitive", "alchimique", "integrale"][higher - 1]
        assert f"/commander/?level={slug}&amp;service=premium" in dashboard
        assert f"/commander/?level={slug}&amp;service=premium" in reading
    assert "Passer au niveau" not in reading if level == 4 else "Passer au niveau" in reading


@pytest.mark.django_db
def test_the_highest_paid_level_applies_to_every_reading(signed_in, client_user):
    simple_reading = completed_order(client=client_user, level=1)
    paid_order(client=client_user, level=4)  # bought later, not yet delivered

    page = signed_in.get(reverse("sanctuaire:reading_detail", args=[simple_reading.pk])).content.decode()

    assert MARKS["guidance"] in page
    assert "Intégrale" in signed_in.get(HOME).content.decode()


@pytest.mark.django_db
def test_a_refunded_order_no_longer_gives_its_level(signed_in, client_user):
    completed_order(client=client_user, level=1)
    upgrade = completed_order(client=client_user, level=3)

    order_services.order_refund(order_id=upgrade.pk, note="Remboursement")

    dashboard = signed_in.get(HOME).content.decode()
    assert "Votre niveau d'accès : <strong>Simple</strong>" in dashboard
    assert signed_in.get(reverse("sanctuaire:reading_detail", args=[upgrade.pk])).status_code == 404
    assert "Remboursée" in dashboard


@pytest.mark.django_db
def test_after_the_only_order_is_refunded_nothing_is_unlocked(signed_in, client_user):
    order = completed_order(client=client_user, level=2)
    order_services.order_refund(order_id=order.pk)

    page = signed_in.get(HOME).content.decode()

    assert "Vous n'avez pas encore de commande payée" in page
    assert MARKS["reading"] not in page
    assert "/commander/?level=simple&amp;service=premium" in page


@pytest.mark.django_db
def test_the_pdf_is_a_real_pdf_named_after_the_order(signed_in, client_user):
    order = completed_order(client=client_user, level=3)

    response = signed_in.get(reverse("sanctuaire:reading_pdf", args=[order.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="lecture-lumira-{order.number}.pdf"'
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = _pdf_text(response)
    assert "La Prêtresse" in text and "« œuvre du cœur »" in text and "d’écoute" in text
    assert order.number in text and "Alice Martin" in text
    assert reader.metadata.title == f"Lecture Lumira {order.number}"


@pytest.mark.django_db
def test_the_pdf_falls_back_to_a_built_in_font_without_losing_the_text(signed_in, client_user, settings, tmp_path):
    settings.SANCTUAIRE_PDF_FONT_DIR = str(tmp_path / "no-fonts")
    order = completed_order(client=client_user, level=1)

    text = _pdf_text(signed_in.get(reverse("sanctuaire:reading_pdf", args=[order.pk])))

    assert "La Prêtresse" in text and "« oeuvre du coeur »" in text and "d'écoute" in text


@pytest.mark.django_db
def test_the_mandala_from_the_ai_is_never_inserted_as_raw_markup(signed_in, client_user):
    hostile = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><circle r="4"/></svg>'
    older = {"archetype": "La Lune", "reading": "Texte.", "synthesis": "Synthèse.", "mandalaSvg": hostile}
    order = completed_order(client=client_user, level=3, content=older)

    page = signed_in.get(reverse("sanctuaire:reading_detail", args=[order.pk])).content.decode()
    pdf = signed_in.get(reverse("sanctuaire:reading_pdf", args=[order.pk]))

    assert "<script>alert(2)" not in page and 'onload="alert(1)"' not in page
    drawn = _data_uri_svgs(page, "mandala")
    assert len(drawn) == 1 and "alert" not in drawn[0] and "<script" not in drawn[0]
    assert b"alert" not in pdf.content


@pytest.mark.django_db
def test_reading_text_is_escaped(signed_in, client_user):
    order = completed_order(client=client_user, level=1, content=content_with_intro("<b onclick=x>gras</b>"))
    page = signed_in.get(reverse("sanctuaire:reading_detail", args=[order.pk])).content.decode()
    assert "&lt;b onclick=x&gt;gras&lt;/b&gt;" in page


@pytest.mark.django_db
def test_a_client_opening_another_clients_order_reading_or_pdf_gets_404(signed_in, other_client_user):
    theirs = completed_order(client=other_client_user, level=4)

    for name in ("order_detail", "reading_detail", "reading_pdf"):
        assert signed_in.get(reverse(f"sanctuaire:{name}", args=[theirs.pk])).status_code == 404, name


@pytest.mark.django_db
def test_an_anonymous_visitor_opening_a_reading_is_sent_to_sign_in(client, client_user):
    order = completed_order(client=client_user)
    for name in ("order_detail", "reading_detail", "reading_pdf"):
        response = client.get(reverse(f"sanctuaire:{name}", args=[order.pk]))
        assert response.status_code == 302 and response["Location"].startswith(reverse("sanctuaire:login"))


@pytest.mark.django_db
def test_the_order_page_shows_the_timeline_and_the_reading_once_delivered(signed_in, client_user):
    waiting = processing_order(client=client_user)
    delivered = completed_order(client=client_user)

    waiting_page = signed_in.get(reverse("sanctuaire:order_detail", args=[waiting.pk])).content.decode()
    delivered_page = signed_in.get(reverse("sanctuaire:order_detail", args=[delivered.pk])).content.decode()

    assert 'aria-current="step"' in waiting_page and "Lire ma lecture" not in waiting_page
    assert "Lire ma lecture" in delivered_page


@pytest.mark.django_db
def test_pending_orders_appear_without_a_timeline(signed_in, client_user):
    create_order(client=client_user)
    page = signed_in.get(HOME).content.decode()
    assert "En attente de paiement" in page and 'class="timeline"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_the_dashboard_query_count_does_not_grow_with_orders(signed_in, client_user, django_assert_num_queries, count):
    for index in range(count):
        (completed_order if index % 2 else paid_order)(client=client_user)

    # session, user, profile, the client's orders, their access level
    with django_assert_num_queries(5):
        response = signed_in.get(HOME)

    assert response.status_code == 200


@pytest.mark.django_db
def test_reading_pages_refuse_other_methods(signed_in, client_user):
    order = completed_order(client=client_user)
    assert signed_in.post(reverse("sanctuaire:reading_detail", args=[order.pk])).status_code == 405
    assert signed_in.post(reverse("sanctuaire:reading_pdf", args=[order.pk])).status_code == 405


@pytest.mark.django_db
def test_the_dashboard_card_shows_the_readings_title_and_the_start_of_its_intro(signed_in, client_user):
    completed_order(client=client_user, level=2)

    page = signed_in.get(HOME).content.decode()

    assert "<h3>La Prêtresse : la lecture de Camille</h3>" in page
    assert "MARK-READING Camille, une période" in page and "{&#x27;" not in page and "{'" not in page
