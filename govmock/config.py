"""Settings read from the environment (documented in docs/govmock.md).

Guarantees: :meth:`Settings.from_env` either returns a complete, validated configuration or raises
:class:`ConfigError` naming the variable — govmock never starts half-configured.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from govmock import clock
from govmock.faults import FaultConfig, FaultConfigError, build_configs

# Dev-only default: the portal's EXCHANGE_CALLBACK_SECRET must be set to the same value. Production
# deployments must override it; it is public in this repository.
DEV_CALLBACK_SECRET = "dev-only-callback-secret"  # noqa: S105
MiB = 1024 * 1024


class ConfigError(ValueError):
    """An environment variable has an unusable value."""


@dataclass(frozen=True)
class Settings:
    db_path: Path
    host: str
    port: int
    callback_url: str
    callback_secret: str
    trusted_ca_file: Path
    portal_url: str
    max_body: int
    seed: int
    faults: Mapping[str, FaultConfig]
    threads: int = 16
    callback_timeout: float = 5.0
    fx_class_b: frozenset[str] = frozenset()
    fx_class_c: frozenset[str] = frozenset()

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        return cls(
            db_path=Path(env.get("GOVMOCK_DB", "var/govmock.sqlite3")),
            host=env.get("GOVMOCK_HOST", "127.0.0.1"),
            port=_int(env, "GOVMOCK_PORT", 8001, 0, 65535),
            callback_url=env.get("GOVMOCK_CALLBACK_URL", "http://127.0.0.1:8000/exchange/receipts/"),
            callback_secret=env.get("GOVMOCK_CALLBACK_SECRET", DEV_CALLBACK_SECRET),
            trusted_ca_file=Path(env.get("GOVMOCK_TRUSTED_CA_FILE", "var/exchange/ca.pem")),
            portal_url=env.get("GOVMOCK_PORTAL_URL", "http://127.0.0.1:8000").rstrip("/"),
            max_body=_int(env, "GOVMOCK_MAX_BODY", 10 * MiB, 1024, 1024 * MiB),
            seed=_int(env, "GOVMOCK_SEED", 0, -(2**63), 2**63 - 1),
            faults=_faults(env),
            threads=_int(env, "GOVMOCK_THREADS", 16, 2, 256),
            callback_timeout=float(_int(env, "GOVMOCK_CALLBACK_TIMEOUT", 5, 1, 120)),
            fx_class_b=_codes(env, "GOVMOCK_FX_CLASS_B"),
            fx_class_c=_codes(env, "GOVMOCK_FX_CLASS_C"),
        )

    def with_port(self, port: int) -> Settings:
        return replace(self, port=port)


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}")
    return value


def _codes(env: Mapping[str, str], name: str) -> frozenset[str]:
    return frozenset(c.strip().upper() for c in env.get(name, "").split(",") if c.strip())


def _faults(env: Mapping[str, str]) -> dict[str, FaultConfig]:
    merged: dict[str, dict[str, Any]] = {}
    path = env.get("GOVMOCK_FAULTS_FILE")
    if path:
        try:
            _merge(merged, json.loads(Path(path).read_text(encoding="utf-8")), "GOVMOCK_FAULTS_FILE")
        except OSError as exc:
            raise ConfigError(f"GOVMOCK_FAULTS_FILE: {exc}") from exc
    if env.get("GOVMOCK_FAULTS"):
        _merge(merged, _json(env["GOVMOCK_FAULTS"], "GOVMOCK_FAULTS"), "GOVMOCK_FAULTS")
    try:
        return build_configs(merged, clock.utc_now())
    except FaultConfigError as exc:
        raise ConfigError(f"fault configuration: {exc}") from exc


def _json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{name} is not valid JSON: {exc}") from exc


def _merge(into: dict[str, dict[str, Any]], raw: Any, name: str) -> None:
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise ConfigError(f'{name} must be a JSON object like {{"*": {{...}}, "customs": {{...}}}}')
    for dept, values in raw.items():
        into.setdefault(dept, {}).update(values)
