"""A uniqueness rule broken by a race is a 409 in the user's language, never a 500 (issue 8 §3).

Services turn the clashes they expect into field errors (one open filing per role, one code per return reason,
…). What is left is two requests racing past the same check: the database refuses the second one and the
transaction is rolled back, so nothing is half-saved. The answer names no table, constraint or other
organisation, so it tells nothing about anyone else's data; the constraint goes to the log for operators.
Pages answer it through ``portal.middleware.IntegrityConflictMiddleware``, the API through its exception
handler.
"""

import logging

from django.db import IntegrityError
from django.utils.translation import gettext as _

log = logging.getLogger("portal.conflicts")


def conflict_message() -> str:
    return _(
        "This could not be saved because it conflicts with a record saved at the same moment. Reload the "
        "page and try again."
    )


def log_conflict(request, exc: IntegrityError) -> None:
    log.warning("uniqueness conflict on %s %s: %s", request.method, request.path, exc)
