"""The refusals of the order services. Each carries a `message` safe to show, translated into the language active
when it is raised (English source, French catalogue)."""

from django.utils.translation import gettext as _

from ..models import INTAKE_LABELS, Order, OrderStatus


class OrderServiceError(Exception):
    """Base class: a business rule refused the request. `message` is safe to show (translated)."""

    code = "order_error"

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = str(message)


class InvalidTransition(OrderServiceError):
    """The order's status does not allow the move. `message` defaults to the generic "impossible" sentence;
    a transition may give a more precise one (e.g. a rejection of an order still in its first generation)."""

    code = "invalid_transition"

    def __init__(self, order: Order, to_status: str, message: str = "") -> None:
        super().__init__(
            message
            or _("Order {number} is “{status}”: it cannot move to “{target}”.").format(
                number=order.number, status=order.get_status_display(), target=OrderStatus(to_status).label
            )
        )
        self.order = order


class StaleGenerationAttempt(OrderServiceError):
    code = "stale_attempt"


class AlreadyAssigned(OrderServiceError):
    code = "already_assigned"


class IntakeIncomplete(OrderServiceError):
    """Generation needs a birth date and a question (SPEC §5); the message names what is missing."""

    code = "intake_incomplete"

    def __init__(self, missing: list[str]) -> None:
        labels = _(" and ").join(str(INTAKE_LABELS[name]) for name in missing)
        super().__init__(
            _("Cannot send to generation: {missing} is missing (the client is invited to complete their profile).").format(
                missing=labels
            )
        )


class StaleVersion(OrderServiceError):
    """A validation names a content version that is no longer the one waiting (a revision has landed since)."""

    code = "stale_version"


class ContentNotEditable(OrderServiceError):
    code = "not_editable"


class InvalidContent(OrderServiceError):
    """Content that breaks the level's schema or length (engine.schema); `reasons` lists why. Raised for an
    expert's correction (refused, nothing saved) and for a writer's answer (a failed try, retried)."""

    code = "invalid_content"

    def __init__(self, reasons: list[str], *, correction: bool = False) -> None:
        if correction:
            message = _("Correction refused: {errors}").format(errors=_("; ").join(reasons))
        else:
            message = _("Invalid content: {reasons}").format(reasons=_("; ").join(reasons[:5]))
        super().__init__(message)
        self.reasons = reasons
