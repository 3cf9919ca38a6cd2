"""``POST /api/v1/customs/{inventory-lists,orders,payments,waybills}/batch/``: up to 10,000 documents of one
kind in one request, all or nothing.

The body is read as it came (``{"owner": id?, "submit": true, "lists": [{head…, "items": [...]}, …]}``, the
rows under ``orders``, ``payments`` or ``waybills`` for those): per-row DRF serializers would cost more than
the whole bulk path, and ``customs.validation`` checks every value anyway. The kind's bulk service
(``lists_create_bulk``, ``documents_create_bulk``) does the rest in one transaction: one bad row refuses the
batch with every error keyed ``lists[i].field`` (``lists[3].items[0].price``), nothing written; a row whose
business key (a list's ``cop_no``, an order's platform and number…) the owner already filed is not created
again and answers with its id, so a retried batch creates nothing twice and gets the same ids back.
"""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from customs import services

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


def read_batch(body, rows_key: str = ROWS_KEY) -> tuple[object, bool, list]:
    """``(owner id, submit, rows)`` from the request body, or a 400 naming what is wrong with its shape (too
    many rows: the bulk services refuse them before reading anything, ``too_many``)."""
    lists = rows_key == ROWS_KEY
    if not isinstance(body, dict):
        _refuse(
            rows_key,
            "invalid",
            _("Send a JSON object with the lists under “lists”.")
            if lists
            else _("Send a JSON object with the documents under “%(key)s”.") % {"key": rows_key},
        )
    rows = body.get(rows_key)
    if not isinstance(rows, list) or not rows:
        _refuse(
            rows_key,
            "required",
            _("Give at least one list under “lists”.")
            if lists
            else _("Give at least one document under “%(key)s”.") % {"key": rows_key},
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


def renamed(exc: ValidationError, rows_key: str = ROWS_KEY) -> ValidationError:
    """The service's ``rows[i].field`` keys as the request names them: ``lists[i].field``."""
    return ValidationError(
        {
            (rows_key + key[4:] if key.startswith("rows") else key): errors
            for key, errors in exc.error_dict.items()
        }
    )


def create_batch(*, user, body, owner_for, kind) -> dict:
    """A batch of ``kind`` (``customs.kinds``) as the API takes and answers it: the rows under
    ``kind.batch_key``, each answered with its index, business key (``kind.batch_fields``), id and whether
    it was created."""
    owner_id, submit, rows = read_batch(body, kind.batch_key)
    owner = owner_for(user, owner_id, kind.document_type, as_party=kind.as_party)
    try:
        result = kind.create_bulk(owner=owner, by=user, rows=rows, submit=submit)
    except services.BatchRejected as exc:
        raise renamed(exc, kind.batch_key) from None
    except ValidationError as exc:
        raise renamed(exc, kind.batch_key) if hasattr(exc, "error_dict") else exc from None
    return {
        "created": result.created,
        "unchanged": result.unchanged,
        kind.batch_key: [
            {
                "index": i,
                **dict(zip(kind.batch_fields, key if isinstance(key, tuple) else (key,), strict=True)),
                "id": pk,
                "created": created,
            }
            for i, (key, pk, created) in enumerate(result.rows)
        ],
    }
