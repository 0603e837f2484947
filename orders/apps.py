from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Commandes"

    def ready(self) -> None:
        from lumira.metrics import gauges_register

        from .metrics import order_gauges

        gauges_register(order_gauges)
