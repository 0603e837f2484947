from django.core.signals import setting_changed

from lumira.app_config import LumiraAppConfig


def _reconfigure_stripe(*, setting: str, **kwargs) -> None:
    if setting == "STRIPE_API_BASE":
        from .stripe_api import configure_stripe

        configure_stripe()


class PaymentsConfig(LumiraAppConfig):
    name = "payments"
    verbose_name = "Paiements"
    default = True  # apps.py also holds LumiraAppConfig: this is the app's config
    connect_modules = ("caching",)

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (Lumira's dj-stripe webhook receivers)
        from .stripe_api import configure_stripe

        configure_stripe()
        super().ready()
        # Tests that override STRIPE_API_BASE (a localstripe on a free port) move the client with it.
        setting_changed.connect(_reconfigure_stripe, dispatch_uid="payments-stripe-api-base")
