"""Django admin: analysts can browse tier changes with their causes, and the enforcement policy versions."""

from django.contrib import admin

from enforcement.models import Enforcement, EnforcementPolicy, TierChange


@admin.register(TierChange)
class TierChangeAdmin(admin.ModelAdmin):
    list_display = ("account", "from_tier", "to_tier", "to_reasoning", "cause", "rule", "policy_version", "changed_at")
    list_filter = ("to_tier", "cause")
    search_fields = ("account__account_id",)
    raw_id_fields = ("account",)


@admin.register(Enforcement)
class EnforcementAdmin(admin.ModelAdmin):
    list_display = ("account_ref", "tier", "reasoning", "policy_version", "changed_at")
    list_filter = ("tier", "reasoning")
    search_fields = ("account_ref",)
    raw_id_fields = ("account",)


@admin.register(EnforcementPolicy)
class EnforcementPolicyAdmin(admin.ModelAdmin):
    list_display = ("version", "created_by", "created_at")
