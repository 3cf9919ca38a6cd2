"""History keeps every version across return → correction → resubmit (ADR 0016)."""

import pytest
from django.utils import translation

from registration import history, services
from registration.choices import AttachmentKind
from registration.models import FilingSubmission
from tests.registration import builders
from tests.registration.builders import ID17

pytestmark = pytest.mark.django_db
API = "/api/v1/registration/filings/"
OTHER_ID17 = "33010619900101123"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _corrected_and_resubmitted(admin, reviewer):
    filing = builders.returned(admin, reviewer)
    old_licence = filing.attachments.get(kind=AttachmentKind.BUSINESS_LICENCE)
    new_id = OTHER_ID17 + builders.resident_id_check_char(OTHER_ID17)
    services.filing_update_draft(
        filing=filing,
        by=admin,
        data={
            "name_cn": "杭州新名称贸易有限公司",
            "contact_phone": "0571-87654321",
            "legal_rep_id_no": new_id,
        },
    )
    services.attachment_remove(attachment=old_licence, by=admin)
    services.attachment_add(
        filing=filing,
        by=admin,
        kind=AttachmentKind.BUSINESS_LICENCE,
        upload=builders.upload("licence-v2.pdf", builders.pdf_bytes("new licence")),
    )
    return services.filing_submit(filing=filing, by=admin), old_licence


def test_every_round_is_kept_with_values_as_submitted(enterprise_admin, reviewer):
    filing, old_licence = _corrected_and_resubmitted(enterprise_admin, reviewer)
    first, second = FilingSubmission.objects.filter(filing=filing).order_by("review_round")
    assert (first.review_round, second.review_round) == (1, 2)
    assert first.values["name_cn"] != "杭州新名称贸易有限公司"
    assert second.values["name_cn"] == "杭州新名称贸易有限公司"
    assert first.values["contact_phone"] == "13800571234"
    assert first.submitted_by == enterprise_admin
    assert old_licence.sha256 in {a["sha256"] for a in first.attachments}
    assert old_licence.sha256 not in {a["sha256"] for a in second.attachments}


def test_the_id_number_is_never_stored_in_clear(enterprise_admin, reviewer):
    filing, _ = _corrected_and_resubmitted(enterprise_admin, reviewer)
    for snapshot in FilingSubmission.objects.filter(filing=filing):
        assert ID17 not in str(snapshot.values) and OTHER_ID17 not in str(snapshot.values)
        assert snapshot.values["legal_rep_id_no"].startswith("****")
        assert len(snapshot.id_fingerprint) == 64


def test_diff_against_the_previous_round(enterprise_admin, reviewer):
    filing, old_licence = _corrected_and_resubmitted(enterprise_admin, reviewer)
    newest, oldest = history.rounds(filing)
    assert oldest.first and not newest.first
    changed = {c.field: c for c in newest.changes}
    assert set(changed) == {"name_cn", "contact_phone", "legal_rep_id_no"}
    assert changed["contact_phone"].before == "13800571234"
    assert changed["contact_phone"].after == "0571-87654321"
    assert [a["name"] for a in newest.added] == ["licence-v2.pdf"]
    assert [a["sha256"] for a in newest.removed] == [old_licence.sha256]


def test_review_and_enterprise_pages_show_the_rounds_and_the_diff(client, enterprise_admin, reviewer):
    filing, _ = _corrected_and_resubmitted(enterprise_admin, reviewer)
    for user, url in (
        (reviewer, f"/registration/review/{filing.pk}/"),
        (enterprise_admin, filing.get_absolute_url()),
    ):
        client.force_login(user)
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'data-testid="history-round-1"' in html and 'data-testid="history-round-2"' in html
        assert "杭州新名称贸易有限公司" in html
        assert "0571-87654321" in html and "13800571234" in html
        assert "licence-v2.pdf" in html


def test_api_exposes_the_history(api_as, enterprise_admin, reviewer, other_admin):
    filing, _ = _corrected_and_resubmitted(enterprise_admin, reviewer)
    body = api_as(reviewer).get(f"{API}{filing.pk}/submissions/").json()
    assert [r["review_round"] for r in body] == [2, 1]
    assert body[1]["compared_with"] is None
    assert body[0]["compared_with"] == {"filing": filing.pk, "review_round": 1}
    assert {c["field"] for c in body[0]["changes"]} == {"name_cn", "contact_phone", "legal_rep_id_no"}
    assert body[0]["values"]["legal_rep_id_no"].startswith("****")
    assert [a["name"] for a in body[0]["attachments_added"]] == ["licence-v2.pdf"]
    assert api_as(other_admin).get(f"{API}{filing.pk}/submissions/").status_code == 404


def test_a_change_version_is_compared_with_the_version_it_changes(enterprise_admin, reviewer):
    base = builders.active(enterprise_admin, reviewer)
    change = services.filing_change(filing=base, by=enterprise_admin)
    services.filing_update_draft(
        filing=change, by=enterprise_admin, data={"address": "浙江省义乌市稠城街道8号"}
    )
    change = services.filing_submit(filing=change, by=enterprise_admin)
    (only,) = history.rounds(change)
    assert only.compared_with.filing_id == base.pk
    assert [c.field for c in only.changes] == ["address"]


def test_resubmission_without_changes_says_so(client, enterprise_admin, reviewer):
    filing = builders.returned(enterprise_admin, reviewer)
    filing = services.filing_submit(filing=filing, by=enterprise_admin)
    newest, _ = history.rounds(filing)
    assert newest.changes == [] and newest.added == [] and newest.removed == []


def test_snapshots_are_never_changed_or_deleted(enterprise_admin):
    filing = builders.submitted(enterprise_admin)
    snapshot = FilingSubmission.objects.get(filing=filing)
    with pytest.raises(ValueError):
        snapshot.save()
    with pytest.raises(ValueError):
        snapshot.delete()


def test_a_failed_submission_leaves_no_snapshot(enterprise_admin):
    filing = builders.draft(enterprise_admin, complete=False)
    with pytest.raises(Exception):  # noqa: B017 - the completeness check refuses
        services.filing_submit(filing=filing, by=enterprise_admin)
    assert not FilingSubmission.objects.exists()
