"""Order.expert points at accounts.Expert (the model moved from experts; same table, so state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0008_english_labels"),
        ("accounts", "0003_expert_clientprofile_moved_in"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="order",
                    name="expert",
                    field=models.ForeignKey(
                        blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="orders",
                        to="accounts.expert",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
