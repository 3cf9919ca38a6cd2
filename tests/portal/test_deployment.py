"""portal/deployment.py: every secret written in the repository is refused; generated ones are accepted."""

import os
import re
import secrets
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from portal import deployment

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".git", ".venv", "var", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache"}
TEXT_SUFFIXES = {".py", ".md", ".yml", ".yaml", ".toml", ".txt", ".sh", ".cfg", ".ini", ".env", ""}

_NAME = r"\b\w*(?:SECRET|secret|ENCRYPTION_KEY)\w*"
# NAME = "literal" / NAME: 'literal' / name="literal" (Python, YAML, docs), and NAME=literal in shell lines.
_QUOTED = re.compile(_NAME + r"""["']?\s*[:=]\s*(["'])([^"'\s$]+)\1""")  # "$..." is expanded, not written
_SHELL = re.compile(r"^\s*(?:export\s+)?(" + _NAME + r")=([^\s\"'$\\()]+)", re.M)


def _repository_files():
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]  # never descend into .venv and the like
        for name in files:
            path = Path(folder) / name
            if path.suffix in TEXT_SUFFIXES:
                yield path


def _secret_literals() -> dict[str, str]:
    """Every literal value the repository assigns to something named like a secret, with where it is."""
    found = {}
    for path in _repository_files():
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        values = [m.group(2) for m in _QUOTED.finditer(text)] + [m.group(2) for m in _SHELL.finditer(text)]
        for value in values:
            found.setdefault(value, str(path.relative_to(ROOT)))
    return found


def _refused(value: str) -> bool:
    """Refused as a callback secret (the laxest rule), or, if shaped like one, as a Fernet key."""
    try:
        deployment.check_secret("X", value, min_length=32, generate="")
    except ImproperlyConfigured:
        return True
    try:
        deployment.check_fernet_keys("X", value)
    except ImproperlyConfigured as exc:
        return "published" in str(exc)  # refused as a key, not merely for not being one
    return False


def test_the_scan_finds_the_development_values():
    found = _secret_literals()
    assert {deployment.DEV_SECRET_KEY, deployment.DEV_CALLBACK_SECRET, "test-callback-secret"} <= set(found)


def test_every_secret_written_in_the_repository_is_refused_in_production():
    accepted = {value: where for value, where in _secret_literals().items() if not _refused(value)}
    assert not accepted, f"add these to portal/deployment.py PUBLISHED_SECRETS: {accepted}"


def test_published_fernet_keys_are_refused_even_if_random_looking():
    for key in deployment.PUBLISHED_FERNET_KEYS:
        with pytest.raises(ImproperlyConfigured, match="published"):
            deployment.check_fernet_keys("FIELD_ENCRYPTION_KEY", key)


@pytest.mark.parametrize("_round", range(20))
def test_generated_values_are_accepted(_round):
    """The commands the messages recommend produce values that pass, every time."""
    deployment.check_secret(
        "SECRET_KEY", secrets.token_urlsafe(64), min_length=50, generate=deployment.GENERATE_SECRET_KEY
    )
    deployment.check_secret(
        "EXCHANGE_CALLBACK_SECRET",
        secrets.token_hex(16),  # the shortest accepted: 32 hex digits
        min_length=32,
        generate=deployment.GENERATE_CALLBACK_SECRET,
    )
    keys = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    deployment.check_fernet_keys("FIELD_ENCRYPTION_KEY", keys)


@pytest.mark.parametrize(
    "hosts", [["portal.zjcbec.example"], [".zjcbec.example", "web", "127.0.0.1"], ["[::1]"]]
)
def test_named_hosts_are_accepted(hosts):
    assert deployment.check_allowed_hosts(hosts) == hosts


@pytest.mark.parametrize("url", ["https://portal.zjcbec.example", "https://portal.zjcbec.example:8443"])
def test_an_https_origin_is_accepted_as_site_url(url):
    assert deployment.check_site_url(url) == url


def test_a_static_file_missing_from_the_manifest_names_the_command_to_run(tmp_path):
    """Collected static files older than the code: the page's error says what to run, not only what broke."""
    from portal.storage import ManifestStaticStorage

    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    storage = ManifestStaticStorage(location=tmp_path, base_url="/static/")
    with pytest.raises(ValueError, match=r"portal\.css.*python manage\.py collectstatic --noinput"):
        storage.url("portal/css/portal.css", force=True)
