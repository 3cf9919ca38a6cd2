"""Production settings fail fast, naming what is missing; check --deploy is clean in production mode."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from portal import deployment

ROOT = Path(__file__).resolve().parents[2]

# Generated for each run: production mode refuses any secret written down (portal/deployment.py).
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "portal.zjcbec.example",
    "DATABASE_URL": "postgres://portal@db.invalid:5432/portal",
    "SITE_URL": "https://portal.zjcbec.example",
    "EXCHANGE_CALLBACK_SECRET": secrets.token_hex(32),
    "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
}
# Variables of the caller's shell that would otherwise leak into the child's settings.
SCRUBBED = {*PRODUCTION_ENV, "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "SQLITE_PATH"}


def _setup(env_overrides: dict[str, str | None]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update({"DJANGO_SETTINGS_MODULE": "portal.settings", **PRODUCTION_ENV})
    for name, value in env_overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_start_when_everything_is_given():
    result = _setup({})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "SITE_URL",
        "EXCHANGE_CALLBACK_SECRET",
        "FIELD_ENCRYPTION_KEY",
    ],
)
@pytest.mark.parametrize("how", ["unset", "empty"])
def test_production_settings_fail_naming_the_missing_variable(missing, how):
    result = _setup({missing: None if how == "unset" else ""})
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert f"{missing} must be set" in last_line


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("LOGIN_FAILURE_LIMIT", "five"),
        ("EXCHANGE_READ_TIMEOUT", "15s"),
        ("REQUEST_BODY_MAX_BYTES", "11M"),
        ("REQUEST_BODY_MAX_BYTES_BY_PATH", "/customs/imports/=60MB"),
        ("REQUEST_BODY_MAX_BYTES_BY_PATH", "customs=62914560"),
    ],
)
def test_a_malformed_value_fails_naming_the_variable(name, value):
    result = _setup({name: value})
    assert result.returncode != 0
    assert name in result.stderr.strip().splitlines()[-1]


def test_development_mode_needs_nothing(tmp_path):
    result = _setup(dict.fromkeys(PRODUCTION_ENV) | {"DEBUG": "true", "PORTAL_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr


def _manage(args: list[str], env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_manage_py_in_a_bare_checkout_runs_in_development_mode(tmp_path):
    """Neither DEBUG nor DATABASE_URL: a developer's checkout; `makemigrations --check` works as typed."""
    result = _manage(["makemigrations", "--check", "--dry-run"], {"PORTAL_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_manage_py_with_a_database_url_stays_in_production_mode(tmp_path):
    result = _manage(
        ["check"], {"DATABASE_URL": PRODUCTION_ENV["DATABASE_URL"], "PORTAL_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr.strip().splitlines()[-1]


_GOOD_KEY = Fernet.generate_key().decode()
PUBLISHED = "published in the portal's repository"
SHORT = "too short for production mode"
WEAK = "too little entropy"
WILDCARD = "ALLOWED_HOSTS must not contain a wildcard in production mode"
HTTPS = "SITE_URL must be the portal's public https origin"
POSTGRES = "DATABASE_URL must point at PostgreSQL"
P = pytest.param
REFUSED = [
    P("SECRET_KEY", deployment.DEV_SECRET_KEY, PUBLISHED, id="secret-key-dev-default"),
    P("SECRET_KEY", deployment.DEV_CALLBACK_SECRET, PUBLISHED, id="secret-key-callback-default"),
    P("SECRET_KEY", "django-insecure-" + secrets.token_urlsafe(48), PUBLISHED, id="secret-key-startproject"),
    P(
        "SECRET_KEY",
        secrets.token_urlsafe(30),
        f"{SHORT} (40 characters, at least 50)",
        id="secret-key-short",
    ),
    P("SECRET_KEY", "x" * 60, WEAK, id="secret-key-one-character"),
    P("SECRET_KEY", "a1b2c3d4e5f6" * 5, WEAK, id="secret-key-repeated-pattern"),
    P("EXCHANGE_CALLBACK_SECRET", deployment.DEV_CALLBACK_SECRET, PUBLISHED, id="callback-dev-default"),
    P("EXCHANGE_CALLBACK_SECRET", "test-callback-secret", PUBLISHED, id="callback-govmock-test-value"),
    P("EXCHANGE_CALLBACK_SECRET", secrets.token_hex(12), f"{SHORT} (24 characters", id="callback-short"),
    P("EXCHANGE_CALLBACK_SECRET", "y" * 40, WEAK, id="callback-one-character"),
    P("FIELD_ENCRYPTION_KEY", "A" * 43 + "=", PUBLISHED, id="fernet-all-zero"),
    P(
        "FIELD_ENCRYPTION_KEY",
        "Z2Vlc2UtZ2Vlc2UtZ2Vlc2UtZ2Vlc2UtZ2Vlc2UtMTI=",
        PUBLISHED,
        id="fernet-old-test",
    ),
    P("FIELD_ENCRYPTION_KEY", deployment.DEV_DERIVED_FERNET_KEY, PUBLISHED, id="fernet-development-derived"),
    P("FIELD_ENCRYPTION_KEY", f"{_GOOD_KEY},{'A' * 43}=", PUBLISHED, id="fernet-published-in-rotation"),
    P("ALLOWED_HOSTS", "*", WILDCARD, id="hosts-star"),
    P("ALLOWED_HOSTS", "portal.zjcbec.example,*", f"{WILDCARD} (got *)", id="hosts-star-among-others"),
    P("ALLOWED_HOSTS", "*.zjcbec.example", WILDCARD, id="hosts-star-subdomain"),
    P("SITE_URL", "http://portal.zjcbec.example", HTTPS, id="site-url-http"),
    P("SITE_URL", "https://portal.zjcbec.example/portal", HTTPS, id="site-url-with-a-path"),
    P("DATABASE_URL", "sqlite:///var/portal.sqlite3", POSTGRES, id="database-sqlite"),
    P("DATABASE_URL", "mysql://portal@db.invalid:3306/portal", POSTGRES, id="database-mysql"),
]


@pytest.mark.parametrize(("name", "value", "message"), REFUSED)
def test_check_deploy_refuses_each_published_or_weak_production_value(tmp_path, name, value, message):
    """What scripts/check-deploy runs in CI, with one refused value: it fails naming the variable and why."""
    result = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {**PRODUCTION_ENV, name: value, "PORTAL_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert name in last_line
    assert message in last_line
    if name in {"SECRET_KEY", "EXCHANGE_CALLBACK_SECRET", "FIELD_ENCRYPTION_KEY"}:
        assert "Generate one with: python -c" in last_line  # and how to make a good one
    assert value not in last_line or name in {"ALLOWED_HOSTS", "SITE_URL"}  # a secret is never echoed


@pytest.mark.postgres
def test_check_deploy_is_clean_in_production_mode():
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED | {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    result = subprocess.run(
        [str(ROOT / "scripts" / "check-deploy")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _variables_read(path: Path) -> set[str]:
    source = path.read_text()
    names = set(re.findall(r'env_(?:str|bool|int|float|list)\(\s*"([A-Z][A-Z0-9_]+)"', source))
    names |= set(re.findall(r'require\(\s*"([A-Z][A-Z0-9_]+)"', source))
    names |= set(re.findall(r'os\.environ(?:\.get|\.setdefault|\.pop)?\(\s*"([A-Z][A-Z0-9_]+)"', source))
    names |= set(re.findall(r'os\.environ\[\s*"([A-Z][A-Z0-9_]+)"\s*\]', source))
    return names


def test_every_variable_the_settings_read_is_documented():
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "docs" / "configuration.md").read_text()))
    sources = [
        *(ROOT / "portal" / "settings").glob("*.py"),
        *ROOT.glob("*/conf.py"),
        ROOT / "portal" / "settings_test.py",
    ]
    read = set().union(*(_variables_read(path) for path in sources))
    assert len(read) > 40  # the pattern still finds the readers
    missing = sorted(read - documented)
    assert not missing, f"add these to docs/configuration.md: {missing}"


def _collectstatic(var_dir: Path) -> None:
    result = _manage(["collectstatic", "--noinput"], {**PRODUCTION_ENV, "PORTAL_VAR_DIR": str(var_dir)})
    assert result.returncode == 0, result.stderr


def test_production_without_collected_static_files_fails_the_check_saying_what_to_run(tmp_path):
    """Without the manifest every page would answer 500; `check` (runserver, migrate) says so first."""
    env = {**PRODUCTION_ENV, "PORTAL_VAR_DIR": str(tmp_path)}
    result = _manage(["check"], env)
    assert result.returncode != 0
    assert "portal.E001" in result.stderr
    assert "python manage.py collectstatic --noinput" in result.stderr

    _collectstatic(tmp_path)
    result = _manage(["check"], env)
    assert result.returncode == 0, result.stderr


def test_the_wsgi_application_refuses_to_start_without_collected_static_files(tmp_path):
    """gunicorn runs no system checks: the WSGI module itself refuses, so workers fail to boot, saying why."""
    load = "import portal.wsgi"
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update({**PRODUCTION_ENV, "PORTAL_VAR_DIR": str(tmp_path)})
    result = subprocess.run([sys.executable, "-c", load], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert "python manage.py collectstatic --noinput" in last_line

    _collectstatic(tmp_path)
    result = subprocess.run([sys.executable, "-c", load], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
