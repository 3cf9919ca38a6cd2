"""``/api/v1/registration/``: who may do what, 409 on illegal transitions, bounded queries, the whole path."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registration.choices import EntityType, FilingStatus, Subtype
from tests import factories
from tests.registration import builders
from tests.registration.builders import receipt_item

pytestmark = pytest.mark.django_db
BASE = "/api/v1/registration/filings/"


def test_anonymous_is_refused(api_client):
    assert api_client.get(BASE).status_code in (401, 403)


def test_another_organisations_filing_is_not_found(api_as, enterprise_admin, other_admin):
    filing = builders.draft(enterprise_admin)
    api = api_as(other_admin)
    assert api.get(f"{BASE}{filing.pk}/").status_code == 404
    assert api.patch(f"{BASE}{filing.pk}/", {"name_en": "x"}, format="json").status_code == 404
    assert api.post(f"{BASE}{filing.pk}/submit/").status_code == 404
    assert api.get(f"{BASE}{filing.pk}/timeline/").status_code == 404
    assert [f["id"] for f in api.get(BASE).json()["results"]] == []


def test_missing_permission_is_403(api_as, enterprise_admin, reviewer):
    filing = builders.submitted(enterprise_admin)
    assert api_as(enterprise_admin).post(f"{BASE}{filing.pk}/claim/").status_code == 403
    response = api_as(reviewer).post(
        BASE, {"entity_type": "APPLICATION", "subtype": "ENTERPRISE"}, format="json"
    )
    assert response.status_code == 403


def test_approving_a_filing_back_with_the_applicant_is_409(api_as, enterprise_admin, reviewer):
    filing = builders.returned(enterprise_admin, reviewer)
    response = api_as(reviewer).post(f"{BASE}{filing.pk}/approve/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_approving_a_draft_is_404_the_bureau_never_sees_drafts(api_as, enterprise_admin, reviewer):
    filing = builders.draft(enterprise_admin)
    response = api_as(reviewer).post(f"{BASE}{filing.pk}/approve/", {}, format="json")
    assert response.status_code == 404
    assert FilingStatus(type(filing).objects.get(pk=filing.pk).status) == FilingStatus.DRAFT


def test_reviewer_approving_own_organisations_filing_is_refused(api_as, enterprise_admin, own_org_reviewer):
    filing = builders.submitted(enterprise_admin)
    response = api_as(own_org_reviewer).post(f"{BASE}{filing.pk}/claim/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "own organisation" in response.json()["message"]


def test_create_draft_with_field_errors_in_the_callers_language(api_as, enterprise_admin):
    api = api_as(enterprise_admin)
    response = api.post(
        BASE,
        {"entity_type": "APPLICATION", "subtype": "ENTERPRISE", "customs_code": "4403161FMD"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "customs_code"
    assert body["code"] == "customs_province"
    assert "33" in body["message"]
    zh = api.post(
        BASE,
        {"entity_type": "APPLICATION", "subtype": "ENTERPRISE", "customs_code": "4403161FMD"},
        format="json",
    )
    assert "浙江" in zh.json()["message"]


def test_create_update_and_completeness(api_as, enterprise_admin):
    api = api_as(enterprise_admin)
    created = api.post(BASE, {"entity_type": "SERVICE", "subtype": "PAYMENT"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "DRAFT"
    assert body["uscc"] == enterprise_admin.organisation.code
    problems = api.get(f"{BASE}{body['id']}/completeness/").json()
    assert {"payment_licence_no", "attachments", "address"} <= {p["field"] for p in problems}
    patched = api.patch(f"{BASE}{body['id']}/", {"payment_licence_no": "Z2007933000010"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["payment_licence_no"] == "Z2007933000010"
    role_change = api.patch(f"{BASE}{body['id']}/", {"subtype": "LOGISTICS"}, format="json")
    assert role_change.status_code == 400


def test_id_number_is_never_returned_in_clear(api_as, enterprise_admin):
    filing = builders.draft(enterprise_admin)
    body = api_as(enterprise_admin).get(f"{BASE}{filing.pk}/").json()
    assert body["legal_rep_id_no"] == f"****{builders.RESIDENT_ID[-4:]}"
    assert builders.RESIDENT_ID not in str(body)


def test_list_filters(api_as, enterprise_admin, other_admin, reviewer):
    a = builders.submitted(enterprise_admin)
    b = builders.submitted(other_admin, entity_type=EntityType.SERVICE, subtype=Subtype.LOGISTICS)
    api = api_as(reviewer)
    ids = lambda **q: [f["id"] for f in api.get(BASE, q).json()["results"]]  # noqa: E731
    assert set(ids()) == {a.pk, b.pk}
    assert ids(entity_type="SERVICE") == [b.pk]
    assert set(ids(city="3301")) == {a.pk, b.pk}
    assert ids(city="3302") == []
    assert set(ids(queue="unassigned")) == {a.pk, b.pk}
    api.post(f"{BASE}{a.pk}/claim/")
    assert ids(queue="mine") == [a.pk]
    assert ids(queue="unassigned") == [b.pk]
    assert ids(status="UNDER_REVIEW") == [a.pk]
    assert ids(overdue="true") == []


def _count_list_queries(api) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(BASE)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(api_as, reviewer):
    api = api_as(reviewer)
    admins = [
        factories.UserFactory(organisation=factories.EnterpriseFactory(), role="enterprise_admin")
        for _ in range(6)
    ]
    builders.active(admins[0], reviewer)
    builders.submitted(admins[1])
    few = _count_list_queries(api)
    builders.active(admins[2], reviewer)
    for admin in admins[3:]:
        builders.submitted(admin)
    assert api.get(BASE).json()["count"] == 6
    assert _count_list_queries(api) == few
    assert few <= 12


def test_the_whole_path_through_the_api(api_as, client, enterprise_admin, reviewer):
    """The same path as the browser test: file, return with a field comment, fix, resubmit, approve,
    receipts, ACTIVE, verification valid, suspend, verification suspended."""
    applicant, bureau = api_as(enterprise_admin), api_as(reviewer)
    data = {"entity_type": "APPLICATION", "subtype": "ENTERPRISE", **builders.complete_data()}
    data["registered_capital_cny"] = str(data["registered_capital_cny"])
    data["name_cn"] = "杭州错名电子商务有限公司"
    filing = applicant.post(BASE, data, format="json").json()
    url = f"{BASE}{filing['id']}/"
    for kind, name, content in (
        ("BUSINESS_LICENCE", "licence.pdf", builders.pdf_bytes()),
        ("LEGAL_REP_ID", "id.jpg", builders.jpeg_bytes()),
    ):
        upload = builders.upload(name, content)
        assert (
            applicant.post(
                f"{url}attachments/", {"kind": kind, "file": upload}, format="multipart"
            ).status_code
            == 201
        )
    submitted = applicant.post(f"{url}submit/").json()
    assert submitted["status"] == "SUBMITTED"
    assert submitted["filing_no"].startswith("ZJKJ")
    assert submitted["clock"]["running"]
    assert submitted["clock"]["limit"] == 5
    assert bureau.post(f"{url}claim/").json()["status"] == "UNDER_REVIEW"
    returned = bureau.post(
        f"{url}return/",
        {
            "reason_codes": ["NAME_MISMATCH"],
            "note": "名称与执照不符",
            "comments": [{"field": "name_cn", "text": "请按执照填写"}],
        },
        format="json",
    )
    assert returned.status_code == 200
    assert returned.json()["status"] == "RETURNED"
    comments = applicant.get(f"{url}comments/").json()
    assert [(c["field"], c["text"], c["review_round"]) for c in comments] == [("name_cn", "请按执照填写", 1)]
    fixed = applicant.patch(url, {"name_cn": "杭州正名电子商务有限公司"}, format="json").json()
    assert fixed["name_cn"] == "杭州正名电子商务有限公司"
    assert fixed["contact_phone"] == data["contact_phone"]
    assert applicant.post(f"{url}submit/").json()["review_round"] == 2
    bureau.post(f"{url}claim/")
    approved = bureau.post(f"{url}approve/", {"note": "同意"}, format="json").json()
    assert approved["status"] == "APPROVED"
    quals = applicant.get(f"{url}qualifications/").json()
    from exchange.models import Message
    from exchange.services import receipts_ingest

    messages = Message.objects.filter(message_id__in=[q["message_id"] for q in quals if q["message_id"]])
    receipts_ingest([receipt_item(m) for m in messages], via="callback")
    card = next(q for q in applicant.get(f"{url}qualifications/").json() if q["code"] == "EPORT_CARD")
    assert card["message_id"]  # sent once the customs code was known
    receipts_ingest([receipt_item(Message.objects.get(message_id=card["message_id"]))], via="callback")
    active = applicant.get(url).json()
    assert active["status"] == "ACTIVE"
    assert active["customs_code"] == "3301960001"
    timeline = applicant.get(f"{url}timeline/").json()
    kinds = {e["kind"] for e in timeline}
    assert {"audit", "message", "receipt"} <= kinds
    verify = active["verify_url"].split("127.0.0.1:8000", 1)[-1]
    assert client.get(verify).context["result"].state == "VALID"
    assert bureau.post(f"{url}suspend/", {"reason": "核查"}, format="json").json()["status"] == "SUSPENDED"
    assert client.get(verify).context["result"].state == "SUSPENDED"
    assert bureau.post(f"{url}suspend/", {"reason": "again"}, format="json").status_code == 409


def test_countersign_and_assign_through_the_api(api_as, enterprise_admin, reviewer, reviewer2, supervisor):
    filing = builders.submitted(enterprise_admin)
    url = f"{BASE}{filing.pk}/"
    assigned = api_as(supervisor).post(f"{url}assign/", {"reviewer": reviewer2.pk}, format="json")
    assert assigned.status_code == 200
    assert assigned.json()["assigned_to"] == reviewer2.username
    assert api_as(reviewer).post(f"{url}approve/").status_code == 403  # assigned to someone else
    assert api_as(reviewer2).post(f"{url}reject/", {"reason": "材料造假"}, format="json").json()[
        "status"
    ] == (FilingStatus.REJECT_PENDING)
    assert (
        api_as(reviewer2).post(f"{url}countersign/", {"decision": "confirm"}, format="json").status_code
        == 403
    )
    done = api_as(supervisor).post(f"{url}countersign/", {"decision": "confirm"}, format="json")
    assert done.json()["status"] == FilingStatus.REJECTED


def test_openapi_documents_the_registration_endpoints(client, reviewer):
    client.force_login(reviewer)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for suffix in (
        "",
        "{id}/approve/",
        "{id}/return/",
        "{id}/attachments/",
        "{id}/qualifications/{code}/retry/",
    ):
        assert f"/api/v1/registration/filings/{suffix}" in paths, suffix
    assert "409" in paths["/api/v1/registration/filings/{id}/approve/"]["post"]["responses"]
