"""Each aggregate of ``registration.statistics`` and the exchange traffic of ``trade_statistics.selectors``,
against a province of filings built through the services (``population``)."""

from datetime import date

import pytest

from exchange.models import Receipt
from registration import services
from registration import statistics as filing_statistics
from registration.choices import AttachmentKind, EntityType, FilingStatus, Subtype
from registration.validation.fields import resident_id_check_char
from tests.registration import builders
from tests.trade_statistics import population
from tests.trade_statistics.conftest import enterprise_admin_in
from trade_statistics import periods, selectors

pytestmark = pytest.mark.django_db

MONTHS = periods.month_starts(population.TODAY)
SINCE = periods.start_of(MONTHS[0])


@pytest.fixture
def province(clock, reviewer, supervisor):
    return population.build(clock, reviewer, supervisor)


def test_operators_are_active_filings_by_role_and_city(province):
    statuses = {key: f.status for key, f in province.filings.items()}
    assert statuses == {
        "A": "ACTIVE",
        "B": "ACTIVE",
        "C": "ACTIVE",
        "D": "ACTIVE",
        "I": "ACTIVE",
        "E": "APPROVED",
        "F": "SUBMITTED",
        "G": "DRAFT",
        "H": "REJECTED",
    }
    by_role = {
        (r["entity_type"], r["subtype"]): r["count"] for r in filing_statistics.active_operators_by_role()
    }
    assert by_role == population.OPERATORS_BY_ROLE
    by_city = {r["city"]: r["count"] for r in filing_statistics.active_operators_by_city()}
    assert by_city == population.OPERATORS_BY_CITY


def test_filings_are_counted_once_in_the_month_of_their_first_submission(province):
    rows = filing_statistics.filings_submitted_per_month(since=SINCE)
    assert {periods.month_of(r["month"]): r["submitted"] for r in rows} == population.SUBMITTED
    # B was returned and resubmitted in March: still one filing. D (2025-11) and I (2024) are before the
    # window; the draft G never reached the bureau.
    assert sum(r["submitted"] for r in rows) == 6


def test_decisions_per_month_with_the_working_days_of_the_service_clock(province):
    rows = filing_statistics.decisions_per_month(since=SINCE)
    found = {
        periods.month_of(r["month"]): (r["approved"], r["rejected"], r["decisions"], r["working_days"])
        for r in rows
    }
    assert found == population.DECISIONS
    # The week B spent returned to the applicant does not count: 1 + 4 working days.
    assert province.filings["B"].clock_banked_days == 5


def test_qualifications_by_department_and_where_they_stand(province):
    rows = filing_statistics.qualifications_by_department()
    found = {
        r["department"]: (r["requested"], r["done"], r["pending"], r["refused"], r["failed"]) for r in rows
    }
    expected = {k: v for k, v in population.QUALIFICATIONS.items() if v[0]}
    assert found == expected


def test_a_change_version_is_a_new_filing_but_not_a_new_operator_or_qualification(clock, reviewer):
    admin = enterprise_admin_in("330106")
    clock("2026-05-04 10:00")
    first = builders.active(admin, reviewer)
    done_before = {r["department"]: r["done"] for r in filing_statistics.qualifications_by_department()}

    clock("2026-06-01 10:00")
    change = services.filing_change(filing=first, by=admin)
    change = services.filing_update_draft(filing=change, by=admin, data={"contact_phone": "13900001111"})
    change = services.filing_submit(filing=change, by=admin)
    clock("2026-06-02 10:00")
    change = services.filing_approve(filing=services.filing_accept(filing=change, by=reviewer), by=reviewer)
    change.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, change.status) == (FilingStatus.SUPERSEDED, FilingStatus.ACTIVE)

    assert [r["count"] for r in filing_statistics.active_operators_by_role()] == [1]
    done_after = {r["department"]: r["done"] for r in filing_statistics.qualifications_by_department()}
    assert done_after == done_before  # carried over, not requested again
    submitted = filing_statistics.filings_submitted_per_month(since=SINCE)
    assert {periods.month_of(r["month"]): r["submitted"] for r in submitted} == {
        date(2026, 5, 1): 1,
        date(2026, 6, 1): 1,
    }


