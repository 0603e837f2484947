"""Direct entry into the Sanctuaire from the order confirmation page, without the magic link (SPEC §5).

Paying under someone's email must never open their Sanctuaire, so the browser that paid skips the link only
when every one of these holds:
- this browser's checkout created the client's account (recorded in its session by create-payment-intent
  through accounts/sessions.py: an email that already had an account, in any letter case, never qualifies);
- the account has never been signed into (the first sign-in, by this door or by a link, closes it: once);
- the order is paid, not refunded, and was paid less than SANCTUAIRE_DIRECT_ENTRY_SECONDS ago.
Every other case goes through the magic link.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.utils import timezone

from accounts.sessions import new_account_order_forget, new_account_order_remembered
from orders.models import Order, OrderStatus

MAGIC_LINK_BACKEND = "sanctuaire.backends.ClientMagicLinkBackend"
# A refunded (or never paid) order opens nothing.
ENTERABLE_STATUSES = frozenset(
    {OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.AWAITING_VALIDATION, OrderStatus.COMPLETED}
)


@dataclass(frozen=True)
class DirectEntry:
    user: object | None  # the client signed in now, or None when refused
    awaiting_payment: bool = False  # refused only because the payment is not confirmed yet


def _window_open(order: Order) -> bool:
    window = timedelta(seconds=settings.SANCTUAIRE_DIRECT_ENTRY_SECONDS)
    return order.paid_at is not None and timezone.now() <= order.paid_at + window


def direct_entry_login(request, order_id) -> DirectEntry:
    """Sign this browser into the account its checkout created, if the rules above allow it; else refuse."""
    if not new_account_order_remembered(request.session, order_id):
        return DirectEntry(user=None)
    User = get_user_model()
    with transaction.atomic():
        order = Order.objects.filter(pk=order_id).only("id", "status", "paid_at", "refunded_at", "client").first()
        if order is None:
            return DirectEntry(user=None)
        if order.paid_at is None and order.status == OrderStatus.PENDING:
            return DirectEntry(user=None, awaiting_payment=True)
        if order.status not in ENTERABLE_STATUSES or order.refunded_at is not None or not _window_open(order):
            new_account_order_forget(request.session, order_id)
            return DirectEntry(user=None)
        # The row lock makes two racing entries (double click, two tabs) see each other's sign-in.
        client = User.objects.select_for_update().filter(pk=order.client_id).first()
        if client is None or client.last_login is not None or not client.is_active or client.is_staff:
            new_account_order_forget(request.session, order_id)
            return DirectEntry(user=None)
        login(request, client, backend=MAGIC_LINK_BACKEND)  # sets last_login: the door closes behind them
        new_account_order_forget(request.session, order_id)
    return DirectEntry(user=client)
