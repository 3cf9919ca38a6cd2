"""The inventory-list importer (kind ``customs.inventory_lists``): rows → lists → the bulk path.

``validate`` groups the rows into lists by ``cop_no`` and refuses a head cell that contradicts the list's
first row; ``persist`` hands the lists to ``customs.services.lists_create_bulk`` (every check of the batch
API, all or nothing, COPY on PostgreSQL, the lists sent to customs). Its refusals come back as
``RowProblems`` pointing at the cell: a head field at the list's first row, ``items[k].field`` at the row of
line k+1. The messages are customs' own, in the uploader's language in the error workbook.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, override

from customs.imports import KIND
from customs.imports.columns import COLUMNS, FIELD_COLUMN, HEAD_KEYS, LINE_FIELD
from customs.validation import field_label
from portal.intake import ROW, Importer, NotAllowed, Problem, RowProblems
from portal.intake.choices import FileFormat

NO_COP = gettext_noop("Give the list's enterprise reference: rows with the same reference are one list.")
HEAD_DIFFERS = gettext_noop(
    "Row %(first)s, the first row of list %(cop_no)s, says “%(expected)s” here; leave this cell empty on "
    "the list's other rows or give the same value."
)
NOT_ALLOWED = gettext_noop("Your enterprise cannot file these inventory lists: %(reason)s")
NOT_AUTHORISED = gettext_noop(
    "%(seller)s does not authorise %(agent)s to file inventory lists for it now (the authorisation was "
    "revoked, has expired or has not started), so nothing was imported."
)
TOO_MANY_LINES = gettext_noop("List %(cop_no)s has %(n)s lines; a list may have at most 999.")
MAX_LINES = 999

INSTRUCTIONS_ZH = (
    "每行是一份清单的一行商品；企业内部编号相同的各行是同一份清单，商品序号按行的顺序编排。清单表头各列只需"
    "在该清单的第一行填写（其余行可留空，填写时须与第一行一致）。电商企业代码和申报企业代码按本企业的备案自动"
    "填写。导入成功的清单立即发往海关。"
)
INSTRUCTIONS_EN = (
    "Each row is one line of goods of a list; rows with the same enterprise reference are one list, its "
    "lines numbered in row order. Fill the list's head columns on its first row (leave them empty on its "
    "other rows, or give the same values). The seller's and the declaring enterprise's codes come from "
    "your filing. Lists imported are sent to customs at once."
)


def group_rows(rows: list[dict]) -> dict[str, list[dict]]:
    """Rows by enterprise reference, in the order each reference first appears."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row.get("cop_no") or "", []).append(row)
    return groups


def list_of(rows: list[dict]) -> dict:
    """One list for ``lists_create_bulk``: the first row's head and one line per row."""
    first = rows[0]
    head = {key: first[key] for key in HEAD_KEYS if first.get(key) is not None}
    head["items"] = [
        {"gnum": n, **{field: row[key] for key, field in LINE_FIELD.items() if row.get(key) is not None}}
        for n, row in enumerate(rows, start=1)
    ]
    return head


def head_problems(rows: list[dict], head_keys, key: str = "cop_no", message: str = HEAD_DIFFERS):
    """A head cell on a document's later row that says something else than its first row (``key``: the
    column that groups the rows into one document, named in ``message`` by that key)."""
    first = rows[0]
    for row in rows[1:]:
        for name in head_keys:
            value = row.get(name)
            if value is not None and name != key and value != first.get(name):
                params = {"first": first[ROW], key: first.get(key), "expected": str(first.get(name) or "")}
                yield Problem(row[ROW], name, "head_differs", message, params)


def cell_of(rows: list[dict], path: str) -> tuple[int, str]:
    """The (sheet row, column key) a customs problem points at: ``items[k].field`` → line k's row."""
    if path.startswith("items["):
        index, _, name = path[len("items[") :].partition("].")
        position = int(index) if index.isdigit() else 0
        row = rows[min(position, len(rows) - 1)]
        return row[ROW], FIELD_COLUMN.get(name, "")
    name = path.split(".", 1)[0]
    return rows[0][ROW], name if name in HEAD_KEYS else ""


class InventoryListImporter(Importer):
    label = _("Inventory lists")
    formats = frozenset({FileFormat.XLSX, FileFormat.XML})
    sheet_names = ("清单", "Inventory lists")
    columns = COLUMNS
    max_rows = 100_000
    instructions_zh = INSTRUCTIONS_ZH
    instructions_en = INSTRUCTIONS_EN

    def validate(self, rows, *, job):
        for cop_no, group in group_rows(rows).items():
            if not cop_no:
                yield from (Problem(row[ROW], "cop_no", "required", NO_COP) for row in group)
                continue
            if len(group) > MAX_LINES:
                yield Problem(
                    group[0][ROW], "cop_no", "lines", TOO_MANY_LINES, {"cop_no": cop_no, "n": len(group)}
                )
            yield from head_problems(group, HEAD_KEYS)

    def on_behalf_refusal(self, *, organisation, filer):
        """An agent imports for a seller only while the seller's authorisation for inventory lists is in
        force (and both may declare to customs: ``authority.parties_for``, as every other write)."""
        from customs.choices import DocumentType
        from customs.models import authorising_sellers
        from customs.services import authority

        if (
            not authorising_sellers(filer.pk, DocumentType.INVENTORY)
            .filter(seller_id=organisation.pk)
            .exists()
        ):
            return NOT_AUTHORISED, {"seller": organisation.name_cn, "agent": filer.name_cn}
        try:
            authority.parties_for(owner=organisation, filer=filer, document_type=DocumentType.INVENTORY)
        except PermissionDenied as exc:
            return NOT_ALLOWED, {"reason": str(exc)}
        return None

    def persist(self, rows, *, job):
        from customs import services

        groups = list(group_rows(rows).values())
        job.report_progress(0, len(rows))
        try:
            result = services.lists_create_bulk(
                owner=job.on_behalf_of or job.owner,
                filer=job.owner,
                by=job.created_by,
                rows=[list_of(group) for group in groups],
                max_rows=services.MAX_IMPORT_ROWS,
            )
        except services.BatchRejected as exc:
            raise RowProblems(self.problems(groups, exc.problems, job.language)) from None
        except PermissionDenied as exc:  # e.g. revoked while the rows were being checked: the job fails
            refusal = None
            if job.on_behalf_of_id is not None:
                refusal = self.on_behalf_refusal(organisation=job.on_behalf_of, filer=job.owner)
            raise NotAllowed(*(refusal or (NOT_ALLOWED, {"reason": str(exc)}))) from None
        job.report_progress(len(rows), len(rows))
        return {"created": result.created, "unchanged": result.unchanged}

    @staticmethod
    def problems(groups, found, language: str) -> list[Problem]:
        """Customs' errors as cell problems; ``field`` (the field in words) in the uploader's language."""
        out = []
        with override(language or None):
            for index, problem in found:
                if not problem.is_error:
                    continue
                row, column = cell_of(groups[index], problem.field)
                params = {**problem.params, "field": field_label(problem.field)}
                out.append(Problem(row, column, problem.code, problem.message_id, params))
        return out

    def rows_from_xml(self, root, *, job):
        from customs.imports.xml import rows_from_ceb603

        return rows_from_ceb603(root)


def register() -> None:
    from portal.intake import register_importer

    register_importer(KIND, InventoryListImporter())
