"""HTTP to the departments: submit an envelope, poll the receipt feed, re-query one message.

Every call has separate connect and read timeouts. ``classify`` decides what a response means for
retrying: transient (5xx, timeouts, refused connections) or permanent (4xx) — only transient failures are
retried (CONVENTIONS.md, "Messages to government departments").
"""

import json
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from django.conf import settings

from exchange.signing import hmac_signature

_session = requests.Session()
# No proxy or .netrc lookups in the environment on every request (CPU per delivery, bench/exchange.py);
# a proxy to the exchange network is configured explicitly.
_session.trust_env = False
if settings.EXCHANGE_PROXY_URL:
    _session.proxies = {"http": settings.EXCHANGE_PROXY_URL, "https": settings.EXCHANGE_PROXY_URL}
_session.mount("http://", requests.adapters.HTTPAdapter(pool_connections=8, pool_maxsize=64))
_session.mount("https://", requests.adapters.HTTPAdapter(pool_connections=8, pool_maxsize=64))

TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass
class SendResult:
    ok: bool
    transient: bool
    status: int | None
    body: dict
    error: str = ""


def _timeouts() -> tuple[float, float]:
    return settings.EXCHANGE_CONNECT_TIMEOUT, settings.EXCHANGE_READ_TIMEOUT


def _base(department: str) -> str:
    return f"{settings.GOVMOCK_URL}/{department}"


def _json(response) -> dict:
    try:
        data = response.json()
        return data if isinstance(data, dict) else {"data": data}
    except ValueError:
        return {"text": response.text[:500]}


def submit(
    *,
    department: str,
    envelope_id: str,
    message_type: str,
    sender_code: str,
    content_type: str,
    body: bytes,
    signature_headers: dict[str, str],
) -> SendResult:
    headers = {
        "Content-Type": content_type,
        "X-Message-Id": envelope_id,
        "X-Message-Type": message_type,
        "X-Sender-Code": sender_code,
        **signature_headers,
    }
    try:
        response = _session.post(
            f"{_base(department)}/messages", data=body, headers=headers, timeout=_timeouts()
        )
    except (requests.ConnectionError, requests.Timeout) as exc:
        return SendResult(
            ok=False, transient=True, status=None, body={}, error=f"{type(exc).__name__}: {exc}"[:500]
        )
    except requests.RequestException as exc:
        return SendResult(
            ok=False, transient=True, status=None, body={}, error=f"{type(exc).__name__}: {exc}"[:500]
        )
    data = _json(response)
    if response.status_code in (200, 202):
        return SendResult(ok=True, transient=False, status=response.status_code, body=data)
    transient = response.status_code in TRANSIENT_STATUSES or response.status_code >= 500
    error = f"HTTP {response.status_code}: {json.dumps(data, ensure_ascii=False)[:400]}"
    return SendResult(ok=False, transient=transient, status=response.status_code, body=data, error=error)


def _signed_get(path: str, query: dict | None = None) -> requests.Response:
    query_string = urlencode(query or {})
    timestamp = str(int(time.time()))
    canonical = f"{timestamp}.GET {path}" + (f"?{query_string}" if query_string else "")
    headers = {
        "X-Govmock-Timestamp": timestamp,
        "X-Govmock-Signature": hmac_signature(settings.EXCHANGE_CALLBACK_SECRET, canonical.encode()),
    }
    url = f"{settings.GOVMOCK_URL}{path}" + (f"?{query_string}" if query_string else "")
    return _session.get(url, headers=headers, timeout=_timeouts())


def poll(*, department: str, after: int, limit: int = 200) -> dict:
    """One page of the department's receipt feed after ``after``; raises on any failure."""
    response = _signed_get(f"/{department}/receipts", {"after": after, "limit": limit})
    response.raise_for_status()
    return response.json()


def query(*, department: str, envelope_id: str) -> dict | None:
    """What the department knows of one envelope; None if it never received it."""
    response = _signed_get(f"/{department}/messages/{envelope_id}")
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return response.json()
