from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from payments.stripe_api import LOCAL_ACCOUNT_ID, is_localstripe, local_account_ensure


class Command(BaseCommand):
    help = (
        "Prepare Stripe for this site: against localstripe, seed dj-stripe's owner Account and APIKey rows "
        "(localstripe has no /v1/account), then register the webhook endpoint. Idempotent; run it after "
        "every localstripe restart."
    )

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="", help="Public base URL of this site (default: SITE_URL).")

    def handle(self, *args, base_url: str, **options):
        if is_localstripe():
            local_account_ensure()
            self.stdout.write(f"localstripe at {settings.STRIPE_API_BASE}: account {LOCAL_ACCOUNT_ID} and API key ready.")
        call_command("register_stripe_webhook", base_url=base_url, stdout=self.stdout, stderr=self.stderr)
