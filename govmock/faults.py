"""Fault injection: per-department configuration and deterministic decisions (protocol §5).

Guarantees:
* a decision is a pure function of (seed, department, key, decision name) — the same seed and the same
  inputs give the same decisions whatever the thread timing, because nothing draws from a shared RNG;
* the configuration is validated on the way in (environment at start-up, ``PUT /admin/faults``), so
  a bad value fails loudly instead of silently disabling a fault;
* :class:`FaultRegistry` is safe to read and update from any server thread.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any

from govmock import clock

DEPARTMENTS = ("customs", "ciq", "safe", "tax", "commerce")
ALL = "*"

_RATES = (
    "error_rate",
    "hang_rate",
    "duplicate_rate",
    "reorder_rate",
    "drop_rate",
    "schema_error_rate",
    "reject_rate",
    "review_rate",
    "inspection_rate",
)
_MILLIS = ("service_time_ms", "receipt_interval_ms", "inspection_release_ms")
_BOOLS = ("inspection_manual",)
_MAX_MILLIS = 3_600_000
_MAX_HANG_SECONDS = 600


class FaultConfigError(ValueError):
    """A fault configuration value is unknown or out of range."""


@dataclass(frozen=True)
class FaultConfig:
    """The fault settings of one department; defaults are the protocol's defaults."""

    latency_ms: tuple[int, int] = (0, 0)
    service_time_ms: int = 100
    receipt_interval_ms: int = 200
    error_rate: float = 0.0
    error_status: int = 503
    hang_rate: float = 0.0
    hang_seconds: float = 30.0
    duplicate_rate: float = 0.0
    reorder_rate: float = 0.0
    drop_rate: float = 0.0
    outage_until: datetime | None = None
    schema_error_rate: float = 0.0
    reject_rate: float = 0.0
    # Customs' own decisions on inventory lists (DOMAIN §3.6 mock machine): a share goes through manual
    # review (300 before 399) and a share is held for inspection (500 after 399). A held list is released
    # (800) once its parcel has arrived and the inspection is over: ``inspection_release_ms`` after the
    # arrival, or, with ``inspection_manual``, when ``POST /admin/customs/inspections/release`` says so.
    review_rate: float = 0.0
    inspection_rate: float = 0.0
    inspection_release_ms: int = 0
    inspection_manual: bool = False

    def updated(self, changes: Mapping[str, Any], now: datetime) -> FaultConfig:
        """Return a copy with ``changes`` applied; raises FaultConfigError on any bad field."""
        if not isinstance(changes, Mapping):
            raise FaultConfigError("fault configuration must be a JSON object")
        values: dict[str, Any] = {}
        known = {f.name for f in fields(self)} | {"outage_seconds"}
        for name, raw in changes.items():
            if name not in known:
                raise FaultConfigError(f"unknown fault field: {name}")
            key, value = _coerce(name, raw, now)
            values[key] = value
        return replace(self, **values)

    def in_outage(self, now: datetime) -> bool:
        return self.outage_until is not None and now < self.outage_until

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["latency_ms"] = list(self.latency_ms)
        data["outage_until"] = clock.iso(self.outage_until) if self.outage_until else None
        return data


def _coerce(name: str, raw: Any, now: datetime) -> tuple[str, Any]:
    if name in _RATES:
        return name, _number(name, raw, 0.0, 1.0)
    if name in _MILLIS:
        return name, int(_number(name, raw, 0, _MAX_MILLIS, integral=True))
    if name in _BOOLS:
        if not isinstance(raw, bool):
            raise FaultConfigError(f"{name} must be true or false")
        return name, raw
    if name == "latency_ms":
        return name, _latency(raw)
    if name == "error_status":
        return name, int(_number(name, raw, 400, 599, integral=True))
    if name == "hang_seconds":
        return name, _number(name, raw, 0.0, _MAX_HANG_SECONDS)
    if name == "outage_seconds":
        seconds = _number(name, raw, 0.0, 7 * 86400)
        return "outage_until", (now + timedelta(seconds=seconds)) if seconds else None
    return name, _instant(raw)  # outage_until


def _instant(raw: Any) -> datetime | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise FaultConfigError("outage_until must be an ISO 8601 instant or null")
    try:
        return clock.parse_instant(raw)
    except ValueError as exc:
        raise FaultConfigError(f"outage_until: {exc}") from exc


def _number(name: str, raw: Any, low: float, high: float, *, integral: bool = False) -> float:
    # bool is an int subclass; "true" as a rate is a caller's mistake, not 1.0.
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise FaultConfigError(f"{name} must be a number")
    if integral and int(raw) != raw:
        raise FaultConfigError(f"{name} must be an integer")
    if not low <= raw <= high:
        raise FaultConfigError(f"{name} must be between {low} and {high}")
    return float(raw)


def _latency(raw: Any) -> tuple[int, int]:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = [raw, raw]
    if not isinstance(raw, list | tuple) or len(raw) != 2:
        raise FaultConfigError("latency_ms must be [min, max]")
    low, high = (int(_number("latency_ms", v, 0, _MAX_MILLIS, integral=True)) for v in raw)
    if low > high:
        raise FaultConfigError("latency_ms: min must not exceed max")
    return low, high


def build_configs(raw: Mapping[str, Any], now: datetime) -> dict[str, FaultConfig]:
    """Resolve ``{"*": {...}, "customs": {...}}`` into one config per department ("*" first)."""
    if not isinstance(raw, Mapping):
        raise FaultConfigError("GOVMOCK_FAULTS must be a JSON object keyed by department or '*'")
    unknown = set(raw) - set(DEPARTMENTS) - {ALL}
    if unknown:
        raise FaultConfigError(f"unknown department(s) in fault configuration: {sorted(unknown)}")
    common = FaultConfig().updated(raw.get(ALL, {}), now)
    return {dept: common.updated(raw.get(dept, {}), now) for dept in DEPARTMENTS}


def fraction(seed: int, department: str, key: str, name: str) -> float:
    """A uniform value in [0, 1) fixed by its inputs (the protocol's decision hash)."""
    digest = hashlib.sha256(f"{seed}\x1f{department}\x1f{key}\x1f{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def decide(seed: int, department: str, key: str, name: str, rate: float) -> bool:
    return rate > 0 and fraction(seed, department, key, name) < rate


class FaultRegistry:
    """The live fault configuration: start-up values plus run-time changes (kept in memory)."""

    def __init__(self, initial: Mapping[str, FaultConfig], seed: int) -> None:
        self.seed = seed
        self._initial = dict(initial)
        self._current = dict(initial)
        self._lock = threading.Lock()

    def get(self, department: str) -> FaultConfig:
        with self._lock:
            return self._current[department]

    def update(self, department: str, changes: Mapping[str, Any], now: datetime) -> FaultConfig:
        with self._lock:
            config = self._current[department].updated(changes, now)
            self._current[department] = config
            return config

    def reset(self) -> None:
        with self._lock:
            self._current = dict(self._initial)

    def snapshot(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {dept: cfg.to_json() for dept, cfg in self._current.items()}

    def decide(self, department: str, key: str, name: str, rate: float) -> bool:
        return decide(self.seed, department, key, name, rate)

    def fraction(self, department: str, key: str, name: str) -> float:
        return fraction(self.seed, department, key, name)
