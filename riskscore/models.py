"""The engine's own records: trained models (the registry), policies and jobs."""

import uuid

from django.db import models
from django.db.models import Q


class ModelVersion(models.Model):
    """A trained LightGBM model in text format, with what it needs to score and its metrics."""

    class Kind(models.TextChoices):
        SIGNUP = "signup"
        ACCOUNT = "account"

    class Status(models.TextChoices):
        ACTIVE = "active"
        CANDIDATE = "candidate"
        RETIRED = "retired"

    version = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CANDIDATE)
    artifact = models.TextField(help_text="LightGBM model, text format. Never a pickle.")
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the artifact, verified on load.")
    feature_names = models.JSONField()
    calibration = models.JSONField(help_text="Isotonic map from raw margin to probability: {x: [...], y: [...]}.")
    metrics = models.JSONField(default=dict)
    params = models.JSONField(default=dict)
    trained_at = models.DateTimeField()
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=Q(status="active"), name="one_active_model_per_kind"),
        ]
        indexes = [models.Index(fields=["kind", "-trained_at"], name="model_versions_newest_first")]

    def __str__(self) -> str:
        return self.version


class Policy(models.Model):
    """A version of the decision policy (bands, decisions, verification steps per pathway)."""

    version = models.PositiveIntegerField(unique=True)
    document = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "policies"


class Job(models.Model):
    """A background job (training, re-scoring, detection) and its outcome."""

    class Kind(models.TextChoices):
        TRAIN = "train"
        RESCORE = "rescore"
        DETECT_CLUSTERS = "detect_clusters"

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    params = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    error = models.TextField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)


class SimulatedAccount(models.Model):
    """Ground truth for an account the built-in simulator created: who it really is."""

    account = models.OneToOneField("accounts.Account", on_delete=models.CASCADE, related_name="simulated")
    population = models.CharField(max_length=32)
    group = models.CharField(max_length=100, blank=True)
    campaign_style = models.CharField(max_length=32, blank=True)
    wave = models.IntegerField(null=True, blank=True)
    is_abusive = models.BooleanField()
