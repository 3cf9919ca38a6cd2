"""Test PKI and request signing for govmock tests: a throwaway CA, sender certificates, and the
headers the portal would send (RSA-SHA256 body signature, HMAC for polling/admin)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

KEY_SIZE = 2048


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


@dataclass
class Identity:
    """A sender: its code (USCC or customs code), private key and CA-issued certificate."""

    sender_code: str
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def cert_b64(self) -> str:
        return base64.b64encode(self.cert.public_bytes(serialization.Encoding.DER)).decode()

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self.key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()

    def headers(
        self,
        body: bytes,
        *,
        message_id: str,
        message_type: str,
        content_type: str,
        mock_now: str | None = None,
    ) -> dict[str, str]:
        headers = {
            "Content-Type": content_type,
            "X-Message-Id": message_id,
            "X-Message-Type": message_type,
            "X-Sender-Code": self.sender_code,
            "X-Signature-Algorithm": "RSA-SHA256",
            "X-Signature": self.sign(body),
            "X-Certificate": self.cert_b64,
        }
        if mock_now:
            headers["X-Mock-Now"] = mock_now
        return headers


class TestCA:
    """A certificate authority that issues sender certificates with subject serialNumber = sender code."""

    __test__ = False  # not a test class

    def __init__(self, name: str = "Test Portal CA") -> None:
        self.key = new_key()
        now = dt.datetime.now(dt.UTC)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        self._keys: list[rsa.RSAPrivateKey] = []

    def write(self, path: Path) -> Path:
        path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        return path

    def issue(
        self,
        sender_code: str,
        *,
        not_before: dt.datetime | None = None,
        not_after: dt.datetime | None = None,
        key: rsa.RSAPrivateKey | None = None,
        utf8: bool = False,
    ) -> Identity:
        """A sender certificate; ``utf8`` encodes serialNumber as UTF8String (default PrintableString),
        so a test can carry characters PrintableString forbids, such as ``<``."""
        now = dt.datetime.now(dt.UTC)
        key = key or new_key()
        serial_type = {"_type": _ASN1Type.UTF8String} if utf8 else {}
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, f"sender {sender_code}"),
                x509.NameAttribute(NameOID.SERIAL_NUMBER, sender_code, **serial_type),
            ]
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or now - dt.timedelta(hours=1))
            .not_valid_after(not_after or now + dt.timedelta(days=365))
            .sign(self.key, hashes.SHA256())
        )
        return Identity(sender_code, key, cert)


def new_guid() -> str:
    return str(uuid.uuid4()).upper()


def hmac_headers(
    secret: str, method: str, target: str, body: bytes = b"", *, timestamp: int | None = None
) -> dict:
    """Headers for an HMAC-authenticated request to govmock, computed from the protocol text alone:
    hex HMAC-SHA256 over ``f"{ts}.{METHOD} {path?query}"`` (+ ``"\n" + body`` when there is a body)."""
    ts = int(dt.datetime.now(dt.UTC).timestamp()) if timestamp is None else timestamp
    material = f"{ts}.{method} {target}".encode() + (b"\n" + body if body else b"")
    digest = hmac.new(secret.encode(), material, hashlib.sha256).hexdigest()
    return {"X-Govmock-Timestamp": str(ts), "X-Govmock-Signature": digest}


def callback_signature_ok(secret: str, timestamp: str, signature: str, body: bytes) -> bool:
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)
