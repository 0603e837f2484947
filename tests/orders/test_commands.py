import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts.models import Expert
from orders.models import Order, OrderStatus


@pytest.mark.django_db
def test_create_expert_creates_a_staff_user_who_can_sign_in(capsys):
    call_command("create_expert", "nova@lumira.local", name="Nova Ciel", password="Un-mot-de-passe-solide-42")

    expert = Expert.objects.get(user__email="nova@lumira.local")
    assert expert.user.is_staff and expert.user.groups.filter(name="Experts").exists()
    assert authenticate(email="nova@lumira.local", password="Un-mot-de-passe-solide-42") == expert.user
    assert "Expert créé" in capsys.readouterr().out


@pytest.mark.django_db
def test_create_expert_refuses_a_duplicate_email():
    call_command("create_expert", "nova@lumira.local", name="Nova", password="Un-mot-de-passe-solide-42")
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("create_expert", "NOVA@lumira.local", name="Nova 2", password="Un-mot-de-passe-solide-42")
    assert Expert.objects.count() == 1


@pytest.mark.django_db
def test_create_expert_refuses_a_weak_password():
    with pytest.raises(CommandError):
        call_command("create_expert", "weak@lumira.local", name="Weak", password="123")
    assert not Expert.objects.exists()


@pytest.mark.django_db
def test_demo_data_has_an_order_in_every_status_and_can_be_loaded_twice(capsys):
    call_command("load_demo_data")
    call_command("load_demo_data")

    statuses = set(Order.objects.values_list("status", flat=True))
    assert statuses == set(OrderStatus.values)
    assert Order.objects.count() == len(OrderStatus.values)
    assert "lumira-demo-2026" in capsys.readouterr().out
