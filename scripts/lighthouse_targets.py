"""Print the pages `make lighthouse` audits, one per line: `name<TAB>path<TAB>session cookie (name=value) or -`.

Runs inside Django against the database the app under audit uses (demo data loaded first). Pages behind a
sign-in get a session made here with force_login: a demo client for the Sanctuaire, a demo expert for the desk.
"""

import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lumira.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import Expert  # noqa: E402
from orders.models import Order, OrderStatus  # noqa: E402
from sanctuaire.selectors import profile_is_complete  # noqa: E402
from sanctuaire.services import profile_update  # noqa: E402

# The dashboard asks for a complete profile first: the demo client gets one (its birth data, once).
DEMO_PROFILE = {"birth_date": datetime.date(1990, 4, 12), "birth_time": "08:30", "birth_place": "Lyon, France",
                "question": "Quelle direction pour ma carrière ?", "objective": "Retrouver confiance."}


def session_cookie(user, backend: str) -> str:
    client = Client()
    client.force_login(user, backend=backend)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def main() -> None:
    delivered = Order.objects.filter(status=OrderStatus.COMPLETED).select_related("client", "expert__user").first()
    paid = Order.objects.filter(paid_at__isnull=False).exclude(status=OrderStatus.REFUNDED).first()
    if delivered is None or paid is None:
        sys.exit("lighthouse: no demo orders (run manage.py load_demo_data first)")
    expert = delivered.expert or Expert.objects.active().first()
    if not profile_is_complete(delivered.client):
        profile_update(user=delivered.client, data=DEMO_PROFILE)
    client_cookie = session_cookie(delivered.client, "sanctuaire.backends.ClientMagicLinkBackend")
    expert_cookie = session_cookie(expert.user, "experts.auth.ExpertSessionBackend")
    rows = [
        ("landing", "/", "-"),
        ("order", "/commander/?level=integrale&service=vip", "-"),
        ("confirmation", f"/commande/{paid.pk}/", "-"),
        ("sanctuaire-login", "/sanctuaire/connexion/", "-"),
        ("dashboard", "/sanctuaire/", client_cookie),
        ("reading", f"/sanctuaire/lectures/{delivered.pk}/", client_cookie),
        ("desk-queue", "/desk/", expert_cookie),
        ("desk-order", f"/desk/orders/{delivered.pk}/", expert_cookie),
    ]
    for row in rows:
        print("\t".join(row))


if __name__ == "__main__":
    main()
