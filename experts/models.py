from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumira.encryption import EncryptedJSONField, EncryptedTextField


class AttemptOutcome(models.TextChoices):
    PENDING = "pending", _("In progress")
    DELIVERED = "delivered", _("Content received")
    FAILED = "failed", _("Failure reported by n8n")
    DEAD = "dead", _("Given up")
    OBSOLETE = "obsolete", _("Moot")


class GenerationAttempt(models.Model):
    """One generation request for an order: the first send, a revision, or a replay.

    Its id is the `attemptId` carried to n8n and back. `answered_at` is the replay guard: it lives in the
    database (not in a process) so that any web process refuses a second callback for the same attempt.
    """

    id = models.UUIDField(_("attempt"), primary_key=True, editable=False)
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="generation_attempts")
    revision = models.PositiveIntegerField(_("revision"))
    backend = models.CharField(_("generator"), max_length=16)
    outcome = models.CharField(_("outcome"), max_length=16, choices=AttemptOutcome.choices, default=AttemptOutcome.PENDING)
    sends = models.PositiveIntegerField(_("sends"), default=0, help_text=_("Requests made to the generator."))
    resends = models.PositiveIntegerField(_("resends"), default=0, help_text=_("Resent by the sweep of stuck orders."))
    # Encrypted: the generator's error messages may quote the content or the client's inputs.
    last_error = EncryptedTextField(_("last error"), blank=True, default="")
    created_at = models.DateTimeField(_("created on"), default=timezone.now, editable=False)
    # Past this moment with no answer, the sweep resends the request or gives up on it.
    deadline_at = models.DateTimeField(_("deadline"))
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    # The generation request as last sent (messages with the client's first name, chart and intake): encrypted.
    request = EncryptedJSONField(_("request sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("generation attempt")
        verbose_name_plural = _("generation attempts")
        ordering = ("-created_at",)
        indexes = [
            # The sweep: pending attempts past their deadline.
            models.Index(fields=("outcome", "deadline_at"), name="genattempt_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} r{self.revision} ({self.get_outcome_display()})"


class AIRunOutcome(models.TextChoices):
    SUCCEEDED = "succeeded", _("Valid content")
    SENT = "sent", _("Sent to n8n")
    INVALID = "invalid", _("Invalid content")
    FAILED = "failed", _("Failure")


class AIRun(models.Model):
    """One try of a generation attempt against a writer: what it cost and how it ended (SPEC §11 "AI runs").

    No text of the request or the answer here: the request is kept, encrypted, on the attempt.
    """

    attempt = models.ForeignKey(GenerationAttempt, on_delete=models.CASCADE, related_name="ai_runs")
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="ai_runs")
    backend = models.CharField(_("generator"), max_length=16)
    model = models.CharField(_("model"), max_length=100, blank=True, default="")
    prompt_tokens = models.PositiveIntegerField(_("tokens sent"), null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(_("tokens received"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    cost_eur = models.DecimalField(_("estimated cost (EUR)"), max_digits=10, decimal_places=6, default=0)
    outcome = models.CharField(_("outcome"), max_length=16, choices=AIRunOutcome.choices)
    error = EncryptedTextField(_("error"), blank=True, default="")  # may quote the client's inputs
    created_at = models.DateTimeField(_("on"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("AI call")
        verbose_name_plural = _("AI calls")
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("order", "created_at"), name="airun_order_created_idx")]

    def __str__(self) -> str:
        return f"{self.backend}/{self.model or '?'} {self.get_outcome_display()}"


class DeadLetterReason(models.TextChoices):
    RETRIES_EXHAUSTED = "retries_exhausted", _("Retries exhausted")
    REFUSED = "refused", _("Request refused by n8n")
    GENERATOR_FAILURE = "generator_failure", _("Failure reported by the generator")
    NO_ANSWER = "no_answer", _("No answer in time")


class DeadLetterStatus(models.TextChoices):
    PENDING = "pending", _("To replay")
    REPLAYED = "replayed", _("Replayed")
    OBSOLETE = "obsolete", _("Moot")


class DeadLetterQuerySet(models.QuerySet):
    def pending(self) -> "DeadLetterQuerySet":
        return self.filter(status=DeadLetterStatus.PENDING)


class DeadLetter(models.Model):
    """A generation request that finally failed. Staff replay it (admin action or `replay_dead_letters`).

    `payload` keeps what identifies the request, never the client's personal data (that stays encrypted on
    the order; a replay rebuilds the request from the order).
    """

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="dead_letters")
    attempt = models.ForeignKey(
        GenerationAttempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="dead_letters"
    )
    task = models.CharField(_("task"), max_length=100)
    reason = models.CharField(_("reason"), max_length=32, choices=DeadLetterReason.choices)
    error = EncryptedTextField(_("error"), blank=True, default="")  # may quote the client's inputs, as above
    tries = models.PositiveIntegerField(_("tries"), default=0)
    payload = models.JSONField(_("request payload"), default=dict, blank=True)
    status = models.CharField(_("state"), max_length=16, choices=DeadLetterStatus.choices, default=DeadLetterStatus.PENDING)
    created_at = models.DateTimeField(_("created on"), default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(_("note"), blank=True, default="")

    objects = DeadLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("dead letter")
        verbose_name_plural = _("dead letters")
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("status", "created_at"), name="deadletter_status_created_idx")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.get_reason_display()}"
