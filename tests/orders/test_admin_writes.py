"""The admin's order form writes through orders.services too: under the row lock, chart kept in step, signal sent."""

from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.test import RequestFactory

from orders.admin import OrderAdmin
from orders.models import Order
from orders.signals import order_changed
from tests.factories import create_order


@pytest.mark.django_db
def test_an_admin_correction_of_the_birth_date_recomputes_the_chart_and_is_announced(
    admin_user, django_capture_on_commit_callbacks
):
    heard = []

    def receiver(sender, **kwargs):
        heard.append(kwargs["order_id"])

    order = create_order()
    assert Order.objects.get(pk=order.pk).chart is None  # factory orders get their intake without a chart
    request = RequestFactory().post("/")
    request.user = admin_user
    order.birth_place = "Lyon"
    form = SimpleNamespace(changed_data=["birth_place"])
    order_changed.connect(receiver, sender=Order, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            OrderAdmin(Order, admin.site).save_model(request, order, form, change=True)
    finally:
        order_changed.disconnect(receiver, sender=Order)

    order.refresh_from_db()
    assert order.birth_place == "Lyon"
    assert order.chart is not None and order.chart["place"] is not None
    assert heard == [order.pk]
    assert not order.events.exclude(action="created").exists()  # a correction, not a step of the order's life
