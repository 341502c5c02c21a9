from django.apps import AppConfig


class RiskscoreConfig(AppConfig):
    name = "riskscore"
    verbose_name = "riskscore engine"
    default_auto_field = "django.db.models.BigAutoField"
