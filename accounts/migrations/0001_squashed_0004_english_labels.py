"""accounts from scratch: User (with its case-insensitive e-mail constraint), and Expert and ClientProfile, which
keep their first apps' tables (`experts_expert`, `sanctuaire_clientprofile`).
"""

import accounts.models
import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
import lumira.encryption
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ("accounts", "0001_initial"), ("accounts", "0002_email_unique_ignoring_case"),
        ("accounts", "0003_expert_clientprofile_moved_in"), ("accounts", "0004_english_labels"),
    ]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('email', models.EmailField(max_length=254, unique=True, verbose_name='e-mail address')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
            ],
            options={
                'verbose_name': 'user', 'verbose_name_plural': 'users',
                'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('email'), name='accounts_user_email_ci_unique')],
            },
            managers=[
                ('objects', accounts.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='Expert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=150, verbose_name='nom')),
                ('role', models.CharField(choices=[('expert', 'Expert'), ('admin', 'Administrateur')], default='expert', max_length=16, verbose_name='rôle')),
                ('is_active', models.BooleanField(default=True, verbose_name='actif')),
                ('specialties', models.JSONField(blank=True, default=list, verbose_name='spécialités')),
                ('rating', models.DecimalField(blank=True, decimal_places=2, max_digits=3, null=True, verbose_name='note')),
                ('last_login_at', models.DateTimeField(blank=True, null=True, verbose_name='dernière connexion')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='expert', to=settings.AUTH_USER_MODEL)),
            ],
            options={'verbose_name': 'expert', 'verbose_name_plural': 'experts', 'db_table': 'experts_expert', 'ordering': ('name',)},
        ),
        migrations.CreateModel(
            name='ClientProfile',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('birth_date', lumira.encryption.EncryptedDateField(blank=True, null=True, verbose_name='date of birth')),
                ('birth_time', lumira.encryption.EncryptedCharField(blank=True, default='', max_length=5, null=True, verbose_name='time of birth')),
                ('birth_place', lumira.encryption.EncryptedCharField(blank=True, default='', max_length=200, null=True, verbose_name='place of birth')),
                ('question', lumira.encryption.EncryptedTextField(blank=True, default='', null=True, verbose_name='question')),
                ('objective', lumira.encryption.EncryptedTextField(blank=True, default='', null=True, verbose_name='goal')),
                ('face_photo', lumira.encryption.EncryptedCharField(blank=True, default='', max_length=255, null=True, verbose_name='face photo')),
                ('palm_photo', lumira.encryption.EncryptedCharField(blank=True, default='', max_length=255, null=True, verbose_name='palm photo')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modified')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='client_profile', to=settings.AUTH_USER_MODEL)),
            ],
            options={'verbose_name': 'client profile', 'verbose_name_plural': 'client profiles', 'db_table': 'sanctuaire_clientprofile'},
        ),
    ]
