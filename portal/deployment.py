"""What production mode (``DEBUG`` off) refuses to start with, each refusal naming the variable and the fix.

Published development secrets (every default or example value that appears in this repository, ADR 0001),
short or low-entropy secrets, a wildcard ``ALLOWED_HOSTS``, a missing or plain-HTTP ``SITE_URL`` and a
database other than PostgreSQL. ``portal/settings.py`` calls these at import, so the web, the worker, beat and
every management command (``check --deploy`` included) stop with the message instead of running on values
anyone can read.
"""

import base64
import binascii
import hashlib
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# The development SECRET_KEY (settings.py uses it when DEBUG is on). Public: never valid in production.
DEV_SECRET_KEY = "dev-only-insecure-secret-key-never-use-in-production-5f1c9a"  # noqa: S105
DEV_CALLBACK_SECRET = "dev-only-callback-secret"  # noqa: S105  (= govmock.config.DEV_CALLBACK_SECRET)

# Every secret value written in the repository: development defaults, build placeholders, test values.
# tests/portal/test_deployment.py scans the repository and fails if one it finds is missing here.
PUBLISHED_SECRETS = frozenset(
    {
        DEV_SECRET_KEY,
        DEV_CALLBACK_SECRET,
        "collectstatic-only",  # the Dockerfile's build step before it generated throw-away values
        "test-callback-secret",  # tests/govmock/harness.py
    }
)
# Marks of a value copied from an example rather than generated.
_PUBLISHED_MARKS = ("dev-only", "django-insecure-", "change-me", "changeme")

# The key portal/crypto.py derives in development from the published SECRET_KEY.
DEV_DERIVED_FERNET_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(("field-encryption:" + DEV_SECRET_KEY).encode()).digest()
).decode()
# Fernet keys written in the repository (some only in its history) and the development one.
PUBLISHED_FERNET_KEYS = frozenset(
    {
        base64.urlsafe_b64encode(bytes(32)).decode(),  # the Dockerfile build step, tests/deploy
        "Z2Vlc2UtZ2Vlc2UtZ2Vlc2UtZ2Vlc2UtZ2Vlc2UtMTI=",  # tests/portal/test_settings.py
        DEV_DERIVED_FERNET_KEY,
    }
)

GENERATE_SECRET_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(64))'"  # noqa: S105
GENERATE_CALLBACK_SECRET = "python -c 'import secrets; print(secrets.token_hex(32))'"  # noqa: S105
GENERATE_FERNET_KEY = (
    "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)
# A generated secret has many distinct characters (token_hex: 16 of 16; token_urlsafe: dozens); a typed or
# patterned one ("x" * 60, "abcabc...") does not.
MIN_DISTINCT_CHARACTERS = 10
MIN_DISTINCT_KEY_BYTES = 16  # of a Fernet key's 32 random bytes; 32 random bytes have ~30 distinct values
POSTGRESQL_ENGINES = ("django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis")


def _is_repetition(value: str) -> bool:
    """True for a shorter string repeated ("abcabcabc"), which a distinct-character count alone misses."""
    return len(value) > 1 and value in (value + value)[1:-1]


def check_secret(name: str, value: str, *, min_length: int, generate: str) -> str:
    """Refuse a published, short or low-entropy secret; return it unchanged otherwise."""
    how = f"Generate one with: {generate}"
    lowered = value.lower()
    if value in PUBLISHED_SECRETS or any(mark in lowered for mark in _PUBLISHED_MARKS):
        raise ImproperlyConfigured(
            f"{name} is a development value published in the portal's repository; anyone can forge what it "
            f"signs. {how}"
        )
    if len(value) < min_length:
        raise ImproperlyConfigured(
            f"{name} is too short for production mode ({len(value)} characters, at least {min_length}). {how}"
        )
    if len(set(value)) < MIN_DISTINCT_CHARACTERS or _is_repetition(value):
        raise ImproperlyConfigured(
            f"{name} has too little entropy for production mode (a repeated pattern or fewer than "
            f"{MIN_DISTINCT_CHARACTERS} distinct characters). {how}"
        )
    return value


def check_fernet_keys(name: str, value: str) -> str:
    """Refuse a malformed, published or low-entropy Fernet key in the comma-separated list."""
    for key in (k.strip() for k in value.split(",") if k.strip()):
        try:
            raw = base64.urlsafe_b64decode(key.encode())
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"{name} must be one or more comma-separated Fernet keys. Generate one with: "
                f"{GENERATE_FERNET_KEY}"
            )
        if key in PUBLISHED_FERNET_KEYS or len(set(raw)) < MIN_DISTINCT_KEY_BYTES:
            raise ImproperlyConfigured(
                f"{name} holds a key that is published in the portal's repository or not random: data "
                f"encrypted with it is readable by anyone. Generate one with: {GENERATE_FERNET_KEY}"
            )
    return value


def check_allowed_hosts(hosts: list[str]) -> list[str]:
    """Refuse ``*`` and any entry with a wildcard: the portal must not answer for every host."""
    wild = [host for host in hosts if "*" in host]
    if wild:
        raise ImproperlyConfigured(
            f"ALLOWED_HOSTS must not contain a wildcard in production mode (got {', '.join(wild)}): name "
            "the hosts the portal answers for, comma-separated (a leading dot, .example.gov.cn, allows "
            "subdomains)."
        )
    return hosts


LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1", "testserver"})


def check_local_hosts(hosts: list[str]) -> list[str]:
    """A local run (``PORTAL_LOCAL``) uses the published development key: it answers on loopback only."""
    others = [host for host in hosts if host not in LOOPBACK_HOSTS]
    if others:
        raise ImproperlyConfigured(
            f"PORTAL_LOCAL runs on the development defaults and answers loopback only; ALLOWED_HOSTS names "
            f"{', '.join(others)}. For any other host run in production mode (PORTAL_LOCAL unset, DEBUG off)."
        )
    return hosts


def check_site_url(value: str) -> str:
    """``SITE_URL`` is https and a bare origin: every link mailed or printed is built on it."""
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or parts.path not in ("", "/") or parts.query:
        raise ImproperlyConfigured(
            f"SITE_URL must be the portal's public https origin in production mode, like "
            f"https://portal.example.gov.cn (got {value!r})"
        )
    return value


def check_database_engine(engine: str) -> str:
    if engine not in POSTGRESQL_ENGINES:
        raise ImproperlyConfigured(
            "DATABASE_URL must point at PostgreSQL in production mode "
            f"(postgres://user:password@host:5432/name); got the {engine.rsplit('.', 1)[-1]} backend. SQLite "
            "is for development only (ADR 0001)."
        )
    return engine
