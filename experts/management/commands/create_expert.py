import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import ExpertRole
from experts.services import ExpertAlreadyExists, expert_create


class Command(BaseCommand):
    help = "Create an expert account (staff user in the Experts group). Prompts for the password if not given."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", required=True)
        parser.add_argument("--role", choices=ExpertRole.values, default=ExpertRole.EXPERT)
        parser.add_argument("--password", help="Avoid on shared machines: it ends up in the shell history.")
        parser.add_argument("--specialty", action="append", dest="specialties", default=[])

    def handle(self, *args, email, name, role, password, specialties, **options):
        if not password:
            password = getpass.getpass("Mot de passe : ")
            if password != getpass.getpass("Mot de passe (confirmation) : "):
                raise CommandError("Les deux mots de passe ne correspondent pas.")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        try:
            expert = expert_create(email=email, name=name, password=password, role=role, specialties=specialties)
        except ExpertAlreadyExists as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Expert créé : {expert.name} <{expert.email}> ({expert.get_role_display()})"))
