"""docker-compose.yml and the Dockerfile are wired as the production shape needs (Docker does not run here).

The compose file is parsed, every service checked for its image or build, command, health check, start-up
order and environment, and the web environment is fed to the real settings in a subprocess.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"

PORTAL_SERVICES = {"migrate", "web", "worker", "beat"}
ALL_SERVICES = {"postgres", "redis", "govmock", *PORTAL_SERVICES}
HEALTHY = {"condition": "service_healthy"}
MIGRATED = {"condition": "service_completed_successfully"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def _command(service: dict) -> list[str]:
    command = service["command"]
    return command.split() if isinstance(command, str) else list(command)


def _healthcheck(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def _required_in_production() -> set[str]:
    """Every variable the settings (the shell's and the apps' conf.py) refuse to start without when DEBUG is
    off."""
    sources = [*(ROOT / "portal" / "settings").glob("*.py"), *ROOT.glob("*/conf.py")]
    return {name for path in sources for name in re.findall(r'require\(\s*"([A-Z_]+)"', path.read_text())}


def _procfile_worker() -> str:
    return next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("worker:"))


def test_every_service_is_there(services):
    assert set(services) == ALL_SERVICES


def test_images_and_builds(services):
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    for name in PORTAL_SERVICES | {"govmock"}:
        assert services[name]["build"] == "."
        assert services[name]["image"] == services["web"]["image"]


def test_commands(services):
    web = _command(services["web"])
    assert web[:2] == ["gunicorn", "portal.wsgi"]
    assert "--bind=0.0.0.0:8000" in web

    worker = _command(services["worker"])
    assert worker[:4] == ["celery", "-A", "portal", "worker"]
    # No -Q: the worker consumes every queue the settings declare (the shell's and each app's), in compose
    # as under make run, so a new department or app needs no edit here.
    assert "-Q" not in worker
    assert " -Q " not in _procfile_worker()

    assert _command(services["beat"])[:4] == ["celery", "-A", "portal", "beat"]
    assert _command(services["govmock"]) == [
        "python",
        "-m",
        "govmock",
        "serve",
        "--host",
        "0.0.0.0",  # noqa: S104 - listens inside its container
        "--port",
        "8001",
    ]
    migrate = " ".join(_command(services["migrate"]))
    assert "manage.py migrate --noinput" in migrate
    assert "exchange_init_ca" in migrate
    assert services["migrate"]["restart"] == "no"


def test_the_worker_serves_every_exchange_department(settings):
    from exchange.choices import Department
    from exchange.conf import DEPARTMENTS

    assert set(DEPARTMENTS) == set(Department.values)  # spelled once: the queues follow the choices
    queues = {q.name for q in settings.CELERY_TASK_QUEUES}
    assert {"default"} | {f"exchange.{d}" for d in Department.values} <= queues


def test_healthchecks(services):
    assert "pg_isready" in _healthcheck(services["postgres"])
    assert "redis-cli ping" in _healthcheck(services["redis"])
    assert "http://127.0.0.1:8000/healthz" in _healthcheck(services["web"])
    assert "http://127.0.0.1:8001/healthz" in _healthcheck(services["govmock"])
    assert "inspect ping" in _healthcheck(services["worker"])
    for name in ("web", "govmock"):
        probe = services[name]["healthcheck"]["test"]
        assert probe[:3] == ["CMD", "python", "-c"]
        compile(probe[3], f"{name} healthcheck", "exec")  # the probe is valid Python


def test_start_up_order(services):
    assert services["migrate"]["depends_on"] == {"postgres": HEALTHY, "redis": HEALTHY}
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"] == {"postgres": HEALTHY, "redis": HEALTHY, "migrate": MIGRATED}
    assert services["govmock"]["depends_on"] == {"migrate": MIGRATED}


def test_portal_services_have_the_production_environment(services):
    required = _required_in_production()
    assert {"SECRET_KEY", "DATABASE_URL", "EXCHANGE_CALLBACK_SECRET", "FIELD_ENCRYPTION_KEY"} <= required
    for name in PORTAL_SERVICES:
        env = services[name]["environment"]
        assert env["DEBUG"] == "false"
        for variable in required | {"ALLOWED_HOSTS", "REDIS_URL", "GOVMOCK_URL"}:
            assert env.get(variable), f"{name} lacks {variable}"
        for secret in ("SECRET_KEY", "EXCHANGE_CALLBACK_SECRET", "FIELD_ENCRYPTION_KEY", "SITE_URL"):
            assert env[secret].startswith(f"${{{secret}:?"), f"{secret} must have no default"
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert env["GOVMOCK_URL"] == "http://govmock:8001"
        assert "web" in env["ALLOWED_HOSTS"]  # govmock's callbacks arrive as http://web:8000


def test_govmock_environment(services):
    env = services["govmock"]["environment"]
    assert env["GOVMOCK_CALLBACK_URL"] == "http://web:8000/exchange/receipts/"
    assert env["GOVMOCK_PORTAL_URL"] == "http://web:8000"
    assert env["GOVMOCK_DB"] == "/data/govmock/govmock.sqlite3"
    assert env["GOVMOCK_CALLBACK_SECRET"] == services["web"]["environment"]["EXCHANGE_CALLBACK_SECRET"]
    # govmock keeps the CA certificate it fetched from the portal in its own volume, away from the key dir.
    assert env["GOVMOCK_TRUSTED_CA_FILE"].startswith("/data/govmock/")


def test_volumes(compose, services):
    assert set(compose["volumes"]) >= {"pgdata", "private-media", "exchange-keys", "govmock-data"}
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    for name in PORTAL_SERVICES:
        env = services[name]["environment"]
        assert f"exchange-keys:{env['EXCHANGE_KEY_DIR']}" in services[name]["volumes"]
        assert f"private-media:{env['PRIVATE_MEDIA_ROOT']}" in services[name]["volumes"]
    assert not any("exchange-keys" in volume for volume in services["govmock"]["volumes"]), (
        "the key volume holds the CA's private key; the verifying side must not have it"
    )
    assert "govmock-data:/data/govmock" in services["govmock"]["volumes"]


def test_ports(services):
    assert services["web"]["ports"] == ["${PORTAL_PORT:-8000}:8000"]
    assert services["govmock"]["ports"] == ["127.0.0.1:${GOVMOCK_PORT:-8001}:8001"]


def _required_value(name: str) -> str:
    """A throw-away value the production settings accept (they refuse any value written down)."""
    if name == "FIELD_ENCRYPTION_KEY":
        return Fernet.generate_key().decode()
    if name == "SITE_URL":
        return "https://portal.zjcbec.example"
    return secrets.token_urlsafe(64)


def _resolve(value: str) -> str:
    """Compose interpolation: ``${X:-default}`` takes the default, ``${X:?msg}`` a throw-away test value."""
    value = re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: m.group(2), value)
    return re.sub(r"\$\{(\w+):\?[^}]*\}", lambda m: _required_value(m.group(1)), value)


def test_the_real_settings_accept_the_web_environment(services):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env.update({k: _resolve(str(v)) for k, v in services["web"]["environment"].items()})
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    probe = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'db': s.DATABASES['default']['HOST'], 'broker': s.CELERY_BROKER_URL, "
        "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'keys': str(s.EXCHANGE_KEY_DIR)}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == {
        "db": "postgres",
        "broker": "redis://redis:6379/0",
        "debug": False,
        "hosts": ["localhost", "127.0.0.1", "web"],
        "keys": "/data/exchange",
    }


# --- Dockerfile -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dockerfile() -> str:
    return DOCKERFILE.read_text()


def test_dockerfile_base_image_and_install(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim\s*$", dockerfile, re.M)
    assert "pip install -r /tmp/requirements.txt" in dockerfile
    assert "pip install --no-deps -e ." in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile


def test_dockerfile_runs_as_a_non_root_user(dockerfile):
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    assert users
    assert users[-1] not in {"root", "0"}
    assert re.search(rf"useradd .*\b{users[-1]}\b", dockerfile)


def test_dockerfile_default_command_is_the_web_process(dockerfile):
    cmd = json.loads(re.search(r"^CMD (\[.*?\])", dockerfile, re.M | re.S).group(1).replace("\\\n", ""))
    assert cmd[:2] == ["gunicorn", "portal.wsgi"]


def test_the_image_leaves_local_state_out():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", "var", ".git"} <= ignored


def test_the_dockerfile_collectstatic_step_works_with_its_build_environment(dockerfile, tmp_path):
    """The image's build step, run here as the image's shell runs it: production storage (hashed,
    compressed) with the throw-away values the step generates, which the production settings accept."""
    step = re.search(
        r"RUN (DEBUG=false.*?python manage\.py collectstatic --noinput)", dockerfile, re.S
    ).group(1)
    assert not re.search(r"(SECRET\w*|ENCRYPTION_KEY)=[^\"$]", step), "secrets are generated, never written"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # `python` is this one
    env["PORTAL_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        ["sh", "-c", step],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    for asset in ("portal/css/portal.css", "portal/css/api-docs.css", "portal/js/portal.js"):
        assert asset in manifest
        assert (tmp_path / "static" / f"{manifest[asset]}.gz").exists()  # compressed for whitenoise
