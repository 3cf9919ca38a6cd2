"""Summary deadlines' reminders (DOMAIN §3.9): 5 days and 1 day before the deadline of a month whose lists
still wait, and a flag once it has passed — to the enterprise's staff and, for overdue months, to customs
officers. Run daily by beat (``customs.summary_deadlines``). Each reminder of a (consignor, month, kind) is
sent once: a ``SummaryReminder`` row records it, and a second run sends nothing.
"""

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customs.models import SummaryReminder
from customs.selectors.summaries import MonthDeadline, deadlines
from portal.choices import Role
from portal.models import Organisation
from portal.services.notifications import Digest, enterprise_staff, notify, users_with_role
from portal.texts import join_list

SOON, LAST_DAY, OVERDUE = "5d", "1d", "overdue"
TITLES = {
    SOON: _("Monthly summary due by %(deadline)s: %(months)s"),
    LAST_DAY: _("Monthly summary due tomorrow or today (%(deadline)s): %(months)s"),
    OVERDUE: _("Monthly summary overdue since %(deadline)s: %(months)s"),
}
BODY = _("%(count)d closed inventory lists still wait to be summarised. Preview the month and submit it.")
DIGEST_LINE = _("Summary of %(months)s due %(deadline)s")
OFFICER_TITLE = _("%(count)d enterprises missed a monthly summary deadline")
OFFICER_BODY = _("Enterprises: %(names)s")


def reminder_kind(row: MonthDeadline, today: date) -> str | None:
    days = row.days_left(today)
    if days < 0:
        return OVERDUE
    if days <= 1:
        return LAST_DAY
    if days <= 5:
        return SOON
    return None


def _due(today: date) -> dict[tuple, MonthDeadline]:
    due = {}
    for row in deadlines(today=today, waiting_only=True):
        kind = reminder_kind(row, today)
        if kind:
            due[(row.owner_id, row.period, kind)] = row
    if not due:
        return {}
    sent = set(
        SummaryReminder.objects.filter(
            owner_id__in={k[0] for k in due}, period__in={k[1] for k in due}
        ).values_list("owner_id", "period", "kind")
    )
    return {key: row for key, row in due.items() if key not in sent}


@transaction.atomic
def summary_reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Send what is due today and not sent before; returns ``{kind: reminders sent}``."""
    today = today or timezone.localdate()
    due = _due(today)
    SummaryReminder.objects.bulk_create(
        SummaryReminder(owner_id=o, period=p, kind=k, deadline=row.deadline) for (o, p, k), row in due.items()
    )
    by_org: dict[tuple[int, str], list[MonthDeadline]] = defaultdict(list)
    for (owner_id, _period, kind), row in sorted(due.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        by_org[(owner_id, kind)].append(row)
    orgs = Organisation.objects.in_bulk({o for o, _k in by_org})
    url = reverse("customs:summary-deadlines")
    for (owner_id, kind), rows in by_org.items():
        _remind(orgs[owner_id], kind, rows, url)
    overdue = sorted({o for o, k in by_org if k == OVERDUE})
    if overdue:
        _flag_to_officers([orgs[o] for o in overdue], url)
    counts: dict[str, int] = defaultdict(int)
    for _owner, _period, kind in due:
        counts[kind] += 1
    return dict(counts)


def _remind(org, kind: str, rows: list[MonthDeadline], url: str) -> None:
    params = {
        "months": join_list([f"{r.period:%Y-%m}" for r in rows]),
        "deadline": f"{min(r.deadline for r in rows):%Y-%m-%d}",
        "count": sum(r.waiting for r in rows),
    }
    notify(
        recipients=enterprise_staff(org),
        verb=f"customs.summary.{kind}",
        title=TITLES[kind],
        body=BODY,
        params=params,
        url=url,
        digest=Digest(key=f"customs.summary.{kind}.{org.pk}", title=TITLES[kind], line=DIGEST_LINE),
    )


def _flag_to_officers(orgs, url: str) -> None:
    notify(
        recipients=users_with_role(Role.CUSTOMS_OFFICER),
        verb="customs.summary.overdue_enterprises",
        title=OFFICER_TITLE,
        body=OFFICER_BODY,
        params={"count": len(orgs), "names": join_list([o.name_cn for o in orgs])},
        url=f"{url}?overdue=1",
    )
