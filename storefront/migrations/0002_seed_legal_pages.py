from django.db import migrations


def seed(apps, schema_editor):
    from storefront.legal_content import seed_legal_pages

    seed_legal_pages(apps.get_model("storefront", "LegalPage"))


class Migration(migrations.Migration):
    dependencies = [("storefront", "0001_legal_pages_and_contact_messages")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
