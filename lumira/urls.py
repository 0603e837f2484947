from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from lumira.health import LumiraHealthView
from lumira.metrics_view import metrics

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    # dj-stripe's webhook URL and name, served by Lumira's view (payments/webhook_urls.py).
    path("stripe/", include("payments.webhook_urls", namespace="djstripe")),
    path("health/", LumiraHealthView.as_view(), name="health"),
    # Django's set_language (POST): the footer's language switch; URLs themselves are the same in every language.
    path("i18n/", include("django.conf.urls.i18n")),
    # The translations order.js uses (gettext in the browser, djangojs catalogue), in the visitor's language.
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("metrics", metrics, name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("orders.urls")),
    path("", include("storefront.urls")),
    path("", include("sanctuaire.urls")),
    path("", include("payments.urls")),
    path("", include("experts.urls")),
]

if settings.LUMIRA_BENCH:
    # `make bench` only: the ceiling view (bench/views.py), included by name (lumira imports no bench code).
    urlpatterns.insert(0, path("bench/", include("bench.urls")))

# Ahead of the admin's own URL (same path): dj-stripe's admin actions with a model permission check.
from lumira.admin_guard import djstripe_custom_action  # noqa: E402

urlpatterns.insert(0, path(
    f"{settings.ADMIN_URL}djstripe/<str:admin_model>/action/<str:action_name>/<str:model_name>/",
    djstripe_custom_action, name="djstripe-custom-action-guard",
))
# Unmatched URLs and crashes answer in the API's JSON error shape under /api/ (lumira/api.py).
handler404 = "lumira.api.not_found"
handler500 = "lumira.api.server_error"
