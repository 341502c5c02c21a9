"""Accounts, the identifiers they were seen with, their scores and decisions.

Signup attributes are kept as given (analysts need them); the reuse index
(IdentifierSighting) holds only keyed hashes of identifiers.
"""

from django.db import models
from django.db.models import Q


class Pathway(models.TextChoices):
    EDUCATION = "education"
    RESEARCH = "research"
    STARTUP = "startup"
    STANDARD = "standard"
    ENTERPRISE = "enterprise"


class Band(models.TextChoices):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Decision(models.TextChoices):
    ALLOW = "allow"
    VERIFY = "verify"
    REVIEW = "review"
    DENY = "deny"


class Status(models.TextChoices):
    ACTIVE = "active"
    VERIFICATION_REQUIRED = "verification_required"
    LIMITED = "limited"
    SUSPENDED = "suspended"
    BANNED = "banned"


class Label(models.TextChoices):
    ABUSIVE = "abusive"
    LEGITIMATE = "legitimate"


class Trigger(models.TextChoices):
    SIGNUP = "signup"
    USAGE = "usage"
    CLUSTER = "cluster"
    PERIODIC = "periodic"
    DECISION = "decision"
    MANUAL = "manual"


class ApiKey(models.Model):
    """A caller's key. Only its SHA-256 is stored; `prefix` identifies it in logs."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Account(models.Model):
    account_id = models.CharField(max_length=128, unique=True)
    pathway = models.CharField(max_length=16, choices=Pathway.choices)
    email = models.CharField(max_length=320)
    email_normalized = models.CharField(max_length=320)
    organization = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField()
    user_agent = models.TextField(blank=True)
    device_id = models.CharField(max_length=200, blank=True)
    payment_fingerprint = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(help_text="Signup time, event time.")

    status = models.CharField(max_length=24, choices=Status.choices, default=Status.ACTIVE)
    label = models.CharField(max_length=16, choices=Label.choices, null=True, blank=True)
    label_source = models.CharField(max_length=100, blank=True)
    cluster_id = models.CharField(max_length=64, null=True, blank=True)

    # The current score (the latest ScoreRecord, denormalised for reads and filters).
    score = models.FloatField()
    band = models.CharField(max_length=16, choices=Band.choices)
    decision = models.CharField(max_length=16, choices=Decision.choices)
    reasons = models.JSONField(default=list)
    model_version = models.CharField(max_length=100)
    scored_at = models.DateTimeField()
    evidence_through = models.DateTimeField(null=True, blank=True)

    # The signup's feature values as scored: the training data of the next model.
    signup_features = models.JSONField(default=dict)
    # Set when new evidence arrives and no re-score is pending; cleared when one starts.
    # At most one re-score task per account is in flight, however many events arrive.
    rescore_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["scored_at", "id"], name="account_order_scored_at"),
            models.Index(fields=["score", "id"], name="account_order_score"),
            models.Index(fields=["created_at", "id"], name="account_order_created_at"),
            models.Index(fields=["label", "created_at"], name="account_labelled_by_time"),
            models.Index(fields=["cluster_id"], name="account_by_cluster"),
            models.Index(
                fields=["rescore_requested_at"],
                name="account_rescore_pending",
                condition=Q(rescore_requested_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="account_score_is_probability"),
        ]

    def __str__(self) -> str:
        return self.account_id


class ScoreRecord(models.Model):
    """One scoring of an account: the history behind Account's current score."""

    # No index of its own: score_history_newest_first leads with the account (one index fewer a signup writes).
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="scores", db_index=False)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    score = models.FloatField()
    band = models.CharField(max_length=16, choices=Band.choices)
    decision = models.CharField(max_length=16, choices=Decision.choices)
    verification = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
    model_version = models.CharField(max_length=100)
    scored_at = models.DateTimeField()
    evidence_through = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "-scored_at", "-id"], name="score_history_newest_first")]


class IdentifierKind(models.IntegerChoices):
    PAYMENT_FINGERPRINT = 1
    DEVICE_ID = 2
    IP = 3
    IP_PREFIX = 4
    EMAIL_DOMAIN = 5
    ORGANIZATION = 6
    EMAIL_NORMALIZED = 7
    PHONE = 8
    # A /24 (or /48) seen with an academic email: counts how institutional a network is.
    ACADEMIC_IP_PREFIX = 9


class IdentifierSighting(models.Model):
    """An account seen with an identifier at an event time (the reuse index)."""

    kind = models.SmallIntegerField(choices=IdentifierKind.choices)
    value_key = models.BigIntegerField(help_text="Keyed 64-bit hash of the canonical identifier.")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="sightings")
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["kind", "value_key", "seen_at"], name="sighting_reuse_window")]


class AuditEntry(models.Model):
    """Who did what, when: decisions, actions, key creation, model activation."""

    actor = models.CharField(max_length=200)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=128)
    detail = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id", "-at"], name="audit_by_object")]


class AnalystDecision(models.Model):
    """A label and/or action given to an account by an analyst (or the simulator's ground truth)."""

    class Action(models.TextChoices):
        NONE = "none"
        VERIFY = "verify"
        LIMIT = "limit"
        SUSPEND = "suspend"
        BAN = "ban"
        RESTORE = "restore"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="decisions")
    label = models.CharField(max_length=16, choices=Label.choices, null=True, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices, default=Action.NONE)
    note = models.TextField(blank=True)
    actor = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)


