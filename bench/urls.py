"""The bench's own URL, included by lumira/urls.py only when LUMIRA_BENCH is on (`make bench`)."""

from django.urls import path

from bench.views import ceiling

urlpatterns = [path("ceiling/<uuid:order_id>", ceiling, name="bench-ceiling")]
