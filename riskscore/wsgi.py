"""WSGI entry point: gunicorn riskscore.wsgi:application.

Gunicorn imports this in each worker after the fork (no --preload), so the
reference data and the LightGBM booster are loaded per process, before the first request.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskscore.settings")
application = get_wsgi_application()

from riskscore.warmup import warm_up  # noqa: E402 - needs Django set up

warm_up()
