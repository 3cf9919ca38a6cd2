"""Regression tests of the smaller review findings: one overdue definition, the due-date race, the customs
code warning, translated API messages, the API queue position and the locked identity of a person's change."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from registration import clock, selectors, services
from registration.choices import AttachmentKind, EntityType, Subtype
from registration.models import EntityFiling
from registration.services.calendar import apply_due_date
from registration.validation import fields
from tests.registration import builders

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
API = "/api/v1/registration/filings/"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def freeze(clock):
    """``freeze(moment)``: the suite's clock (``clock`` here is the service clock module)."""
    return clock


def test_overdue_is_one_definition_on_a_weekend(client, api_as, enterprise_admin, reviewer, freeze):
    freeze(at(2024, 11, 1, 10))  # Friday; five working days → due Friday 8 November
    filing = builders.submitted(enterprise_admin)
    assert filing.clock_due_on.isoformat() == "2024-11-08"
    freeze(at(2024, 11, 9, 10))  # Saturday after the due date: no working day passed, but it is late
    state = clock.clock_state(EntityFiling.objects.get(pk=filing.pk))
    assert state.used == 5 and state.overdue
    assert selectors.queue(reviewer, which="all", age="overdue").filter(pk=filing.pk).exists()
    assert selectors.queue_counts(reviewer)["overdue"] == 1
    body = api_as(reviewer).get(f"{API}{filing.pk}/").json()
    assert body["clock"]["overdue"] is True
    assert [f["id"] for f in api_as(reviewer).get(API, {"overdue": "true"}).json()["results"]] == [filing.pk]
    freeze(at(2024, 11, 8, 17))  # the due day itself is not late
    assert not clock.clock_state(EntityFiling.objects.get(pk=filing.pk)).overdue
    assert not selectors.queue(reviewer, which="all", age="overdue").exists()


def test_a_due_date_computed_before_a_pause_is_not_written_after_it(enterprise_admin, reviewer):
    filing = builders.under_review(enterprise_admin, reviewer)
    seen = EntityFiling.objects.get(pk=filing.pk)  # what the recomputation read
    services.filing_return(filing=filing, by=reviewer, note="改")  # pauses the clock meanwhile
    assert apply_due_date(seen, seen.clock_due_on.replace(year=seen.clock_due_on.year + 1)) == 0
    assert EntityFiling.objects.get(pk=filing.pk).clock_due_on is None


def test_customs_code_with_an_unusual_zone_digit_is_accepted_with_a_warning(client):
    (warning,) = fields.customs_code_problems("3301761234")
    assert (warning.code, warning.blocking, warning.position) == ("customs_zone_unusual", False, 5)
    assert fields.customs_code_problems("3301961234") == []
    answer = client.get("/registration/validate/customs_code/", {"value": "3301761234"}).json()
    assert answer["ok"] is True and answer["warning"] is True


def test_api_validation_messages_are_translated(api_as, enterprise_admin):
    api = api_as(enterprise_admin)
    missing = api.post(API, {"subtype": "ENTERPRISE"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert missing.status_code == 400 and "必填" in missing.json()["message"]
    filing = builders.draft(enterprise_admin)
    changed = api.patch(f"{API}{filing.pk}/", {"entity_type": "SERVICE"}, format="json")
    assert changed.status_code == 400 and "不能更改" in changed.json()["message"]


def test_api_gives_the_queue_position_without_a_query_per_row(
    api_as, enterprise_admin, other_admin, reviewer
):
    first = builders.submitted(enterprise_admin)
    second = builders.submitted(other_admin)
    assert api_as(other_admin).get(f"{API}{second.pk}/").json()["queue_position"] == {
        "position": 2,
        "length": 2,
    }
    rows = {r["id"]: r["queue_position"] for r in api_as(reviewer).get(API).json()["results"]}
    assert rows == {first.pk: {"position": 1, "length": 2}, second.pk: {"position": 2, "length": 2}}
    services.filing_accept(filing=first, by=reviewer)
    assert api_as(enterprise_admin).get(f"{API}{first.pk}/").json()["queue_position"] is None


@pytest.fixture
def person(enterprise_admin, reviewer):
    builders.active(enterprise_admin, reviewer, entity_type=EntityType.SERVICE, subtype=Subtype.COMPREHENSIVE)
    filing = services.filing_create_draft(
        owner=enterprise_admin.organisation,
        by=enterprise_admin,
        entity_type=EntityType.APPLICATION,
        subtype=Subtype.NATURAL_PERSON,
        data={**builders.complete_data(), "name_cn": "王小明", "division_code": "330782"},
    )
    for kind in (AttachmentKind.LEGAL_REP_ID, AttachmentKind.AUTHORISATION_LETTER):
        services.attachment_add(
            filing=filing,
            by=enterprise_admin,
            kind=kind,
            upload=builders.upload("a.png", builders.png_bytes()),
        )
    filing = services.filing_submit(filing=filing, by=enterprise_admin)
    filing = services.filing_accept(filing=filing, by=reviewer)
    return services.filing_approve(filing=filing, by=reviewer)


@pytest.mark.parametrize(
    "data",
    [
        {"legal_rep_id_no": "33010619900101123" + fields.resident_id_check_char("33010619900101123")},
        {"legal_rep_id_type": "PASSPORT"},
        {"name_cn": "李四"},
        {"legal_rep_name": "李四"},
    ],
)
def test_a_natural_persons_change_cannot_swap_the_person(person, enterprise_admin, data):
    change = services.filing_change(filing=person, by=enterprise_admin)
    with pytest.raises(ValidationError) as info:
        services.filing_update_draft(filing=change, by=enterprise_admin, data=data)
    assert {e.code for errors in info.value.error_dict.values() for e in errors} == {"identity_locked"}


def test_a_natural_persons_change_may_update_contact_details(person, enterprise_admin):
    change = services.filing_change(filing=person, by=enterprise_admin)
    data = {"contact_phone": "0579-85551234", "legal_rep_id_no": "", "name_cn": "王小明"}
    change = services.filing_update_draft(filing=change, by=enterprise_admin, data=data)
    assert change.contact_phone == "0579-85551234"
