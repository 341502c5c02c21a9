"""riskscore: account-verification and fraud-risk scoring for AI-model API providers."""

from riskscore.celery import app as celery_app

__all__ = ["celery_app"]
