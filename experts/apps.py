from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = "Experts"

    def ready(self) -> None:
        from . import schema  # noqa: F401 - registers the OpenAPI extension
