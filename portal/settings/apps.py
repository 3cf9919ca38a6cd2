"""Each app contributes its own settings (with their environment variables and defaults), queues and periodic
jobs from an optional ``<app>/conf.py``, so adding an app never means editing the shell's settings.

``conf.py`` defines ``contribute(base) -> dict``: ``base`` is what the shell has decided so far (``DEBUG``,
``PRODUCTION``, ``VAR_DIR``, …, read-only); the result holds plain settings, plus three keys that are merged
rather than replaced: ``CELERY_BEAT_SCHEDULE`` (entries added), ``CELERY_TASK_QUEUES`` (queues added) and
``REQUEST_BODY_MAX_BYTES_BY_PATH`` (path caps added; a cap given by the environment variable wins). The module
may import ``portal.env`` and ``portal.deployment`` but nothing that needs Django's app registry.
"""

import importlib
import importlib.util
from types import MappingProxyType

MERGED = ("CELERY_BEAT_SCHEDULE", "CELERY_TASK_QUEUES", "REQUEST_BODY_MAX_BYTES_BY_PATH")


def _conf_module(app: str):
    """The app's ``conf`` module, if it has one. Only the project's own apps are asked: a third-party app's
    ``conf`` (django-axes has one) may read the settings being built."""
    try:
        spec = importlib.util.find_spec(f"{app}.conf")
    except ModuleNotFoundError:
        return None
    return importlib.import_module(f"{app}.conf") if spec is not None else None


def collect(base: dict) -> dict:
    """The settings every installed app's ``conf.py`` contributes, merged onto ``base``'s merged keys."""
    found: dict = {
        "CELERY_BEAT_SCHEDULE": dict(base.get("CELERY_BEAT_SCHEDULE", {})),
        "CELERY_TASK_QUEUES": list(base.get("CELERY_TASK_QUEUES", [])),
        "REQUEST_BODY_MAX_BYTES_BY_PATH": {},
    }
    view = MappingProxyType(base)
    for app in base["PROJECT_APPS"]:
        module = _conf_module(app)
        if module is None or not hasattr(module, "contribute"):
            continue
        contributed = dict(module.contribute(view))
        for key in MERGED:
            value = contributed.pop(key, None)
            if value is None:
                continue
            if key == "CELERY_TASK_QUEUES":
                found[key] += [q for q in value if q not in found[key]]
            else:
                clash = set(value) & set(found[key])
                if clash:
                    raise ValueError(f"{app}.conf redefines {key} entries {sorted(clash)}")
                found[key].update(value)
        overlap = set(contributed) & set(base)
        if overlap:
            raise ValueError(f"{app}.conf redefines shell settings {sorted(overlap)}")
        found.update(contributed)
    # A cap the operator sets in REQUEST_BODY_MAX_BYTES_BY_PATH wins over an app's default.
    found["REQUEST_BODY_MAX_BYTES_BY_PATH"].update(base.get("REQUEST_BODY_MAX_BYTES_BY_PATH", {}))
    return found
