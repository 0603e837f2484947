from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sanctuaire.services import magic_link_url


class Command(BaseCommand):
    help = "Print a one-time Sanctuaire sign-in link for a client (support, demo). Nothing is emailed."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        User = get_user_model()
        user = User.objects.filter(email=User.objects.normalize_email(email).strip().lower()).first()
        if user is None or not user.is_active or user.is_staff:
            raise CommandError(f"Aucun compte client actif pour {email}.")
        self.stdout.write(magic_link_url(user))
