"""The "Experts" group may browse and search orders with their events and versions in the admin (view
permissions only); editing offers, experts and dead letters stays with admins (superusers)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [("orders", "view_order"), ("orders", "view_orderevent"), ("orders", "view_contentversion")]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure they exist now.
    orders_config = apps.get_app_config("orders")
    orders_config.models_module = True
    create_permissions(orders_config, apps=apps, verbosity=0)
    orders_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Experts")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="orders", codename__in=[code for _, code in PERMISSIONS])
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Experts").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="orders", codename__in=[code for _, code in PERMISSIONS])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0002_generation_attempts_dead_letters"),
        ("orders", "0002_seed_offers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
