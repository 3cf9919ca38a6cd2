"""Base settings: mode, secrets and hosts, applications, middleware, templates, database, cache, email,
languages, static files and the REST framework. Assembled with the other parts in
``portal/settings/__init__``."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy

from portal import deployment
from portal.env import env_bool, env_int, env_list, env_str, require

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# A run on one's own machine (`make run`): users see what production shows (DEBUG off: no debug pages, no
# URL patterns on a 404), on the embedded defaults (SQLite, a development key), answering loopback only.
LOCAL_RUN = env_bool("PORTAL_LOCAL", False) and not DEBUG
PRODUCTION = not DEBUG and not LOCAL_RUN

if PRODUCTION:
    # Present, and neither a value published in this repository nor a weak one (portal/deployment.py).
    SECRET_KEY = deployment.check_secret(
        "SECRET_KEY",
        require("SECRET_KEY", env_str("SECRET_KEY"), "production mode (DEBUG is off)"),
        min_length=50,
        generate=deployment.GENERATE_SECRET_KEY,
    )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        require("ALLOWED_HOSTS", "", "production mode (DEBUG is off); comma-separated host names")
    deployment.check_allowed_hosts(ALLOWED_HOSTS)
    require("DATABASE_URL", env_str("DATABASE_URL"), "production mode runs on PostgreSQL, not SQLite")
    # Every absolute link (password reset, invitations, notification emails, certificate QR codes) is built
    # on SITE_URL, never on the request's Host header.
    SITE_URL = deployment.check_site_url(
        require("SITE_URL", env_str("SITE_URL"), "emails and certificates link to it").rstrip("/")
    )
else:
    SECRET_KEY = env_str("SECRET_KEY", deployment.DEV_SECRET_KEY)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
    if LOCAL_RUN:
        deployment.check_local_hosts(ALLOWED_HOSTS)
    SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

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
]
# Ours, bottom layer first (an import may only point down; see docs/ARCHITECTURE.md). Each may contribute its
# own settings from a ``conf.py`` (portal/settings/apps.py).
PROJECT_APPS = [
    "portal",
    "exchange",
    "accounts",
    "registration",
    "customs",
    "inspection",
    "forex",
    "tax_refund",
    "trade_statistics",
]
INSTALLED_APPS += PROJECT_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PortalLocaleMiddleware",
    # Before anything reads the body (CSRF reads request.POST), after the language rule so the refusals
    # speak the caller's language: first the size cap (413), then strict UTF-8 (400).
    "portal.middleware.BodySizeLimitMiddleware",
    "portal.middleware.Utf8BodyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.AuditContextMiddleware",
    # A uniqueness race that a service did not turn into a field error: 409, never a 500 (portal.conflicts).
    "portal.middleware.IntegrityConflictMiddleware",
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
    if PRODUCTION:
        deployment.check_database_engine(DATABASES["default"]["ENGINE"])
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

# --- Email and notifications -------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not PRODUCTION
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
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from the finders in development
# Development and local runs serve the apps' static files as they are (nothing collected); production only
# the collected, hashed copy.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "portal.storage.ManifestStaticStorage"
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
    "NUM_PROXIES": env_int("TRUSTED_PROXY_COUNT", 0),  # the same rule as portal.addresses
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
        "CustomsDocumentTypeEnum": "customs.choices.DocumentType",
        "ImportStatusEnum": "portal.intake.choices.ImportStatus",
        "KindEnum": "registration.choices.AttachmentKind",  # its name before customs imports had a kind
        "CustomsImportKindEnum": "customs.api.imports.KIND_CHOICES",
    },
}
