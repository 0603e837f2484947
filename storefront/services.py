"""Storefront writes: a contact message is stored (encrypted), then emailed to staff after commit."""

from django.db import transaction

from .models import ContactMessage


def contact_message_create(*, name: str, email: str, subject: str, message: str) -> ContactMessage:
    from .tasks import contact_message_email  # tasks import this module

    with transaction.atomic():
        contact = ContactMessage.objects.create(name=name, email=email, subject=subject, message=message)
        transaction.on_commit(lambda: contact_message_email.delay(contact.pk))
    return contact
