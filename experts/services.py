"""Staff-side writes for experts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Expert, ExpertRole

EXPERTS_GROUP = "Experts"


class ExpertAlreadyExists(Exception):
    pass


def expert_create(*, email: str, name: str, password: str, role: str = ExpertRole.EXPERT, specialties=None) -> Expert:
    """A staff user in the "Experts" group, linked to its Expert row. Refuses an email already in use."""
    User = get_user_model()
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        if User.objects.filter(email=email).exists():
            raise ExpertAlreadyExists(f"Un compte existe déjà pour {email}.")
        first_name, _, last_name = name.partition(" ")
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name,
            is_staff=True, is_superuser=role == ExpertRole.ADMIN,
        )
        group, _ = Group.objects.get_or_create(name=EXPERTS_GROUP)
        user.groups.add(group)
        return Expert.objects.create(user=user, name=name, role=role, specialties=specialties or [])
