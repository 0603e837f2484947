from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "Experts"

    def ready(self) -> None:
        from lumira.metrics import gauges_register

        from . import caching, receivers, schema  # noqa: F401 - schema registers the OpenAPI extension
        from .metrics import generation_gauges

        caching.connect()
        receivers.connect()
        gauges_register(generation_gauges)
