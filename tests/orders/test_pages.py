import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse

from orders.models import Order, OrderStatus
from tests.factories import offer


@pytest.mark.django_db
def test_landing_lists_every_level_with_prices_from_the_database(client, django_assert_num_queries):
    intuitive_premium = offer(2, "premium")
    intuitive_premium.price_cents = 8100
    intuitive_premium.save()

    with django_assert_num_queries(2):  # the active offers; the experts shown
        response = client.get(reverse("orders:landing"))

    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Simple", "Intuitive", "Alchimique", "Intégrale"):
        assert name in page
    assert "81\u00a0€" in page and "27\u00a0€" in page


@pytest.mark.django_db
def test_inactive_offers_are_not_listed(client):
    vip = offer(4, "vip")
    vip.is_active = False
    vip.save()
    page = client.get(reverse("orders:landing")).content.decode()
    assert "179\u00a0€" not in page and "149\u00a0€" in page


@pytest.mark.django_db
def test_staff_sees_orders_with_their_history_in_admin(client, staff_user):
    call_command("load_demo_data", verbosity=0)
    client.force_login(staff_user)
    order = Order.objects.get(status=OrderStatus.COMPLETED)

    listing = client.get(reverse("admin:orders_order_changelist"))
    detail = client.get(reverse("admin:orders_order_change", args=[order.pk]))

    assert listing.status_code == 200 and order.number in listing.content.decode()
    assert detail.status_code == 200 and "approved" in detail.content.decode()


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:orders_order_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_landing_section_names_its_heading_once_and_escapes_what_it_is_given():
    page = Template('{% load lumira %}{% section "faq" title lead=lead %}<p>Body</p>{% endsection %}').render(
        Context({"title": "Q & A", "lead": "<b>lead</b>"})
    )

    assert page.startswith('<section id="faq" class="section" aria-labelledby="faq-titre">')
    assert '<h2 id="faq-titre">Q &amp; A</h2>' in page and '<p class="section-lead">&lt;b&gt;lead&lt;/b&gt;</p>' in page
    assert page.endswith("<p>Body</p></section>")


def test_a_checkout_field_labels_its_input_and_gives_order_js_the_error_slot_of_its_api_name():
    page = Template(
        '{% load lumira %}{% checkout_field "expertId" label input_id="expert" %}<select id="expert"></select>'
        "{% endcheckout_field %}"
    ).render(Context({"label": "Expert <b>"}))

    assert page.startswith('<p class="field">\n  <label for="expert">Expert &lt;b&gt;</label>\n<select id="expert">')
    assert page.endswith('</select>  <span class="error" id="error-expertId" aria-live="polite"></span>\n</p>')
