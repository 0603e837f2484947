from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from lumira.health import LumiraHealthView

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("stripe/", include("djstripe.urls", namespace="djstripe")),
    path("health/", LumiraHealthView.as_view(), name="health"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("orders.urls")),
    path("", include("sanctuaire.urls")),
    path("", include("payments.urls")),
    path("", include("experts.urls")),
]

if settings.LUMIRA_BENCH:
    from lumira.bench_views import ceiling

    urlpatterns.insert(0, path("bench/ceiling/<uuid:order_id>", ceiling, name="bench-ceiling"))

# Unmatched URLs and crashes answer in the API's JSON error shape under /api/ (lumira/api.py).
handler404 = "lumira.api.not_found"
handler500 = "lumira.api.server_error"
