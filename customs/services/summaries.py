"""Monthly summary declarations (汇总申报, DOMAIN §3.9): preview, submit (CEB701), discard.

``summary_preview`` keeps the month's one PREVIEW summary of a consignor (a partial unique constraint) with
the totals of the lists waiting: closed (899) in that month, ``statisticsFlag`` B, in no live summary. The
groups are computed by the database on read (``customs.selectors.summaries.summary_groups``); a preview
writes nothing on the lists, so previewing is cheap and idempotent (the same summary; lists closed since are
in it). ``summary_submit`` reserves the lists with one conditional ``UPDATE … SET summary_id = … WHERE
summary_id IS NULL`` in the locked transaction — a list is in at most one live summary however many
submissions race — refuses when the lists changed since the preview, and sends CEB701 with one
``SummaryApplyList`` per list. Customs' answers (CEB702, CEB792) are applied by ``customs.summary_receipts``;
a rejected summary frees its lists for the next one.
"""

import itertools
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from customs import payloads
from customs.choices import DocumentType, SummaryFlag, SummaryStatus
from customs.models import InventoryList, SummaryDeclaration
from customs.selectors.summaries import (
    eligible_lists,
    month_bounds,
    summary_deadline,
    summary_groups,
    summary_lists,
)
from customs.services import authority
from customs.services.common import field_error
from customs.summary_job_progress import Ticker
from customs.workflows import SUMMARY
from portal.choices import AuditVerb
from portal.services.audit import audit
from portal.workflow import lock, transition

LIVE = frozenset(
    {SummaryStatus.PREVIEW, SummaryStatus.SUBMITTED, SummaryStatus.ACCEPTED, SummaryStatus.DECLARED}
)


def item_limit() -> int:
    return int(getattr(settings, "CUSTOMS_SUMMARY_ITEM_LIMIT", 50))


def first_of_month(value) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:7] + "-01")
        except ValueError:
            raise field_error("month", "invalid", _("Give the month as YYYY-MM.")) from None
    if isinstance(value, datetime):
        value = value.date()
    return value.replace(day=1)


def check_month(period: date, today: date | None) -> None:
    today = today or timezone.localdate()
    if period >= today.replace(day=1):
        raise field_error(
            "month", "not_ended", _("A month can be summarised once it has ended: choose an earlier month.")
        )


def nothing_waiting(period: date) -> ValidationError:
    return field_error(
        "month",
        "empty",
        _("No list of %(month)s is waiting to be summarised: none closed that month with path B.")
        % {"month": f"{period:%Y-%m}"},
    )


# The reservation runs as this many UPDATEs over slices of the lists' ids, whatever the month's size, so
# a million-list submission shows movement while the number of statements stays the same.
RESERVE_SLICES = 10


def _step(progress, phase: str, done: int | None = None, total: int | None = None) -> None:
    if progress is not None:
        progress(phase, done, total)


def _ticker(progress, phase: str, total: int):
    return Ticker(progress or _quiet, phase, total)


def _quiet(phase, done=None, total=None) -> None:
    return None


def _open_preview(consignor, filer, period: date, by) -> tuple[SummaryDeclaration, bool]:
    existing = (
        SummaryDeclaration.objects.select_for_update()
        .filter(owner=consignor, period=period, status=SummaryStatus.PREVIEW)
        .first()
    )
    if existing is not None:
        return existing, False
    number = SummaryDeclaration.objects.filter(owner=consignor).count() + 1
    summary = SummaryDeclaration(
        owner=consignor,
        filer=filer,
        period=period,
        cop_no=f"SUM{consignor.pk}-{period:%Y%m}-{number}"[:30],
        deadline=summary_deadline(period),
    )
    return summary, True


def _parties_code(parties, customs_code: str, summary: SummaryDeclaration) -> None:
    summary.customs_code = customs_code
    summary.decl_agent_code = summary.decl_agent_code or parties.filer_code
    summary.decl_agent_name = summary.decl_agent_name or parties.filer_name


@transaction.atomic
def summary_preview(
    *,
    consignor,
    month,
    by,
    summary_flag: str = SummaryFlag.CONSIGNOR_OWNER,
    item_name_flag: bool = True,
    filer=None,
    today: date | None = None,
    progress=None,
) -> SummaryDeclaration:
    """The month's PREVIEW summary of ``consignor`` with every eligible list reserved and its totals set.
    ``ValidationError`` (field ``month``) when the month has not ended or has no list to summarise.
    ``progress(phase, done=None, total=None)``: called as each step starts, with the month's list count once
    known (the worker job shows it)."""
    period = first_of_month(month)
    check_month(period, today)
    if summary_flag not in SummaryFlag.values:
        raise field_error(
            "summary_flag", "choice", _("Choose 1 (by consignor) or 2 (consignor and producer).")
        )
    filer = authority.acting_organisation(by, filer)
    parties = authority.parties_for(owner=consignor, filer=filer, document_type=DocumentType.SUMMARY)
    summary, created = _open_preview(consignor, filer, period, by)
    summary.filer, summary.summary_flag, summary.item_name_flag = filer, summary_flag, item_name_flag
    summary.item_limit = item_limit()
    if created:
        summary.customs_code = ""
        summary.save()
    _step(progress, "counting")
    # The totals come from the groups: no further pass over the lists.
    groups = summary_groups(summary, on_counted=lambda lists: _step(progress, "grouping", None, lists))
    lists = sum(g.lists for g in groups)
    if not lists:
        raise nothing_waiting(period)
    _step(progress, "saving", None, lists)
    customs_code = summary_lists(summary).order_by().values_list("customs_code", flat=True)[:1]
    _parties_code(parties, next(iter(customs_code), ""), summary)
    summary.list_count, summary.total_value = lists, sum((g.total_value for g in groups), start=0)
    summary.declaration_count = sum(g.declaration_count for g in groups)
    summary.save()
    audit(
        verb=AuditVerb.CREATE if created else AuditVerb.UPDATE,
        target=summary,
        actor=by,
        to_state=summary.status,
        payload={"action": "preview", "lists": summary.list_count},
    )
    return summary


