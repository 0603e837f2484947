"""GET /api/payments/order/{orderId}: the order's status for the confirmation page, no personal data."""


import pytest

from orders import services as order_services
from payments.reconciliation import payment_reconcile_order
from tests.factories import create_order
from tests.payments.helpers import checkout_order, pay_intent_in_stripe, status_url

pytestmark = pytest.mark.django_db


def test_a_new_order_reports_pending_and_its_payment_intent_status_in_one_query(
    client, stripe_account, intuitive_premium, django_assert_num_queries
):
    order, _ = checkout_order(client)

    with django_assert_num_queries(1):  # the order, its offer and its PaymentIntent's status (subquery)
        response = client.get(status_url(order))

    assert response.status_code == 200
    body = response.json()["order"]
    assert body == {
        "id": str(order.pk),
        "status": "pending",
        "paymentStatus": "requires_payment_method",
        "amount": 7900,
        "currency": "eur",
        "level": "intuitive",
        "service": "premium",
        "duration": 60,
        "createdAt": body["createdAt"],
        "paidAt": None,
    }
    assert body["createdAt"].startswith(order.created_at.astimezone().strftime("%Y-%m-%d"))


def test_the_answer_holds_no_personal_data(client, stripe_account, intuitive_premium):
    order, _ = checkout_order(client)

    response = client.get(status_url(order))
    text = response.content.decode()

    for personal in ("camille", "Lune", "06 12 34 56 78", order.client.email):
        assert personal not in text
    # Only order facts: no client reference at all (the client's integer id could appear inside the UUID).
    assert set(response.json()["order"]) == {
        "id", "status", "paymentStatus", "amount", "currency", "level", "service", "duration", "createdAt", "paidAt",
    }


def test_a_paid_order_reports_paid_with_its_payment_time(client, stripe_account, intuitive_premium):
    order, _ = checkout_order(client)
    pay_intent_in_stripe(order)
    payment_reconcile_order(order)
    order.refresh_from_db()

    body = client.get(status_url(order)).json()["order"]

    assert (body["status"], body["paymentStatus"]) == ("paid", "succeeded")
    assert body["paidAt"] is not None and body["paidAt"][:19] == order.paid_at.astimezone().isoformat()[:19]


def test_an_order_without_payment_intent_has_no_payment_status(client, stripe_account):
    order = create_order()
    order_services.order_cancel(order_id=order.pk)

    body = client.get(status_url(order)).json()["order"]

    assert (body["status"], body["paymentStatus"]) == ("canceled", None)


# A well-formed id that no order has (fixed: pytest-xdist workers must collect the same test ids), and malformed ones.
@pytest.mark.parametrize("order_id", ["0b6f2d7e-5c1a-4c8e-9a51-3f7d2e9c4b10", "not-a-uuid", "123"])
def test_an_unknown_order_is_a_json_404(client, order_id):
    response = client.get(f"/api/payments/order/{order_id}")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Commande introuvable."}}


def test_only_get_is_allowed(client, stripe_account):
    order = create_order()
    assert client.post(status_url(order)).status_code == 405
    assert client.delete(status_url(order)).status_code == 405
