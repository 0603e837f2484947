from lumira.app_config import LumiraAppConfig


class OrdersConfig(LumiraAppConfig):
    name = "orders"
    verbose_name = "Commandes"
    default = True  # apps.py also holds LumiraAppConfig: this is the app's config
    connect_modules = ("caching",)
    gauges = "metrics.order_gauges"
