from django.conf import settings
from django.db import models
from django.utils import timezone

from lumira.encryption import EncryptedJSONField, EncryptedTextField


class AttemptOutcome(models.TextChoices):
    PENDING = "pending", "En cours"
    DELIVERED = "delivered", "Contenu reçu"
    FAILED = "failed", "Échec signalé par n8n"
    DEAD = "dead", "Abandonnée"
    OBSOLETE = "obsolete", "Sans objet"


class GenerationAttempt(models.Model):
    """One generation request for an order: the first send, a revision, or a replay.

    Its id is the `attemptId` carried to n8n and back. `answered_at` is the replay guard: it lives in the
    database (not in a process) so that any web process refuses a second callback for the same attempt.
    """

    id = models.UUIDField("tentative", primary_key=True, editable=False)
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="generation_attempts")
    revision = models.PositiveIntegerField("révision")
    backend = models.CharField("générateur", max_length=16)
    outcome = models.CharField("résultat", max_length=16, choices=AttemptOutcome.choices, default=AttemptOutcome.PENDING)
    sends = models.PositiveIntegerField("envois", default=0, help_text="Requêtes faites au générateur.")
    resends = models.PositiveIntegerField("relances", default=0, help_text="Renvois par le balayage des commandes bloquées.")
    # Encrypted: the generator's error messages may quote the content or the client's inputs.
    last_error = EncryptedTextField("dernière erreur", blank=True, default="")
    created_at = models.DateTimeField("créée le", default=timezone.now, editable=False)
    # Past this moment with no answer, the sweep resends the request or gives up on it.
    deadline_at = models.DateTimeField("échéance")
    answered_at = models.DateTimeField("réponse reçue le", null=True, blank=True)
    sent_at = models.DateTimeField("dernier envoi", null=True, blank=True)
    # The generation request as last sent (messages with the client's first name, chart and intake): encrypted.
    request = EncryptedJSONField("requête envoyée", null=True, blank=True)

    class Meta:
        verbose_name = "tentative de génération"
        verbose_name_plural = "tentatives de génération"
        ordering = ("-created_at",)
        indexes = [
            # The sweep: pending attempts past their deadline.
            models.Index(fields=("outcome", "deadline_at"), name="genattempt_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} r{self.revision} ({self.get_outcome_display()})"


class AIRunOutcome(models.TextChoices):
    SUCCEEDED = "succeeded", "Contenu valide"
    SENT = "sent", "Envoyée à n8n"
    INVALID = "invalid", "Contenu invalide"
    FAILED = "failed", "Échec"


class AIRun(models.Model):
    """One try of a generation attempt against a writer: what it cost and how it ended (SPEC §11 "AI runs").

    No text of the request or the answer here: the request is kept, encrypted, on the attempt.
    """

    attempt = models.ForeignKey(GenerationAttempt, on_delete=models.CASCADE, related_name="ai_runs")
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="ai_runs")
    backend = models.CharField("générateur", max_length=16)
    model = models.CharField("modèle", max_length=100, blank=True, default="")
    prompt_tokens = models.PositiveIntegerField("jetons envoyés", null=True, blank=True)
    completion_tokens = models.PositiveIntegerField("jetons reçus", null=True, blank=True)
    latency_ms = models.PositiveIntegerField("durée (ms)", null=True, blank=True)
    cost_eur = models.DecimalField("coût estimé (EUR)", max_digits=10, decimal_places=6, default=0)
    outcome = models.CharField("résultat", max_length=16, choices=AIRunOutcome.choices)
    error = EncryptedTextField("erreur", blank=True, default="")  # may quote the client's inputs
    created_at = models.DateTimeField("le", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "appel à l'IA"
        verbose_name_plural = "appels à l'IA"
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("order", "created_at"), name="airun_order_created_idx")]

    def __str__(self) -> str:
        return f"{self.backend}/{self.model or '?'} {self.get_outcome_display()}"


class DeadLetterReason(models.TextChoices):
    RETRIES_EXHAUSTED = "retries_exhausted", "Tentatives épuisées"
    REFUSED = "refused", "Requête refusée par n8n"
    GENERATOR_FAILURE = "generator_failure", "Échec signalé par le générateur"
    NO_ANSWER = "no_answer", "Aucune réponse dans le délai"


class DeadLetterStatus(models.TextChoices):
    PENDING = "pending", "À rejouer"
    REPLAYED = "replayed", "Rejouée"
    OBSOLETE = "obsolete", "Sans objet"


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
    task = models.CharField("tâche", max_length=100)
    reason = models.CharField("motif", max_length=32, choices=DeadLetterReason.choices)
    error = EncryptedTextField("erreur", blank=True, default="")  # may quote the client's inputs, as above
    tries = models.PositiveIntegerField("essais", default=0)
    payload = models.JSONField("requête", default=dict, blank=True)
    status = models.CharField("état", max_length=16, choices=DeadLetterStatus.choices, default=DeadLetterStatus.PENDING)
    created_at = models.DateTimeField("créée le", default=timezone.now, editable=False)
    resolved_at = models.DateTimeField("traitée le", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField("note", blank=True, default="")

    objects = DeadLetterQuerySet.as_manager()

    class Meta:
        verbose_name = "lettre morte"
        verbose_name_plural = "lettres mortes"
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("status", "created_at"), name="deadletter_status_created_idx")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.get_reason_display()}"
