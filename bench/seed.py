"""Bulk-load a large, realistic data set for `make bench` (never used by the app itself).

    python -m bench.seed --orders 1000000        (bench/run.py runs it with the bench's settings)

N orders over every status and level, experts and clients, plus the named subjects the scenarios use at
any size (bench/subjects.py). Rows go in through PostgreSQL's COPY: each table's columns that do not vary
are converted (and encrypted) once, from a template instance; each row only adds its own values.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stripe_standin import payment_intent_id
from bench.subjects import (
    ADMIN_EXPERT,
    DESK_EXPERT,
    EXPERT_PASSWORD,
    HEAVY_CLIENT,
    model_named,
)

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
BARE_INPUTS = {"birth_date": None, "birth_time": "", "birth_place": "", "question": "Quel chemin pour cette année ?",
               "objective": ""}
PROFILE_SHARE = 0.5  # of the clients (the two subject clients always have one)
ORDERS_PER_CLIENT = 5  # the default number of clients is orders / 5 (at least 20)
BATCH = 50_000  # rows per COPY (and per progress line)


def status_weights():
    from orders.models import OrderStatus as S

    # Roughly what a live shop looks like: most orders delivered, a working set in the queues.
    return {S.COMPLETED: 55, S.PAID: 10, S.PROCESSING: 4, S.AWAITING_VALIDATION: 6, S.PENDING: 12,
            S.FAILED: 5, S.CANCELED: 5, S.REFUNDED: 3}


def copy_rows(model, template, varying: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY `rows` into `model`'s table: each row gives the `varying` columns (database values, in that
    order); every other column takes `template`'s value, converted (and encrypted) once. An auto-increment
    primary key not in `varying` is left to its sequence."""
    from django.db import connection
    from django.db.models.fields import AutoFieldMixin

    constant = [f for f in model._meta.concrete_fields
                if f.attname not in varying and not isinstance(f, AutoFieldMixin)]
    values = tuple(f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in constant)
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(c) for c in [by_attname[a] for a in varying] + [f.column for f in constant])
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(
        f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row((*row, *values))
            count += 1
    return count


@contextlib.contextmanager
def bulk_load(model) -> Iterator[None]:
    """The table's plain indexes (those no constraint needs) dropped for the load and built once after it,
    and, for a superuser, foreign-key triggers off meanwhile (the seed writes only ids it just read): a
    bulk load then costs what PostgreSQL's COPY costs, not one index and key lookup per row."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        if superuser:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if superuser:
                cursor.execute("SET session_replication_role = DEFAULT")
            for _, definition in indexes:
                cursor.execute(definition)


def encrypted(model, template_fields: dict) -> tuple:
    """The database values of encrypted fields, computed once (each row then shares the ciphertext)."""
    from django.db import connection

    return tuple(model._meta.get_field(name).get_db_prep_save(value, connection) for name, value in template_fields.items())


def seed(*, orders: int = 100_000, experts: int = 200, clients: int | None = None, heavy_client_orders: int = 50,
         seed: int = 42, stdout=None) -> float:
    """Seed an empty database; returns the seconds it took."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management.base import OutputWrapper
    from django.db import connection, transaction
    from django.utils import timezone

    from lumira.progress import Progress
    from orders.catalogue import seed_offers
    from orders.models import Offer, Order
    from payments.stripe_api import local_account_ensure

    if Order.objects.exists():
        raise RuntimeError("The database already has orders: seed an empty bench database.")
    started = time.monotonic()
    stdout = OutputWrapper(stdout or sys.stdout)
    clients = max(20, orders // ORDERS_PER_CLIENT) if clients is None else max(2, clients)
    experts = max(2, experts)
    rng = random.Random(seed)
    User, Expert, ClientProfile = get_user_model(), model_named("Expert"), model_named("ClientProfile")
    now = timezone.now()
    seed_offers(Offer)
    offers = list(Offer.objects.all())

    with transaction.atomic():
        expert_password = make_password(EXPERT_PASSWORD)
        User.objects.bulk_create([
            User(email=f"bench-expert-{i}@lumira.local", password=expert_password, is_staff=True, first_name="Expert")
            for i in range(experts)
        ])
        users = User.objects.filter(email__startswith="bench-expert-").in_bulk(field_name="email")
        Expert.objects.bulk_create([
            Expert(user=users[f"bench-expert-{i}@lumira.local"], name=f"Expert {i}",
                   role="admin" if f"bench-expert-{i}@lumira.local" == ADMIN_EXPERT else "expert")
            for i in range(experts)
        ])
        assert {DESK_EXPERT, ADMIN_EXPERT} <= set(users)
        expert_ids = list(Expert.objects.values_list("id", flat=True))
        stdout.write(f"{experts} experts")

        copy_rows(User, User(password=make_password(None), first_name="Client", date_joined=now),
                  ("email", "last_name"), ((f"bench-client-{i}@example.com", str(i)) for i in range(clients)))
        client_ids = list(User.objects.filter(email__startswith="bench-client-").order_by("id").values_list("id", flat=True))
        # Clients 0 and 1 are the subjects (HEAVY_CLIENT, LIGHT_CLIENT): both have a complete profile.
        profiled = {0, 1, *rng.sample(range(clients), int(clients * PROFILE_SHARE))}
        copy_rows(ClientProfile, ClientProfile(**PROFILE), ("id", "user_id"),
                  ((uuid.UUID(int=rng.getrandbits(128), version=4), client_ids[k]) for k in sorted(profiled)))
        stdout.write(f"{clients} clients, {len(profiled)} with a complete profile")

        # dj-stripe's owner Account and APIKey, as the payments app seeds them for localstripe (the
        # bench registers its webhook endpoint through the payments app against the Stripe stand-in).
        local_account_ensure()

    progress = Progress(stdout, label="orders", total=orders, unit="orders")
    made = 0
    order_rows = OrderRows(rng, now=now, offers=offers, expert_ids=expert_ids, client_ids=client_ids,
                           profiled=profiled, heavy_client_orders=heavy_client_orders)
    with bulk_load(Order):
        while made < orders:
            end = min(made + BATCH, orders)
            with transaction.atomic():
                order_rows.write(range(made, end))
            progress.advance(end - made)
            made = end
    progress.close()

    with connection.cursor() as cursor:
        # Statistics for the planner, and the visibility map autovacuum keeps on a live database (without
        # it every count would read the table's pages instead of an index: not how production runs).
        # VACUUM cannot run inside a transaction (a test's): ANALYZE alone there.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    seconds = time.monotonic() - started
    stdout.write(f"Seeded {orders} orders in {seconds:.1f} s")
    return seconds


class OrderRows:
    """The orders' rows for COPY: random statuses, offers, clients and experts; the subjects' orders first."""

    VARYING = ("id", "number", "status", "client_id", "offer_id", "level", "service", "amount", "currency",
               "duration", "expert_id", "client_name", "client_email", "created_at", "updated_at", "paid_at",
               "stripe_payment_intent_id", "generated_content", "generation_attempt_id", "delivered_at",
               *PROFILE)

    def __init__(self, rng: random.Random, *, now, offers, expert_ids, client_ids, profiled, heavy_client_orders):
        from orders.models import ContentVersion, Order, OrderStatus

        S = OrderStatus
        self.rng, self.now, self.offers, self.expert_ids, self.client_ids = rng, now, offers, expert_ids, client_ids
        self.profiled, self.heavy = profiled, heavy_client_orders
        self.statuses, self.weights = zip(*status_weights().items(), strict=True)
        self.with_content = {S.AWAITING_VALIDATION, S.COMPLETED, S.REFUNDED}
        self.unpaid = {S.PENDING, S.FAILED, S.CANCELED}
        self.S, self.Order, self.ContentVersion = S, Order, ContentVersion
        self.content = encrypted(Order, {"generated_content": CONTENT})[0]
        self.inputs = {True: encrypted(Order, PROFILE), False: encrypted(Order, BARE_INPUTS)}
        self.template = Order(client_phone="+33600000000", created_at=now)

    def client_index(self, i: int) -> int:
        """HEAVY_CLIENT (0) has the first orders, LIGHT_CLIENT (1) the next one only, the rest go at random."""
        if i < self.heavy:
            return 0
        if i == self.heavy:
            return 1
        return self.rng.randrange(2, len(self.client_ids)) if len(self.client_ids) > 2 else 0

    def write(self, numbers: range) -> None:
        S, rng = self.S, self.rng
        versions = []

        def rows():
            for i in numbers:
                k = self.client_index(i)
                status = S.COMPLETED if i == self.heavy else rng.choices(self.statuses, self.weights)[0]
                offer = rng.choice(self.offers)
                created = self.now - timedelta(minutes=rng.randint(10, 60 * 24 * 365))
                # Some paid orders wait unassigned in the shared queue.
                has_expert = status != S.PENDING and (status != S.PAID or rng.random() < 0.5)
                order_id = uuid.UUID(int=rng.getrandbits(128), version=4)
                attempt = None
                if status in (S.PROCESSING, S.AWAITING_VALIDATION):
                    attempt = uuid.UUID(int=rng.getrandbits(128), version=4)
                if status == S.AWAITING_VALIDATION:
                    versions.append((order_id, 0, self.content, attempt, created))
                delivered = status in (S.COMPLETED, S.REFUNDED)
                yield (
                    order_id, f"LUB{i:08d}", status, self.client_ids[k], offer.pk, offer.level, offer.service,
                    offer.price_cents, offer.currency, offer.duration_minutes,
                    rng.choice(self.expert_ids) if has_expert else None,
                    f"Client {k}", f"bench-client-{k}@example.com", created, created,
                    None if status in self.unpaid else created + timedelta(minutes=2),
                    # An id the bench's Stripe stand-in answers from (amount, currency and order id in it).
                    payment_intent_id(order_id=order_id, amount=offer.price_cents, currency=offer.currency),
                    self.content if status in self.with_content else None, attempt,
                    created + timedelta(days=1) if delivered else None,
                    *self.inputs[k in self.profiled],
                )

        copy_rows(self.Order, self.template, self.VARYING, rows())
        copy_rows(self.ContentVersion, self.ContentVersion(revision=0),
                  ("order_id", "revision", "content", "attempt_id", "created_at"), versions)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--experts", type=int, default=200)
    parser.add_argument("--clients", type=int, default=None, help=f"default: orders / {ORDERS_PER_CLIENT}")
    parser.add_argument("--heavy-client-orders", type=int, default=50, help=f"orders of {HEAVY_CLIENT}")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lumira.settings")
    import django

    django.setup()
    seed(orders=args.orders, experts=args.experts, clients=args.clients, heavy_client_orders=args.heavy_client_orders,
         seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
