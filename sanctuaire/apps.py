from lumira.app_config import LumiraAppConfig


class SanctuaireConfig(LumiraAppConfig):
    name = "sanctuaire"
    verbose_name = "Sanctuaire"
    default = True  # apps.py also holds LumiraAppConfig: this is the app's config
    connect_modules = ("caching", "receivers")
