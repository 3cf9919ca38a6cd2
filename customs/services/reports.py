"""The logistics enterprise's parcel reports: master bill (CEB607 清单总分单), arrival at the supervised site
(CEB507 运抵单) and departure (CEB509 离境单). Filed by the logistics enterprise (their owner) or an agent it
authorised for waybills. Arrival lets customs release the lists of those parcels (800), departure close
them (899)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from customs import payloads
from customs.choices import PROGRESS, DocStatus, DocumentType
from customs.models import InventoryList, ParcelReport, ParcelReportKind, ParcelReportLine
from customs.services import authority
from customs.services.common import (
    default_text,
    next_version,
    own_code,
    raise_errors,
    raise_unstorable,
    store_checks,
)
from customs.validation import clean_parcel_report, error, to_validation_error
from customs.validation.specs import REPORT_HEADS
from customs.workflows import PARCEL_REPORT
from exchange.services import message_enqueue
from portal.choices import AuditVerb
from portal.services.audit import audit
from portal.workflow import lock, transition

HEAD_FIELDS = tuple(sorted({s.name for fields in REPORT_HEADS.values() for s in fields.specs}))
LINE_FIELDS = ("gnum", "logistics_no", "total_package_no", "invt_no", "note")
NO_LIST = gettext_noop(
    "Parcel %(no)s has no inventory list with customs yet: customs refuses a master bill naming it."
)
REPORT_TAKEN = gettext_noop("Enterprise reference %(no)s is already used by another report of this kind.")
# Lists customs knows (accepted by E-Port or further, not cancelled): a master bill may name their parcels.
_KNOWN = tuple(s for s in PROGRESS if s != DocStatus.SUBMITTED)


def _prefill(kind: str, head: dict, parties: authority.Parties) -> tuple[dict, list]:
    data, problems = dict(head), []
    own_code(data, "logistics_code", parties.owner_codes(), parties.owner_code, parties.owner_name, problems)
    default_text(data, "logistics_name", parties.owner_name)
    if kind == ParcelReportKind.MASTER_BILL:
        own_code(data, "agent_code", parties.filer_codes(), parties.filer_code, parties.filer_name, problems)
        default_text(data, "agent_name", parties.filer_name)
    if kind == ParcelReportKind.ARRIVAL:
        default_text(data, "operator_code", parties.owner_code)
        default_text(data, "operator_name", parties.owner_name)
    return data, problems


def _lines_known(kind: str, head: dict, lines: list[dict]) -> list:
    """A master bill may name only parcels whose list customs has (else customs answers 100)."""
    if kind != ParcelReportKind.MASTER_BILL or not lines:
        return []
    numbers = [line["logistics_no"] for line in lines if line.get("logistics_no")]
    known = set(
        InventoryList.objects.filter(
            logistics_code=head.get("logistics_code"), logistics_no__in=numbers, status__in=_KNOWN
        ).values_list("logistics_no", flat=True)
    )
    return [
        error("no_list", f"lines[{i}].logistics_no", NO_LIST, no=line["logistics_no"])
        for i, line in enumerate(lines)
        if line.get("logistics_no") and line["logistics_no"] not in known
    ]


def _checked(kind, parties, head, lines, *, exclude_pk=None):
    data, problems = _prefill(kind, head, parties)
    checked = clean_parcel_report(kind, data, lines)
    checked.problems = problems + checked.problems + _lines_known(kind, checked.head, checked.items)
    taken = ParcelReport.objects.filter(owner=parties.owner, kind=kind, cop_no=checked.head.get("cop_no"))
    if checked.head.get("cop_no") and taken.exclude(pk=exclude_pk).exists():
        checked.problems.append(error("duplicate", "cop_no", REPORT_TAKEN, no=checked.head["cop_no"]))
    return checked


@transaction.atomic
def parcel_report_create(
    *, owner, by, kind: str, head: dict, lines: list, filer=None, submit: bool = False
) -> ParcelReport:
    """A new parcel report (draft) with its parcel lines; sent at once when ``submit``."""
    filer = authority.acting_organisation(by, filer)
    parties = authority.parties_for(owner=owner, filer=filer, document_type=DocumentType.WAYBILL)
    checked = _checked(kind, parties, head, lines)
    raise_unstorable(checked.problems)
    report = ParcelReport(owner=owner, filer=filer, kind=kind, status=DocStatus.DRAFT)
    for name in HEAD_FIELDS:
        if name in checked.head:
            setattr(report, name, checked.head[name])
    store_checks(report, checked.problems)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise to_validation_error([error("duplicate", "cop_no", REPORT_TAKEN, no=report.cop_no)]) from None
    ParcelReportLine.objects.bulk_create(
        [
            ParcelReportLine(report=report, **{k: line[k] for k in LINE_FIELDS if k in line})
            for line in checked.items
        ],
        batch_size=500,
    )
    audit(verb=AuditVerb.CREATE, target=report, actor=by, to_state=report.status)
    if submit:
        return parcel_report_submit(report=report, by=by, filer=filer)
    return report


@transaction.atomic
def parcel_report_submit(*, report: ParcelReport, by, filer=None) -> ParcelReport:
    """Send a parcel report after its checks (CEB607, CEB507 or CEB509 by ``kind``)."""
    filer = authority.acting_organisation(by, filer)
    (report,) = lock(report)
    PARCEL_REPORT.target(report.status, "submit")
    parties = authority.parties_for(owner=report.owner, filer=filer, document_type=DocumentType.WAYBILL)
    dxp_id = authority.require_sender(parties)
    lines = list(report.lines.all())
    head = {name: getattr(report, name) for name in HEAD_FIELDS}
    checked = _checked(
        report.kind,
        parties,
        head,
        [{k: getattr(x, k) for k in LINE_FIELDS} for x in lines],
        exclude_pk=report.pk,
    )
    raise_errors(checked.problems)
    store_checks(report, checked.problems)
    report.filer = filer
    transition(report, "submit", by=by, workflow=PARCEL_REPORT)
    report.message = message_enqueue(
        message_type=payloads.parcel_report_message_type(report.kind),
        sender=filer,
        business_key=f"{report.kind}:{report.logistics_code}:{report.cop_no}:{next_version(report)}",
        payload=payloads.parcel_report_payload(report, lines),
        subject=report,
        sender_dxp_id=dxp_id,
    )
    report.save()
    return report


@transaction.atomic
def parcel_report_withdraw(*, report: ParcelReport, by, reason: str = "", filer=None) -> ParcelReport:
    filer = authority.acting_organisation(by, filer)
    (report,) = lock(report)
    authority.parties_for(owner=report.owner, filer=filer, document_type=DocumentType.WAYBILL)
    transition(report, "withdraw", by=by, workflow=PARCEL_REPORT, reason=reason, save=True)
    return report
