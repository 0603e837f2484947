"""The email that forwards a contact message to staff (Reply-To: the sender), in the staff's language (French)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ContactMessage


def contact_message_email_send(*, message_id: int) -> bool:
    contact = ContactMessage.objects.filter(pk=message_id, emailed_at__isnull=True).first()
    if contact is None:  # unknown, or already sent by an earlier run of the task
        return False
    # Staff read French whatever language the visitor browsed in (the task may run in their request).
    with translation.override(settings.LANGUAGE_CODE):
        email = EmailMessage(
            subject=_("Lumira — contact message: %(subject)s") % {"subject": contact.get_subject_display()},
            body=render_to_string("emails/storefront_contact_message.txt", {"contact": contact}),
            to=settings.CONTACT_EMAIL_TO,
            reply_to=[contact.email],
        )
    email.send()
    ContactMessage.objects.filter(pk=contact.pk).update(emailed_at=timezone.now())
    return True
