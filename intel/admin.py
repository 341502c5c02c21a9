"""Django admin: imported partner indicators, with their source, validity and TLP."""

from django.contrib import admin

from intel.models import ImportedIndicator


@admin.register(ImportedIndicator)
class ImportedIndicatorAdmin(admin.ModelAdmin):
    list_display = ("source", "kind", "name", "valid_from", "valid_until", "revoked", "tlp", "imported_at")
    list_filter = ("source", "kind", "tlp", "revoked")
    search_fields = ("stix_id", "hmac_sha256", "campaign_ref")
