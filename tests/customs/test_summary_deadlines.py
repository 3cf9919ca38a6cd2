"""Summary deadlines (DOMAIN §3.9): the 15th of the following month on the working-day calendar, the page,
and the daily reminders (5 days and 1 day before, overdue) sent once each."""

from datetime import date, datetime, timedelta

import pytest

from customs.selectors.summaries import deadlines, summary_deadline
from customs.services.reminders import summary_reminders_send
from customs.services.summaries import summary_preview, summary_submit
from portal.models import Notification
from registration.choices import CalendarKind
from registration.models import HolidayCalendar
from tests.customs.summary_kit import SHANGHAI, closed_list
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def holidays(first: date, last: date, *makeup: date):
    day = first
    while day <= last:
        HolidayCalendar.objects.update_or_create(date=day, defaults={"kind": CalendarKind.HOLIDAY})
        day += timedelta(days=1)
    for day in makeup:
        HolidayCalendar.objects.update_or_create(date=day, defaults={"kind": CalendarKind.MAKEUP_WORKDAY})


@pytest.fixture
def spring_festival_2026():
    """2026 Spring Festival: 15–23 February off, Saturdays 14 and 28 February worked."""
    holidays(date(2026, 2, 15), date(2026, 2, 23), date(2026, 2, 14), date(2026, 2, 28))


@pytest.mark.parametrize(
    ("month", "deadline"),
    [
        (date(2024, 3, 1), date(2024, 4, 15)),  # a Monday
        (date(2024, 5, 1), date(2024, 6, 17)),  # Saturday 15th → Monday
        (date(2023, 9, 1), date(2023, 10, 16)),  # Sunday 15th → Monday
        (date(2025, 2, 1), date(2025, 3, 17)),
    ],
)
def test_domain_vectors(month, deadline):
    assert summary_deadline(month) == deadline


def test_mid_autumn_2024():
    holidays(date(2024, 9, 15), date(2024, 9, 17), date(2024, 9, 14))
    assert summary_deadline(date(2024, 8, 1)) == date(2024, 9, 18)


def test_the_15th_inside_the_spring_festival(spring_festival_2026):
    assert summary_deadline(date(2026, 1, 1)) == date(2026, 2, 24)


def test_a_makeup_saturday_is_a_working_day():
    HolidayCalendar.objects.update_or_create(
        date=date(2025, 3, 15), defaults={"kind": CalendarKind.MAKEUP_WORKDAY}
    )
    assert summary_deadline(date(2025, 2, 1)) == date(2025, 3, 15)


def test_deadlines_per_enterprise(seller, seller_user, spring_festival_2026):
    january = datetime(2026, 1, 20, 9, 0, tzinfo=SHANGHAI)
    closed_list(seller, closed_at=january)
    closed_list(seller, closed_at=january)
    closed_list(seller, closed_at=datetime(2026, 2, 3, tzinfo=SHANGHAI))  # the running month: not shown
    (row,) = deadlines(owner=seller, today=date(2026, 2, 20))
    assert (row.period, row.deadline, row.closed, row.waiting) == (date(2026, 1, 1), date(2026, 2, 24), 2, 2)
    assert row.due_soon(date(2026, 2, 20)) and not row.overdue(date(2026, 2, 24))
    assert row.overdue(date(2026, 2, 25))
    summary = summary_preview(consignor=seller, month="2026-01", by=seller_user, today=date(2026, 2, 20))
    (row,) = deadlines(owner=seller, today=date(2026, 2, 20))
    assert row.waiting == 2  # a preview does not count as summarised
    summary_submit(summary=summary, by=seller_user)
    (row,) = deadlines(owner=seller, today=date(2026, 2, 20))
    assert row.waiting == 0 and row.done


def test_the_deadlines_page_shows_the_holiday_deadline(
    client, seller, seller_user, clock, spring_festival_2026
):
    clock("2026-02-20 10:00")
    closed_list(seller, closed_at=datetime(2026, 1, 20, tzinfo=SHANGHAI))
    other = closed_list(
        UserFactory(role="enterprise_admin").organisation, closed_at=datetime(2026, 1, 5, tzinfo=SHANGHAI)
    )
    client.force_login(seller_user)
    page = client.get("/customs/summaries/deadlines/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-month="2026-01"' in html and "2026-02-24" in html
    assert html.count("data-month=") == 1, other


def test_officers_see_overdue_enterprises(client, customs_officer, seller, clock):
    clock("2025-03-20 10:00")
    closed_list(seller)
    client.force_login(customs_officer)
    html = client.get("/customs/summaries/deadlines/?overdue=1").content.decode()
    assert seller.name_cn in html and "2025-03-17" in html


def test_a_tax_officer_cannot_open_the_page(client, tax_officer):
    client.force_login(tax_officer)
    assert client.get("/customs/summaries/deadlines/").status_code == 403


def test_reminders_are_sent_once_each(seller, seller_user, customs_officer):
    closed_list(seller)  # February 2025: deadline Monday 17 March
    assert summary_reminders_send(today=date(2025, 3, 10)) == {}
    assert summary_reminders_send(today=date(2025, 3, 12)) == {"5d": 1}
    assert summary_reminders_send(today=date(2025, 3, 13)) == {}
    assert summary_reminders_send(today=date(2025, 3, 16)) == {"1d": 1}
    assert summary_reminders_send(today=date(2025, 3, 17)) == {}
    assert summary_reminders_send(today=date(2025, 3, 18)) == {"overdue": 1}
    assert summary_reminders_send(today=date(2025, 3, 19)) == {}
    mine = Notification.objects.filter(recipient=seller_user).order_by("id")
    assert [n.verb for n in mine] == ["customs.summary.5d", "customs.summary.1d", "customs.summary.overdue"]
    assert "2025-02" in mine[0].shown_title and "2025-03-17" in mine[0].shown_title
    (flag,) = Notification.objects.filter(recipient=customs_officer)
    assert flag.verb == "customs.summary.overdue_enterprises" and seller.name_cn in flag.shown_body


def test_no_reminder_once_the_month_is_summarised(seller, seller_user):
    closed_list(seller)
    summary = summary_preview(consignor=seller, month="2025-02", by=seller_user, today=date(2025, 3, 3))
    summary_submit(summary=summary, by=seller_user)
    assert summary_reminders_send(today=date(2025, 3, 12)) == {}
    assert summary_reminders_send(today=date(2025, 3, 18)) == {}


def test_the_beat_entry_runs_the_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["customs-summary-deadlines"]
    assert entry["task"] == "customs.summary_deadlines"
    from customs.tasks import summary_deadlines

    assert summary_deadlines.name == "customs.summary_deadlines"
