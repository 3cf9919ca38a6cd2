"""``POST /api/v1/customs/inventory-lists/batch/``: up to 10,000 lists in one request, all or nothing.

The body is read as it came (``{"owner": id?, "submit": true, "lists": [{head…, "items": [...]}, …]}``):
per-row DRF serializers would cost more than the whole bulk path, and ``customs.validation`` checks every
value anyway. ``customs.services.lists_create_bulk`` does the rest in one transaction: one bad list refuses
the batch with every error keyed ``lists[i].field`` (``lists[3].items[0].price``), nothing written; a list
whose ``cop_no`` the owner already used is not created again and answers with its id, so a retried batch
creates nothing twice and gets the same ids back.
"""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from customs import services
from customs.choices import DocumentType

ROWS_KEY = "lists"


class BatchJSONParser(BaseParser):
    """JSON read from the request stream. DRF's own JSON parser goes through ``request.body``, which Django
    caps at DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB, the portal's forms); a batch of 10,000 lists is about 15 MB.
    This path's cap is its own (``customs/conf.py``: REQUEST_BODY_MAX_BYTES_BY_PATH, checked by the
    middleware before anything is read)."""

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return {}
        try:
            return json.loads(stream.read())
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(_("The body is not valid JSON: %(reason)s") % {"reason": exc}) from None


def _refuse(field: str, code: str, message: str):
    raise ValidationError({field: [ValidationError(message, code=code)]})


def read_batch(body) -> tuple[object, bool, list]:
    """``(owner id, submit, rows)`` from the request body, or a 400 naming what is wrong with its shape."""
    if not isinstance(body, dict):
        _refuse(ROWS_KEY, "invalid", _("Send a JSON object with the lists under “lists”."))
    rows = body.get(ROWS_KEY)
    if not isinstance(rows, list) or not rows:
        _refuse(ROWS_KEY, "required", _("Give at least one list under “lists”."))
    if len(rows) > services.MAX_API_ROWS:
        _refuse(
            ROWS_KEY,
            "too_many",
            _("A batch may hold at most %(max)d lists; this one has %(n)d. Split it.")
            % {"max": services.MAX_API_ROWS, "n": len(rows)},
        )
    submit = body.get("submit", True)
    if not isinstance(submit, bool):
        _refuse("submit", "invalid", _("“submit” is true or false."))
    return parse_owner_id(body.get("owner")), submit, rows


def parse_owner_id(value) -> int | None:
    """The organisation id given as ``owner`` (a whole number, or its digits as text), or None."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        _refuse("owner", "invalid", _("“owner” is the id of an enterprise, a whole number."))
    return value


def renamed(exc: ValidationError) -> ValidationError:
    """The service's ``rows[i].field`` keys as the request names them: ``lists[i].field``."""
    return ValidationError(
        {
            (ROWS_KEY + key[4:] if key.startswith("rows") else key): errors
            for key, errors in exc.error_dict.items()
        }
    )


def create_batch(*, user, body, owner_for) -> dict:
    owner_id, submit, rows = read_batch(body)
    owner = owner_for(user, owner_id, DocumentType.INVENTORY)
    try:
        result = services.lists_create_bulk(owner=owner, filer=None, by=user, rows=rows, submit=submit)
    except services.BatchRejected as exc:
        raise renamed(exc) from None
    except ValidationError as exc:
        raise renamed(exc) if hasattr(exc, "error_dict") else exc from None
    return {
        "created": result.created,
        "unchanged": result.unchanged,
        "lists": [
            {"index": i, "cop_no": cop, "id": pk, "created": created}
            for i, (cop, pk, created) in enumerate(result.lists)
        ],
    }
