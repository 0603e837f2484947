from django.core.management.base import BaseCommand

from experts.models import DeadLetter
from experts.services import dead_letter_replay
from lumira.progress import command_progress


class Command(BaseCommand):
    help = (
        "Send the orders of pending dead letters to generation again (oldest first). A letter whose order "
        "moved on since is closed as obsolete; nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--id", type=int, action="append", dest="ids", help="Only this dead letter (repeatable).")
        parser.add_argument("--order", help="Only the dead letters of this order number.")
        parser.add_argument("--dry-run", action="store_true", help="List what would be replayed, change nothing.")

    def handle(self, *args, ids, order, dry_run, **options):
        letters = DeadLetter.objects.pending().select_related("order").order_by("created_at", "pk")
        if ids:
            letters = letters.filter(pk__in=ids)
        if order:
            letters = letters.filter(order__number=order)
        letters = list(letters)
        total = len(letters)
        if not total:
            self.stdout.write("Aucune lettre morte à rejouer.")
            return
        outcomes = {"replayed": 0, "obsolete": 0, "skipped": 0}
        with command_progress(self.stdout, label="lettres mortes", total=total, unit="lettres") as progress:
            for letter in letters:
                prefix = f"lettre {letter.pk} · commande {letter.order.number}"
                if dry_run:
                    progress.advance(note=f"{prefix} : serait rejouée ({letter.get_reason_display()})")
                    continue
                outcome = dead_letter_replay(dead_letter_id=letter.pk)
                outcomes[outcome] += 1
                progress.advance(note=f"{prefix} : {outcome}")
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(
                f"{outcomes['replayed']} renvoyée(s) en génération, {outcomes['obsolete']} sans objet, "
                f"{outcomes['skipped']} déjà traitée(s)."
            ))
