"""Settings for the portal, read from the environment with typed defaults.

Embedded defaults (no servers needed): SQLite in WAL mode under ``var/`` and a Celery broker in a SQLite
file. ``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` (or ``CELERY_BROKER_URL``) to Redis.
With ``DEBUG`` off (the default), ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL`` must be given or
start-up fails naming the missing variable. See docs/configuration.md for every variable.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

from portal.env import env_bool, env_float, env_int, env_list, env_str, require

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
PRODUCTION = not DEBUG

_DEV_SECRET = "dev-only-insecure-secret-key-never-use-in-production-5f1c9a"  # noqa: S105
if PRODUCTION:
    SECRET_KEY = require("SECRET_KEY", env_str("SECRET_KEY"), "production mode (DEBUG is off)")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        require("ALLOWED_HOSTS", "", "production mode (DEBUG is off); comma-separated host names")
    require("DATABASE_URL", env_str("DATABASE_URL"), "production mode runs on PostgreSQL, not SQLite")
else:
    SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Applications -----------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    # Ours, bottom layer first (an import may only point down; see docs/ARCHITECTURE.md).
    "portal",
    "exchange",
    "registration",
    "customs",
    "inspection",
    "forex",
    "tax_refund",
    "trade_statistics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PortalLocaleMiddleware",
    # Before anything reads the body (CSRF reads request.POST), after the language rule so the refusal
    # speaks the caller's language.
    "portal.middleware.Utf8BodyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
AUTH_USER_MODEL = "portal.User"
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "portal.context_processors.shell",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # An unreachable database must fail a request (and /healthz) in seconds, not hang it.
        DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 5)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(env_str("SQLITE_PATH", str(VAR_DIR / "portal.sqlite3"))),
            # WAL lets the web, the worker and beat read while one of them writes; IMMEDIATE transactions
            # take the write lock up front so two writers queue on the busy timeout instead of failing with
            # "database is locked" halfway through a transaction.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            "TEST": {"NAME": env_str("SQLITE_TEST_NAME", str(VAR_DIR / "test-portal.sqlite3"))},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }

# --- Celery -------------------------------------------------------------------------------------------
# Embedded default: a SQLite file through kombu's SQLAlchemy transport. Transactional, so a worker killed
# mid-publish leaves no half-written message (kombu's file-system transport does, and then crashes every
# consumer that reads it; ADR 0001).
CELERY_BROKER_FILE = Path(env_str("CELERY_BROKER_FILE", str(VAR_DIR / "broker.sqlite3")))
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or f"sqla+sqlite:///{CELERY_BROKER_FILE}")
if CELERY_BROKER_URL.startswith("sqla+"):
    # Options go to SQLAlchemy's create_engine: wait on SQLite's lock instead of failing when busy.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"connect_args": {"timeout": 30}}
# Redis redelivers an unacknowledged task after the visibility timeout. Tasks here are short (an HTTP call
# with a 15 s ceiling) and never carry an ETA longer than the exchange backoff cap (300 s), so 15 minutes is
# comfortably longer than any task while still bounding how long a task lost with a killed worker waits. The
# exchange sweeper recovers such work much sooner anyway (ADR 0003).
REDIS_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900),
    "socket_timeout": 10,
    "socket_connect_timeout": 2,
    # Publishing gives up quickly when Redis is down (kombu would otherwise retry for ever inside a web
    # request); the outbox row is committed and the sweeper publishes it later (ADR 0003).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
if not CELERY_BROKER_URL.startswith("sqla+"):
    CELERY_BROKER_TRANSPORT_OPTIONS = dict(REDIS_TRANSPORT_OPTIONS)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = env_float("CELERY_BROKER_CONNECTION_TIMEOUT", 3.0)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Tasks are short (one HTTP call); a few prefetched per thread saves broker round trips. A task prefetched by
# a worker that dies is redelivered (acks_late) and the exchange sweeper recovers its envelope sooner.
CELERY_WORKER_PREFETCH_MULTIPLIER = env_int("CELERY_PREFETCH_MULTIPLIER", 4)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Publishing must not hang a web request when the broker is down: the outbox row is already committed
# and the sweeper delivers it later (ADR 0003).
CELERY_TASK_PUBLISH_RETRY = False

# --- Auth and security ----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Lockout (django-axes): per account, whatever the source address, so a password-guessing run from many
# addresses still stops; the page shown is the same whether or not the account exists (no enumeration).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.auth.lockout_response"  # page for browsers, JSON for the API; 429
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
AXES_SENSITIVE_PARAMETERS = ["password", "new_password1", "new_password2", "old_password"]
AXES_USERNAME_CALLABLE = "portal.auth.axes_username"
# axes.W006 warns that a lockout keyed on something other than the address can be dodged by rotating
# user agents or cookies. Ours is keyed on the username, which rotating those does not change; adding the
# address would lock whole government offices behind one NAT address after five typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "portal.views.errors.csrf_failure"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# No inline scripts or styles anywhere; every asset comes from the portal itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Field encryption for personal data (legal representative ID numbers) and the exchange's private keys.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY", "")
if PRODUCTION:
    require(
        "FIELD_ENCRYPTION_KEY", FIELD_ENCRYPTION_KEY, "personal data and signing keys are encrypted with it"
    )
if FIELD_ENCRYPTION_KEY:
    from cryptography.fernet import Fernet

    try:
        for _key in FIELD_ENCRYPTION_KEY.split(","):
            Fernet(_key.strip().encode())
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be one or more comma-separated Fernet keys "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
        ) from None

# --- Email and notifications -------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "跨境电商综合服务平台 <noreply@zjcbec.example>")

# --- Internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from the finders in development
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded attachments live outside the web root and are only ever served through a permission-checked view.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
MEDIA_URL = "/media-is-not-served/"

# --- REST framework ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"token": "20/min"},
    # Proxies in front of the portal whose X-Forwarded-For the throttles may trust (0: use the peer address;
    # a spoofed header must not reset a client's throttle).
    "NUM_PROXIES": env_int("TRUSTED_PROXY_COUNT", 0),
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
}
SPECTACULAR_SETTINGS = {
    # Lazy: the docs page and the schema read in the caller's language (Accept-Language, or the cookie).
    "TITLE": gettext_lazy("Zhejiang Cross-border E-commerce Portal API"),
    "DESCRIPTION": gettext_lazy(
        "REST API for enterprise ERPs and government systems. Errors carry code, message and field."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Choice sets used under several field names, or several sets under one field name ("status"), get one
    # stable component name each (otherwise drf-spectacular invents names like "Status4b2Enum").
    "ENUM_NAME_OVERRIDES": {
        "MessageStatusEnum": "exchange.choices.MessageStatus",
        "QualificationEnum": "registration.choices.Qualification",
    },
}

# --- Exchange (messages to government departments) --------------------------------------------------
GOVMOCK_URL = env_str("GOVMOCK_URL", "http://127.0.0.1:8001").rstrip("/")
# Outbound proxy to the departments, if the exchange network needs one. The HTTP client ignores the process
# environment (HTTP_PROXY, .netrc): only this setting applies, and no per-request lookups are made.
EXCHANGE_PROXY_URL = env_str("EXCHANGE_PROXY_URL", "")
EXCHANGE_CALLBACK_SECRET = env_str(
    "EXCHANGE_CALLBACK_SECRET", "" if PRODUCTION else "dev-only-callback-secret"
)
if PRODUCTION:
    require("EXCHANGE_CALLBACK_SECRET", EXCHANGE_CALLBACK_SECRET, "receipt callbacks are authenticated by it")
EXCHANGE_KEY_DIR = Path(env_str("EXCHANGE_KEY_DIR", str(VAR_DIR / "exchange")))
EXCHANGE_CONNECT_TIMEOUT = env_float("EXCHANGE_CONNECT_TIMEOUT", 3.0)
EXCHANGE_READ_TIMEOUT = env_float("EXCHANGE_READ_TIMEOUT", 15.0)
EXCHANGE_BATCH_WINDOW_SECONDS = env_float("EXCHANGE_BATCH_WINDOW_SECONDS", 1.0)
EXCHANGE_MAX_AGE_HOURS = env_float("EXCHANGE_MAX_AGE_HOURS", 24.0)
EXCHANGE_SWEEP_SECONDS = env_float("EXCHANGE_SWEEP_SECONDS", 10.0)
EXCHANGE_POLL_SECONDS = env_float("EXCHANGE_POLL_SECONDS", 30.0)
EXCHANGE_OVERDUE_CHECK_SECONDS = env_float("EXCHANGE_OVERDUE_CHECK_SECONDS", 60.0)
# At most this many envelopes of one department on the wire at once per worker process, so a hanging
# department occupies only part of the pool (ADR 0003). 0: a third of the worker's pool, so even two hanging
# departments leave a third to the others. A worker dedicated to one department's queue sets its concurrency.
EXCHANGE_DEPARTMENT_SLOTS = env_int("EXCHANGE_DEPARTMENT_SLOTS", 0)
# Upper bound on business nodes per envelope (0: the protocol's limit per type, 100 for CEB). 1 disables
# batching, which bench/exchange.py uses to compare one HTTP call per filing with a plain thread pool.
EXCHANGE_MAX_NODES = env_int("EXCHANGE_MAX_NODES", 0)
EXCHANGE_MIN_EXPECTED_SECONDS = env_float("EXCHANGE_MIN_EXPECTED_SECONDS", 60.0)
# An envelope left "sending" longer than connect + read timeout + this margin belonged to a worker that died.
EXCHANGE_STALE_MARGIN_SECONDS = env_float("EXCHANGE_STALE_MARGIN_SECONDS", 30.0)
# A due envelope whose delivery task has not run this long after it was due is enqueued again by the sweeper.
EXCHANGE_REQUEUE_GRACE_SECONDS = env_float("EXCHANGE_REQUEUE_GRACE_SECONDS", 30.0)
EXCHANGE_DEFAULT_EXPECTED_SECONDS = env_float("EXCHANGE_DEFAULT_EXPECTED_SECONDS", 300.0)

CELERY_BEAT_SCHEDULE = {
    "exchange-sweep": {
        "task": "exchange.sweep",
        "schedule": EXCHANGE_SWEEP_SECONDS,
        "options": {"expires": EXCHANGE_SWEEP_SECONDS},
    },
    "exchange-poll": {
        "task": "exchange.poll_all",
        "schedule": EXCHANGE_POLL_SECONDS,
        "options": {"expires": EXCHANGE_POLL_SECONDS},
    },
    "exchange-overdue": {
        "task": "exchange.requery_overdue",
        "schedule": EXCHANGE_OVERDUE_CHECK_SECONDS,
        "options": {"expires": EXCHANGE_OVERDUE_CHECK_SECONDS},
    },
    "notification-email-sweep": {
        "task": "portal.tasks.sweep_notification_emails",
        "schedule": 120.0,
        "options": {"expires": 120},
    },
}
CELERY_TASK_QUEUES_ALL = "default,exchange.customs,exchange.ciq,exchange.safe,exchange.tax,exchange.commerce"

# --- Logging --------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.logfilter.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- Registration (entity filing; docs/registration.md) -------------------------------------------------
# The commerce bureau's service level in statutory working days (ADR 0013), the largest attachment accepted
# (ADR 0011; the reverse proxy should cap request bodies a little above it), and self-service sign-ups per
# client address per hour.
REGISTRATION_SLA_WORKING_DAYS = env_int("REGISTRATION_SLA_WORKING_DAYS", 5)
REGISTRATION_ATTACHMENT_MAX_BYTES = env_int("REGISTRATION_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
REGISTRATION_SIGNUPS_PER_HOUR = env_int("REGISTRATION_SIGNUPS_PER_HOUR", 30)
# Days an unverified account signed up by self-service is protected: after that, with no filing submitted
# meanwhile, a new sign-up for the same credit code may claim it (ADR 0017).
REGISTRATION_CLAIM_AFTER_DAYS = env_int("REGISTRATION_CLAIM_AFTER_DAYS", 14)
