from lumira.app_config import LumiraAppConfig


class ExpertsConfig(LumiraAppConfig):
    name = "experts"
    verbose_name = "Experts"
    default = True  # apps.py also holds LumiraAppConfig: this is the app's config
    connect_modules = ("caching", "receivers")
    gauges = "metrics.generation_gauges"

    def ready(self) -> None:
        from . import schema  # noqa: F401 - schema registers the OpenAPI extension

        super().ready()