def test_each_aggregate_is_one_query_whatever_the_rows(province, django_assert_num_queries):
    for function in (
        filing_statistics.active_operators_by_role,
        filing_statistics.active_operators_by_city,
        filing_statistics.qualifications_by_department,
    ):
        with django_assert_num_queries(1):
            function()
    for function in (
        filing_statistics.filings_submitted_per_month,
        filing_statistics.decisions_per_month,
        filing_statistics.headline,
    ):
        with django_assert_num_queries(1):
            function(since=SINCE)
    with django_assert_num_queries(2):
        selectors.exchange_traffic_per_month(since=SINCE)


def test_exchange_traffic_per_department_and_month_matches_a_row_by_row_count(province):
    sent, received = selectors.exchange_traffic_per_month(since=SINCE)
    assert sent == population.sent_oracle(MONTHS)
    receipts = Receipt.objects.values_list("department", "received_at")
    assert received == population.per_department_month(receipts, MONTHS)
    # Spot checks by hand: A and B (March) each sent two customs messages (registration, E-Port card);
    # I's messages (2024) are outside the window; E's foreign-trade filing was never answered.
    assert sent[("customs", date(2026, 3, 1))] == 4
    assert ("customs", date(2024, 6, 1)) not in sent
    assert sent.get(("commerce", date(2026, 11, 1)), 0) == 0


def test_headline_is_operators_now_and_approvals_in_the_window(province, statistics_official):
    assert filing_statistics.headline(since=SINCE) == {"operators": 5, "approved": 5}
    assert selectors.headline(user=statistics_official, today=population.TODAY) == {
        "operators": 5,
        "approved": 5,
    }


def _natural_person(admin, reviewer, *, name: str, id17: str, division: str):
    filing = services.filing_create_draft(
        owner=admin.organisation,
        by=admin,
        entity_type=EntityType.APPLICATION,
        subtype=Subtype.NATURAL_PERSON,
        data={
            **builders.complete_data(),
            "name_cn": name,
            "legal_rep_name": name,
            "contact_name": name,
            "legal_rep_id_no": id17 + resident_id_check_char(id17),
            "division_code": division,
        },
    )
    for kind, file_name, content in (
        (AttachmentKind.LEGAL_REP_ID, "id.png", builders.png_bytes()),
        (AttachmentKind.AUTHORISATION_LETTER, "auth.pdf", builders.pdf_bytes()),
    ):
        services.attachment_add(
            filing=filing, by=admin, kind=kind, upload=builders.upload(file_name, content)
        )
    filing = services.filing_submit(filing=filing, by=admin)
    filing = services.filing_accept(filing=filing, by=reviewer)
    return services.filing_approve(filing=filing, by=reviewer)


def test_each_natural_person_seller_is_an_operator_in_their_own_city(reviewer):
    """A comprehensive provider files many natural-person sellers (rule E-7): each ACTIVE one counts, in
    the division of that person's address, not the provider's."""
    admin = enterprise_admin_in("330106")
    builders.active(admin, reviewer, entity_type=EntityType.SERVICE, subtype=Subtype.COMPREHENSIVE)
    first = _natural_person(admin, reviewer, name="王小二", id17="33078219900101123", division="330782")
    second = _natural_person(admin, reviewer, name="李小三", id17="33010619920202234", division="330106")
    assert (first.status, second.status) == (FilingStatus.ACTIVE, FilingStatus.ACTIVE)

    by_role = {
        (r["entity_type"], r["subtype"]): r["count"] for r in filing_statistics.active_operators_by_role()
    }
    assert by_role == {("APPLICATION", "NATURAL_PERSON"): 2, ("SERVICE", "COMPREHENSIVE"): 1}
    by_city = {r["city"]: r["count"] for r in filing_statistics.active_operators_by_city()}
    assert by_city == {"3301": 2, "3307": 1}
