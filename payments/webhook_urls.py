"""Stripe's webhook: dj-stripe's URL and name (namespace "djstripe"), served by Lumira's view
(payments/webhooks.py) with unknown Stripe objects acknowledged (200). Included under /stripe/ by lumira/urls.py."""

from django.urls import path

from .webhooks import StripeWebhookView

app_name = "djstripe"

urlpatterns = [
    path("webhook/<uuid:uuid>/", StripeWebhookView.as_view(), name="djstripe_webhook_by_uuid"),
]
