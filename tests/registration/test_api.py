"""``/api/v1/registration/``: every route through the kit (anonymous, another organisation, the bureau and
drafts, wrong roles, illegal transitions, answers, bounded queries), then what the kit does not say: messages,
filters, the ID number, the whole path."""

import pytest

from portal.choices import Role
from registration import services
from registration.choices import EntityType, FilingStatus, Subtype
from tests import factories
from tests.kit.api import Action, ScopedApiTests
from tests.registration import builders
from tests.registration.builders import receipt_item

pytestmark = pytest.mark.django_db
BASE = "/api/v1/registration/filings/"

ADMIN, OPERATOR = Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR
REVIEWER, SUPERVISOR = Role.COMMERCE_REVIEWER, Role.COMMERCE_SUPERVISOR


# --- the filing in each state, from the kit's draft (the kit's reviewer takes it up) ------------------------
def submitted(kit, filing):
    return services.filing_submit(filing=filing, by=kit.owner)


def under_review(kit, filing):
    return services.filing_accept(filing=submitted(kit, filing), by=kit.user(REVIEWER))


def returned(kit, filing):
    return services.filing_return(
        filing=under_review(kit, filing),
        by=kit.user(REVIEWER),
        reason_codes=["NAME_MISMATCH"],
        note="名称有误",
        comments=[{"field": "name_cn", "text": "请与营业执照一致"}],
    )


def reject_pending(kit, filing):
    filing = under_review(kit, filing)
    return services.filing_reject_request(filing=filing, by=kit.user(REVIEWER), reason="不实")


def approved(kit, filing):
    return services.filing_approve(filing=under_review(kit, filing), by=kit.user(REVIEWER))


def active(kit, filing):
    filing = approved(kit, filing)
    builders.answer_all(filing)
    filing.refresh_from_db()
    return filing


def suspended(kit, filing):
    return services.filing_suspend(filing=active(kit, filing), by=kit.user(REVIEWER), reason="核查")


def tax_refund_applied(kit, filing):
    """ACTIVE, and the optional tax-refund filing already applied for: applying again is not allowed."""
    filing = active(kit, filing)
    task = filing.qualifications.get(code="TAX_REFUND_FILING")
    services.qualification_retry(task=task, by=kit.owner)
    return filing


def incomplete(kit, filing):
    """A second draft (another role) with nothing filled in, so that completeness lists problems."""
    return builders.draft(kit.owner, EntityType.SERVICE, Subtype.PAYMENT, complete=False)


def as_is(kit, filing):
    return filing


def pdf(kit, filing):
    return {"kind": "OTHER", "file": builders.upload("more.pdf", builders.pdf_bytes())}


FILING = {
    "activated_at", "address", "assigned_to", "ciq_code", "clock", "contact_email", "contact_name",
    "contact_phone", "created_at", "customs_code", "decided_at", "division_code", "division_note", "dxp_id",
    "economic_type", "entity_type", "filing_no", "first_submitted_at", "ft_record_no", "fx_class", "id",
    "is_legacy_record", "is_vat_general_taxpayer", "legal_rep_id_no", "legal_rep_id_type", "legal_rep_name",
    "lineage", "name_cn", "name_en", "optional_qualifications", "org_code", "owner", "payment_licence_no",
    "platform_urls", "previous", "qualifications", "queue_position", "registered_capital_cny", "review_round",
    "safe_directory_no", "service_scopes", "status", "status_label", "status_reason", "submitted_at",
    "subtype", "tax_filing_no", "updated_at", "url", "uscc", "verify_url", "version",
}  # fmt: skip
COMMENT = {"author", "created_at", "field", "id", "review_round", "text"}
ATTACHMENT = {"content_type", "created_at", "download_url", "id", "kind", "kind_label", "original_name",
              "sha256", "size"}  # fmt: skip
QUALIFICATION = {"attempts", "code", "code_label", "done_at", "id", "identifier", "mandatory", "message_id",
                 "reason", "result", "sent_at", "status", "status_label"}  # fmt: skip
SUBMISSION = {"attachments", "attachments_added", "attachments_removed", "backfilled", "changes",
              "compared_with", "review_round", "submitted_at", "submitted_by", "values"}  # fmt: skip
TIMELINE_ENTRY = {"actor", "at", "code", "detail", "from_state", "group", "group_label", "kind", "title",
                  "to_state", "tone"}  # fmt: skip
RENAMED = {"name_en": "Kit Renamed Trading Co"}
NEW_ROLE = {"entity_type": "SERVICE", "subtype": "PAYMENT"}  # the kit's draft holds APPLICATION/ENTERPRISE


def _status(status):
    return {"status": status}


