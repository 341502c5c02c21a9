from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "intel"
    default_auto_field = "django.db.models.BigAutoField"
