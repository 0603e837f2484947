"""Bulk-load a large, realistic data set for `make bench` (never used by the app itself)."""

import random
import time
import uuid
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import ClientProfile, Expert
from bench.stripe_standin import payment_intent_id
from lumira.progress import Progress
from orders.catalogue import seed_offers
from orders.models import ContentVersion, Offer, Order, OrderStatus
from payments.stripe_api import local_account_ensure

S = OrderStatus
# Roughly what a live shop looks like: most orders delivered, a working set in the queues.
STATUS_WEIGHTS = {
    S.COMPLETED: 55, S.PAID: 10, S.PROCESSING: 4, S.AWAITING_VALIDATION: 6, S.PENDING: 12,
    S.FAILED: 5, S.CANCELED: 5, S.REFUNDED: 3,
}
CONTENT = {
    "archetype": "La Prêtresse",
    "reading": "Une période d'écoute intérieure s'ouvre à vous. " * 20,
    "ritual": "Allumez une bougie blanche chaque soir pendant sept jours.",
    "mandalaSvg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>',
    "synthesis": "Confiance et patience.",
    "guidance": "Semaine 1 : observer. Semaine 2 : choisir. Semaines 3 et 4 : agir.",
}
# A returning client's completed Sanctuaire profile; their orders carry the same inputs (as the
# Sanctuaire copies them), so a webhook's profile copy finds them up to date, as in a live shop.
PROFILE = {
    "birth_date": date(1988, 4, 12), "birth_time": "06:30", "birth_place": "Lyon",
    "question": "Quel chemin pour cette année ?", "objective": "Retrouver confiance et clarté.",
}
PROFILE_SHARE = 0.5  # of the clients (bench-client-0, the dashboard's client, always has one)
BATCH = 5000


class Command(BaseCommand):
    help = "Seed the bench database: N orders over every status and level, experts and clients (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, default=100_000)
        parser.add_argument("--experts", type=int, default=200)
        parser.add_argument("--clients", type=int, default=20_000)
        parser.add_argument("--heavy-client-orders", type=int, default=50,
                            help="Orders given to bench-client-0 (the dashboard's client).")
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, orders, experts, clients, heavy_client_orders, seed, **options):
        if Order.objects.exists():
            raise CommandError("The database already has orders: seed an empty bench database.")
        started = time.monotonic()
        rng = random.Random(seed)
        User = get_user_model()
        unusable = make_password(None)
        expert_password = make_password("bench-expert-password")
        seed_offers(Offer)
        offers = list(Offer.objects.all())

        with transaction.atomic():
            User.objects.bulk_create(
                [User(email=f"bench-expert-{i}@lumira.local", password=expert_password, is_staff=True, first_name="Expert")
                 for i in range(experts)], batch_size=BATCH,
            )
            expert_users = list(User.objects.filter(email__startswith="bench-expert-").order_by("id"))
            Expert.objects.bulk_create([Expert(user=user, name=f"Expert {i}") for i, user in enumerate(expert_users)])
            expert_ids = list(Expert.objects.values_list("id", flat=True))
            self.stdout.write(f"{experts} experts")

            for start in range(0, clients, BATCH):
                User.objects.bulk_create([
                    User(email=f"bench-client-{i}@example.com", password=unusable, first_name="Client", last_name=str(i))
                    for i in range(start, min(start + BATCH, clients))
                ])
            client_ids = list(User.objects.filter(email__startswith="bench-client-").order_by("id").values_list("id", flat=True))
            profiled = {client_ids[0], *rng.sample(client_ids, int(len(client_ids) * PROFILE_SHARE))}
            ClientProfile.objects.bulk_create(
                [ClientProfile(user_id=client_id, **PROFILE) for client_id in sorted(profiled)], batch_size=BATCH
            )
            self.stdout.write(f"{clients} clients, {len(profiled)} with a complete profile")

            # dj-stripe's owner Account and APIKey, as the payments app seeds them for localstripe (the
            # bench registers its webhook endpoint through the payments app against the Stripe stand-in).
            local_account_ensure()

        statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
        now = timezone.now()
        made = 0
        progress = Progress(self.stdout, label="orders", total=orders, unit="orders")
        while made < orders:
            batch, versions = [], []
            for i in range(made, min(made + BATCH, orders)):
                # The first orders go to one client so the dashboard bench has a client with many orders.
                client_id = client_ids[0] if i < heavy_client_orders else rng.choice(client_ids)
                status = rng.choices(statuses, weights)[0]
                offer = rng.choice(offers)
                created = now - timedelta(minutes=rng.randint(10, 60 * 24 * 365))
                paid = status not in (S.PENDING, S.FAILED, S.CANCELED)
                # Some paid orders wait unassigned in the shared queue.
                has_expert = status != S.PENDING and (status != S.PAID or rng.random() < 0.5)
                order_id = uuid.uuid4()
                inputs = PROFILE if client_id in profiled else {"question": "Quel chemin pour cette année ?"}
                order = Order(
                    id=order_id, number=f"LUB{i:08d}", status=status, client_id=client_id, offer=offer,
                    level=offer.level, service=offer.service, amount=offer.price_cents, currency=offer.currency,
                    duration=offer.duration_minutes, expert_id=rng.choice(expert_ids) if has_expert else None,
                    client_name=f"Client {i}", client_email=f"bench-client-{i}@example.com", client_phone="+33600000000",
                    created_at=created, paid_at=created + timedelta(minutes=2) if paid else None,
                    # An id the bench's Stripe stand-in answers from (amount, currency and order id in it).
                    stripe_payment_intent_id=payment_intent_id(
                        order_id=order_id, amount=offer.price_cents, currency=offer.currency
                    ),
                    **inputs,
                    generated_content=CONTENT if status in (S.AWAITING_VALIDATION, S.COMPLETED, S.REFUNDED) else None,
                    generation_attempt_id=uuid.uuid4() if status in (S.PROCESSING, S.AWAITING_VALIDATION) else None,
                    delivered_at=created + timedelta(days=1) if status in (S.COMPLETED, S.REFUNDED) else None,
                )
                batch.append(order)
                if status == S.AWAITING_VALIDATION:
                    versions.append(
                        ContentVersion(order=order, revision=0, content=CONTENT, attempt_id=order.generation_attempt_id)
                    )
            with transaction.atomic():
                Order.objects.bulk_create(batch)
                ContentVersion.objects.bulk_create(versions)
            made += len(batch)
            progress.advance(len(batch))
        progress.close()

        with connection.cursor() as cursor:
            # Statistics for the planner, and the visibility map autovacuum keeps on a live database (without
            # it every count would read the table's pages instead of an index: not how production runs).
            # VACUUM cannot run inside a transaction (a test's): ANALYZE alone there.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Seeded {orders} orders in {time.monotonic() - started:.1f} s"))
