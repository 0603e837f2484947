from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import data_views, views
from .api import views as api

app_name = "sanctuaire"

# The client's space (magic-link session, templates), below sanctuaire/.
space_urls = [
    path("", views.home, name="home"),
    path("connexion/", views.login_request, name="login"),
    path("connexion/envoye/", views.link_sent, name="link_sent"),
    path("connexion/lien/", views.magic_link, name="magic_link"),
    path("deconnexion/", auth_views.LogoutView.as_view(next_page="sanctuaire:login"), name="logout"),
    path("entrer/<uuid:order_id>/", views.enter_from_order, name="enter_from_order"),
    path("profil/", views.profile, name="profile"),
    path("commandes/<uuid:order_id>/", views.order_detail, name="order_detail"),
    path("lectures/<uuid:order_id>/", views.reading_detail, name="reading_detail"),
    path("lectures/<uuid:order_id>/pdf/", views.reading_pdf, name="reading_pdf"),
    path("lectures/<uuid:order_id>/audio/", views.reading_audio, name="reading_audio"),
    path("mes-donnees/", data_views.data_page, name="data"),
    path("mes-donnees/export/", data_views.data_export, name="data_export"),
    path("mes-donnees/effacer/", data_views.data_erase, name="data_erase"),
    path("photos/<uuid:profile_id>/<str:kind>/", views.photo, name="photo"),
]

# The client API (JWT), below api/sanctuaire/; paths fixed by SPEC §9.
api_urls = [
    path("token", api.TokenView.as_view(), name="api_token"),
    path("token/refresh", api.TokenRefreshView.as_view(), name="api_token_refresh"),
    path("profile", api.ProfileView.as_view(), name="api_profile"),
    path("readings", api.ReadingListView.as_view(), name="api_readings"),
    path("readings/<uuid:order_id>", api.ReadingDetailView.as_view(), name="api_reading"),
    path("readings/<uuid:order_id>/pdf", api.ReadingPdfView.as_view(), name="api_reading_pdf"),
    path("entitlements", api.EntitlementsView.as_view(), name="api_entitlements"),
]

urlpatterns = [
    path("sanctuaire/", include(space_urls)),
    path("api/sanctuaire/", include(api_urls)),
]