@transaction.atomic
def summary_discard(*, summary: SummaryDeclaration, by, filer=None) -> SummaryDeclaration:
    """Throw a preview away; its lists are free for the next one."""
    filer = authority.acting_organisation(by, filer)
    (summary,) = lock(summary)
    authority.parties_for(owner=summary.owner, filer=filer, document_type=DocumentType.SUMMARY)
    transition(summary, "discard", by=by, workflow=SUMMARY, save=True)
    return summary


NO_INVT_NO = "no_invt_no"


@transaction.atomic
def summary_submit(*, summary: SummaryDeclaration, by, filer=None, progress=None) -> SummaryDeclaration:
    """Send the preview to customs as CEB701 (one ``SummaryApplyList`` per list, in list order);
    ``progress(phase, done, total)`` as in ``summary_preview``, with the lists reserved, read and written
    so far (every ``RESERVE_SLICES``-th of the lists, then every ``Ticker`` interval)."""
    filer = authority.acting_organisation(by, filer)
    (summary,) = lock(summary)
    parties = authority.parties_for(owner=summary.owner, filer=filer, document_type=DocumentType.SUMMARY)
    SUMMARY.target(summary.status, "submit")
    dxp_id = authority.require_sender(parties)
    reserved = _reserve(summary, progress)
    if reserved != summary.list_count:
        raise ValidationError(
            _(
                "The month's lists changed since the preview (%(now)d now, %(then)d previewed): preview it "
                "again."
            )
            % {"now": reserved, "then": summary.list_count},
            code="changed",
        )
    tick = _ticker(progress, "numbers", reserved)
    numbers = InventoryList.objects.filter(summary=summary).order_by("pk").values_list("invt_no", flat=True)
    invt_nos = list(tick.counted(numbers.iterator(chunk_size=2000)))
    if not all(invt_nos):
        raise ValidationError(_("A list of this summary has no customs list number."), code=NO_INVT_NO)
    summary.filer = filer
    transition(summary, "submit", by=by, workflow=SUMMARY)
    start, end = month_bounds(summary.period)
    written = _ticker(progress, "message", len(invt_nos)).counted(invt_nos)
    summary.message = _enqueue(summary, parties, dxp_id, written, start, end)
    summary.save()
    return summary


def _reserve(summary: SummaryDeclaration, progress) -> int:
    """Reserve the preview's lists: ``UPDATE … SET summary_id WHERE summary_id IS NULL`` over
    ``RESERVE_SLICES`` slices of their ids, in the submission's transaction (a list is still in at most one
    live summary), reporting the count after each slice. Returns how many were reserved."""
    waiting = eligible_lists(summary.owner, summary.period).filter(summary__isnull=True)
    bounds = waiting.aggregate(low=Min("id"), high=Max("id"))
    _step(progress, "reserving", 0, summary.list_count)
    if bounds["low"] is None:
        return 0
    low, span = bounds["low"], bounds["high"] + 1 - bounds["low"]
    edges = [low + span * i // RESERVE_SLICES for i in range(RESERVE_SLICES + 1)]
    reserved = 0
    for start, stop in itertools.pairwise(edges):
        if start < stop:
            reserved += waiting.filter(id__gte=start, id__lt=stop).update(summary=summary)
            _step(progress, "reserving", reserved, summary.list_count)
    return reserved


def _enqueue(summary, parties, dxp_id, invt_nos, start, end):
    from exchange.services import message_enqueue

    last = timezone.localtime(end) - timezone.timedelta(seconds=1)
    return message_enqueue(
        message_type="CEB701Message",
        sender=parties.filer,
        business_key=f"SUM:{parties.owner_code}:{summary.cop_no}",
        payload=payloads.summary_payload(
            summary,
            invt_nos,
            agent_code=parties.filer_code,
            agent_name=parties.filer_name,
            ebc_code=parties.owner_code,
            ebc_name=parties.owner_name,
            start=timezone.localtime(start),
            end=datetime.combine(last.date(), time(23, 59, 59), tzinfo=last.tzinfo),
        ),
        subject=summary,
        sender_dxp_id=dxp_id,
    )
