from django.apps import AppConfig


class SanctuaireConfig(AppConfig):
    name = "sanctuaire"
    verbose_name = "Sanctuaire"
