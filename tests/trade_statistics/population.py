"""A province of filings in several states, cities, roles and months, made through the services as users
make them (on a settable clock), and the figures the dashboard must show for it.

Reporting window for ``TODAY`` (2026-11-27): 2025-12 … 2026-11. No statutory holiday falls on the days
used, so working days are Monday to Friday.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from exchange.models import Message
from exchange.services import receipts_ingest
from registration import services
from registration.choices import EntityType, Subtype
from registration.models import EntityFiling
from tests.registration import builders
from tests.registration.builders import receipt_item
from tests.trade_statistics.conftest import enterprise_admin_in

TODAY = date(2026, 11, 27)
APP, SELF, SERVICE = EntityType.APPLICATION, EntityType.SELF_PLATFORM, EntityType.SERVICE


@dataclass
class Population:
    filings: dict[str, EntityFiling] = field(default_factory=dict)
    admins: dict = field(default_factory=dict)


def _decide_active(clock, admin, reviewer, *, submit: str, decide: str, **role) -> EntityFiling:
    clock(submit)
    filing = builders.submitted(admin, **role)
    clock(decide)
    filing = services.filing_accept(filing=filing, by=reviewer)
    filing = services.filing_approve(filing=filing, by=reviewer)
    builders.answer_all(filing)
    filing.refresh_from_db()
    assert filing.status == "ACTIVE", filing.status
    return filing


def build(clock, reviewer, supervisor) -> Population:
    pop = Population()
    admin = pop.admins

    # A: self-built platform, Hangzhou (Xihu): submitted Monday, approved Thursday = 3 working days.
    admin["A"] = enterprise_admin_in("330106")
    pop.filings["A"] = _decide_active(
        clock,
        admin["A"],
        reviewer,
        submit="2026-03-02 10:00",
        decide="2026-03-05 10:00",
        entity_type=SELF,
        subtype="",
    )

    # B: application enterprise, Yiwu (Jinhua): 1 working day, returned for a week (not counted),
    # resubmitted, 4 more working days: 5 in all; still one filing submitted in March.
    admin["B"] = enterprise_admin_in("330782")
    clock("2026-03-09 10:00")
    filing = builders.under_review(admin["B"], reviewer)
    clock("2026-03-10 10:00")
    filing = services.filing_return(filing=filing, by=reviewer, note="请补充材料")
    clock("2026-03-16 10:00")
    filing = services.filing_submit(filing=filing, by=admin["B"])
    clock("2026-03-20 10:00")
    filing = services.filing_approve(filing=filing, by=reviewer)  # still the reviewer's: no second claim
    builders.answer_all(filing)
    filing.refresh_from_db()
    pop.filings["B"] = filing

    # C: application enterprise, Yiwu again: decided the day it came in (0 working days).
    admin["C"] = enterprise_admin_in("330782")
    pop.filings["C"] = _decide_active(
        clock, admin["C"], reviewer, submit="2026-04-01 09:00", decide="2026-04-01 15:00"
    )

    # D: logistics service enterprise, Ningbo: submitted before the window, approved inside it
    # (2025-11-20 Thu → 2025-12-02 Tue = 8 working days).
    admin["D"] = enterprise_admin_in("330206")
    pop.filings["D"] = _decide_active(
        clock,
        admin["D"],
        reviewer,
        submit="2025-11-20 10:00",
        decide="2025-12-02 10:00",
        entity_type=SERVICE,
        subtype=Subtype.LOGISTICS,
    )

    # I: application enterprise, Taizhou, wholly before the window: an operator, in no monthly figure.
    admin["I"] = enterprise_admin_in("331002")
    pop.filings["I"] = _decide_active(
        clock, admin["I"], reviewer, submit="2024-06-03 10:00", decide="2024-06-04 10:00"
    )

    # E: individual business, Wenzhou: approved (2 working days) but not active: the foreign-trade filing
    # waits for the commerce department, inspection refused it, the customs answer was unusable.
    admin["E"] = enterprise_admin_in("330302", category="92")
    clock("2026-11-02 10:00")
    filing = builders.submitted(admin["E"], subtype=Subtype.INDIVIDUAL_BUSINESS)
    clock("2026-11-04 10:00")
    filing = services.filing_approve(filing=services.filing_accept(filing=filing, by=reviewer), by=reviewer)
    tasks = {t.code: t for t in filing.qualifications.select_related("message")}
    receipts_ingest(
        [
            receipt_item(tasks["CIQ_FILING"].message, "REJECTED", info="材料不全"),
            receipt_item(tasks["CUSTOMS_REG"].message, data={"customs_code": "4403161FMD"}),
        ],
        via="callback",
    )
    pop.filings["E"] = filing

    # F: application enterprise, Hangzhou: submitted in November, still with the bureau.
    admin["F"] = enterprise_admin_in("330106")
    clock("2026-11-10 10:00")
    pop.filings["F"] = builders.submitted(admin["F"])

    # G: a draft never submitted: the bureau has never seen it, so no figure counts it.
    admin["G"] = enterprise_admin_in("330106")
    pop.filings["G"] = builders.draft(admin["G"])

    # H: application enterprise, Jiaxing: rejected, countersigned 2026-10-15 (3 working days).
    admin["H"] = enterprise_admin_in("330402")
    clock("2026-10-12 10:00")
    filing = builders.under_review(admin["H"], reviewer)
    clock("2026-10-13 10:00")
    filing = services.filing_reject_request(filing=filing, by=reviewer, reason="经营范围不符")
    clock("2026-10-15 10:00")
    pop.filings["H"] = services.filing_reject_countersign(filing=filing, by=supervisor, confirm=True)

    # Everything the tests read next (pages, exports, selectors without ``today``) sees the same day.
    clock(f"{TODAY.isoformat()} 15:00")
    for key, filing in pop.filings.items():
        filing.refresh_from_db()
        pop.filings[key] = filing
    return pop


# What the dashboard must show for this population.
OPERATORS_BY_ROLE = {
    (SELF, ""): 1,
    (APP, Subtype.ENTERPRISE): 3,  # B, C, I
    (SERVICE, Subtype.LOGISTICS): 1,
}
OPERATORS_BY_CITY = {"3301": 1, "3307": 2, "3302": 1, "3310": 1}
SUBMITTED = {date(2026, 3, 1): 2, date(2026, 4, 1): 1, date(2026, 10, 1): 1, date(2026, 11, 1): 2}
# month: (approved, rejected, decisions, working days)
DECISIONS = {
    date(2025, 12, 1): (1, 0, 1, 8),
    date(2026, 3, 1): (2, 0, 2, 3 + 5),
    date(2026, 4, 1): (1, 0, 1, 0),
    date(2026, 10, 1): (0, 1, 1, 3),
    date(2026, 11, 1): (1, 0, 1, 2),
}
# department: (requested, done, pending, refused, failed)
QUALIFICATIONS = {
    "commerce": (5, 4, 1, 0, 0),  # FT_OPERATOR: A B C I done, E waiting
    "customs": (11, 10, 0, 0, 1),  # registration + E-Port card: A B C I D; E's customs answer unusable
    "ciq": (5, 4, 0, 1, 0),  # A B C I done, E refused
    "safe": (4, 4, 0, 0, 0),
    "tax": (0, 0, 0, 0, 0),  # optional, asked for by nobody
}


def per_department_month(moments, months) -> dict:
    """``{(department, month): count}`` counted row by row in Python: the independent check of the
    database's GROUP BY."""
    counts: dict = {}
    for department, moment in moments:
        local = timezone.localtime(moment)
        key = (department, date(local.year, local.month, 1))
        if key[1] in months:
            counts[key] = counts.get(key, 0) + 1
    return counts


def sent_oracle(months) -> dict:
    rows = Message.objects.filter(sent_at__isnull=False).values_list("department", "sent_at")
    return per_department_month(rows, months)
