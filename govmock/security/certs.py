"""Sender authentication: the portal CA, sender certificates and RSA-SHA256 body signatures.

:class:`TrustStore` guarantees that :meth:`TrustStore.verify` returns only if the certificate was
issued and signed by a trusted CA, is currently valid, names the sender in its subject
``serialNumber``, and the signature verifies over the exact body. :func:`register_sender` enforces
"one key per enterprise unless the CA issued a newer one" (key rotation).
"""

from __future__ import annotations

import base64
import binascii
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

log = logging.getLogger(__name__)

ALGORITHM = "RSA-SHA256"
_FETCH_RETRY_SECONDS = 10.0


class TrustError(Exception):
    """Authentication failed; ``code`` is the protocol's 401 error code."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class CaUnavailable(Exception):
    """No trusted CA yet (file missing and the portal not reachable): a transient condition."""


@dataclass(frozen=True)
class SenderIdentity:
    sender_code: str
    fingerprint: str
    not_before: datetime


class TrustStore:
    """The trusted CA certificate(s), from a PEM file or, if it is missing, fetched from the portal once."""

    def __init__(self, ca_file: Path, portal_url: str, timeout: float = 5.0) -> None:
        self._ca_file = ca_file
        self._ca_url = f"{portal_url}/exchange/ca.pem"
        self._timeout = timeout
        self._lock = threading.Lock()
        self._cas: list[x509.Certificate] = []
        self._file_mtime: float | None = None
        self._fetched = False
        self._last_fetch = 0.0

    def authorities(self) -> list[x509.Certificate]:
        with self._lock:
            if self._ca_file.exists():
                mtime = self._ca_file.stat().st_mtime
                if mtime != self._file_mtime:  # re-read when the portal re-issues its CA
                    self._cas = _load_pem(self._ca_file.read_bytes(), str(self._ca_file))
                    self._file_mtime = mtime
                    self._fetched = False
            elif not self._fetched:
                self._fetch()
            if not self._cas:
                raise CaUnavailable(f"no CA in {self._ca_file} and none could be fetched from {self._ca_url}")
            return list(self._cas)

    def _fetch(self) -> None:
        now = time.monotonic()
        if now - self._last_fetch < _FETCH_RETRY_SECONDS and self._last_fetch:
            return
        self._last_fetch = now
        try:
            response = requests.get(self._ca_url, timeout=self._timeout)
            response.raise_for_status()
            self._cas = _load_pem(response.content, self._ca_url)
            self._fetched = True
            log.info("fetched the portal CA from %s", self._ca_url)
        except (requests.RequestException, ValueError) as exc:
            log.warning("cannot fetch the portal CA from %s: %s", self._ca_url, exc)

    def verify(
        self, *, certificate_b64: str, sender_code: str, algorithm: str, signature_b64: str, body: bytes
    ) -> SenderIdentity:
        cert = _decode_certificate(certificate_b64)
        _check_issuer(cert, self.authorities())
        now = datetime.now(cert.not_valid_before_utc.tzinfo)
        if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
            raise TrustError("bad_certificate", "certificate is expired or not yet valid")
        names = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)]
        if names != [sender_code]:
            raise TrustError("sender_mismatch", "certificate subject serialNumber differs from X-Sender-Code")
        _check_signature(cert, algorithm, signature_b64, body)
        fingerprint = cert.fingerprint(hashes.SHA256()).hex()
        return SenderIdentity(sender_code, fingerprint, cert.not_valid_before_utc)


def _load_pem(data: bytes, source: str) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise ValueError(f"{source} holds no PEM certificate: {exc}") from exc


def _decode_certificate(certificate_b64: str) -> x509.Certificate:
    try:
        return x509.load_der_x509_certificate(base64.b64decode(certificate_b64, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise TrustError("bad_certificate", "X-Certificate is not a base64 DER X.509 certificate") from exc


def _check_issuer(cert: x509.Certificate, cas: list[x509.Certificate]) -> None:
    for ca in cas:
        if ca.subject != cert.issuer:
            continue
        try:
            cert.verify_directly_issued_by(ca)
        except (InvalidSignature, ValueError, TypeError):
            continue
        now = datetime.now(ca.not_valid_before_utc.tzinfo)
        if ca.not_valid_before_utc <= now <= ca.not_valid_after_utc:
            return
    raise TrustError("untrusted_certificate", "certificate was not issued by the trusted CA")


def _check_signature(cert: x509.Certificate, algorithm: str, signature_b64: str, body: bytes) -> None:
    if algorithm.strip().upper() != ALGORITHM:
        raise TrustError("bad_signature", f"unsupported X-Signature-Algorithm; expected {ALGORITHM}")
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise TrustError("bad_certificate", "certificate key is not RSA")
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
    except (binascii.Error, ValueError, InvalidSignature) as exc:
        raise TrustError("bad_signature", "signature does not verify over the request body") from exc


def register_sender(conn: sqlite3.Connection, identity: SenderIdentity) -> None:
    """Pin the first certificate seen for a sender; accept a different one only if issued later."""
    row = conn.execute(
        "SELECT fingerprint, not_before FROM sender_certs WHERE sender_code = ?", (identity.sender_code,)
    ).fetchone()
    not_before = identity.not_before.isoformat()
    if row is None:
        conn.execute(
            "INSERT INTO sender_certs (sender_code, fingerprint, not_before) VALUES (?, ?, ?)",
            (identity.sender_code, identity.fingerprint, not_before),
        )
        return
    if row["fingerprint"] == identity.fingerprint:
        return
    if identity.not_before <= datetime.fromisoformat(row["not_before"]):
        raise TrustError(
            "bad_certificate",
            "another certificate is registered for this sender and this one is not newer (key rotation)",
        )
    conn.execute(
        "UPDATE sender_certs SET fingerprint = ?, not_before = ? WHERE sender_code = ?",
        (identity.fingerprint, not_before, identity.sender_code),
    )
