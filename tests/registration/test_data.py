"""Data migrations (return reasons, holiday calendar), the calendar command and the demo seeder."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command

from portal.models import Organisation
from portal.seeding import ENTERPRISES, seed_shell
from registration.choices import CalendarKind, FilingStatus, TaskStatus
from registration.models import EntityFiling, HolidayCalendar, ReturnReason

pytestmark = pytest.mark.django_db

reasons_migration = importlib.import_module("registration.migrations.0002_return_reasons")
calendar_migration = importlib.import_module("registration.migrations.0003_holiday_calendar")


def test_return_reasons_are_seeded_in_both_languages():
    codes = set(ReturnReason.objects.filter(active=True).values_list("code", flat=True))
    assert codes == {code for code, _zh, _en in reasons_migration.REASONS}
    other = ReturnReason.objects.get(code="OTHER")
    assert other.label_zh == "其他（见审核意见）"
    assert other.label_en.startswith("Other")


def test_return_reason_seed_is_idempotent_and_reversible():
    reasons_migration.seed(apps, None)
    assert ReturnReason.objects.count() == len(reasons_migration.REASONS)
    reasons_migration.unseed(apps, None)
    assert not ReturnReason.objects.exists()
    reasons_migration.seed(apps, None)
    assert ReturnReason.objects.count() == len(reasons_migration.REASONS)


def test_calendar_migration_seeds_every_library_year_and_skips_existing_rows():
    from chinese_calendar import constants

    assert HolidayCalendar.objects.filter(kind=CalendarKind.HOLIDAY).count() == len(constants.holidays)
    assert HolidayCalendar.objects.filter(kind=CalendarKind.MAKEUP_WORKDAY).count() == len(constants.workdays)
    before = HolidayCalendar.objects.count()
    calendar_migration.seed(apps, None)
    assert HolidayCalendar.objects.count() == before


def test_seed_command_restores_a_year_and_keeps_manual_rows():
    HolidayCalendar.objects.filter(date__year=2024).delete()
    HolidayCalendar.objects.create(
        date=date(2024, 10, 1), kind=CalendarKind.HOLIDAY, name="手工", source="manual"
    )
    call_command("registration_seed_holidays", "2024")
    assert HolidayCalendar.objects.filter(date=date(2024, 9, 14), kind=CalendarKind.MAKEUP_WORKDAY).exists()
    assert HolidayCalendar.objects.get(date=date(2024, 10, 1)).source == "manual"


def test_demo_seeder_makes_a_waiting_and_an_approved_filing_and_is_idempotent():
    """No receipt is fabricated: the platform's qualifications wait in the outbox for the worker and govmock
    (make run); answering them as govmock does turns the filing ACTIVE."""
    from exchange.models import Message
    from registration.seeding import seed_registration
    from tests.registration import builders

    seed_shell()
    seed_registration()
    seed_registration()
    platform, seller, service = (Organisation.objects.get(code=row[0]) for row in ENTERPRISES)
    waiting = EntityFiling.objects.get(owner=service)
    assert waiting.status == FilingStatus.SUBMITTED
    assert waiting.filing_no
    approved = EntityFiling.objects.get(owner=platform)
    assert approved.status == FilingStatus.APPROVED
    assert not approved.qualifications.filter(status=TaskStatus.DONE).exists()
    assert not approved.customs_code and not approved.dxp_id
    sent = Message.objects.filter(message_id__in=approved.qualifications.values("message__message_id"))
    assert sent.count() == approved.qualifications.exclude(message=None).count() >= 4
    assert not EntityFiling.objects.filter(owner=seller).exists()
    builders.answer_all(approved)
    approved.refresh_from_db()
    assert approved.status == FilingStatus.ACTIVE and approved.customs_code and approved.fx_class == "A"
