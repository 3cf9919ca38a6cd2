#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # A checkout with neither DEBUG nor DATABASE_URL set is a developer's, on the embedded SQLite default:
    # management commands (makemigrations, shell, …) run in development mode there. A deployment always sets
    # DATABASE_URL (production mode requires it), so its commands stay in production mode unless DEBUG says.
    if not os.environ.get("DEBUG") and not os.environ.get("DATABASE_URL"):
        os.environ["DEBUG"] = "true"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
