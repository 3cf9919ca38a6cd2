"""Symmetric encryption of sensitive values at rest (ID numbers, private keys).

Fernet (AES-128-CBC + HMAC-SHA256) from ``cryptography``. The key comes from ``FIELD_ENCRYPTION_KEY``
(a Fernet key, or several comma-separated for rotation: the first encrypts, all decrypt); in development it
is derived from ``SECRET_KEY`` so a newcomer needs no extra setting. Production must set it explicitly, so
rotating ``SECRET_KEY`` does not make stored data unreadable.
"""

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet() -> MultiFernet:
    configured = [k.strip() for k in (settings.FIELD_ENCRYPTION_KEY or "").split(",") if k.strip()]
    if not configured:
        if settings.PRODUCTION:  # decided at start-up; tests run with DEBUG off at runtime
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set in production (a Fernet key)")
        digest = hashlib.sha256(("field-encryption:" + settings.SECRET_KEY).encode()).digest()
        configured = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(k.encode()) for k in configured])


def encrypt_text(plain: str) -> str:
    return _fernet().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("the value cannot be decrypted with the configured keys") from exc


def encrypt_bytes(plain: bytes) -> str:
    return _fernet().encrypt(plain).decode("ascii")


def decrypt_bytes(token: str) -> bytes:
    try:
        return _fernet().decrypt(token.encode("ascii"))
    except InvalidToken as exc:
        raise ValueError("the value cannot be decrypted with the configured keys") from exc
