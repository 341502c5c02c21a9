"""Indicators imported from partner providers (STIX 2.1), kept with their source, validity and TLP.

Only keyed hashes travel between providers: an indicator holds the HMAC-SHA256 of
an identifier's canonical form under the sharing group's key, never the identifier.
"""

from django.db import models


class IdentifierKind(models.TextChoices):
    PAYMENT_FINGERPRINT = "payment_fingerprint"
    DEVICE_ID = "device_id"
    PHONE = "phone"
    EMAIL_DOMAIN = "email_domain"
    IP_PREFIX = "ip_prefix"
    TEMPLATE_FINGERPRINT = "template_fingerprint"


class ImportedIndicator(models.Model):
    source = models.CharField(max_length=200, help_text="Who shared it: the import's source, else the API key.")
    stix_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=24, choices=IdentifierKind.choices)
    hmac_sha256 = models.CharField(max_length=64)
    name = models.CharField(max_length=300, blank=True)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    tlp = models.CharField(max_length=8, blank=True, help_text="white, green, amber or red; blank if unmarked.")
    campaign_ref = models.CharField(max_length=100, blank=True)
    created_by_ref = models.CharField(max_length=100, blank=True)
    modified = models.DateTimeField(help_text="The STIX object's own `modified`: a newer version replaces it.")
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "stix_id"], name="indicator_once_per_source")]
        indexes = [models.Index(fields=["hmac_sha256", "kind"], name="indicator_by_identifier")]
