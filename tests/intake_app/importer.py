"""The test importer: parcels with every column type, an in-file and in-database duplicate rule, bulk save."""

from decimal import Decimal

from django.utils.translation import gettext_noop

from portal.intake import CODE, DATE, DECIMAL, INT, TEXT, Column, Importer, Problem
from portal.intake.choices import FileFormat

DUPLICATE = gettext_noop("Parcel %(number)s is already imported.")
TWICE = gettext_noop("Parcel %(number)s appears twice in the file (also row %(other)s).")
CURRENCIES = {"CNY": "人民币", "USD": "美元", "EUR": "欧元"}


class ParcelImporter(Importer):
    label = "Parcels"
    formats = frozenset({FileFormat.XLSX, FileFormat.XML})
    columns = (
        Column("number", "包裹编号", "Parcel number", TEXT, required=True, max_length=20),
        Column("quantity", "数量", "Quantity", INT, required=True),
        Column("weight", "重量", "Weight", DECIMAL, decimal_places=3, round_half_up=True),
        Column("value", "申报价值", "Declared value", DECIMAL, decimal_places=2, max_value=Decimal("1e9")),
        Column("shipped_on", "发货日期", "Shipped on", DATE),
        Column("currency", "币制", "Currency", CODE, codes=CURRENCIES),
        Column("note", "备注", "Note", TEXT, max_length=50),
    )
    # Tests set these to look inside a run: called with (rows, job) in validate / in persist after saving.
    during_validate = None
    during_persist = None

    def validate(self, rows, *, job):
        from tests.intake_app.models import Parcel

        if self.during_validate is not None:
            self.during_validate(rows, job)
        numbers = [row["number"] for row in rows]
        taken = set(
            Parcel.objects.filter(owner=job.owner, number__in=numbers).values_list("number", flat=True)
        )
        first: dict[str, int] = {}
        for row in rows:
            number = row["number"]
            if number in taken:
                yield Problem(row["_row"], "number", "duplicate", DUPLICATE, {"number": number})
            elif number in first:
                yield Problem(
                    row["_row"], "number", "twice", TWICE, {"number": number, "other": first[number]}
                )
            first.setdefault(number, row["_row"])

    def persist(self, rows, *, job):
        from tests.intake_app.models import Parcel

        parcels = [
            Parcel(
                owner_id=job.owner_id,
                number=row["number"],
                quantity=row["quantity"],
                weight=row["weight"],
                value=row["value"],
                shipped_on=row["shipped_on"],
                currency=row["currency"] or "",
                note=row["note"] or "",
            )
            for row in rows
        ]
        for start in range(0, len(parcels), 500):
            Parcel.objects.bulk_create(parcels[start : start + 500])
            job.report_progress(min(start + 500, len(parcels)), len(parcels))
        if self.during_persist is not None:
            self.during_persist(rows, job)
        return {"created": len(parcels)}

    def rows_from_xml(self, root, *, job):
        for item in root.iter("Parcel"):
            yield {child.tag: (child.text or "") for child in item}