class UsageEvent(models.Model):
    """One API request as the gateway reported it. The prompt itself is never stored: only what was derived from it."""

    # Unique by a constraint, not unique=True: that adds a second (LIKE) index on PostgreSQL, which every insert kept.
    event_id = models.CharField(max_length=128)
    # No index of its own on the account, here or in the aggregates: their first index leads with it.
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="usage_events", db_index=False)
    timestamp = models.DateTimeField(help_text="Event time.")
    ip = models.GenericIPAddressField()
    model = models.CharField(max_length=128)
    input_tokens = models.PositiveIntegerField()
    output_tokens = models.PositiveIntegerField()
    tool_calls = models.PositiveIntegerField(default=0)
    user_agent = models.CharField(max_length=500, blank=True)
    prompt_words = models.PositiveIntegerField(null=True, blank=True)
    cot_elicitation = models.FloatField(null=True, blank=True)
    category = models.CharField(max_length=24, blank=True)
    template_fingerprint = models.BigIntegerField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["account", "timestamp"], name="usage_by_account_time"),
            models.Index(fields=["template_fingerprint", "timestamp"], name="usage_by_template_time"),
        ]
        constraints = [models.UniqueConstraint(fields=["event_id"], name="usage_event_id_unique")]


# ---- usage aggregates: kept at ingest, in event time, so features never scan raw events ------------------------

# Each hour counts the prompts whose chain-of-thought elicitation score is at least each of these, so a count over
# a window reads hours, not events: the usage features' hit share reads 0.5, the enforcement policy's min_score
# is one of them.
COT_THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def cot_column(threshold: float) -> str:
    """UsageHour's count of prompts scoring at least `threshold` (one of COT_THRESHOLDS): cot_at_least_60 for 0.6."""
    return f"cot_at_least_{round(threshold * 100)}"


class UsageHour(models.Model):
    """One account's usage in one hour of event time (the hour's start, UTC)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="usage_hours", db_index=False)
    hour = models.DateTimeField()
    requests = models.PositiveIntegerField(default=0)
    input_tokens = models.BigIntegerField(default=0)
    output_tokens = models.BigIntegerField(default=0)
    tool_calls = models.PositiveIntegerField(default=0)
    analysed = models.PositiveIntegerField(default=0, help_text="Requests that carried a prompt.")
    cot_elicitation_sum = models.FloatField(default=0.0)
    cot_at_least_10 = models.PositiveIntegerField(default=0, help_text="Prompts scoring >= 0.1.")
    cot_at_least_20 = models.PositiveIntegerField(default=0, help_text="Prompts scoring >= 0.2.")
    cot_at_least_30 = models.PositiveIntegerField(default=0, help_text="Prompts scoring >= 0.3.")
    cot_at_least_40 = models.PositiveIntegerField(default=0, help_text="Prompts scoring >= 0.4.")
    cot_at_least_50 = models.PositiveIntegerField(default=0, help_text="Prompts scoring >= 0.5.")
    cot_at_least_60 = models.PositiveIntegerField(default=0, help_text="Prompts scoring >= 0.6.")
    cot_at_least_70 = models.PositiveIntegerField(default=0, help_text="Prompts scoring >= 0.7.")
    cot_at_least_80 = models.PositiveIntegerField(default=0, help_text="Prompts scoring >= 0.8.")
    cot_at_least_90 = models.PositiveIntegerField(default=0, help_text="Prompts scoring >= 0.9.")
    cot_at_least_100 = models.PositiveIntegerField(default=0, help_text="Prompts scoring >= 1.")
    coding = models.PositiveIntegerField(default=0)
    agentic_tool_use = models.PositiveIntegerField(default=0)
    computer_use = models.PositiveIntegerField(default=0)
    data_analysis = models.PositiveIntegerField(default=0)
    reasoning = models.PositiveIntegerField(default=0)
    grading = models.PositiveIntegerField(default=0)
    rewriting = models.PositiveIntegerField(default=0)
    general = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "hour"], name="usage_hour_per_account")]


class UsageAccountIp(models.Model):
    """An address an account's requests came from, with when it was first seen (event time)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="usage_ips", db_index=False)
    ip = models.GenericIPAddressField()
    prefix = models.CharField(max_length=64, help_text="The /24 (IPv4) or /48 (IPv6).")
    is_cloud = models.BooleanField(default=False)
    first_seen = models.DateTimeField()
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "ip"], name="usage_ip_per_account")]
        indexes = [models.Index(fields=["ip", "first_seen"], name="usage_ip_by_time")]


class UsageAccountTemplate(models.Model):
    """A prompt template (fingerprint) an account used, with when it was first seen (event time)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="usage_templates", db_index=False)
    fingerprint = models.BigIntegerField()
    first_seen = models.DateTimeField()
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "fingerprint"], name="usage_template_per_account")]
        indexes = [models.Index(fields=["fingerprint", "first_seen"], name="usage_template_by_time")]


class UsageAccountModel(models.Model):
    """A model an account called, with when it first did (event time)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="usage_models", db_index=False)
    model = models.CharField(max_length=128)
    first_seen = models.DateTimeField()
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "model"], name="usage_model_per_account")]


class ModelFirstSeen(models.Model):
    """When a model first appeared in the whole usage stream (event time): its release, as we saw it."""

    model = models.CharField(max_length=128, unique=True)
    first_seen = models.DateTimeField()
