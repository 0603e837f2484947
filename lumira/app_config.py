from importlib import import_module

from django.apps import AppConfig


class LumiraAppConfig(AppConfig):
    """An app's start-up wiring, declared: the modules whose `connect()` hooks its signal receivers, and where its
    Prometheus gauges live (read by lumira.metrics at each scrape).

    A subclass sets `default = True`: with this class imported into its apps.py, Django would otherwise find two
    AppConfig classes there and fall back to a plain AppConfig, whose ready() does nothing."""

    # Modules of the app, each with a `connect()` that connects its receivers (dispatch_uid: safe to repeat).
    connect_modules: tuple[str, ...] = ()
    # "module.attribute" of the app's gauges function, or "" for none.
    gauges: str = ""

    def ready(self) -> None:
        for module in self.connect_modules:
            import_module(f"{self.name}.{module}").connect()
        if self.gauges:
            from lumira.metrics import gauges_register

            module, _, attribute = self.gauges.rpartition(".")
            gauges_register(getattr(import_module(f"{self.name}.{module}"), attribute))
