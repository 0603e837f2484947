"""The authorization matrix's world (two clients, their orders and profiles, experts, an admin), its personas
signed in both ways, and one request of the matrix in a savepoint rolled back (the table and its tests:
test_authorization_matrix.py)."""

import copy
import io
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from PIL import Image
from rest_framework_simplejwt.tokens import RefreshToken

from experts.generation import generation_deliver
from experts.models import GenerationAttempt
from experts.services import expert_set_active, experts_group_ensure, generation_start
from orders import services as order_services
from orders.models import Offer, Order
from payments.stripe_api import local_account_ensure
from sanctuaire.audio import audio_store
from sanctuaire.services import profile_update
from storefront.legal_content import seed_legal_pages
from storefront.models import ContactMessage, LegalPage
from tests.experts.helpers import CONTENT, dead_letter
from tests.factories import ExpertFactory, UserFactory, create_order, paid_order
from tests.sanctuaire.conftest import complete_profile

PERSONAS = ("anonymous", "client_a", "client_b", "expert", "other_expert", "inactive_expert", "admin")


@dataclass(frozen=True)
class Row:
    method: str
    path: Callable[[dict], str]
    expected: tuple[int, ...]  # one status per persona, in PERSONAS order
    data: dict | None = None
    json: bool = False  # send `data` as a JSON body (APIs) rather than a form
    htmx: bool = False
    # Besides the status: whether the answer shows this text (an order number), one bool per persona.
    marker: Callable[[dict], str] | None = None
    shown: tuple[bool, ...] = ()


def codes(anonymous, client_a, client_b, expert, other_expert, inactive_expert, admin_) -> tuple[int, ...]:
    return (anonymous, client_a, client_b, expert, other_expert, inactive_expert, admin_)


def same(code: int) -> tuple[int, ...]:
    return (code,) * len(PERSONAS)


# The usual shapes. Pages send the signed-out to a login page (302); APIs answer 401.
CLIENTS_ONLY = codes(302, 200, 200, 403, 403, 302, 403)  # the Sanctuaire: clients, each their own
CLIENT_A_ONLY = codes(302, 200, 404, 403, 403, 302, 403)  # client A's order, reading, PDF: B gets 404
API_CLIENTS_ONLY = codes(401, 200, 200, 403, 403, 401, 403)
API_CLIENT_A_ONLY = codes(401, 200, 404, 403, 403, 401, 403)
DESK = codes(302, 403, 403, 200, 200, 302, 200)  # experts only; a deactivated expert is signed out
API_EXPERTS = codes(401, 403, 403, 200, 200, 401, 200)
STAFF = codes(302, 302, 302, 200, 200, 302, 200)  # the admin: staff only (experts are staff)
ADMIN_ONLY = codes(302, 302, 302, 403, 403, 302, 200)


# --- the world ----------------------------------------------------------------------------------------------

def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (120, 40, 190)).save(buffer, format="JPEG")
    return buffer.getvalue()


