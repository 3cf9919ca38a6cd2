"""Each detail and action endpoint, page and API: anonymous, another organisation (404), the wrong role (403),
bad input (400, never 500), and a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registration import services
from registration.choices import AttachmentKind
from tests.registration import builders

pytestmark = pytest.mark.django_db
API = "/api/v1/registration/filings/"

ENTERPRISE_ACTIONS = ["withdraw", "change", "retry"]
REVIEW_ACTIONS = ["claim", "assign", "comment", "approve", "return", "reject", "countersign", "suspend",
                  "reinstate", "revoke"]  # fmt: skip
API_ACTIONS = ["submit", "withdraw", "claim", "assign", "approve", "return", "reject", "countersign",
               "suspend", "reinstate", "revoke", "change"]  # fmt: skip
API_READS = ["", "timeline/", "attachments/", "comments/", "qualifications/", "completeness/", "submissions/"]


@pytest.fixture
def filing(enterprise_admin, reviewer):
    return builders.under_review(enterprise_admin, reviewer)


# --- pages ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/registration/filings/{pk}/",
        "/registration/review/{pk}/",
        "/registration/filings/{pk}/certificate.pdf",
        "/registration/filings/{pk}/edit/entity/",
    ],
)
def test_pages_send_the_anonymous_to_login(client, filing, url):
    response = client.get(url.format(pk=filing.pk))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("action", ENTERPRISE_ACTIONS)
def test_enterprise_actions_anonymous_other_organisation_and_wrong_role(
    client, filing, other_admin, reviewer, action
):
    url = f"/registration/filings/{filing.pk}/do/{action}/"
    response = client.post(url, {"task": "1"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(other_admin)
    assert client.post(url, {"task": "1"}).status_code == 404
    client.force_login(reviewer)
    assert client.post(url, {"task": "1"}).status_code == 403


@pytest.mark.parametrize("action", REVIEW_ACTIONS)
def test_review_actions_anonymous_enterprise_and_other_officers(
    client, filing, enterprise_admin, customs_officer, action
):
    url = f"/registration/review/{filing.pk}/{action}/"
    response = client.post(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for user in (enterprise_admin, customs_officer):
        client.force_login(user)
        assert client.post(url).status_code == 403


def test_unknown_actions_are_404(client, filing, enterprise_admin, reviewer):
    client.force_login(reviewer)
    assert client.post(f"/registration/review/{filing.pk}/explode/").status_code == 404
    client.force_login(enterprise_admin)
    assert client.post(f"/registration/filings/{filing.pk}/do/explode/").status_code == 404


def test_review_page_of_a_missing_filing_is_404(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/registration/review/999999/").status_code == 404
    assert client.post("/registration/review/999999/claim/").status_code == 404


@pytest.mark.parametrize("task", ["abc", "", "1e3", "-1", "9" * 40])
def test_retry_with_a_malformed_task_is_400(client, enterprise_admin, reviewer, task):
    filing = builders.approved(enterprise_admin, reviewer)
    client.force_login(enterprise_admin)
    response = client.post(f"/registration/filings/{filing.pk}/do/retry/", {"task": task})
    assert response.status_code == 400


def test_retry_of_another_filings_task_is_404(client, enterprise_admin, other_admin, reviewer):
    mine = builders.approved(enterprise_admin, reviewer)
    theirs = builders.approved(other_admin, reviewer)
    client.force_login(enterprise_admin)
    task = theirs.qualifications.first()
    assert client.post(f"/registration/filings/{mine.pk}/do/retry/", {"task": task.pk}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"entity_type": "FOO"},
        {"subtype": "BAR"},
        {"entity_type": "SERVICE", "subtype": "ENTERPRISE"},
        {"subtype": "LOGISTICS"},
    ],
)
def test_live_check_with_an_unknown_role_is_400(client, query):
    response = client.get("/registration/validate/uscc/", {"value": "91330106MA2KXXXX0X", **query})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_role"


def test_live_check_with_a_real_role_still_answers(client):
    response = client.get(
        "/registration/validate/uscc/", {"value": "x", "entity_type": "APPLICATION", "subtype": "ENTERPRISE"}
    )
    assert response.status_code == 200 and response.json()["ok"] is False


def _bounded(client_call, limit):
    with CaptureQueriesContext(connection) as queries:
        response = client_call()
    assert response.status_code == 200
    assert len(queries) <= limit, len(queries)
    return len(queries)


def test_detail_and_review_pages_use_a_bounded_number_of_queries(client, enterprise_admin, reviewer):
    filing = builders.returned(enterprise_admin, reviewer)
    filing = services.filing_submit(filing=filing, by=enterprise_admin)
    client.force_login(enterprise_admin)
    small = _bounded(lambda: client.get(filing.get_absolute_url()), 60)
    for n in range(5):
        services.comment_add(filing=filing, by=reviewer, field="address", text=f"第{n}条")
    assert _bounded(lambda: client.get(filing.get_absolute_url()), 60) <= small + 2
    client.force_login(reviewer)
    _bounded(lambda: client.get(f"/registration/review/{filing.pk}/"), 70)


# --- API ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", API_READS)
def test_api_reads_anonymous_and_other_organisation(api_client, api_as, filing, other_admin, suffix):
    url = f"{API}{filing.pk}/{suffix}"
    assert api_client.get(url).status_code in (401, 403)
    assert api_as(other_admin).get(url).status_code == 404


@pytest.mark.parametrize("action", API_ACTIONS)
def test_api_actions_anonymous_other_organisation_and_wrong_role(
    api_client, api_as, filing, other_admin, customs_officer, action
):
    url = f"{API}{filing.pk}/{action}/"
    assert api_client.post(url, {}, format="json").status_code in (401, 403)
    assert api_as(other_admin).post(url, {}, format="json").status_code == 404
    assert api_as(customs_officer).post(url, {}, format="json").status_code == 404


@pytest.mark.parametrize("action", ["claim", "assign", "approve", "return", "reject", "countersign",
                                    "suspend", "reinstate", "revoke"])  # fmt: skip
def test_api_bureau_actions_refuse_the_applicant(api_as, filing, enterprise_admin, reviewer, action):
    payload = {"reason": "x", "note": "x", "decision": "confirm", "reviewer": reviewer.pk}
    response = api_as(enterprise_admin).post(f"{API}{filing.pk}/{action}/", payload, format="json")
    assert response.status_code in (403, 409), response.content
    if response.status_code == 409:  # the status is checked first for lifecycle verbs
        assert action in ("suspend", "reinstate", "revoke", "countersign")


@pytest.mark.parametrize("action", ["submit", "withdraw", "change"])
def test_api_applicant_actions_refuse_the_bureau(api_as, filing, reviewer, action):
    assert api_as(reviewer).post(f"{API}{filing.pk}/{action}/", {}, format="json").status_code == 403


@pytest.mark.parametrize("value", ["99999999999", "36501", "-1", "abc"])
def test_api_older_than_days_out_of_range_is_400(api_as, reviewer, value):
    response = api_as(reviewer).get(API, {"older_than_days": value})
    assert response.status_code == 400
    assert response.json()["field"] == "older_than_days"


def test_api_detail_and_reads_use_a_bounded_number_of_queries(api_as, enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    builders.answer_all(filing)
    api = api_as(enterprise_admin)
    for suffix, limit in (("", 25), ("timeline/", 40), ("attachments/", 15), ("qualifications/", 15),
                          ("submissions/", 20), ("comments/", 15)):  # fmt: skip
        _bounded(lambda s=suffix: api.get(f"{API}{filing.pk}/{s}"), limit)


def test_api_download_of_an_attachment_of_another_filing_is_404(api_as, enterprise_admin, other_admin):
    mine = builders.draft(enterprise_admin)
    theirs = builders.draft(other_admin)
    attachment = theirs.attachments.get(kind=AttachmentKind.LEGAL_REP_ID)
    url = f"{API}{mine.pk}/attachments/{attachment.pk}/download/"
    assert api_as(enterprise_admin).get(url).status_code == 404
