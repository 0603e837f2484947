from django.core.management.base import BaseCommand

from experts.sweep import generation_sweep_stuck


class Command(BaseCommand):
    help = (
        "Find orders stuck in processing past GENERATION_DEADLINE_MINUTES: resend their request, or after "
        "GENERATION_SWEEP_MAX_RESENDS resends dead-letter it and put the order back in the queue. "
        "Celery beat runs the same sweep periodically."
    )

    def handle(self, *args, **options):
        counts = generation_sweep_stuck()
        self.stdout.write(self.style.SUCCESS(
            f"{counts['resent']} renvoyée(s), {counts['dead_lettered']} en lettre morte, {counts['obsolete']} sans objet."
        ))
