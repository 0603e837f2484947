"""What a browser's session remembers about the orders placed in it (written by the checkout, read by the
Sanctuaire's direct entry). The session keys are spelled here only."""

# The orders this browser paid for.
PAID_ORDERS_SESSION_KEY = "lumira_paid_orders"
# The orders whose checkout, in this browser, created the client's account: the Sanctuaire's direct entry
# (sanctuaire/direct_entry.py) signs this browser in for those, once paid.
NEW_ACCOUNT_ORDERS_SESSION_KEY = "lumira_new_account_orders"
# Ids kept per key: the most recent ones.
_REMEMBERED = 20


def _remember(session, key: str, order_id) -> None:
    orders = [value for value in session.get(key, []) if value != str(order_id)]
    session[key] = [*orders, str(order_id)][-_REMEMBERED:]


def paid_order_remember(session, order_id) -> None:
    """This browser placed (and is paying for) this order."""
    _remember(session, PAID_ORDERS_SESSION_KEY, order_id)


def new_account_order_remember(session, order_id) -> None:
    """Called by the checkout that created the account: this browser may enter it once it has paid."""
    _remember(session, NEW_ACCOUNT_ORDERS_SESSION_KEY, order_id)


def new_account_order_forget(session, order_id) -> None:
    session[NEW_ACCOUNT_ORDERS_SESSION_KEY] = [
        value for value in session.get(NEW_ACCOUNT_ORDERS_SESSION_KEY, []) if value != str(order_id)
    ]


def new_account_order_remembered(session, order_id) -> bool:
    return str(order_id) in session.get(NEW_ACCOUNT_ORDERS_SESSION_KEY, [])
