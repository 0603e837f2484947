from django.urls import path

from . import views
from .api import views as api_views

app_name = "payments"

urlpatterns = [
    path("commander/", views.order_page, name="order"),
    path("commande/<uuid:order_id>/", views.confirmation, name="confirmation"),
    path("commande/<uuid:order_id>/statut/", views.confirmation_status, name="confirmation_status"),
    path("api/payments/create-payment-intent", api_views.CreatePaymentIntentView.as_view(), name="api_create_payment_intent"),
    path("api/payments/confirm-payment", api_views.ConfirmPaymentView.as_view(), name="api_confirm_payment"),
    path("api/payments/setup-intent", api_views.SetupIntentView.as_view(), name="api_setup_intent"),
    path("api/payments/order/<str:order_id>", api_views.OrderPaymentStatusView.as_view(), name="api_order_status"),
]
