"""experts from scratch: generation attempts, dead letters and AI runs (Expert lives in accounts); the "Experts"
group may browse and search orders with their events and versions in the admin (view permissions only; editing
offers, experts and dead letters stays with admins).
"""

import django.db.models.deletion
import django.utils.timezone
import lumira.encryption
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

PERMISSIONS = ["view_order", "view_orderevent", "view_contentversion"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure the orders' exist now.
    orders_config = apps.get_app_config("orders")
    orders_config.models_module = True
    create_permissions(orders_config, apps=apps, verbosity=0)
    orders_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Experts")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="orders", codename__in=PERMISSIONS))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Experts").first()
    if group:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="orders", codename__in=PERMISSIONS))


class Migration(migrations.Migration):

    replaces = [
        ("experts", "0001_initial"), ("experts", "0002_generation_attempts_dead_letters"),
        ("experts", "0003_experts_group_permissions"), ("experts", "0004_encrypt_generation_errors"),
        ("experts", "0005_generation_request_and_ai_runs"), ("experts", "0006_expert_moved_to_accounts"),
        ("experts", "0007_english_labels"), ("experts", "0008_queue_unavailable_english_source"),
    ]

    dependencies = [
        ('orders', '0001_squashed_0009_order_expert_in_accounts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='GenerationAttempt',
            fields=[
                ('id', models.UUIDField(editable=False, primary_key=True, serialize=False, verbose_name='attempt')),
                ('revision', models.PositiveIntegerField(verbose_name='revision')),
                ('backend', models.CharField(max_length=16, verbose_name='generator')),
                ('outcome', models.CharField(choices=[('pending', 'In progress'), ('delivered', 'Content received'), ('failed', 'Failure reported by n8n'), ('dead', 'Given up'), ('obsolete', 'Moot')], default='pending', max_length=16, verbose_name='outcome')),
                ('sends', models.PositiveIntegerField(default=0, help_text='Requests made to the generator.', verbose_name='sends')),
                ('resends', models.PositiveIntegerField(default=0, help_text='Resent by the sweep of stuck orders.', verbose_name='resends')),
                ('last_error', lumira.encryption.EncryptedTextField(blank=True, default='', verbose_name='last error')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created on')),
                ('deadline_at', models.DateTimeField(verbose_name='deadline')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered on')),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='generation_attempts', to='orders.order')),
                ('request', lumira.encryption.EncryptedJSONField(blank=True, null=True, verbose_name='request sent')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='last sent')),
            ],
            options={
                'verbose_name': 'generation attempt', 'verbose_name_plural': 'generation attempts', 'ordering': ('-created_at',),
                'indexes': [models.Index(fields=['outcome', 'deadline_at'], name='genattempt_pending_idx')],
            },
        ),
        migrations.CreateModel(
            name='DeadLetter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('task', models.CharField(max_length=100, verbose_name='task')),
                ('reason', models.CharField(choices=[('retries_exhausted', 'Retries exhausted'), ('refused', 'Request refused by n8n'), ('generator_failure', 'Failure reported by the generator'), ('no_answer', 'No answer in time')], max_length=32, verbose_name='reason')),
                ('error', lumira.encryption.EncryptedTextField(blank=True, default='', verbose_name='error')),
                ('tries', models.PositiveIntegerField(default=0, verbose_name='tries')),
                ('payload', models.JSONField(blank=True, default=dict, verbose_name='request payload')),
                ('status', models.CharField(choices=[('pending', 'To replay'), ('replayed', 'Replayed'), ('obsolete', 'Moot')], default='pending', max_length=16, verbose_name='state')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created on')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved on')),
                ('resolution_note', models.TextField(blank=True, default='', verbose_name='note')),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dead_letters', to='orders.order')),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('attempt', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='dead_letters', to='experts.generationattempt')),
            ],
            options={
                'verbose_name': 'dead letter', 'verbose_name_plural': 'dead letters', 'ordering': ('-created_at',),
                'indexes': [models.Index(fields=['status', 'created_at'], name='deadletter_status_created_idx')],
            },
        ),
        migrations.CreateModel(
            name='AIRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('backend', models.CharField(max_length=16, verbose_name='generator')),
                ('model', models.CharField(blank=True, default='', max_length=100, verbose_name='model')),
                ('prompt_tokens', models.PositiveIntegerField(blank=True, null=True, verbose_name='tokens sent')),
                ('completion_tokens', models.PositiveIntegerField(blank=True, null=True, verbose_name='tokens received')),
                ('latency_ms', models.PositiveIntegerField(blank=True, null=True, verbose_name='duration (ms)')),
                ('cost_eur', models.DecimalField(decimal_places=6, default=0, max_digits=10, verbose_name='estimated cost (EUR)')),
                ('outcome', models.CharField(choices=[('succeeded', 'Valid content'), ('sent', 'Sent to n8n'), ('invalid', 'Invalid content'), ('failed', 'Failure')], max_length=16, verbose_name='outcome')),
                ('error', lumira.encryption.EncryptedTextField(blank=True, default='', verbose_name='error')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='on')),
                ('attempt', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ai_runs', to='experts.generationattempt')),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ai_runs', to='orders.order')),
            ],
            options={
                'verbose_name': 'AI call', 'verbose_name_plural': 'AI calls', 'ordering': ('-created_at',),
                'indexes': [models.Index(fields=['order', 'created_at'], name='airun_order_created_idx')],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
