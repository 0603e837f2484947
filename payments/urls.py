from django.urls import include, path

from . import views
from .api import views as api_views

app_name = "payments"

# The payment API (Stripe), below api/payments/; paths fixed by SPEC §9.
api_urls = [
    path("create-payment-intent", api_views.CreatePaymentIntentView.as_view(), name="api_create_payment_intent"),
    path("confirm-payment", api_views.ConfirmPaymentView.as_view(), name="api_confirm_payment"),
    path("setup-intent", api_views.SetupIntentView.as_view(), name="api_setup_intent"),
    path("order/<str:order_id>", api_views.OrderPaymentStatusView.as_view(), name="api_order_status"),
]

urlpatterns = [
    path("commander/", views.order_page, name="order"),
    path("commande/<uuid:order_id>/", views.confirmation, name="confirmation"),
    path("commande/<uuid:order_id>/statut/", views.confirmation_status, name="confirmation_status"),
    path("api/payments/", include(api_urls)),
]
