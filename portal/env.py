"""Typed readers for settings that come from the environment.

Each reader returns the typed default when the variable is unset or empty, and raises
``ImproperlyConfigured`` naming the variable when a value cannot be parsed, so a typo in a deployment
fails at start-up instead of silently falling back.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def require(name: str, value: str, reason: str) -> str:
    """Fail start-up with a clear message when a production setting is missing."""
    if not value:
        raise ImproperlyConfigured(f"{name} must be set: {reason}")
    return value


def sizes_by_prefix(name: str, items: list[str]) -> dict[str, int]:
    """``/path/prefix/=bytes`` items (from ``env_list``) as a mapping; a malformed item names the variable."""
    sizes = {}
    for item in items:
        prefix, _sep, size = item.partition("=")
        prefix, size = prefix.strip(), size.strip()
        if not prefix.startswith("/") or not size.isdigit():
            raise ImproperlyConfigured(
                f"{name} must be comma-separated /path/prefix/=bytes items, got {item!r}"
            )
        sizes[prefix] = int(size)
    return sizes
