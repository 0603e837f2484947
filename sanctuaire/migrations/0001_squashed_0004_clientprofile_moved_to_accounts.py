"""sanctuaire from scratch: the data requests (ClientProfile lives in accounts)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ("sanctuaire", "0001_initial"), ("sanctuaire", "0002_data_request"), ("sanctuaire", "0003_english_labels"),
        ("sanctuaire", "0004_clientprofile_moved_to_accounts"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DataRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('export', 'Data export'), ('erasure', 'Account erasure')], max_length=16, verbose_name='request')),
                ('orders_count', models.PositiveIntegerField(default=0, verbose_name='orders concerned')),
                ('files_count', models.PositiveIntegerField(default=0, verbose_name='files')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='on')),
                ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={'verbose_name': 'data request', 'verbose_name_plural': 'data requests', 'ordering': ('-created_at',)},
        ),
    ]