def build_world() -> dict:
    """Client A's orders held by `expert` (one delivered, one to validate, one to send), client B's own
    delivered order held by `other_expert`, A's and B's profiles with a photo; experts in the "Experts" group."""
    group = experts_group_ensure()
    client_a = UserFactory(email="client.a@example.com", first_name="Alice", last_name="Martin")
    client_b = UserFactory(email="client.b@example.com", first_name="Bruno", last_name="Petit")
    expert = ExpertFactory(name="Oriane Lune", user__email="oriane@lumira.local")
    other_expert = ExpertFactory(name="Elias Soleil", user__email="elias@lumira.local")
    inactive_expert = expert_set_active(
        expert=ExpertFactory(name="Ancien Expert", user__email="ancien@lumira.local"), is_active=False
    )
    admin_expert = ExpertFactory(name="Alma Admin", user__email="admin@lumira.local", role="admin",
                                 user__is_superuser=True)
    for someone in (expert, other_expert, inactive_expert, admin_expert):
        someone.user.groups.add(group)

    def delivered(client, holder):
        order = paid_order(client=client, expert=holder)
        generation_start(order_id=order.pk, expert=holder, prompt="Lis.")
        order.refresh_from_db()
        generation_deliver(order_id=order.pk, attempt_id=order.generation_attempt_id, content=CONTENT)
        return order_services.order_approve(order_id=order.pk, expert=holder).order

    done_a = delivered(client_a, expert)
    order_services.order_audio_attach(order_id=done_a.pk, name=audio_store(b"OggS" + bytes(2000), "ogg"))
    review_a = paid_order(client=client_a, expert=expert)
    generation_start(order_id=review_a.pk, expert=expert, prompt="Lis.")
    review_a.refresh_from_db()
    generation_deliver(order_id=review_a.pk, attempt_id=review_a.generation_attempt_id, content=CONTENT)
    paid_a = paid_order(client=client_a, expert=expert)
    pending_a = create_order(client=client_a)
    done_b = delivered(client_b, other_expert)
    complete_profile(client_b)
    complete_profile(client_a)
    profile_a = profile_update(user=client_a, data={}, photos={"face": ContentFile(_jpeg(), name="face.jpg")})
    profile_b = profile_update(user=client_b, data={}, photos={"face": ContentFile(_jpeg(), name="face.jpg")})
    letter = dead_letter(expert)
    seed_legal_pages(LegalPage)
    contact_message = ContactMessage.objects.create(name="Alice", email="client.a@example.com", subject="order",
                                                    message="Où en est ma commande ?")
    return {
        "users": {
            "client_a": client_a, "client_b": client_b, "expert": expert.user, "other_expert": other_expert.user,
            "inactive_expert": inactive_expert.user, "admin": admin_expert.user,
        },
        "client_a": client_a, "done_a": done_a, "review_a": review_a, "paid_a": paid_a, "pending_a": pending_a, "done_b": done_b,
        "profile_a": profile_a, "profile_b": profile_b, "letter": letter, "expert": expert, "offer": Offer.objects.first(),
        "attempt": GenerationAttempt.objects.filter(order=review_a).first(), "group": group,
        "account": local_account_ensure(), "endpoint_uuid": uuid.uuid4(),
        "order_ct": ContentType.objects.get_for_model(Order).pk,
        "legal_page": LegalPage.objects.get(slug="cgv"), "contact_message": contact_message,
    }


def signed_in(world: dict, persona: str) -> Client:
    client = Client()
    user = world["users"].get(persona)
    if user is not None:
        client.force_login(user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {RefreshToken.for_user(user).access_token}"
    return client


def _ids(world: dict) -> dict[str, str]:
    """The placeholders a row's URL or body may name ("DONE_A"): the world's ids."""
    objects = ("done_a", "done_b", "paid_a", "review_a", "pending_a", "expert", "client_a", "profile_a", "profile_b")
    return {
        **{key.upper(): str(world[key].pk) for key in objects},
        "LETTER_ORDER": str(world["letter"].order_id), "ENDPOINT_UUID": str(world["endpoint_uuid"]),
        "ORDER_CT": str(world["order_ct"]),
    }


def url(name: str, *args, query: str = "") -> Callable[[dict], str]:
    """A row's URL: `name` reversed with `args`, each a placeholder ("DONE_A"), a constant or a function of the
    world; `query` is appended as is."""
    def path(world: dict) -> str:
        ids = _ids(world)
        return reverse(name, args=[arg(world) if callable(arg) else ids.get(arg, arg) for arg in args]) + query

    return path


def _fill(data: dict | None, world: dict) -> dict | None:
    """Placeholders in bodies: the world's ids."""
    if data is None:
        return None
    ids = _ids(world)
    return {key: ids.get(value, value) if isinstance(value, str) else value for key, value in data.items()}


class _Rollback(Exception):
    pass


def call(client: Client, row: Row, world: dict) -> tuple[int, bool | None]:
    """One request in a savepoint that is rolled back, and the client's cookies restored (a logout row
    would sign it out): the next row sees the world and the persona unchanged. Returns the status and, for a
    row with a marker, whether the answer shows it."""
    status, shown = 0, None
    cookies = copy.deepcopy(client.cookies)
    headers = {"HTTP_HX_REQUEST": "true"} if row.htmx else {}
    try:
        with transaction.atomic():
            path, data = row.path(world), _fill(row.data, world)
            if row.method == "GET":
                response = client.get(path, **headers)
            elif row.json:
                response = client.post(path, data=json.dumps(data or {}), content_type="application/json", **headers)
            else:
                response = client.post(path, data=data or {}, **headers)
            status = response.status_code
            if row.marker is not None:
                shown = row.marker(world) in response.content.decode(errors="replace")
            raise _Rollback
    except _Rollback:
        pass
    client.cookies = cookies
    return status, shown
