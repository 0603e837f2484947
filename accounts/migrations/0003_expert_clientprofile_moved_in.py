"""Expert (from experts) and ClientProfile (from sanctuaire) now belong to accounts: state only, same tables.

The tables keep their names (`experts_expert`, `sanctuaire_clientprofile`) and their rows: this migration
declares the models in accounts' state; experts 0006 and sanctuaire 0004 remove them from their old apps'
state, and orders 0009 points Order.expert at accounts.Expert (the database's foreign key is unchanged).
It depends on the migrations that created the tables, so `migrate` from an empty database creates them
there first. The content types follow the models (permissions and admin history stay attached).
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import lumira.encryption

MOVED = [("experts", "expert"), ("sanctuaire", "clientprofile")]


def content_types_to_accounts(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, model in MOVED:
        if not ContentType.objects.filter(app_label="accounts", model=model).exists():
            ContentType.objects.filter(app_label=app_label, model=model).update(app_label="accounts")


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, model in MOVED:
        if not ContentType.objects.filter(app_label=app_label, model=model).exists():
            ContentType.objects.filter(app_label="accounts", model=model).update(app_label=app_label)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_email_unique_ignoring_case"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("experts", "0005_generation_request_and_ai_runs"),
        ("sanctuaire", "0003_english_labels"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Expert",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=150, verbose_name="nom")),
                        ("role", models.CharField(choices=[("expert", "Expert"), ("admin", "Administrateur")], default="expert", max_length=16, verbose_name="rôle")),
                        ("is_active", models.BooleanField(default=True, verbose_name="actif")),
                        ("specialties", models.JSONField(blank=True, default=list, verbose_name="spécialités")),
                        ("rating", models.DecimalField(blank=True, decimal_places=2, max_digits=3, null=True, verbose_name="note")),
                        ("last_login_at", models.DateTimeField(blank=True, null=True, verbose_name="dernière connexion")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="créé le")),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="expert", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "expert",
                        "verbose_name_plural": "experts",
                        "db_table": "experts_expert",
                        "ordering": ("name",),
                    },
                ),
                migrations.CreateModel(
                    name="ClientProfile",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("birth_date", lumira.encryption.EncryptedDateField(blank=True, null=True, verbose_name="date of birth")),
                        ("birth_time", lumira.encryption.EncryptedCharField(blank=True, default="", max_length=5, null=True, verbose_name="time of birth")),
                        ("birth_place", lumira.encryption.EncryptedCharField(blank=True, default="", max_length=200, null=True, verbose_name="place of birth")),
                        ("question", lumira.encryption.EncryptedTextField(blank=True, default="", null=True, verbose_name="question")),
                        ("objective", lumira.encryption.EncryptedTextField(blank=True, default="", null=True, verbose_name="goal")),
                        ("face_photo", lumira.encryption.EncryptedCharField(blank=True, default="", max_length=255, null=True, verbose_name="face photo")),
                        ("palm_photo", lumira.encryption.EncryptedCharField(blank=True, default="", max_length=255, null=True, verbose_name="palm photo")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="modified")),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="client_profile", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "client profile",
                        "verbose_name_plural": "client profiles",
                        "db_table": "sanctuaire_clientprofile",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_accounts, content_types_back),
    ]
