"""factory_boy factories shared by every test package."""

import datetime

import factory
from django.contrib.auth import get_user_model

from accounts.models import Expert, ExpertRole
from orders import services
from orders.catalogue import seed_offers
from orders.models import Offer, Order


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"client{n}@example.com")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Client{n}")
    password = factory.django.Password("not-a-real-password")


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    user = factory.SubFactory(
        UserFactory, email=factory.Sequence(lambda n: f"expert{n}@lumira.local"), is_staff=True,
        password="expert-password-123",  # UserFactory.password hashes it (a Password here would hash twice)
    )
    name = factory.Sequence(lambda n: f"Expert {n}")
    role = ExpertRole.EXPERT
    is_active = True


def offer(level: int = 2, service: str = "premium") -> Offer:
    seed_offers(Offer)
    return Offer.objects.get(level=level, service=service)


# What generation needs (SPEC §5): every factory order has it unless a test says otherwise (e.g. birth_date=None).
# Set after creation, so no chart is computed for the thousands of orders the suite makes.
INTAKE_DEFAULTS = {"birth_date": datetime.date(1990, 5, 17), "question": "Quelle direction donner à mon travail ?"}


def create_order(*, client=None, level: int = 2, service: str = "premium", expert=None, **inputs) -> Order:
    """A pending order created through the real service (priced from the offer), with INTAKE_DEFAULTS."""
    client = client or UserFactory()
    inputs = {**INTAKE_DEFAULTS, **inputs}
    order = services.order_create(
        offer=offer(level, service), client=client, client_name=client.get_full_name() or "Camille Client",
        client_email=client.email, client_phone=inputs.pop("client_phone", "+33 6 00 00 00 00"), expert=expert,
    )
    if inputs:
        for field, value in inputs.items():
            setattr(order, field, value)
        order.save()
    return order


def paid_order(**kwargs) -> Order:
    order = create_order(**kwargs)
    return services.order_mark_paid(order_id=order.pk, payment_intent_id=f"pi_test_{order.number}").order
