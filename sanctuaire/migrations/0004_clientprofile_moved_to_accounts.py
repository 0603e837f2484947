"""ClientProfile now lives in accounts (accounts 0003): removed from this app's state only; the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sanctuaire", "0003_english_labels"),
        ("accounts", "0003_expert_clientprofile_moved_in"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ClientProfile")], database_operations=[]
        ),
    ]
