"""Who sees what (ADR 0015): drafts are the applicant's alone, scans go to the applicant and the reviewers,
internal review steps stay inside the bureau, and the public page shows nothing private."""

import pytest
from django.utils import translation

from portal.models import AuditEvent
from registration import selectors, services
from registration.choices import AttachmentKind, EntityType, FilingStatus, Subtype
from registration.models import EntityFiling, FieldComment, FilingAttachment, QualificationTask
from tests.registration import builders

pytestmark = pytest.mark.django_db
API = "/api/v1/registration/filings/"


@pytest.fixture
def draft(enterprise_admin):
    return builders.draft(enterprise_admin)


@pytest.mark.parametrize("who", ["reviewer", "supervisor"])
def test_officers_do_not_see_drafts_in_lists_pages_or_api(
    client, api_as, request, draft, enterprise_admin, who
):
    officer = request.getfixturevalue(who)
    submitted = builders.submitted(
        enterprise_admin, entity_type=EntityType.SERVICE, subtype=Subtype.LOGISTICS
    )
    assert list(EntityFiling.objects.visible_to(officer)) == [submitted]
    assert not FilingAttachment.objects.visible_to(officer).filter(filing=draft).exists()
    assert FilingAttachment.objects.visible_to(officer).filter(filing=submitted).exists()
    client.force_login(officer)
    assert client.get(f"/registration/review/{draft.pk}/").status_code == 404
    assert client.get(f"/registration/filings/{draft.pk}/").status_code == 404
    assert client.post(f"/registration/review/{draft.pk}/claim/").status_code == 404
    queue_all = client.get("/registration/review/?queue=all").content.decode()
    assert f"/registration/review/{submitted.pk}/" in queue_all
    assert f"/registration/review/{draft.pk}/" not in queue_all
    api = api_as(officer)
    assert [row["id"] for row in api.get(API).json()["results"]] == [submitted.pk]
    for suffix in ("", "timeline/", "attachments/", "comments/", "qualifications/", "completeness/"):
        assert api.get(f"{API}{draft.pk}/{suffix}").status_code == 404, suffix


def test_the_full_id_number_of_a_draft_is_never_shown_to_an_officer(client, draft, reviewer):
    client.force_login(reviewer)
    response = client.get(f"/registration/review/{draft.pk}/")
    assert response.status_code == 404
    assert builders.RESIDENT_ID not in response.content.decode()


def test_a_draft_withdrawn_before_submission_never_reaches_the_all_queue(draft, enterprise_admin, reviewer):
    services.filing_withdraw(filing=draft, by=enterprise_admin)
    assert not selectors.queue(reviewer, which="all").filter(pk=draft.pk).exists()


def test_a_filing_withdrawn_after_return_stays_visible_to_the_bureau(enterprise_admin, reviewer):
    filing = builders.returned(enterprise_admin, reviewer)
    services.filing_withdraw(filing=filing, by=enterprise_admin)
    assert selectors.queue(reviewer, which="all").filter(pk=filing.pk).exists()
    assert FieldComment.objects.visible_to(reviewer).filter(filing=filing).exists()


def test_a_change_version_is_invisible_to_officers_until_submitted(client, enterprise_admin, reviewer):
    base = builders.active(enterprise_admin, reviewer)
    change = services.filing_change(filing=base, by=enterprise_admin)
    assert not EntityFiling.objects.visible_to(reviewer).filter(pk=change.pk).exists()
    client.force_login(reviewer)
    page = client.get(f"/registration/review/{base.pk}/").content.decode()
    assert f"/registration/filings/{change.pk}/" not in page
    assert QualificationTask.objects.visible_to(reviewer).filter(filing=base).exists()
    services.filing_submit(filing=change, by=enterprise_admin)
    assert EntityFiling.objects.visible_to(reviewer).filter(pk=change.pk).exists()


def test_the_applicant_and_a_colleague_officer_of_the_same_organisation_still_see_the_draft(
    draft, enterprise_operator, own_org_reviewer
):
    assert EntityFiling.objects.visible_to(enterprise_operator).filter(pk=draft.pk).exists()
    assert EntityFiling.objects.visible_to(own_org_reviewer).filter(pk=draft.pk).exists()


def test_system_administrators_do_not_read_filings(client, enterprise_admin, system_admin):
    filing = builders.submitted(enterprise_admin)
    assert not system_admin.has_perm("registration.view_all_entityfiling")
    assert system_admin.has_perm("registration.manage_registration_settings")
    client.force_login(system_admin)
    assert client.get(f"/registration/filings/{filing.pk}/").status_code == 404
    assert client.get("/registration/calendar/").status_code == 200
    assert not AuditEvent.objects.filter(verb="download").exists()


def test_verification_page_masks_a_natural_persons_name():
    assert selectors.mask_person_name("王小明") == "王**"
    assert selectors.mask_person_name("王") == "王"
    assert selectors.mask_person_name("") == ""


