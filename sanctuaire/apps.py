from django.apps import AppConfig


class SanctuaireConfig(AppConfig):
    name = "sanctuaire"
    verbose_name = "Sanctuaire"

    def ready(self) -> None:
        from . import caching, receivers

        caching.connect()
        receivers.connect()
