"""A transactional test's flush empties the data migrations' tables; ``migration_data.restore`` puts their
rows back, so the next test (a browser story whose worker checks code lists) starts from what ``migrate``
leaves."""

import pytest
from django.core.management import call_command

from customs.models import Country, HSCode, ReferenceListInfo
from customs.selectors.reference import hs_code
from registration.models import HolidayCalendar, ReturnReason
from tests.support import migration_data


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_data_migrations_rows_back():
    counts = {
        model: model.objects.count()
        for model in (Country, HSCode, ReferenceListInfo, HolidayCalendar, ReturnReason)
    }
    assert all(counts.values()), counts
    code = HSCode.objects.values_list("code", flat=True).first()

    call_command("flush", interactive=False, verbosity=0)
    assert not any(model.objects.exists() for model in counts)

    assert migration_data.restore() == [
        "registration.0002_return_reasons",
        "registration.0003_holiday_calendar",
        "customs.0002_load_reference_data",
    ]
    assert {model: model.objects.count() for model in counts} == counts
    assert hs_code(code) is not None  # the process's cached code lists were dropped with the flushed rows
    assert migration_data.restore() == []  # nothing missing: nothing done
