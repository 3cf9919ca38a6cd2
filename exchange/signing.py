"""Zero-install signing: each organisation's key lives on the server; the portal CA certifies it.

RSA-2048 with SHA-256 (PKCS#1 v1.5), chosen by measurement over SM2/SM3 in pure Python (ADR 0004:
``bench/signing.py``). The CA key and certificate live in ``EXCHANGE_KEY_DIR`` (created on first use with an
exclusive file lock, so the web, worker and beat processes agree on one CA); departments trust ``ca.pem``.
Organisation keys are stored encrypted (``portal.crypto``) in ``SigningKey`` and created on first use.
"""

import base64
import fcntl
import hashlib
import time
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import IntegrityError, transaction

from portal.crypto import decrypt_text, encrypt_text

ALGORITHM = "RSA-SHA256"
KEY_BITS = 2048
CA_YEARS = 10
CERT_YEARS = 2


def _key_dir() -> Path:
    path = Path(settings.EXCHANGE_KEY_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _name(common: str, serial_number: str | None = None) -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Zhejiang"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Zhejiang CBEC Portal"),
        x509.NameAttribute(NameOID.COMMON_NAME, common[:64]),
    ]
    if serial_number:
        parts.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial_number))
    return x509.Name(parts)


def _create_ca(key_path: Path, cert_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    now = datetime.now(UTC)
    name = _name("Zhejiang CBEC Portal CA")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


@cache
def certificate_authority():
    """(private key, certificate) of the portal CA, creating them once if the key directory is empty."""
    directory = _key_dir()
    key_path, cert_path = directory / "ca-key.pem", directory / "ca.pem"
    with open(directory / ".ca.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not key_path.exists() or not cert_path.exists():
            _create_ca(key_path, cert_path)
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return key, cert


def ca_certificate_pem() -> bytes:
    return certificate_authority()[1].public_bytes(serialization.Encoding.PEM)


def _issue(organisation) -> tuple[str, str, x509.Certificate]:
    ca_key, ca_cert = certificate_authority()
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(organisation.name_en or organisation.code, serial_number=organisation.code))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * CERT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode(), cert


_key_cache: dict[tuple[int, str], tuple[float, object]] = {}
KEY_CACHE_SECONDS = 300


def signing_key_for(organisation):
    """The organisation's active key, issued on first use (racing workers: the unique constraint decides).

    Kept in memory for a few minutes per process: a delivery should not cost a key lookup.
    """
    cache_key = (organisation.pk, organisation.code)
    cached = _key_cache.get(cache_key)
    if cached is not None and time.monotonic() - cached[0] < KEY_CACHE_SECONDS:
        return cached[1]
    key = _current_or_new_key(organisation)
    _key_cache[cache_key] = (time.monotonic(), key)
    return key


def forget_key(organisation) -> None:
    """Drop this process's cached key of ``organisation`` (the department pinned a newer certificate)."""
    _key_cache.pop((organisation.pk, organisation.code), None)


def _current_or_new_key(organisation):
    from exchange.models import SigningKey

    existing = SigningKey.objects.filter(organisation=organisation, active=True).first()
    if existing is not None and existing.not_after > datetime.now(UTC) + timedelta(days=1):
        return existing
    key_pem, cert_pem, cert = _issue(organisation)
    try:
        with transaction.atomic():
            if existing is not None:
                SigningKey.objects.filter(pk=existing.pk).update(active=False)
            return SigningKey.objects.create(
                organisation=organisation,
                private_key=encrypt_text(key_pem),
                certificate=cert_pem,
                serial=format(cert.serial_number, "x"),
                fingerprint=cert.fingerprint(hashes.SHA256()).hex(),
                not_before=cert.not_valid_before_utc,
                not_after=cert.not_valid_after_utc,
            )
    except IntegrityError:
        return SigningKey.objects.get(organisation=organisation, active=True)


@cache
def _load_private(encrypted: str):
    # OpenSSL's RSA consistency check costs ~100 ms of CPU per load (measured, 2048-bit): skipped, because the
    # key was generated here and Fernet authenticates what is decrypted (a tampered value does not decrypt).
    return serialization.load_pem_private_key(
        decrypt_text(encrypted).encode(), password=None, unsafe_skip_rsa_key_validation=True
    )


def sign(signing_key, body: bytes) -> dict[str, str]:
    """The transport signature headers of docs/exchange-protocol.md §1 for ``body``."""
    private = _load_private(signing_key.private_key)
    signature = private.sign(body, padding.PKCS1v15(), hashes.SHA256())
    der = x509.load_pem_x509_certificate(signing_key.certificate.encode()).public_bytes(
        serialization.Encoding.DER
    )
    return {
        "X-Signature-Algorithm": ALGORITHM,
        "X-Signature": base64.b64encode(signature).decode(),
        "X-Certificate": base64.b64encode(der).decode(),
    }


def hmac_signature(secret: str, message: bytes) -> str:
    import hmac

    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
