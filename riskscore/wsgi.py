"""WSGI entry point: gunicorn riskscore.wsgi:application.

Gunicorn imports this in each worker after the fork (no --preload), so the
reference data, the LightGBM booster and the prompt rules are loaded per process, before the first request.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskscore.settings")
application = get_wsgi_application()

import gc  # noqa: E402

from riskscore.features import prompts  # noqa: E402
from riskscore.warmup import warm_up  # noqa: E402 - needs Django set up

warm_up()
prompts.prepare()  # ingest analyses prompts in web processes only: their rules are compiled here, not in workers
# Everything loaded so far lives as long as the process: keep it out of the collector's
# full passes, which otherwise take ~200 ms under load and set the p99.
gc.collect()
gc.freeze()
