"""Settings for the portal, read from the environment with typed defaults.

Embedded defaults (no servers needed): SQLite in WAL mode under ``var/`` and a Celery broker in a SQLite
file. ``DATABASE_URL`` switches to PostgreSQL, ``REDIS_URL`` (or ``CELERY_BROKER_URL``) to Redis.
With ``DEBUG`` off (the default), ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` (PostgreSQL),
``SITE_URL`` (https), ``EXCHANGE_CALLBACK_SECRET`` and ``FIELD_ENCRYPTION_KEY`` must be given, and published
or weak values are refused (portal/deployment.py): start-up fails naming the variable. See
docs/configuration.md for every variable.

The parts: ``base`` (mode, secrets and hosts, apps, middleware, templates, database, cache, email, languages,
static files, REST framework), ``security`` (authentication, login limits, cookies, CSP, request caps, field
encryption), ``celery``, ``logging``, ``intake`` (the shell's bulk intake), then what each app contributes
from its ``conf.py`` (``apps``): the exchange its departments' queues and periodic jobs, registration its
service level and upload limits, and so on."""

from kombu import Queue as _Queue

from portal.settings.apps import collect as _collect
from portal.settings.base import *  # noqa: F403
from portal.settings.celery import *  # noqa: F403
from portal.settings.intake import *  # noqa: F403
from portal.settings.logging import *  # noqa: F403
from portal.settings.security import *  # noqa: F403

globals().update(_collect(globals()))
# Every queue a worker started without ``-Q`` consumes: the shell's ``default`` and each app's own.
CELERY_TASK_QUEUES = [_Queue(name) for name in dict.fromkeys(["default", *CELERY_TASK_QUEUES])]  # noqa: F405
