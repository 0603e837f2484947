from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "Experts"

    def ready(self) -> None:
        from . import caching, receivers, schema  # noqa: F401 - schema registers the OpenAPI extension

        caching.connect()
        receivers.connect()
