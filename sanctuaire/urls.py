from django.contrib.auth import views as auth_views
from django.urls import path

from . import data_views, views
from .api import views as api

app_name = "sanctuaire"

urlpatterns = [
    path("sanctuaire/", views.home, name="home"),
    path("sanctuaire/connexion/", views.login_request, name="login"),
    path("sanctuaire/connexion/envoye/", views.link_sent, name="link_sent"),
    path("sanctuaire/connexion/lien/", views.magic_link, name="magic_link"),
    path("sanctuaire/deconnexion/", auth_views.LogoutView.as_view(next_page="sanctuaire:login"), name="logout"),
    path("sanctuaire/entrer/<uuid:order_id>/", views.enter_from_order, name="enter_from_order"),
    path("sanctuaire/profil/", views.profile, name="profile"),
    path("sanctuaire/commandes/<uuid:order_id>/", views.order_detail, name="order_detail"),
    path("sanctuaire/lectures/<uuid:order_id>/", views.reading_detail, name="reading_detail"),
    path("sanctuaire/lectures/<uuid:order_id>/pdf/", views.reading_pdf, name="reading_pdf"),
    path("sanctuaire/lectures/<uuid:order_id>/audio/", views.reading_audio, name="reading_audio"),
    path("sanctuaire/mes-donnees/", data_views.data_page, name="data"),
    path("sanctuaire/mes-donnees/export/", data_views.data_export, name="data_export"),
    path("sanctuaire/mes-donnees/effacer/", data_views.data_erase, name="data_erase"),
    path("sanctuaire/photos/<uuid:profile_id>/<str:kind>/", views.photo, name="photo"),
    path("api/sanctuaire/token", api.TokenView.as_view(), name="api_token"),
    path("api/sanctuaire/token/refresh", api.TokenRefreshView.as_view(), name="api_token_refresh"),
    path("api/sanctuaire/profile", api.ProfileView.as_view(), name="api_profile"),
    path("api/sanctuaire/readings", api.ReadingListView.as_view(), name="api_readings"),
    path("api/sanctuaire/readings/<uuid:order_id>", api.ReadingDetailView.as_view(), name="api_reading"),
    path("api/sanctuaire/readings/<uuid:order_id>/pdf", api.ReadingPdfView.as_view(), name="api_reading_pdf"),
    path("api/sanctuaire/entitlements", api.EntitlementsView.as_view(), name="api_entitlements"),
]