def test_verification_of_a_natural_person_shows_the_masked_name(client, enterprise_admin, reviewer):
    provider = builders.active(
        enterprise_admin, reviewer, entity_type=EntityType.SERVICE, subtype=Subtype.COMPREHENSIVE
    )
    assert provider.status == FilingStatus.ACTIVE
    person = services.filing_create_draft(
        owner=enterprise_admin.organisation,
        by=enterprise_admin,
        entity_type=EntityType.APPLICATION,
        subtype=Subtype.NATURAL_PERSON,
        data={
            **builders.complete_data(),
            "name_cn": "王小明",
            "name_en": "Wang Xiaoming",
            "division_code": "330782",
        },
    )
    for kind in (AttachmentKind.LEGAL_REP_ID, AttachmentKind.AUTHORISATION_LETTER):
        services.attachment_add(
            filing=person,
            by=enterprise_admin,
            kind=kind,
            upload=builders.upload("a.png", builders.png_bytes()),
        )
    person = services.filing_submit(filing=person, by=enterprise_admin)
    person = services.filing_accept(filing=person, by=reviewer)
    person = services.filing_approve(filing=person, by=reviewer)
    person.refresh_from_db()
    assert person.status == FilingStatus.ACTIVE
    with translation.override("zh-hans"):
        html = client.get(f"/registration/verify/{person.verify_token}/").content.decode()
    assert "王**" in html
    assert "王小明" not in html
    assert "Wang Xiaoming" not in html  # nor the person's name in Latin letters


SECRET_REASON = "内部意见：材料疑似伪造"


@pytest.fixture
def proposed(enterprise_admin, reviewer):
    filing = builders.under_review(enterprise_admin, reviewer)
    return services.filing_reject_request(filing=filing, by=reviewer, reason=SECRET_REASON)


def test_a_rejection_proposal_is_not_shown_to_the_applicant(client, api_as, proposed, enterprise_admin):
    proposed.refresh_from_db()
    assert proposed.status == FilingStatus.REJECT_PENDING
    assert SECRET_REASON not in proposed.status_reason
    client.force_login(enterprise_admin)
    html = client.get(proposed.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert SECRET_REASON not in html
    assert 'data-status="UNDER_REVIEW"' in html
    assert "countersign" not in html.lower()
    api = api_as(enterprise_admin)
    body = api.get(f"{API}{proposed.pk}/").json()
    assert body["status"] == "UNDER_REVIEW" and SECRET_REASON not in body["status_reason"]
    timeline = api.get(f"{API}{proposed.pk}/timeline/").json()
    assert all(SECRET_REASON not in (e["detail"] or "") for e in timeline)
    assert all(e["to_state"] != str(FilingStatus.REJECT_PENDING.label) for e in timeline)
    listed = api.get(API, {"status": "UNDER_REVIEW"}).json()["results"]
    assert [f["id"] for f in listed] == [proposed.pk]
    assert api.get(API, {"status": "REJECT_PENDING"}).json()["results"] == []


def test_the_bureau_still_sees_the_proposal(client, api_as, proposed, reviewer, supervisor):
    client.force_login(supervisor)
    html = client.get(f"/registration/review/{proposed.pk}/").content.decode()
    assert SECRET_REASON in html
    body = api_as(reviewer).get(f"{API}{proposed.pk}/").json()
    assert body["status"] == "REJECT_PENDING"
    timeline = api_as(reviewer).get(f"{API}{proposed.pk}/timeline/").json()
    assert any(SECRET_REASON in (e["detail"] or "") for e in timeline)
    event = AuditEvent.objects.for_object(proposed).get(payload__action="reject_request")
    assert event.payload["internal"] is True and event.reason == SECRET_REASON


def test_a_declined_proposal_leaves_no_trace_for_the_applicant(
    api_as, proposed, enterprise_admin, supervisor
):
    services.filing_reject_countersign(
        filing=proposed, by=supervisor, confirm=False, note="证据不足，继续审查"
    )
    timeline = api_as(enterprise_admin).get(f"{API}{proposed.pk}/timeline/").json()
    assert all("证据不足" not in (e["detail"] or "") for e in timeline)
    assert api_as(enterprise_admin).get(f"{API}{proposed.pk}/").json()["status_reason"] == ""


def test_a_countersigned_rejection_tells_the_applicant_the_reason(
    api_as, proposed, enterprise_admin, supervisor
):
    services.filing_reject_countersign(filing=proposed, by=supervisor, confirm=True)
    body = api_as(enterprise_admin).get(f"{API}{proposed.pk}/").json()
    assert body["status"] == "REJECTED" and body["status_reason"] == SECRET_REASON


def test_revealing_the_id_number_is_for_reviewers_and_audited_each_time(client, enterprise_admin, reviewer):
    filing = builders.submitted(enterprise_admin)
    client.force_login(reviewer)
    for _ in range(2):
        assert (
            builders.RESIDENT_ID
            in client.post(f"/registration/review/{filing.pk}/reveal_id/").content.decode()
        )
    assert AuditEvent.objects.for_object(filing).filter(payload__action="reveal_id").count() == 2
    client.force_login(enterprise_admin)
    assert client.post(f"/registration/review/{filing.pk}/reveal_id/").status_code == 403
    timeline = client.get(filing.get_absolute_url()).content.decode()
    assert "ID document number shown" not in timeline
