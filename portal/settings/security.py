"""Authentication, login limits, cookies, transport security, the content security policy, request and upload
caps, field encryption."""

from datetime import timedelta
from pathlib import Path  # noqa: F401

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from portal import deployment
from portal.env import env_bool, env_int, env_list, env_str, require, sizes_by_prefix
from portal.settings.base import PRODUCTION

# --- Auth and security ----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked (username, address) pair
    "portal.login_limits.UsernameCeilingBackend",  # refuses a username over the ceiling across addresses
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Password guessing (ADR 0005). Lockout (django-axes) per (username, client address): an attacker's failures
# lock the account only for the attacker's address, never for its owner elsewhere. A ceiling per username
# across addresses bounds distributed guessing (portal.login_limits), and a throttle per client address
# slows password spraying. The answers are the same whether or not the account exists (no enumeration).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.addresses.client_network"
LOGIN_USERNAME_FAILURE_LIMIT = env_int("LOGIN_USERNAME_FAILURE_LIMIT", 50)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_ADDRESS_WINDOW_SECONDS = env_int("LOGIN_ADDRESS_WINDOW_SECONDS", 60)
# Proxies in front of the portal whose X-Forwarded-For entries are trusted for the client's address (login
# limits, audit, API throttles); 0 uses the peer address, so a forged header cannot choose it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.auth.lockout_response"  # page for browsers, JSON for the API; 429
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
AXES_SENSITIVE_PARAMETERS = ["password", "new_password1", "new_password2", "old_password"]
AXES_USERNAME_CALLABLE = "portal.auth.axes_username"

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
    if PRODUCTION:
        deployment.check_fernet_keys("FIELD_ENCRYPTION_KEY", FIELD_ENCRYPTION_KEY)

# Request bodies: portal.middleware.BodySizeLimitMiddleware answers 413 to a request whose Content-Length is
# over the cap before anything reads the body (multipart uploads would otherwise be read whole first). The
# default leaves 1 MiB above the largest registration attachment (10 MiB) for the form around it; apps whose
# paths take larger files declare their own caps (``REQUEST_BODY_MAX_BYTES_BY_PATH`` in their ``conf.py``);
# the longest matching prefix wins, and the variable overrides any app's value. The reverse proxy should cap
# bodies as well (docs/configuration.md).
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 11 * 1024 * 1024)
REQUEST_BODY_MAX_BYTES_BY_PATH = sizes_by_prefix(
    "REQUEST_BODY_MAX_BYTES_BY_PATH", env_list("REQUEST_BODY_MAX_BYTES_BY_PATH", [])
)
