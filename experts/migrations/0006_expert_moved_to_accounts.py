"""Expert now lives in accounts (accounts 0003): removed from this app's state only; the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0005_generation_request_and_ai_runs"),
        ("accounts", "0003_expert_clientprofile_moved_in"),
        ("orders", "0009_order_expert_in_accounts"),  # nothing points at experts.Expert any more
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Expert")], database_operations=[]),
    ]
