"""Hydra clusters: groups of accounts tied by shared evidence, followed across detection runs.

`Account.cluster_id` holds the member's current cluster (denormalised for filters);
`ClusterMember` is the membership with the event time each account joined.
`LinkEvidence` is the link graph, kept incrementally: an account's membership of an
evidence column (a keyed hash of an identifier, a time window, a template…); two
accounts in the same column are linked. `DetectionRun` records each run and how far
the evidence was read.
"""

from django.db import models
from django.db.models import Q

from accounts.models import Account, Band


class Cluster(models.Model):
    cluster_id = models.CharField(max_length=64, unique=True)
    score = models.FloatField(default=0.0)
    band = models.CharField(max_length=16, choices=Band.choices, default=Band.LOW)
    size = models.PositiveIntegerField(default=0)
    # [{"kind": "payment_fingerprint", "accounts": 390}, ...]: how many members each kind of link ties.
    links = models.JSONField(default=list)
    # Scores and features behind `score`, for analysts and the account model.
    features = models.JSONField(default=dict)
    first_seen = models.DateTimeField(help_text="Event time of the earliest member's first evidence.")
    last_seen = models.DateTimeField(help_text="Event time of the newest evidence of any member.")
    # Wall clock of the last change to membership, score or band (indicator export's `since`).
    changed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    # A cluster whose members all left (merged into another, or no longer linked) is kept, dissolved, for history.
    dissolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["score", "id"], name="cluster_order_score"),
            models.Index(fields=["changed_at"], name="cluster_changed_since"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="cluster_score_is_probability"),
        ]

    def __str__(self) -> str:
        return self.cluster_id


class ClusterMember(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    # An account belongs to at most one cluster at a time.
    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="cluster_membership")
    joined_at = models.DateTimeField(help_text="Event time at which the account joined the cluster.")

    class Meta:
        indexes = [models.Index(fields=["cluster", "joined_at"], name="cluster_member_by_join")]


class LinkEvidence(models.Model):
    """An account seen in an evidence column; `column_key` is a keyed 64-bit hash, never a raw identifier."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="link_evidence")
    kind = models.SmallIntegerField(help_text="clusters.graph.kinds.LinkKind")
    column_key = models.BigIntegerField()
    # Seconds since the epoch, not a datetime: detection reads millions of these into numpy at once.
    seen_at = models.BigIntegerField(help_text="Event time (Unix seconds) the account was first seen in the column.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "kind", "column_key"], name="link_evidence_once_per_column"),
        ]
        indexes = [models.Index(fields=["kind", "column_key"], name="link_evidence_by_column")]


class DetectionRun(models.Model):
    """One detection run: how far each evidence source was read, and what it found."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # Highest ids of the evidence read so far (sightings, usage events, accounts).
    sightings_through = models.BigIntegerField(default=0)
    usage_through = models.BigIntegerField(default=0)
    accounts_through = models.BigIntegerField(default=0)
    summary = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["-started_at"], name="detection_run_newest_first")]


class MembershipChange(models.Model):
    """An account joining, moving to or leaving (`cluster` null) a cluster, stamped with the event time of the
    detection run that found it: the history behind ClusterMember, so a training row sees clusters only as
    they were known at its own event time."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="membership_changes")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    known_at = models.DateTimeField(help_text="Event time of the newest evidence the run had read.")

    class Meta:
        indexes = [models.Index(fields=["account", "known_at"], name="membership_change_as_of")]


class ClusterState(models.Model):
    """What a detection run made of a cluster (size, score, density, synchrony), stamped like MembershipChange;
    written when a run creates the cluster or changes its members, band or score."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="states")
    known_at = models.DateTimeField(help_text="Event time of the newest evidence the run had read.")
    size = models.PositiveIntegerField()
    score = models.FloatField()
    density = models.FloatField()
    synchrony = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["cluster", "known_at"], name="cluster_state_as_of")]
