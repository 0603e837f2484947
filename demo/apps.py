from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make demo` (manage.py load_demo_data): a tool outside the apps, free to use all of them."""

    name = "demo"
    verbose_name = "Démo"
