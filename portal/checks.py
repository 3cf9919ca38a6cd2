"""Start-up checks of production mode that need the apps loaded (refusals of settings: portal/deployment.py).

Production serves static files through the hashed manifest (portal.storage, whitenoise's manifest storage);
without ``collectstatic`` every page that links a stylesheet answers 500. ``manage.py check`` (and so
runserver, migrate and ``check --deploy``) reports it as ``portal.E001``; gunicorn runs no system checks, so
``portal/wsgi.py`` refuses to load with the same message.
"""

from pathlib import Path

from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

COLLECTSTATIC = "python manage.py collectstatic --noinput"


def missing_static_manifest() -> Path | None:
    """Where the static files manifest should be, if the storage needs one and it is not there."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return None  # development: served from the apps' folders, no manifest
    path = Path(storage.path(storage.manifest_name))
    return None if path.exists() else path


def _problem(path: Path) -> str:
    return (
        f"The static files manifest {path} is missing, so every page would fail with a server error "
        f"(production serves hashed static files). Run {COLLECTSTATIC} with the same settings first"
    )


@register("portal")
def static_manifest_check(app_configs, **kwargs):
    path = missing_static_manifest()
    if path is None:
        return []
    return [Error(_problem(path), hint="The Docker image runs it at build time.", id="portal.E001")]


def refuse_without_static_manifest() -> None:
    path = missing_static_manifest()
    if path is not None:
        raise ImproperlyConfigured(_problem(path) + ".")
