"""Re-encrypt every encrypted column of every model under the newest FIELD_ENCRYPTION_KEYS key.

After a rotation (a new key put first in FIELD_ENCRYPTION_KEYS, the old ones kept after it), run this, then
drop the old keys (and FIELD_ENCRYPTION_SALT) once it reports nothing left to rewrite.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from lumira.encryption_columns import RewriteCount, encrypted_columns, reencrypt_transform, rewrite_columns
from lumira.progress import command_progress


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column under the newest FIELD_ENCRYPTION_KEYS key (batches, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (500).")

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        count = RewriteCount()
        transform = reencrypt_transform(count)
        for model in apps.get_models():
            columns = encrypted_columns(model)
            if not columns or model._meta.proxy or not model._meta.managed:
                continue
            label, total, done = model._meta.label, model._base_manager.count(), 0
            with command_progress(self.stdout, label=label, total=total, unit="rows") as progress:
                for rows in rewrite_columns(model, columns, transform, batch_size=batch_size):
                    done += rows
                    progress.advance(rows)
            count.rows += done
        self.stdout.write(
            f"{count.rows} rows read, {count.rewritten} values re-encrypted under the newest key."
        )
        if count.unreadable:
            raise CommandError(
                f"{count.unreadable} values decrypt with none of the configured keys and were left as they are "
                "(a key missing from FIELD_ENCRYPTION_KEYS, or FIELD_ENCRYPTION_SALT / DJANGO_SECRET_KEY_FALLBACKS "
                "for data written before the key list?)."
            )
