"""What the view-cache tests share: the pages they read, a counting `build`, a signed-in client with a complete
profile (the `commit` fixture is in tests/bench/conftest.py)."""

from django.test import Client
from django.urls import reverse

from accounts.models import ClientProfile

QUEUE = reverse("experts:queue")
QUEUE_API = reverse("experts:api_orders")
HOME = reverse("sanctuaire:home")


class Builds:
    """A `build` callable that counts how often it really ran."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> int:
        self.count += 1
        return self.count


def signed_in_client(user) -> Client:
    ClientProfile.objects.create(
        user=user, birth_date="1990-01-01", birth_time="08:00", birth_place="Lyon", question="Q ?", objective="O."
    )
    client = Client()
    client.force_login(user)
    return client
