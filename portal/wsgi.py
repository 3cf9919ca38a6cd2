import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse to serve every page as a 500 for want of `collectstatic`.
from portal.checks import refuse_without_static_manifest  # noqa: E402

refuse_without_static_manifest()
