from django.urls import path

from . import views

app_name = "storefront"

# One explicit URL per legal page: the footer links to these, and no catch-all shadows other apps' URLs.
LEGAL_URLS = {
    "cgv": "cgv/",
    "mentions-legales": "mentions-legales/",
    "confidentialite": "confidentialite/",
    "droit-de-retractation": "droit-de-retractation/",
}

urlpatterns = [
    *(path(route, views.legal_page, {"slug": slug}, name=slug) for slug, route in LEGAL_URLS.items()),
    path("nos-experts/", views.experts_page, name="experts"),
    path("contact/", views.contact, name="contact"),
]
