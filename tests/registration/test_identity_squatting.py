"""Issue 8 §2–3: a draft cannot claim another organisation's identity, drafts hold no identity slot, no
unique constraint answers 500, and the bureau can find and clear whatever blocks a filing."""

import pytest
from django.core.exceptions import ValidationError

from registration import services
from registration.choices import EntityType, FilingStatus, Subtype
from registration.models import EntityFiling
from tests import factories
from tests.registration import builders

pytestmark = pytest.mark.django_db
BASE = "/api/v1/registration/filings/"


def _fresh_draft(admin):
    return services.filing_create_draft(
        owner=admin.organisation, by=admin, entity_type=EntityType.APPLICATION, subtype=Subtype.ENTERPRISE
    )


def test_a_draft_cannot_take_another_organisations_credit_code(api_as, enterprise_admin, other_admin):
    victim_code = enterprise_admin.organisation.code
    squatter_draft = _fresh_draft(other_admin)

    response = api_as(other_admin).patch(
        f"{BASE}{squatter_draft.pk}/", {"uscc": victim_code}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("uscc_not_own", "uscc")
    assert other_admin.organisation.code in body["message"]
    squatter_draft.refresh_from_db()
    assert squatter_draft.uscc == other_admin.organisation.code
    # The rightful holder files, and later changes its active filing, as if nothing had happened.
    assert builders.submitted(enterprise_admin).status == FilingStatus.SUBMITTED


def test_the_rightful_holder_can_change_its_active_filing_after_an_attempt(
    api_as, enterprise_admin, other_admin, reviewer
):
    active = builders.active(enterprise_admin, reviewer)
    squatter_draft = _fresh_draft(other_admin)
    api_as(other_admin).patch(
        f"{BASE}{squatter_draft.pk}/", {"uscc": enterprise_admin.organisation.code}, format="json"
    )
    change = services.filing_change(filing=active, by=enterprise_admin)
    assert change.status == FilingStatus.DRAFT


def test_no_oracle_a_code_with_an_open_filing_answers_like_an_unused_code(
    api_as, enterprise_admin, other_admin
):
    """Before the fix a code with an open filing for the role raised IntegrityError (500) and an unused code
    answered 200: anyone could ask whether any enterprise had a filing in progress."""
    builders.submitted(enterprise_admin)
    unused = factories.EnterpriseFactory().code
    squatter_draft = _fresh_draft(other_admin)
    api = api_as(other_admin)

    busy = api.patch(
        f"{BASE}{squatter_draft.pk}/", {"uscc": enterprise_admin.organisation.code}, format="json"
    )
    idle = api.patch(f"{BASE}{squatter_draft.pk}/", {"uscc": unused}, format="json")

    assert busy.status_code == idle.status_code == 400
    assert busy.json() == idle.json()


def test_the_step_page_refuses_another_code_with_a_field_error(client, enterprise_admin, other_admin):
    builders.submitted(enterprise_admin)
    squatter_draft = _fresh_draft(other_admin)
    client.force_login(other_admin)
    response = client.post(
        f"/registration/filings/{squatter_draft.pk}/edit/entity/",
        {"uscc": enterprise_admin.organisation.code, "name_cn": "某某公司"},
    )
    assert response.status_code == 200
    assert "uscc" in response.context["form"].errors
    squatter_draft.refresh_from_db()
    assert squatter_draft.uscc == other_admin.organisation.code
    assert squatter_draft.name_cn != "某某公司"  # nothing half-saved


def test_a_natural_person_draft_holds_no_slot(reviewer):
    """Two providers may both start a filing for one person; only a submitted filing holds the person's
    slot, so a draft left lying about blocks nobody."""
    first_admin, second_admin = (
        builders.comprehensive_provider(reviewer),
        builders.comprehensive_provider(reviewer),
    )
    first = builders.person_draft(first_admin)
    second = builders.person_draft(second_admin)
    services.filing_submit(filing=second, by=second_admin)
    with pytest.raises(ValidationError) as refused:
        services.filing_submit(filing=first, by=first_admin)
    assert "identity_active_elsewhere" in {
        e.code for errors in refused.value.error_dict.values() for e in errors
    }
    assert EntityFiling.objects.get(pk=first.pk).status == FilingStatus.DRAFT


def test_the_bureau_finds_and_releases_what_blocks_a_person(client, api_as, reviewer, supervisor):
    holder_admin, blocked_admin = (
        builders.comprehensive_provider(reviewer),
        builders.comprehensive_provider(reviewer),
    )
    holder = services.filing_submit(filing=builders.person_draft(holder_admin), by=holder_admin)
    holder = services.filing_accept(filing=holder, by=reviewer)
    holder = services.filing_return(filing=holder, by=reviewer, reason_codes=[], note="补充材料")
    with pytest.raises(ValidationError):
        builders.person_draft(blocked_admin)

    client.force_login(supervisor)
    page = client.get("/registration/identities/", {"q": builders.RESIDENT_ID})
    rows = page.context["page_obj"].object_list
    assert [(f.pk, f.holds_slot) for f in rows] == [(holder.pk, True)]
    assert f"/registration/review/{holder.pk}/#action-release" in page.content.decode()

    # A reviewer may look but not release; the supervisor releases with a reason, in the API too.
    refused = api_as(reviewer).post(f"{BASE}{holder.pk}/release/", {"reason": "长期未补正"}, format="json")
    assert refused.status_code == 403
    no_reason = api_as(supervisor).post(f"{BASE}{holder.pk}/release/", {"reason": " "}, format="json")
    assert no_reason.status_code == 400
    done = api_as(supervisor).post(f"{BASE}{holder.pk}/release/", {"reason": "长期未补正"}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == FilingStatus.WITHDRAWN
    blocked = builders.person_draft(blocked_admin)
    assert services.filing_submit(filing=blocked, by=blocked_admin).status == FilingStatus.SUBMITTED
    again = api_as(supervisor).post(f"{BASE}{holder.pk}/release/", {"reason": "再次"}, format="json")
    assert again.status_code == 409


def test_only_a_returned_filing_can_be_released(api_as, enterprise_admin, supervisor):
    filing = builders.submitted(enterprise_admin)
    response = api_as(supervisor).post(f"{BASE}{filing.pk}/release/", {"reason": "x"}, format="json")
    assert response.status_code == 409


def test_the_lookup_is_the_bureaus(client, enterprise_admin, customs_officer, reviewer):
    for user in (enterprise_admin, customs_officer):
        client.force_login(user)
        assert (
            client.get("/registration/identities/", {"q": enterprise_admin.organisation.code}).status_code
            == 403
        )
    client.force_login(reviewer)
    builders.submitted(enterprise_admin)
    page = client.get("/registration/identities/", {"q": enterprise_admin.organisation.code.lower()})
    assert len(page.context["page_obj"].object_list) == 1
    assert client.get("/registration/identities/", {"q": "nonsense"}).context["page_obj"].object_list == []
