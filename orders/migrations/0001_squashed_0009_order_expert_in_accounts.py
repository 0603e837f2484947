"""orders from scratch: the offers, orders, their versions and events; the default catalogue is seeded."""

import django.db.models.deletion
import django.utils.timezone
import lumira.encryption
import uuid
from django.conf import settings
from django.db import migrations, models

from orders.catalogue import seed_offers


def seed_default_offers(apps, schema_editor):
    seed_offers(apps.get_model("orders", "Offer"))


class Migration(migrations.Migration):

    replaces = [
        ("orders", "0001_initial"), ("orders", "0002_seed_offers"), ("orders", "0003_encrypt_expert_work_copies"),
        ("orders", "0004_order_chart"), ("orders", "0005_order_audio_name"),
        ("orders", "0006_order_withdrawal_waived_at"), ("orders", "0007_content_version_edited_by"),
        ("orders", "0008_english_labels"), ("orders", "0009_order_expert_in_accounts"),
    ]

    dependencies = [
        ('accounts', '0001_squashed_0004_english_labels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='OrderNumberSequence',
            fields=[
                ('day', models.DateField(primary_key=True, serialize=False)),
                ('last_value', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='Offer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.PositiveSmallIntegerField(choices=[(1, 'Simple'), (2, 'Intuitive'), (3, 'Alchimique'), (4, 'Intégrale')], verbose_name='level')),
                ('service', models.CharField(choices=[('basic', 'Basic'), ('premium', 'Premium'), ('vip', 'VIP')], max_length=16, verbose_name='tier')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('price_cents', models.PositiveIntegerField(verbose_name='price (cents)')),
                ('currency', models.CharField(default='eur', max_length=3, verbose_name='currency')),
                ('duration_minutes', models.PositiveSmallIntegerField(verbose_name='duration (minutes)')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
            ],
            options={
                'verbose_name': 'offer', 'verbose_name_plural': 'offers', 'ordering': ('level', 'price_cents'),
                'constraints': [models.UniqueConstraint(fields=('level', 'service'), name='offer_unique_level_service')],
            },
        ),
        migrations.CreateModel(
            name='Order',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('number', models.CharField(editable=False, max_length=32, unique=True, verbose_name='number')),
                ('status', models.CharField(choices=[('pending', 'Awaiting payment'), ('paid', 'Paid'), ('processing', 'Being generated'), ('awaiting_validation', 'Awaiting approval'), ('completed', 'Delivered'), ('failed', 'Payment failed'), ('canceled', 'Canceled'), ('refunded', 'Refunded')], default='pending', max_length=32, verbose_name='status')),
                ('level', models.PositiveSmallIntegerField(choices=[(1, 'Simple'), (2, 'Intuitive'), (3, 'Alchimique'), (4, 'Intégrale')], verbose_name='level')),
                ('service', models.CharField(choices=[('basic', 'Basic'), ('premium', 'Premium'), ('vip', 'VIP')], max_length=16, verbose_name='tier')),
                ('amount', models.PositiveIntegerField(verbose_name='amount (cents)')),
                ('currency', models.CharField(max_length=3, verbose_name='currency')),
                ('duration', models.PositiveSmallIntegerField(verbose_name='duration (minutes)')),
                ('client_name', models.CharField(max_length=150, verbose_name='name')),
                ('client_email', models.EmailField(max_length=254, verbose_name='e-mail')),
                ('client_phone', lumira.encryption.EncryptedCharField(blank=True, default='', max_length=40, null=True, verbose_name='phone')),
                ('birth_date', lumira.encryption.EncryptedDateField(blank=True, null=True, verbose_name='date of birth')),
                ('birth_time', lumira.encryption.EncryptedCharField(blank=True, default='', max_length=5, null=True, verbose_name='time of birth')),
                ('birth_place', lumira.encryption.EncryptedCharField(blank=True, default='', max_length=200, null=True, verbose_name='place of birth')),
                ('question', lumira.encryption.EncryptedTextField(blank=True, default='', null=True, verbose_name='question')),
                ('objective', lumira.encryption.EncryptedTextField(blank=True, default='', null=True, verbose_name='goal')),
                ('expert_prompt', lumira.encryption.EncryptedTextField(blank=True, default='', verbose_name='prompt')),
                ('expert_instructions', lumira.encryption.EncryptedTextField(blank=True, default='', verbose_name='instructions')),
                ('generated_content', lumira.encryption.EncryptedJSONField(blank=True, null=True, verbose_name='generated content')),
                ('revision_count', models.PositiveIntegerField(default=0, verbose_name='revisions')),
                ('validation_notes', lumira.encryption.EncryptedTextField(blank=True, default='', verbose_name='approval notes')),
                ('rejection_reason', lumira.encryption.EncryptedTextField(blank=True, default='', verbose_name='rejection reason')),
                ('last_error', lumira.encryption.EncryptedTextField(blank=True, default='', verbose_name='last error')),
                ('generation_attempt_id', models.UUIDField(blank=True, editable=False, null=True)),
                ('stripe_payment_intent_id', models.CharField(blank=True, db_index=True, default='', max_length=255)),
                ('payment_flag', models.CharField(blank=True, default='', help_text='Set when Stripe reported a payment that does not match the order (never marked paid then).', max_length=255, verbose_name='anomalie de paiement')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created on')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modified on')),
                ('paid_at', models.DateTimeField(blank=True, null=True, verbose_name='paid on')),
                ('assigned_at', models.DateTimeField(blank=True, null=True, verbose_name='assigned on')),
                ('generation_started_at', models.DateTimeField(blank=True, null=True, verbose_name='generation started on')),
                ('validated_at', models.DateTimeField(blank=True, null=True, verbose_name='approved on')),
                ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='delivered on')),
                ('refunded_at', models.DateTimeField(blank=True, null=True, verbose_name='refunded on')),
                ('closed_at', models.DateTimeField(blank=True, help_text='Payment failed or canceled.', null=True, verbose_name='closed on')),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='orders', to=settings.AUTH_USER_MODEL)),
                ('expert', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='orders', to='accounts.expert')),
                ('offer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='orders', to='orders.offer')),
                ('chart', lumira.encryption.EncryptedJSONField(blank=True, null=True, verbose_name='birth chart')),
                ('intake_reminder_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='profile reminder sent on')),
                ('audio_name', lumira.encryption.EncryptedCharField(blank=True, default='', max_length=255, null=True, verbose_name='audio file')),
                ('withdrawal_waived_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawal waived on')),
            ],
            options={
                'verbose_name': 'order', 'verbose_name_plural': 'orders', 'ordering': ('-created_at',),
                'indexes': [
                    models.Index(fields=['status', 'expert', 'created_at'], name='order_queue_idx'),
                    models.Index(fields=['status', 'created_at'], name='order_status_created_idx'),
                    models.Index(fields=['expert', 'status'], name='order_expert_status_idx'),
                    models.Index(fields=['client', 'created_at'], name='order_client_created_idx'),
                    models.Index(fields=['created_at'], name='order_created_idx'),
                ],
                'constraints': [
                    models.CheckConstraint(condition=models.Q(('level__gte', 1), ('level__lte', 4)), name='order_level_1_to_4'),
                ],
            },
        ),
        migrations.CreateModel(
            name='ContentVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('revision', models.PositiveIntegerField(verbose_name='revision')),
                ('content', lumira.encryption.EncryptedJSONField(verbose_name='content')),
                ('prompt', lumira.encryption.EncryptedTextField(blank=True, default='', verbose_name='prompt used')),
                ('instructions', lumira.encryption.EncryptedTextField(blank=True, default='', verbose_name='instructions used')),
                ('attempt_id', models.UUIDField(blank=True, null=True)),
                ('outcome', models.CharField(choices=[('pending', 'To approve'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('edited', 'Corrected by the expert')], default='pending', max_length=16, verbose_name='outcome')),
                ('validation_notes', lumira.encryption.EncryptedTextField(blank=True, default='', verbose_name='notes')),
                ('rejection_reason', lumira.encryption.EncryptedTextField(blank=True, default='', verbose_name='rejection reason')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created on')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='orders.order')),
                ('edited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='corrected by')),
            ],
            options={
                'verbose_name': 'version', 'verbose_name_plural': 'versions', 'ordering': ('order', 'revision'),
                'constraints': [
                    models.UniqueConstraint(fields=('order', 'revision'), name='contentversion_unique_revision'),
                ],
            },
        ),
        migrations.CreateModel(
            name='OrderEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(blank=True, choices=[('pending', 'Awaiting payment'), ('paid', 'Paid'), ('processing', 'Being generated'), ('awaiting_validation', 'Awaiting approval'), ('completed', 'Delivered'), ('failed', 'Payment failed'), ('canceled', 'Canceled'), ('refunded', 'Refunded')], default='', max_length=32, verbose_name='from status')),
                ('to_status', models.CharField(choices=[('pending', 'Awaiting payment'), ('paid', 'Paid'), ('processing', 'Being generated'), ('awaiting_validation', 'Awaiting approval'), ('completed', 'Delivered'), ('failed', 'Payment failed'), ('canceled', 'Canceled'), ('refunded', 'Refunded')], max_length=32, verbose_name='to')),
                ('action', models.CharField(max_length=40, verbose_name='action')),
                ('note', lumira.encryption.EncryptedTextField(blank=True, default='', verbose_name='note')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='on')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('order', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='orders.order')),
            ],
            options={
                'verbose_name': 'event', 'verbose_name_plural': 'events', 'ordering': ('created_at', 'id'),
                'indexes': [models.Index(fields=['order', 'created_at'], name='orderevent_order_created_idx')],
            },
        ),
        migrations.RunPython(seed_default_offers, migrations.RunPython.noop),
    ]
