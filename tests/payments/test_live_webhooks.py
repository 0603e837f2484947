"""The whole payment path over HTTP: the running site, a real localstripe, and localstripe's own webhooks."""


import requests
from django.core import mail

from orders.models import Order, OrderStatus
from tests.payments.helpers import CONFIRM_URL, CREATE_URL, ORDER_FORM
from tests.server_support import wait_for


def test_localstripe_webhook_reaches_the_site_and_the_order_is_paid_once(
    live_server, live_stripe, localstripe, intuitive_premium
):
    http = requests.Session()
    created = http.post(live_server.url + CREATE_URL, json=ORDER_FORM, timeout=10)
    assert created.status_code == 201
    body = created.json()
    setup = localstripe.confirm_setup_intent(body["setupClientSecret"], "4242424242424242")

    confirmed = http.post(
        live_server.url + CONFIRM_URL, json={"orderId": body["orderId"], "setupIntentId": setup["id"]}, timeout=10
    )

    assert confirmed.status_code == 200 and confirmed.json()["status"] == "succeeded"
    status_url = f"{live_server.url}/api/payments/order/{body['orderId']}"
    paid = wait_for(lambda: (answer := http.get(status_url, timeout=5).json()["order"])["status"] == "paid" and answer)
    assert paid["paymentStatus"] == "succeeded" and paid["paidAt"]
    order = Order.objects.get(pk=body["orderId"])
    assert (order.status, order.amount) == (OrderStatus.PAID, 7900)
    assert order.events.filter(action="payment_succeeded").count() == 1
    assert len(mail.outbox) == 1


def test_a_declined_card_webhook_leaves_the_order_pending_with_the_reason(
    live_server, live_stripe, localstripe, intuitive_premium
):
    http = requests.Session()
    body = http.post(live_server.url + CREATE_URL, json=ORDER_FORM, timeout=10).json()
    setup = localstripe.confirm_setup_intent(body["setupClientSecret"], "4000000000000341")

    confirmed = http.post(
        live_server.url + CONFIRM_URL, json={"orderId": body["orderId"], "setupIntentId": setup["id"]}, timeout=10
    )

    assert confirmed.status_code == 402
    order = wait_for(
        lambda: Order.objects.filter(pk=body["orderId"], events__action="payment_attempt_failed").first()
    )
    assert order.status == OrderStatus.PENDING
    assert order.last_error.startswith("Votre carte a été refusée")
    assert mail.outbox == []
