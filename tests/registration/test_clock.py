"""The statutory working-day calendar (make-up workdays included) and the service clock.

The clock counts working days with the bureau and pauses while the filing is RETURNED.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from registration import clock, services
from registration.choices import CalendarKind
from registration.models import EntityFiling, HolidayCalendar
from registration.services.calendar import calendar_day_set
from tests.registration import builders

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def freeze(clock):
    """``freeze(moment)``: the suite's clock (``clock`` here is the service clock module)."""
    return clock


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 4, 15), True),  # Monday
        (date(2024, 6, 15), False),  # Saturday
        (date(2024, 6, 17), True),
        (date(2024, 9, 14), True),  # Saturday, make-up working day for Mid-Autumn
        (date(2024, 9, 15), False),  # Mid-Autumn holiday (a Sunday)
        (date(2024, 9, 16), False),
        (date(2024, 9, 17), False),
        (date(2024, 9, 18), True),
        (date(2024, 10, 1), False),  # National Day
        (date(2024, 10, 12), True),  # Saturday, make-up working day
        (date(2023, 10, 15), False),
        (date(2025, 3, 15), False),
    ],
)
def test_is_working_day_on_the_seeded_statutory_calendar(day, working):
    assert clock.is_working_day(day) is working


@pytest.mark.parametrize(
    ("fifteenth", "deadline"),
    [
        (date(2024, 4, 15), date(2024, 4, 15)),
        (date(2024, 6, 15), date(2024, 6, 17)),
        (date(2024, 9, 15), date(2024, 9, 18)),
        (date(2023, 10, 15), date(2023, 10, 16)),
        (date(2025, 3, 15), date(2025, 3, 17)),
    ],
)
def test_domain_3_9_deadline_vectors(fifteenth, deadline):
    assert clock.WorkingCalendar().next_working_day(fifteenth) == deadline


def test_working_days_count_make_up_days_and_skip_holidays():
    calendar = clock.WorkingCalendar()
    # After Friday 27 Sep 2024: Sun 29 (make-up) and Mon 30 count; 1–7 Oct is the holiday; 8 and 9 Oct count.
    assert calendar.working_days_between(date(2024, 9, 27), date(2024, 10, 9)) == 4
    assert calendar.add_working_days(date(2024, 9, 27), 5) == date(2024, 10, 10)


def test_clock_runs_pauses_while_returned_and_resumes(enterprise_admin, reviewer, freeze):
    freeze(at(2024, 9, 27, 10))
    filing = builders.under_review(enterprise_admin, reviewer)
    assert filing.clock_due_on == date(2024, 10, 10)
    freeze(at(2024, 9, 30, 15))
    filing = services.filing_return(filing=filing, by=reviewer, note="请补充授权委托书")
    assert (filing.clock_banked_days, filing.clock_running_since, filing.clock_due_on) == (2, None, None)
    # With the applicant from 30 Sep to 10 Oct: none of those working days count.
    state = clock.clock_state(filing, now=at(2024, 10, 10, 8))
    assert (state.used, state.running, state.overdue) == (2, False, False)
    freeze(at(2024, 10, 10, 9))
    filing = services.filing_submit(filing=filing, by=enterprise_admin)
    # 3 days left: Fri 11, Sat 12 (make-up working day), Mon 14.
    assert filing.clock_due_on == date(2024, 10, 14)
    state = clock.clock_state(filing, now=at(2024, 10, 12, 18))
    assert (state.used, state.left, state.overdue) == (4, 1, False)
    state = clock.clock_state(filing, now=at(2024, 10, 15, 9))
    assert (state.used, state.overdue) == (6, True)


def test_overdue_filings_are_filtered_and_highlighted(client, enterprise_admin, reviewer, freeze):
    freeze(at(2024, 9, 27, 10))
    late = builders.submitted(enterprise_admin)
    freeze(at(2024, 10, 15, 9))
    client.force_login(reviewer)
    page = client.get("/registration/review/", {"queue": "all", "age": "overdue"})
    assert [f.pk for f in page.context["page_obj"]] == [late.pk]
    assert 'class="is-overdue"' in page.content.decode()
    assert page.context["counts"]["overdue"] == 1


def test_decision_stops_the_clock(enterprise_admin, reviewer, freeze):
    freeze(at(2024, 9, 27, 10))
    filing = builders.under_review(enterprise_admin, reviewer)
    freeze(at(2024, 10, 9, 10))
    filing = services.filing_approve(filing=filing, by=reviewer)
    state = clock.clock_state(filing, now=at(2024, 12, 31))
    assert (state.used, state.running, filing.clock_due_on) == (4, False, None)


def test_administrators_extend_the_calendar_and_due_dates_follow(
    enterprise_admin, reviewer, system_admin, freeze
):
    freeze(at(2031, 3, 3, 10))  # a Monday in a year the library does not cover
    calendar = clock.WorkingCalendar()
    assert not calendar.covers(2031)
    assert calendar.uncovered_years(2031) == [2031]
    filing = builders.submitted(enterprise_admin)
    assert filing.clock_due_on == date(2031, 3, 10)  # Monday to Friday fallback
    calendar_day_set(day=date(2031, 3, 5), kind=CalendarKind.HOLIDAY, name="test holiday", by=system_admin)
    assert EntityFiling.objects.get(pk=filing.pk).clock_due_on == date(2031, 3, 11)
    assert clock.WorkingCalendar().covers(2031)
    with pytest.raises(ValidationError) as info:
        calendar_day_set(day=date(2031, 3, 6), kind=CalendarKind.MAKEUP_WORKDAY, name="x", by=system_admin)
    assert info.value.error_dict["date"][0].code == "makeup_weekday"


def test_uncovered_year_shows_a_warning_on_the_workbench(client, reviewer, freeze):
    freeze(at(2031, 3, 3, 10))
    client.force_login(reviewer)
    client.cookies["portal_language"] = "en"
    page = client.get("/registration/review/").content.decode()
    assert "no entries for 2031" in page


def test_enterprise_sees_working_days_left_and_queue_position(client, enterprise_admin, other_admin, freeze):
    freeze(at(2024, 9, 23, 10))
    builders.submitted(other_admin)
    freeze(at(2024, 9, 24, 10))
    mine = builders.submitted(enterprise_admin)
    freeze(at(2024, 9, 25, 10))
    client.force_login(enterprise_admin)
    client.cookies["portal_language"] = "en"
    page = client.get(f"/registration/filings/{mine.pk}/")
    assert page.context["queue_position"] == (2, 2)
    assert page.context["clock"].left == 4
    text = page.content.decode()
    assert "2 of 2 waiting" in text
    assert "4 working days left of 5" in text


def test_calendar_rows_seeded_by_migration():
    assert HolidayCalendar.objects.filter(date=date(2024, 9, 14), kind=CalendarKind.MAKEUP_WORKDAY).exists()
    assert HolidayCalendar.objects.filter(date=date(2024, 10, 1), kind=CalendarKind.HOLIDAY).exists()
    assert HolidayCalendar.objects.filter(date__year=2004).exists()
