"""experts 0008: an order stored with the former French QUEUE_UNAVAILABLE gets its English source, so the sweep
still recognises it; other errors are left as they are."""

import importlib

import pytest
from django.apps import apps

from experts.generation import QUEUE_UNAVAILABLE
from orders.models import Order
from tests.experts.helpers import processing

migration = importlib.import_module("experts.migrations.0008_queue_unavailable_english_source")


@pytest.mark.django_db
def test_the_former_french_queue_error_becomes_the_stored_english_source_and_back(expert):
    waiting, failed = processing(expert), processing(expert)
    for order, error in ((waiting, migration.FRENCH), (failed, "n8n a répondu 502")):
        order.last_error = error
        order.save(update_fields=["last_error"])

    migration.forwards(apps, None)

    assert migration.ENGLISH == QUEUE_UNAVAILABLE
    assert Order.objects.get(pk=waiting.pk).last_error == QUEUE_UNAVAILABLE
    assert Order.objects.get(pk=failed.pk).last_error == "n8n a répondu 502"
    migration.backwards(apps, None)
    assert Order.objects.get(pk=waiting.pk).last_error == migration.FRENCH
