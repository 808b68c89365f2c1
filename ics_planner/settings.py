"""Settings for the ICS Workforce Planner, read from environment variables.

With no configuration at all the project runs on a SQLite file and runs Celery tasks in the
web process (the embedded default). `.env.example` lists every variable.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    # An explicit .env in the project root; the environment itself wins over it.
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters when "
        "DJANGO_DEBUG is false."
    )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "core",
    "education",
    "workforce",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security.ContentSecurityPolicyMiddleware",
    "core.security.RefuseNulCharacters",
    "core.security.RefuseOversizedApiBodies",
    "core.security.RefuseRepeatedApiParameters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ics_planner.urls"
WSGI_APPLICATION = "ics_planner.wsgi.application"
ASGI_APPLICATION = "ics_planner.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Names as people write them (core.names) on every page.
            "builtins": ["core.templatetags.names"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # A transaction takes the write lock when it begins: one that read first and
            # wrote later could not wait for it, and answered "database is locked" at once.
            "transaction_mode": "IMMEDIATE",
            # Seconds a connection waits for the lock (another upload, a seeding command)
            # before giving up.
            "timeout": env.int("SQLITE_BUSY_TIMEOUT_SECONDS", default=60),
            # Write-ahead logging: pages keep reading while a run in the background writes
            # its results (in the default journal a large write shuts readers out).
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (django-axes): a username from one address is locked out after
# LOGIN_FAILURE_LIMIT failures for LOGIN_LOCKOUT_MINUTES, on the login page, the admin and
# the API's token endpoint alike. An address is locked out too, for any username, after
# LOGIN_ADDRESS_FAILURE_LIMIT failures within LOGIN_LOCKOUT_MINUTES (core.login_limit).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "core.login_limit.AddressLimitedHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.security.lockout_response"
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy's address: name how many proxies
# append to X-Forwarded-For so that the client's own address is the one counted.
if env.int("DJANGO_PROXY_COUNT", default=0):
    AXES_IPWARE_PROXY_COUNT = env.int("DJANGO_PROXY_COUNT")
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

# Uploaded staffing returns: the largest file accepted, before anything is parsed.
RETURN_MAX_BYTES = env.int("RETURN_MAX_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = RETURN_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = RETURN_MAX_BYTES + 1024 * 1024
# A ZIP archive of returns (POST /api/v1/returns/archive/): the most returns in one, and the
# most bytes, both of the archive and of its returns unzipped.
RETURN_ARCHIVE_MAX_FILES = env.int("RETURN_ARCHIVE_MAX_FILES", default=5000)
RETURN_ARCHIVE_MAX_BYTES = env.int("RETURN_ARCHIVE_MAX_BYTES", default=50 * 1024 * 1024)

# The board pack's charts and PDF are drawn by this Chromium (Debian's), never downloaded.
CHROMIUM_PATH = env.str("CHROMIUM_PATH", default="/usr/bin/chromium")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON only: /api/v1/docs/ is the interactive way in (the browsable API's pages break
    # the content security policy). Lists of figures read `?format=csv` themselves.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_THROTTLE_USER", default="6000/hour")},
}

REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=24 * 30)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
# Tokens that still work, per user: one more is refused until one is revoked.
API_TOKENS_PER_USER = env.int("API_TOKENS_PER_USER", default=10)

SPECTACULAR_SETTINGS = {
    "TITLE": "ICS Workforce Planner API",
    "DESCRIPTION": "Staffing returns, plan targets, scenarios, projections and the education "
    "pipeline of NHS integrated care systems.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReturnStatusEnum": "workforce.models.StaffingReturn.Status",
        "RunStatusEnum": "workforce.models.ProjectionRun.Status",
        "PlacementSectorEnum": "education.placement_sectors.PLACEMENT_SECTORS",
    },
}

# Celery: with no broker the tasks run in the calling process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
# In the embedded mode, projections and backtests run on threads of the web server's process
# (core.background), so that a request answers at once and the page shows the run's progress.
RUNS_IN_BACKGROUND = env.bool("RUNS_IN_BACKGROUND", default=True)
BACKGROUND_THREADS = env.int("BACKGROUND_THREADS", default=1)
# A national run's chunks are a chord, and a chord counts its parts in a result backend: the
# broker's Redis unless set apart. Without a broker (eager tasks) none is needed. The chunks'
# sums themselves are in the database (ProjectionRunChunk), never in the backend.
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL) or None
CELERY_RESULT_EXPIRES = 24 * 3600
# Chunks a national run is split into (ranges of systems, one task each); 1: one task. Without
# a broker there is one process to share them, so one task, unless set.
PROJECTION_RUN_CHUNKS = env.int("PROJECTION_RUN_CHUNKS", default=4 if CELERY_BROKER_URL else 1)
# Threads a projection's engine uses in one process; 0: the cores, up to 4. With several
# workers (or a worker's concurrency) on one host, their engines share its cores.
PROJECTION_ENGINE_THREADS = env.int("PROJECTION_ENGINE_THREADS", default=0)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task's hard limit stays below the broker's visibility timeout, so a message is never
# redelivered while its first delivery is still working.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=1800)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# A broker that cannot be reached is given up on quickly: a request never hangs on it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 600,
    "socket_connect_timeout": env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=3.0),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Upkeep of projection runs (workforce.tasks.UPKEEP): fail those whose worker died, send those
# saved while the broker was down. `celery -A ics_planner beat` sends them where there is a
# broker; without one the web process runs them on a timer of the same period.
RUN_UPKEEP_SECONDS = env.float("RUN_UPKEEP_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE = {
    name: {
        "task": f"workforce.tasks.{name}",
        "schedule": RUN_UPKEEP_SECONDS,
        # Not worth doing late: with no worker to take them, they must not pile up.
        "options": {"expires": RUN_UPKEEP_SECONDS},
    }
    for name in ("reap_stuck_runs", "resend_saved_runs")
}

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Served over HTTPS (production): secure cookies, HSTS and redirects to https. Turned off
# only to serve the production settings locally over plain http (`make run`), where secure
# cookies would never come back and nobody could sign in.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Health checks come over plain HTTP from inside the container.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Static files are served by WhiteNoise: collected into STATIC_ROOT in production, found in
# place (static/ and the apps) otherwise, so a fresh checkout serves its pages as they are.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
