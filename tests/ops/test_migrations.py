"""The squashed migrations: a database at the last pre-squash migration has nothing to run, and a fresh one gets
the seeds (offers, the "Experts" group's permissions, legal pages). The full `migrate` on an empty PostgreSQL
database runs in `make migrations-check`."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython
from django.db.migrations.recorder import MigrationRecorder

from orders.models import Offer
from storefront.models import LegalPage

APPS = ("accounts", "experts", "orders", "sanctuaire", "storefront")
# What every deployment had applied before the squash (the files are gone; git history has them).
FORMER_HISTORY = {
    "accounts": ["0001_initial", "0002_email_unique_ignoring_case", "0003_expert_clientprofile_moved_in",
                 "0004_english_labels"],
    "experts": ["0001_initial", "0002_generation_attempts_dead_letters", "0003_experts_group_permissions",
                "0004_encrypt_generation_errors", "0005_generation_request_and_ai_runs",
                "0006_expert_moved_to_accounts", "0007_english_labels", "0008_queue_unavailable_english_source"],
    "orders": ["0001_initial", "0002_seed_offers", "0003_encrypt_expert_work_copies", "0004_order_chart",
               "0005_order_audio_name", "0006_order_withdrawal_waived_at", "0007_content_version_edited_by",
               "0008_english_labels", "0009_order_expert_in_accounts"],
    "sanctuaire": ["0001_initial", "0002_data_request", "0003_english_labels", "0004_clientprofile_moved_to_accounts"],
    "storefront": ["0001_legal_pages_and_contact_messages", "0002_seed_legal_pages", "0003_english_labels"],
}


@pytest.fixture
def executor(settings):
    settings.MIGRATION_MODULES = {}  # the tests' database is built from the models: read the real migrations
    return MigrationExecutor(connection)


def _ours(executor) -> list:
    return [executor.loader.disk_migrations[key] for key in executor.loader.graph.leaf_nodes() if key[0] in APPS]


@pytest.mark.django_db
def test_each_app_has_one_migration_and_a_database_with_the_former_history_has_nothing_to_run(executor):
    squashed = _ours(executor)
    assert sorted(migration.app_label for migration in squashed) == sorted(APPS)
    assert {key for key in executor.loader.graph.nodes if key[0] in APPS} == {(m.app_label, m.name) for m in squashed}

    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    for app_label, name in executor.loader.graph.nodes:
        if app_label not in APPS:
            recorder.record_applied(app_label, name)
    for app_label, names in FORMER_HISTORY.items():
        for name in names:
            recorder.record_applied(app_label, name)
    executor.loader.build_graph()

    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert {key for key in executor.loader.applied_migrations if key[0] in APPS} >= {
        (m.app_label, m.name) for m in squashed
    }


@pytest.mark.django_db
def test_a_fresh_install_gets_the_offers_the_experts_permissions_and_the_legal_pages(executor):
    state = executor.loader.project_state([(m.app_label, m.name) for m in _ours(executor)])
    seeds = [op for migration in _ours(executor) for op in migration.operations if isinstance(op, RunPython)]

    for operation in seeds:
        operation.code(state.apps, None)

    assert Offer.objects.count() == 12 and LegalPage.objects.count() == 4
    group = state.apps.get_model("auth", "Group").objects.get(name="Experts")
    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "view_contentversion", "view_order", "view_orderevent",
    ]
