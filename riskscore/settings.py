"""riskscore settings: one flat file, every value read from the environment.

With nothing set, the service runs on embedded defaults that need no server:
SQLite under var/ and a Celery broker on the local filesystem.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("RISKSCORE_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: str = "False") -> bool:
    return os.getenv(name, default).lower() in ("1", "true", "yes", "on")


# psycopg prepares a server-binding query after this many executions; this many never comes, so only
# the queries that pass execute(prepare=True) are prepared.
PREPARE_ONLY_WHEN_ASKED = 2**31 - 1


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


SECRET_KEY = os.getenv("SECRET_KEY", "dev-only-secret-key-change-me-in-production")
DEBUG = envbool("DEBUG")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# Identifiers (cards, devices, IPs...) are counted under a keyed hash, so the
# reuse index never holds them in plain text. Changing the key resets reuse counts.
IDENTIFIER_HASH_KEY = os.getenv("IDENTIFIER_HASH_KEY", SECRET_KEY)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "riskscore",
    "accounts",
    "clusters",
    "console",
    "axes",
    "enforcement",
    "intel",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "riskscore.middleware.RequestMetricsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "console.middleware.ConsoleSecurityHeadersMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "riskscore.urls"
WSGI_APPLICATION = "riskscore.wsgi.application"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{VAR_DIR / 'riskscore.sqlite3'}"),
        conn_max_age=int(os.getenv("DB_CONN_MAX_AGE", "600")),
        # A health check is a SELECT 1 on every request; without it, the first request after a
        # database restart fails with a 503 (Retry-After) and the next one reconnects.
        conn_health_checks=envbool("DB_CONN_HEALTH_CHECKS"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that drops packets would otherwise hold a request until the OS gives up (minutes).
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(os.getenv("DB_CONNECT_TIMEOUT", "5"))
    # Django turns psycopg's prepared statements off (None), which silently ignores execute(prepare=True)
    # too. The ORM's client-side-binding cursors never prepare whatever this says; the hot paths' own
    # server-binding cursors (the signup's reuse counts and rows) ask for it and are then parsed and
    # planned once per connection. A transaction-pooling PgBouncer older than 1.21 needs it off: set
    # DB_PREPARED_STATEMENTS=false.
    if envbool("DB_PREPARED_STATEMENTS", default="True"):
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = PREPARE_ONLY_WHEN_ASKED
        # Planned once, then only executed. Left to choose, PostgreSQL re-plans these statements on every
        # run (their generic plan's estimate looks dearer, not slower): 0.14 ms of the reuse counts' 0.45.
        # Only prepared statements follow this setting; the ORM's queries are not prepared. A PgBouncer
        # (1.20+) refuses startup options it does not track: track_extra_parameters = plan_cache_mode
        # there, or DB_PLAN_CACHE_MODE= (empty) here to leave the server's own choice.
        plan_cache_mode = os.getenv("DB_PLAN_CACHE_MODE", "force_generic_plan")
        if plan_cache_mode:
            given = DATABASES["default"]["OPTIONS"].get("options", "")
            DATABASES["default"]["OPTIONS"]["options"] = f"{given} -c plan_cache_mode={plan_cache_mode}".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so a Celery worker process started by the tests shares the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-riskscore.sqlite3")}
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
STATIC_URL = "static/"

# The console (console/): Django sessions, roles as groups, login rate-limited by django-axes.
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:queue"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Failed logins per username and IP before that pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = int(os.getenv("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.getenv("LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "console/locked_out.html"
# Outside development, cookies only travel over HTTPS and the session cookie is out of JavaScript's reach.
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", str(not DEBUG))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.getenv("SESSION_COOKIE_AGE", str(8 * 3600)))
STATIC_ROOT = VAR_DIR / "static"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "accounts.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "riskscore API",
    "DESCRIPTION": "Account-verification and fraud-risk scoring for AI-model API providers.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from a package, not a CDN: nothing is fetched at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
# Largest request body accepted (bytes); larger is a 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.getenv("MAX_REQUEST_BYTES", str(8 * 1024 * 1024)))

# Celery. The default broker keeps messages in files under var/, so a real
# worker process runs with no server; set CELERY_BROKER_URL for Redis/RabbitMQ.
# Job state and results live in the database (riskscore.models.Job).
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_FOLDER = VAR_DIR / "broker"
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER")
# Redis: a task taken by a worker that dies unacknowledged is delivered again after this many
# seconds. Longer than the longest task (training), or a running task is delivered twice.
CELERY_VISIBILITY_TIMEOUT = int(os.getenv("CELERY_VISIBILITY_TIMEOUT", "1800"))
# Seconds a web process waits to reach the broker, or for its answer, when it sends a task; past it
# (the broker is down or hangs) ingest answers anyway and the periodic catch-up sends the re-scores.
CELERY_BROKER_TIMEOUT = float(os.getenv("CELERY_BROKER_TIMEOUT", "3"))

# Re-scoring: accounts per re-score task (one transaction, one batched predict); attempts of a
# failing task (exponential backoff, then the catch-up job takes over); how long a flagged account
# waits before the catch-up job sends its re-score again; a score older than this is re-scored.
RESCORE_BATCH_SIZE = int(os.getenv("RESCORE_BATCH_SIZE", "200"))
RESCORE_MAX_RETRIES = int(os.getenv("RESCORE_MAX_RETRIES", "5"))
RESCORE_LOST_AFTER_SECONDS = int(os.getenv("RESCORE_LOST_AFTER_SECONDS", "120"))
RESCORE_CATCH_UP_SECONDS = float(os.getenv("RESCORE_CATCH_UP_SECONDS", "30"))  # how often the catch-up job runs
RESCORE_STALE_AFTER_SECONDS = int(os.getenv("RESCORE_STALE_AFTER_SECONDS", str(7 * 24 * 3600)))
# An account re-scored on usage evidence less than this long ago waits for the rest of it (its flag set, so the
# evidence arriving meanwhile joins the same re-score): under sustained usage an account is re-scored at most about
# once per interval, however many requests touch it, and a score lags its evidence by up to one interval. An account's
# first usage is re-scored at once. 0: all new evidence is re-scored at once.
RESCORE_MIN_INTERVAL_SECONDS = float(os.getenv("RESCORE_MIN_INTERVAL_SECONDS", "30"))
# The hourly check enqueues a training job once this many accounts were labelled after the
# newest model was trained (0: never retrain on its own).
RETRAIN_MIN_NEW_LABELS = int(os.getenv("RETRAIN_MIN_NEW_LABELS", "1000"))

# How long the web process keeps the active model, policy and API keys
# before looking again (seconds): a trade-off of hot-path queries vs. staleness.
CACHE_TTL_SECONDS = float(os.getenv("CACHE_TTL_SECONDS", "5"))

# Reuse counts saturate here: past it an identifier is simply "very shared",
# and the hook's index scan stays bounded.
REUSE_COUNT_CAP = int(os.getenv("REUSE_COUNT_CAP", "1000"))

# How often celery beat runs hydra-cluster detection over new evidence (seconds).
CLUSTER_DETECTION_INTERVAL_SECONDS = int(os.getenv("CLUSTER_DETECTION_INTERVAL_SECONDS", "600"))
# Indicator sharing between providers (STIX 2.1). Identifiers travel only as
# HMAC-SHA256 under the sharing group's key: partners with the same key can match
# them, nobody learns an identifier. Set the group's key in production.
INTEL_SHARING_KEY = os.getenv("INTEL_SHARING_KEY", "dev-only-intel-sharing-key-change-me")
# TLP marking of exported bundles: white, green, amber or red.
INTEL_TLP = os.getenv("INTEL_TLP", "amber").lower()
# Names this provider in exported ids (UUIDv5), so two providers' clusters never share an id.
INTEL_PRODUCER = os.getenv("INTEL_PRODUCER", "riskscore")
# An identifier is exported only when at least this many campaign members share it...
INTEL_MIN_SHARING_MEMBERS = int(os.getenv("INTEL_MIN_SHARING_MEMBERS", "2"))
# ...and at most this share of that number of other, not-abusive accounts also use it.
INTEL_MAX_LEGITIMATE_SHARE = float(os.getenv("INTEL_MAX_LEGITIMATE_SHARE", "0.05"))
# Exported indicators stay valid this many days after the campaign's newest evidence.
INTEL_INDICATOR_VALID_DAYS = int(os.getenv("INTEL_INDICATOR_VALID_DAYS", "90"))
# Largest indicator bundle accepted for import (bytes); larger is a 413.
INTEL_MAX_IMPORT_BYTES = int(os.getenv("INTEL_MAX_IMPORT_BYTES", str(4 * 1024 * 1024)))

# Shared between processes for Prometheus; set by the README's run script.
PROMETHEUS_MULTIPROC_DIR = os.getenv("PROMETHEUS_MULTIPROC_DIR", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
}
