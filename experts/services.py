"""Expert-side writes: accounts, and the desk/API actions on orders.

Order state changes go through `orders.services`; here they are wrapped with what follows them
(the generation attempt and its task, emails), all started with `transaction.on_commit`.
"""

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Expert, ExpertRole
from lumira.view_cache import retire
from orders.caching import CATALOGUE_GENERATION
from orders.models import Order, OrderStatus
from orders.services import (
    AlreadyAssigned,
    ContentNotEditable,
    IntakeIncomplete,
    InvalidTransition,
    OrderServiceError,
    StaleGenerationAttempt,
    StaleVersion,
    TransitionResult,
    holder_check,
    order_approve,
    order_assign,
    order_content_edit,
    order_generation_relaunched,
    order_reject,
    order_start_generation,
)

from .generation import CallbackReplayed, attempt_adopt, attempt_open, generation_dead_letter
from .models import DeadLetter, DeadLetterReason, DeadLetterStatus, GenerationAttempt
from .prompts import prompt_for
from .selectors import attempt_started_at, elapsed_label

EXPERTS_GROUP = "Experts"
# Experts browse and search orders with their history in the admin; only admins edit anything there.
EXPERTS_GROUP_PERMISSIONS = [
    ("orders", "view_order"),
    ("orders", "view_orderevent"),
    ("orders", "view_contentversion"),
]


class ExpertAlreadyExists(Exception):
    pass


class AlreadyDone(OrderServiceError):
    """The action was already carried out (a double click, a retried request, a concurrent twin): the
    services changed nothing, and the caller is told so with a 409 rather than a success it did not cause."""

    code = "already_done"


class NothingToRelaunch(OrderServiceError):
    """A relaunch asked for an order whose generation is not stuck (delivered, never sent, or still fresh)."""

    code = "nothing_to_relaunch"


# Refusals caused by the order's state or holder (409), as opposed to a request that is wrong in itself (400).
CONFLICTS = (
    AlreadyAssigned, InvalidTransition, StaleGenerationAttempt, StaleVersion, CallbackReplayed, AlreadyDone,
    IntakeIncomplete, ContentNotEditable, NothingToRelaunch,
)


def _done_now(result: TransitionResult, message: str) -> TransitionResult:
    """Of concurrent or repeated calls of one action, only the one that had the effect succeeds."""
    if not result.changed:
        raise AlreadyDone(message)
    return result


def error_status(error: OrderServiceError) -> int:
    return 409 if isinstance(error, CONFLICTS) else 400


def experts_group_ensure() -> Group:
    group, _ = Group.objects.get_or_create(name=EXPERTS_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="orders", codename__in=[codename for _, codename in EXPERTS_GROUP_PERMISSIONS]
    )
    group.permissions.add(*permissions)
    return group


def expert_create(*, email: str, name: str, password: str, role: str = ExpertRole.EXPERT, specialties=None) -> Expert:
    """A staff user in the "Experts" group, linked to its Expert row. Refuses an email already in use."""
    User = get_user_model()
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        if User.objects.with_email(email).exists():
            raise ExpertAlreadyExists(_("An account already exists for {email}.").format(email=email))
        first_name, _space, last_name = name.partition(" ")
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name,
            is_staff=True, is_superuser=role == ExpertRole.ADMIN,
        )
        user.groups.add(experts_group_ensure())
        return Expert.objects.create(user=user, name=name, role=role, specialties=specialties or [])


def expert_set_active(*, expert: Expert, is_active: bool) -> Expert:
    """Deactivating an expert also deactivates their user, so that no door stays open: the admin, the desk
    (sessions are refused at the next request) and the API (tokens already issued are refused)."""
    with transaction.atomic():
        Expert.objects.filter(pk=expert.pk).update(is_active=is_active)
        get_user_model().objects.filter(pk=expert.user_id).update(is_active=is_active)
        retire(CATALOGUE_GENERATION)  # the landing page lists the active experts
    expert.is_active = is_active
    expert.user.is_active = is_active
    return expert


def expert_authenticate(request, *, email: str, password: str) -> Expert | None:
    """The active expert with these credentials, or None (wrong password, inactive, or not an expert)."""
    user = authenticate(request, email=(email or "").strip().lower(), password=password)
    expert = getattr(user, "expert", None) if user is not None else None
    if expert is None or not expert.can_sign_in:
        return None
    return expert


