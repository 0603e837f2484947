"""An email address is one identity whatever its letter case: one account, found by any spelling."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError, transaction

from tests.factories import ExpertFactory

User = get_user_model()


@pytest.mark.django_db
def test_a_checkout_in_another_case_finds_the_existing_account_and_creates_none():
    # An account whose address was typed with capitals (in the admin, before addresses were lowercased).
    existing = User.objects.create(email="Alice.Martin@Example.com", first_name="Alice")

    found, created = User.objects.client_get_or_create("ALICE.MARTIN@example.COM", full_name="Quelqu'un d'autre")

    assert (found.pk, created) == (existing.pk, False)
    assert found.first_name == "Alice"  # the payer's name does not rename the account
    assert User.objects.filter(email__iexact="alice.martin@example.com").count() == 1


@pytest.mark.django_db
def test_a_new_address_creates_the_account_once_in_lower_case():
    user, created = User.objects.client_get_or_create("Nouvelle@Example.com", full_name="Nina Nouvelle")
    again, created_again = User.objects.client_get_or_create("nouvelle@example.com")

    assert (created, created_again) == (True, False) and again.pk == user.pk
    assert user.email == "nouvelle@example.com" and user.last_login is None


@pytest.mark.django_db
def test_the_database_refuses_a_second_account_for_the_same_address_in_another_case():
    User.objects.create(email="bruno@example.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="Bruno@Example.com")


@pytest.mark.django_db
def test_an_expert_signs_in_with_their_address_in_any_case():
    expert = ExpertFactory(user__email="oriane@lumira.local")

    assert authenticate(email="Oriane@Lumira.LOCAL", password="expert-password-123") == expert.user
