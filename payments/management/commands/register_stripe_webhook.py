from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from payments.stripe_api import is_localstripe
from payments.webhooks import webhook_endpoint_register


class Command(BaseCommand):
    help = (
        "Create the Stripe webhook endpoint (dj-stripe's UUID URL and its secret). Against localstripe, also "
        "register that URL and secret there (localstripe forgets them on restart: run it again). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="Public base URL of this site (default: SITE_URL).")

    def handle(self, *args, base_url: str, **options):
        base_url = base_url or settings.SITE_URL
        try:
            registration = webhook_endpoint_register(base_url=base_url)
        except Exception as error:
            raise CommandError(f"Webhook registration failed: {error}") from error
        where = f"localstripe ({settings.STRIPE_API_BASE})" if is_localstripe() else "Stripe"
        state = "created" if registration.created else "already present"
        self.stdout.write(self.style.SUCCESS(f"Webhook endpoint {state}, registered with {where}: {registration.url}"))
