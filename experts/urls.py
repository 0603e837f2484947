from django.urls import path

from . import content_views, views
from .api import views as api

app_name = "experts"

urlpatterns = [
    # The desk (session login, templates).
    path("desk/", views.queue, name="queue"),
    path("desk/login/", views.login_view, name="login"),
    path("desk/logout/", views.logout_view, name="logout"),
    path("desk/validation/", views.validation_queue, name="validation_queue"),
    path("desk/stats/", views.stats, name="stats"),
    path("desk/orders/<uuid:order_id>/", views.order_detail, name="order"),
    path("desk/orders/<uuid:order_id>/take/", views.take, name="take"),
    path("desk/orders/<uuid:order_id>/assign/", views.assign, name="assign"),
    path("desk/orders/<uuid:order_id>/generate/", views.generate, name="generate"),
    path("desk/orders/<uuid:order_id>/validate/", views.validate, name="validate"),
    path("desk/orders/<uuid:order_id>/corriger/", content_views.content_edit, name="content_edit"),
    path("desk/orders/<uuid:order_id>/approuver/", content_views.approve_confirm, name="approve_confirm"),
    path("desk/orders/<uuid:order_id>/relaunch/", views.relaunch, name="relaunch"),
    # The expert API (JWT) and the n8n callback (signed), paths fixed by SPEC §9.
    path("api/expert/login", api.LoginView.as_view(), name="api_login"),
    path("api/expert/token/refresh", api.TokenRefreshView.as_view(), name="api_token_refresh"),
    path("api/expert/orders", api.OrderQueueView.as_view(), name="api_orders"),
    path("api/expert/orders/validation-queue", api.ValidationQueueView.as_view(), name="api_validation_queue"),
    path("api/expert/orders/<uuid:order_id>", api.OrderDetailView.as_view(), name="api_order"),
    path("api/expert/orders/<uuid:order_id>/assign", api.AssignView.as_view(), name="api_assign"),
    path("api/expert/orders/<uuid:order_id>/retry-generation", api.RetryGenerationView.as_view(),
         name="api_retry_generation"),
    path("api/expert/process-order", api.ProcessOrderView.as_view(), name="api_process_order"),
    path("api/expert/validate-content", api.ValidateContentView.as_view(), name="api_validate_content"),
    path("api/expert/stats", api.StatsView.as_view(), name="api_stats"),
    path("api/expert/n8n-callback", api.N8nCallbackView.as_view(), name="api_n8n_callback"),
]
