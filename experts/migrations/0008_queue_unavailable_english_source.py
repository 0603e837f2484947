"""`Order.last_error` holds QUEUE_UNAVAILABLE as its English source now (translated when shown): an order stored
with the former French text gets the new value, so the sweep still recognises (and clears) it."""

from django.db import migrations

FRENCH = (
    "File de génération indisponible : la commande reste « en cours » et sera envoyée automatiquement "
    "dès le retour du service (balayage des commandes bloquées)."
)
ENGLISH = (
    "Generation queue unavailable: the order stays “in progress” and will be sent automatically "
    "as soon as the service is back (sweep of stuck orders)."
)


def _swap(apps, old: str, new: str) -> None:
    # last_error is encrypted: compared in Python, on the few orders that can carry it (processing).
    Order = apps.get_model("orders", "Order")
    for order in Order.objects.filter(status="processing").only("pk", "last_error").iterator():
        if order.last_error == old:
            order.last_error = new
            order.save(update_fields=["last_error"])


def forwards(apps, schema_editor):
    _swap(apps, FRENCH, ENGLISH)


def backwards(apps, schema_editor):
    _swap(apps, ENGLISH, FRENCH)


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0007_english_labels"),
        ("orders", "0009_order_expert_in_accounts"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
