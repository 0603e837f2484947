from django.urls import path

from . import views
from .api.views import PlaceSuggestView

app_name = "orders"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("api/places", PlaceSuggestView.as_view(), name="api_places"),
]
