"""What the API gateway enforces per account, the policy that decides it, and the log of tier changes.

`Enforcement` is an account's current state; its `seq` is its place in the change
feed and moves forward each time the state changes. `TierChange` keeps every
change with its cause, for analysts (the gateway never sees causes).
"""

from django.db import models
from django.db.models import Q

from accounts.models import Account


class Tier(models.TextChoices):
    TRUSTED = "trusted"
    STANDARD = "standard"
    PROBATION = "probation"
    RESTRICTED = "restricted"
    BLOCKED = "blocked"


class Reasoning(models.TextChoices):
    FULL = "full"
    SUMMARY = "summary"
    NONE = "none"


class EnforcementPolicy(models.Model):
    """A version of the enforcement policy (tiers, limits, rules); the newest is in force."""

    version = models.PositiveIntegerField(unique=True)
    document = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "enforcement policies"


class Enforcement(models.Model):
    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="enforcement")
    # The account's public id (immutable), so the gateway's lookup is one index probe without a join.
    account_ref = models.CharField(max_length=128, unique=True)
    tier = models.CharField(max_length=16, choices=Tier.choices)
    requests_per_minute = models.PositiveIntegerField()
    output_tokens_per_day = models.PositiveBigIntegerField()
    concurrent_requests = models.PositiveIntegerField()
    reasoning = models.CharField(max_length=8, choices=Reasoning.choices)
    policy_version = models.CharField(max_length=32)
    # Position in the change feed. Assigned under a feed lock held until commit, so
    # positions become visible in increasing order and a reader never skips one.
    seq = models.BigIntegerField(unique=True)
    changed_at = models.DateTimeField(help_text="Wall clock of the last change.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(requests_per_minute__gte=0) & Q(concurrent_requests__gte=0),
                name="enforcement_limits_non_negative",
            ),
        ]


class TierChange(models.Model):
    """One change of an account's tier or reasoning, with what caused it (visible to analysts only)."""

    # No index of its own: tier_changes_newest_first leads with the account.
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tier_changes", db_index=False)
    from_tier = models.CharField(max_length=16, choices=Tier.choices, blank=True)
    to_tier = models.CharField(max_length=16, choices=Tier.choices)
    from_reasoning = models.CharField(max_length=8, choices=Reasoning.choices, blank=True)
    to_reasoning = models.CharField(max_length=8, choices=Reasoning.choices)
    policy_version = models.CharField(max_length=32)
    cause = models.CharField(max_length=32, help_text="What triggered the re-evaluation: signup, decision, ...")
    rule = models.CharField(max_length=200, help_text="Which policy rule gave the new tier.")
    changed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["account", "-changed_at", "-id"], name="tier_changes_newest_first")]
