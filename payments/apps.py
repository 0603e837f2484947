from django.apps import AppConfig
from django.core.signals import setting_changed


def _reconfigure_stripe(*, setting: str, **kwargs) -> None:
    if setting == "STRIPE_API_BASE":
        from .stripe_api import configure_stripe

        configure_stripe()


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Paiements"

    def ready(self) -> None:
        from . import caching, receivers  # noqa: F401  (receivers: Lumira's dj-stripe webhook receivers)
        from .stripe_api import configure_stripe

        configure_stripe()
        caching.connect()
        # Tests that override STRIPE_API_BASE (a localstripe on a free port) move the client with it.
        setting_changed.connect(_reconfigure_stripe, dispatch_uid="payments-stripe-api-base")
