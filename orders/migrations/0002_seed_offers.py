from django.db import migrations

from orders.catalogue import seed_offers


def forwards(apps, schema_editor):
    seed_offers(apps.get_model("orders", "Offer"))


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
