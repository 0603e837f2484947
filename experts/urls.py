from django.urls import include, path

from . import content_views, views
from .api import views as api

app_name = "experts"

# The desk (session login, templates), below desk/.
desk_urls = [
    path("", views.queue, name="queue"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("validation/", views.validation_queue, name="validation_queue"),
    path("stats/", views.stats, name="stats"),
    path("orders/<uuid:order_id>/", include([
        path("", views.order_detail, name="order"),
        path("take/", views.take, name="take"),
        path("assign/", views.assign, name="assign"),
        path("generate/", views.generate, name="generate"),
        path("validate/", views.validate, name="validate"),
        path("corriger/", content_views.content_edit, name="content_edit"),
        path("approuver/", content_views.approve_confirm, name="approve_confirm"),
        path("relaunch/", views.relaunch, name="relaunch"),
    ])),
]

# The expert API (JWT) and the n8n callback (signed), below api/expert/; paths fixed by SPEC §9.
api_urls = [
    path("login", api.LoginView.as_view(), name="api_login"),
    path("token/refresh", api.TokenRefreshView.as_view(), name="api_token_refresh"),
    path("orders", api.OrderQueueView.as_view(), name="api_orders"),
    path("orders/validation-queue", api.ValidationQueueView.as_view(), name="api_validation_queue"),
    path("orders/<uuid:order_id>", api.OrderDetailView.as_view(), name="api_order"),
    path("orders/<uuid:order_id>/assign", api.AssignView.as_view(), name="api_assign"),
    path("orders/<uuid:order_id>/retry-generation", api.RetryGenerationView.as_view(), name="api_retry_generation"),
    path("process-order", api.ProcessOrderView.as_view(), name="api_process_order"),
    path("validate-content", api.ValidateContentView.as_view(), name="api_validate_content"),
    path("stats", api.StatsView.as_view(), name="api_stats"),
    path("n8n-callback", api.N8nCallbackView.as_view(), name="api_n8n_callback"),
]

urlpatterns = [
    path("desk/", include(desk_urls)),
    path("api/expert/", include(api_urls)),
]