class TestFilingsApi(ScopedApiTests):
    url = BASE
    fields = FILING
    readers = (OPERATOR,)
    # A draft is its applicant's alone: the bureau sees a filing once it was submitted (ADR 0015).
    hidden_from = (REVIEWER, SUPERVISOR, Role.CUSTOMS_OFFICER, Role.SYSTEM_ADMIN)
    actions = (
        Action("create", data=NEW_ROLE, roles=(ADMIN, OPERATOR), forbidden=(REVIEWER,), status=201,
               always_legal="a new draft has no state before it", expect=_status("DRAFT")),
        Action("update", method="put", data=RENAMED, illegal=submitted, expect=RENAMED),
        Action("partial_update", method="patch", data=RENAMED, illegal=submitted, expect=RENAMED),
        Action("submit", roles=(ADMIN, OPERATOR), illegal=submitted, expect=_status("SUBMITTED")),
        Action("withdraw", data={"note": "不再需要"}, illegal=submitted, expect=_status("WITHDRAWN")),
        Action("claim", prepare=submitted, roles=(REVIEWER,), forbidden=(ADMIN,), illegal=under_review,
               expect=_status("UNDER_REVIEW")),
        Action("assign", prepare=submitted, roles=(SUPERVISOR,), forbidden=(REVIEWER, ADMIN),
               data=lambda kit, filing: {"reviewer": kit.user(REVIEWER).pk}, illegal=approved,
               expect=_status("UNDER_REVIEW")),
        Action("approve", prepare=under_review, roles=(REVIEWER,), forbidden=(ADMIN,), data={"note": "同意"},
               illegal=returned, expect=_status("APPROVED")),
        Action("return_for_correction", prepare=under_review, roles=(REVIEWER,), forbidden=(ADMIN,),
               data={"reason_codes": ["NAME_MISMATCH"], "note": "名称有误",
                     "comments": [{"field": "name_cn", "text": "请核对"}]},
               illegal=approved, expect=_status("RETURNED")),
        Action("reject", prepare=under_review, roles=(REVIEWER,), forbidden=(ADMIN,), data={"reason": "不实"},
               illegal=approved, expect=_status("REJECT_PENDING")),
        Action("countersign", prepare=reject_pending, roles=(SUPERVISOR,), forbidden=(REVIEWER,),
               data={"decision": "confirm"}, illegal=under_review, expect=_status("REJECTED")),
        Action("suspend", prepare=active, roles=(REVIEWER,), forbidden=(ADMIN,), data={"reason": "核查"},
               illegal=suspended, expect=_status("SUSPENDED")),
        Action("reinstate", prepare=suspended, roles=(REVIEWER,), forbidden=(ADMIN,),
               data={"reason": "整改"}, illegal=active, expect=_status("ACTIVE")),
        Action("release", prepare=returned, roles=(SUPERVISOR,), forbidden=(REVIEWER,),
               data={"reason": "逾期"}, illegal=under_review, expect=_status("WITHDRAWN")),
        Action("revoke", prepare=active, roles=(SUPERVISOR,), forbidden=(REVIEWER,),
               data={"reason": "违规"}, illegal=returned, expect=_status("REVOKED")),
        Action("change", prepare=active, forbidden=(REVIEWER,), illegal=as_is, status=201,
               expect={"status": "DRAFT", "version": 2}),
        Action("completeness", method="get", prepare=incomplete, many=True,
               shape={"blocking", "code", "field", "message"}),
        Action("comments", method="get", prepare=returned, many=True, shape=COMMENT),
        Action("comments", prepare=under_review, roles=(REVIEWER,), forbidden=(ADMIN,), status=201,
               data={"field": "name_cn", "text": "请核对"}, illegal=approved, shape=COMMENT),
        Action("submissions", method="get", prepare=submitted, many=True, shape=SUBMISSION),
        Action("timeline", method="get", many=True, shape=TIMELINE_ENTRY),
        Action("attachments", method="get", many=True, shape=ATTACHMENT),
        Action("attachments", data=pdf, format="multipart", status=201, illegal=submitted, shape=ATTACHMENT),
        Action("attachment_download", method="get", prepare=submitted, roles=(ADMIN, REVIEWER),
               kwargs=lambda kit, filing: {"attachment_pk": filing.attachments.first().pk},
               content_type="application/pdf"),
        Action("qualifications", method="get", prepare=approved, many=True, shape=QUALIFICATION),
        Action("qualification_retry", prepare=active, forbidden=(REVIEWER,), illegal=tax_refund_applied,
               kwargs=lambda kit, filing: {"code": "TAX_REFUND_FILING"}, shape=QUALIFICATION,
               expect=_status("PENDING")),
    )  # fmt: skip
    # The bureau's list: one applicant cannot hold several open filings of a role, so the rows come from
    # several organisations.
    query_role = REVIEWER
    max_queries = 12

    def make(self, owner):
        return builders.draft(owner)

    def make_rows(self, n):
        return [
            builders.submitted(factories.UserFactory(organisation=factories.EnterpriseFactory(), role=ADMIN))
            for _ in range(n)
        ]


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
    resubmitted = applicant.post(f"{url}submit/").json()
    assert resubmitted["review_round"] == 2
    assert resubmitted["status"] == "UNDER_REVIEW", "back with the reviewer who returned it, no second claim"
    assert bureau.post(f"{url}claim/").status_code == 409
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