def expert_record_login(*, expert: Expert) -> None:
    now = timezone.now()
    Expert.objects.filter(pk=expert.pk).update(last_login_at=now)
    get_user_model().objects.filter(pk=expert.user_id).update(last_login=now)
    expert.last_login_at = now


def order_take(*, order_id, expert: Expert) -> TransitionResult:
    """The expert takes an order from the queue: the first one wins, another expert gets AlreadyAssigned,
    and the winner's own repeat AlreadyDone."""
    return _done_now(order_assign(order_id=order_id, expert=expert, actor=expert.user), _("This order is already yours."))


def order_assign_to(*, order_id, expert: Expert, by: Expert) -> TransitionResult:
    """An admin gives an unassigned order to an expert, who is told by email."""
    if not by.is_admin:
        raise OrderServiceError(_("Only an administrator can assign an order to another expert."))
    if not expert.can_sign_in:
        raise OrderServiceError(_("This expert is inactive."))
    with transaction.atomic():
        result = order_assign(order_id=order_id, expert=expert, actor=by.user)
        if result.changed and expert.pk != by.pk:
            order_assigned_notify(order_id=order_id)
    return result


def order_assigned_notify(*, order_id) -> None:
    """Email the order's expert that it is theirs (after commit)."""
    from .tasks import order_assigned_email

    transaction.on_commit(lambda: order_assigned_email.delay(str(order_id)), robust=True)


def generation_start(*, order_id, expert: Expert, prompt: str, instructions: str = "", actor=None) -> TransitionResult:
    """`paid` → `processing` with the expert's prompt, and the generation request sent after commit.
    Repeating it while the order is already processing changes nothing, sends nothing and raises AlreadyDone."""
    prompt, instructions = (prompt or "").strip(), (instructions or "").strip()
    if not prompt:
        raise OrderServiceError(_("The prompt is required."))
    with transaction.atomic():
        result = order_start_generation(
            order_id=order_id, expert=expert, prompt=prompt, instructions=instructions, actor=actor or expert.user
        )
        if result.changed:
            attempt_open(result.order)
    return _done_now(result, _("This order is already being generated."))


def content_validate(
    *, order_id, expert: Expert, action: str, notes: str = "", reason: str = "", actor=None, version: int | None = None
) -> TransitionResult:
    """Approve (the reading is delivered and the client emailed) or reject with a reason (a revision
    generation starts with the reason, the notes and the previous version). Of concurrent or repeated
    validations exactly one has an effect; the others raise AlreadyDone or InvalidTransition (409).

    `version` is the revision number of the version the expert judged (SPEC §9): when another one has
    landed since, StaleVersion (409) and nothing changes."""
    notes, reason = (notes or "").strip(), (reason or "").strip()
    actor = actor or expert.user
    if action == "approve":
        with transaction.atomic():
            result = order_approve(order_id=order_id, expert=expert, notes=notes, actor=actor, version=version)
            if result.changed:
                from .tasks import reading_ready_email

                transaction.on_commit(lambda: reading_ready_email.delay(str(order_id)), robust=True)
        return _done_now(result, _("This reading is already approved and delivered."))
    if action == "reject":
        # The holder rule, and which rejection is a repeat, are the transition's (orders.services.TRANSITIONS).
        with transaction.atomic():
            result = order_reject(
                order_id=order_id, expert=expert, reason=reason, notes=notes, actor=actor, version=version
            )
            if result.changed:
                attempt_open(result.order)
        return _done_now(result, _("This rejection is already taken into account: the revision is being generated."))
    raise OrderServiceError(_("Unknown action: choose approve or reject."))


def content_edit(*, order_id, expert: Expert, content: dict, base_revision: int) -> TransitionResult:
    """The expert holding the order (or an admin) corrects the content before approving it."""
    return order_content_edit(
        order_id=order_id, content=content, base_revision=base_revision, actor=expert.user, expert=expert
    )


