"""Signals other apps listen to, so that `orders` never imports them (imports go toward `orders` only).

All are sent by `orders.services` from `transaction.on_commit`, i.e. only once the change is durable;
a receiver therefore sees the committed rows and may start emails, tasks or cache retirement.

- `order_changed(sender=Order, order_id, client_id, expert_id)`: any write of an Order row or of its
  events/versions (every transition, the intake copy, prompts, generated content, audio name...).
- `order_paid(sender=Order, order_id)`: the order has just become paid (once per order).
- `order_approved(sender=Order, order_id)`: the expert approved a version; deliverables may be rendered.
"""

from django.dispatch import Signal

order_changed = Signal()
order_paid = Signal()
order_approved = Signal()
