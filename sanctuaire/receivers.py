"""What the Sanctuaire does when an order changes elsewhere (orders.signals, sent after commit; connected in
ready())."""

from orders.models import Order
from orders.signals import order_approved, order_paid


def intake_reminder_on_paid(sender, *, order_id, **kwargs) -> None:
    """A paid order still lacking what generation needs: the client is asked once, by email."""
    from .services import intake_reminder_schedule

    intake_reminder_schedule(order_id=order_id)


def reading_audio_on_approved(sender, *, order_id, **kwargs) -> None:
    """A delivered reading whose level has it (level ≥ 2) is read aloud by a task."""
    from .services import reading_audio_schedule

    order = Order.objects.filter(pk=order_id).only("level").first()
    if order is not None:
        reading_audio_schedule(order=order)


def connect() -> None:
    order_paid.connect(intake_reminder_on_paid, sender=Order, dispatch_uid="sanctuaire-intake-reminder")
    order_approved.connect(reading_audio_on_approved, sender=Order, dispatch_uid="sanctuaire-reading-audio")