def dead_letter_replay(*, dead_letter_id: int, actor=None) -> str:
    """Send a dead letter's order to generation again, if it is still waiting for it.

    Returns "replayed", "obsolete" (the order moved on: nothing to do) or "skipped" (already handled).
    """
    with transaction.atomic():
        # of=self: the expert is an outer join, which PostgreSQL will not lock (nor is there a need to).
        letter = (
            DeadLetter.objects.select_for_update(of=("self",)).select_related("order__expert__user").get(pk=dead_letter_id)
        )
        if letter.status != DeadLetterStatus.PENDING:
            return "skipped"
        order = letter.order
        outcome, note = "obsolete", f"La commande est « {order.get_status_display()} » : rien à rejouer."
        if order.status == OrderStatus.PAID and order.expert is not None:
            try:
                generation_start(
                    order_id=order.pk, expert=order.expert, prompt=prompt_for(order),
                    instructions=order.expert_instructions, actor=actor,
                )
                outcome, note = "replayed", "Renvoyée en génération."
            except AlreadyDone:
                pass  # sent again by its expert meanwhile: nothing left to replay
        letter.status = DeadLetterStatus.REPLAYED if outcome == "replayed" else DeadLetterStatus.OBSOLETE
        letter.resolved_at = timezone.now()
        letter.resolved_by = actor
        letter.resolution_note = note
        letter.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note"])
    return outcome


def generation_relaunch(*, order_id, expert: Expert, now=None) -> Order:
    """The order's holder (or an admin) relaunches a stuck generation, through the replay path staff use.

    A `processing` order whose attempt has waited GENERATION_OVERDUE_SECONDS is given up on like the sweep does
    (a dead letter, the order back to `paid`); a `paid` order that already came back so has its dead letters.
    Those letters are then replayed (`dead_letter_replay`, the actor recorded): a new attempt id, so a late
    answer to the old attempt is refused. One transaction; a repeat while the new attempt is fresh (a double
    click) sends nothing and raises AlreadyDone. Returns the order as it stands after commit.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Lock order as everywhere: the attempt, then (the order's dead letters, then) the order.
        attempt_id = Order.objects.filter(pk=order_id).values_list("generation_attempt_id", flat=True).first()
        attempt = GenerationAttempt.objects.select_for_update().filter(pk=attempt_id, order_id=order_id).first()
        letters = list(
            DeadLetter.objects.pending().select_for_update().filter(order_id=order_id).order_by("-created_at", "-pk")
            .values_list("pk", flat=True)
        )
        order = Order.objects.select_for_update().get(pk=order_id)
        holder_check(order, expert)
        if order.status == OrderStatus.PROCESSING:
            if order.generation_attempt_id != attempt_id:
                raise AlreadyDone(_("Generation was just relaunched: nothing was sent again."))
            waited = (now - (attempt_started_at(order, attempt) or now)).total_seconds()
            attempt = attempt or attempt_adopt(order, deadline_at=now)
            if waited < settings.GENERATION_OVERDUE_SECONDS:
                raise AlreadyDone(
                    _(
                        "The current generation started {elapsed} ago: nothing was sent again "
                        "(a relaunch is possible after {overdue} without an answer)."
                    ).format(elapsed=elapsed_label(waited), overdue=elapsed_label(settings.GENERATION_OVERDUE_SECONDS))
                )
            letter = generation_dead_letter(
                order_id=order.pk, attempt_id=attempt.pk, reason=DeadLetterReason.NO_ANSWER, tries=attempt.sends,
                error=f"pas de contenu après {elapsed_label(waited)} : relancée depuis le desk", task="desk-relaunch",
            )
            if letter is None:  # answered or replaced meanwhile
                raise AlreadyDone(_("Generation has just changed state: nothing was sent again."))
            letters.insert(0, letter.pk)
            note = f"tentative abandonnée après {elapsed_label(waited)}"
        elif order.status == OrderStatus.PAID and letters:
            note = "après l'échec de la génération"
        else:
            raise NothingToRelaunch(
                _("Order {number} is “{status}”: there is no generation to relaunch.").format(
                    number=order.number, status=order.get_status_display()
                )
            )
        # The newest letter (the failure at hand) replays; older ones find the order sent again: obsolete.
        outcomes = [dead_letter_replay(dead_letter_id=pk, actor=expert.user) for pk in letters]
        if "replayed" not in outcomes:  # e.g. no holder to replay for: the relaunching expert sends it
            generation_start(order_id=order.pk, expert=expert, prompt=prompt_for(order),
                             instructions=order.expert_instructions, actor=expert.user)
        order.refresh_from_db()
        order_generation_relaunched(order=order, actor=expert.user, note=note)
    order.refresh_from_db(fields=["status", "last_error", "generation_attempt_id"])
    return order

