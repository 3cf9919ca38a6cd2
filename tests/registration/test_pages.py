"""The registration pages: sign-up, the multi-step form, the enterprise's filing page, the bureau's workbench,
the settings pages; labels for every control and no inline script or style (CSP)."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model

from portal.identifiers import make_uscc
from portal.models import AuditEvent, Organisation
from registration.choices import FilingStatus
from registration.models import EntityFiling, FieldComment, ReturnReason
from tests.registration import builders

pytestmark = pytest.mark.django_db


class _Controls(HTMLParser):
    """Collects form controls, label targets and any inline script or style."""

    def __init__(self):
        super().__init__()
        self.controls, self.labelled, self.inline = [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.inline.append(f"style on <{tag}>")
        if tag == "script" and "src" not in attrs:
            self.inline.append("inline <script>")
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit", "button"):
            self.controls.append(attrs)


def assert_accessible(html: str) -> None:
    parser = _Controls()
    parser.feed(html)
    assert not parser.inline, parser.inline
    for control in parser.controls:
        assert control.get("id") in parser.labelled or control.get("aria-label"), control


def _english(client):
    client.cookies["portal_language"] = "en"


# --- sign-up ------------------------------------------------------------------------------------------
SIGNUP = {
    "uscc": make_uscc("91", "330782", "MA2ABC01"),
    "name_cn": "义乌市新注册电子商务有限公司",
    "name_en": "Yiwu New Co",
    "division_code": "",
    "full_name": "赵新",
    "username": "newcomer",
    "email": "newcomer@example.com",
    "phone": "13900000000",
    "password1": "a-Long-enough-passphrase-42",
    "password2": "a-Long-enough-passphrase-42",
}


def test_login_page_links_to_signup(client):
    assert "/registration/signup/" in client.get("/login/").content.decode()


def test_signup_creates_organisation_and_administrator_atomically(client):
    page = client.get("/registration/signup/")
    assert_accessible(page.content.decode())
    response = client.post("/registration/signup/", SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == "/registration/filings/"
    org = Organisation.objects.get(code=SIGNUP["uscc"])
    assert org.kind == "ENTERPRISE"
    assert org.division_code == "330782"
    user = get_user_model().objects.get(username="newcomer")
    assert user.organisation == org
    assert user.has_role("enterprise_admin")
    assert client.get("/registration/filings/").status_code == 200  # logged in


def test_signup_refuses_a_registered_uscc_and_points_to_invitations(client, enterprise):
    _english(client)
    response = client.post("/registration/signup/", {**SIGNUP, "uscc": enterprise.code})
    assert response.status_code == 200
    assert response.context["form"].errors["uscc"] == [
        "This credit code already has an account. If it is yours, ask its administrator for an invitation "
        "or contact the commerce bureau."
    ]
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_signup_checks_the_uscc_and_leaves_nothing_on_error(client):
    _english(client)
    response = client.post("/registration/signup/", {**SIGNUP, "uscc": "91330782MA28F3K130"})
    assert "18th" in response.context["form"].errors["uscc"][0]
    response = client.post("/registration/signup/", {**SIGNUP, "password1": "short", "password2": "short"})
    assert "password1" in response.context["form"].errors
    assert not Organisation.objects.filter(code=SIGNUP["uscc"]).exists()


def test_signup_form_checks_the_code_as_the_user_types(client):
    html = client.get("/registration/signup/").content.decode()
    assert 'data-validate-url="/registration/validate/uscc/"' in html


# --- the enterprise's multi-step form -----------------------------------------------------------------
def test_new_filing_and_each_step_saves_the_draft(client, enterprise_admin):
    _english(client)
    client.force_login(enterprise_admin)
    assert_accessible(client.get("/registration/filings/new/").content.decode())
    response = client.post("/registration/filings/new/", {"entity_type": "SELF_PLATFORM", "subtype": ""})
    filing = EntityFiling.objects.get(owner=enterprise_admin.organisation)
    assert response["Location"] == f"/registration/filings/{filing.pk}/edit/entity/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert_accessible(html)
    assert "entity_type=SELF_PLATFORM" in html
    assert enterprise_admin.organisation.code in html
    data = {
        "name_cn": "杭州自建平台有限公司",
        "uscc": filing.uscc,
        "division_code": "330100",
        "address": "杭州市",
        "economic_type": "6",
    }
    response = client.post(f"/registration/filings/{filing.pk}/edit/entity/", {**data, "next": "1"})
    assert response["Location"].endswith("/edit/representative/")
    person = {
        "legal_rep_name": "张三",
        "legal_rep_id_type": "RESIDENT_ID",
        "legal_rep_id_no": builders.RESIDENT_ID,
        "contact_name": "张三",
        "contact_phone": "13800571234",
        "contact_email": "a@example.com",
    }
    client.post(f"/registration/filings/{filing.pk}/edit/representative/", {**person, "save": "1"})
    filing.refresh_from_db()
    assert filing.name_cn == "杭州自建平台有限公司"
    assert filing.legal_rep_id_masked.endswith(builders.RESIDENT_ID[-4:])
    assert filing.legal_rep_id_no_encrypted
    assert builders.RESIDENT_ID not in filing.legal_rep_id_no_encrypted
    html = client.get(f"/registration/filings/{filing.pk}/edit/representative/").content.decode()
    assert builders.RESIDENT_ID not in html
    assert "****" in html
    business = client.get(f"/registration/filings/{filing.pk}/edit/business/").content.decode()
    assert_accessible(business)
    assert "Platform addresses" in business
    assert "service_scopes" not in business


def test_step_shows_field_errors_tied_to_the_input(client, enterprise_admin):
    _english(client)
    client.force_login(enterprise_admin)
    filing = builders.draft(enterprise_admin, complete=False)
    response = client.post(
        f"/registration/filings/{filing.pk}/edit/entity/", {"customs_code": "4403161FMD", "save": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_customs_code_error"' in html
    assert 'aria-describedby="id_customs_code_helptext id_customs_code_error"' in html
    assert "starts with 33" in html
    assert EntityFiling.objects.get(pk=filing.pk).customs_code is None


def test_submit_step_lists_everything_missing(client, enterprise_admin):
    _english(client)
    client.force_login(enterprise_admin)
    filing = builders.draft(enterprise_admin, complete=False)
    page = client.get(f"/registration/filings/{filing.pk}/edit/submit/")
    fields = {p.field for p in page.context["blocking"]}
    assert {"address", "legal_rep_name", "contact_phone", "attachments"} <= fields
    response = client.post(f"/registration/filings/{filing.pk}/edit/submit/")
    assert response.status_code == 302
    assert EntityFiling.objects.get(pk=filing.pk).status == FilingStatus.DRAFT


def test_attachment_step_uploads_and_refuses_lies(client, enterprise_admin):
    _english(client)
    client.force_login(enterprise_admin)
    filing = builders.draft(enterprise_admin, complete=False)
    url = f"/registration/filings/{filing.pk}/edit/attachments/"
    assert_accessible(client.get(url).content.decode())
    ok = client.post(
        url, {"kind": "BUSINESS_LICENCE", "file": builders.upload("licence.pdf", builders.pdf_bytes())}
    )
    assert ok.status_code == 302
    assert filing.attachments.count() == 1
    bad = client.post(url, {"kind": "LEGAL_REP_ID", "file": builders.upload("id.pdf", builders.png_bytes())})
    assert bad.status_code == 200
    assert "content is PNG" in bad.content.decode()


def test_returned_filing_shows_comments_next_to_fields_and_keeps_every_value(
    client, enterprise_admin, reviewer
):
    filing = builders.returned(enterprise_admin, reviewer)
    client.force_login(enterprise_admin)
    html = client.get(f"/registration/filings/{filing.pk}/edit/entity/").content.decode()
    assert "请与营业执照一致" in html
    assert 'id="comment-name_cn"' in html
    assert 'aria-describedby="id_name_cn_helptext comment-name_cn"' in html
    assert f'value="{filing.address}"' in html  # nothing to retype
    detail = client.get(f"/registration/filings/{filing.pk}/").content.decode()
    assert 'data-testid="comment-name_cn"' in detail
    fixed = {
        "name_cn": "杭州正确名称有限公司",
        "uscc": filing.uscc,
        "division_code": filing.division_code,
        "address": filing.address,
        "economic_type": "6",
        "save": "1",
    }
    client.post(f"/registration/filings/{filing.pk}/edit/entity/", fixed)
    response = client.post(f"/registration/filings/{filing.pk}/edit/submit/")
    filing.refresh_from_db()
    assert response.status_code == 302
    assert filing.status == FilingStatus.UNDER_REVIEW  # back with the reviewer who returned it
    assert filing.review_round == 2
    assert filing.contact_phone == "13800571234"
    assert filing.legal_rep_id_no == builders.RESIDENT_ID


def test_another_enterprises_filing_pages_are_404(client, enterprise_admin, other_admin):
    filing = builders.draft(enterprise_admin)
    client.force_login(other_admin)
    for url in (
        f"/registration/filings/{filing.pk}/",
        f"/registration/filings/{filing.pk}/edit/entity/",
        f"/registration/filings/{filing.pk}/edit/attachments/",
        f"/registration/filings/{filing.pk}/edit/submit/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/registration/filings/{filing.pk}/do/withdraw/").status_code == 404


def test_filing_page_shows_status_qualifications_and_timeline(client, enterprise_admin, reviewer):
    _english(client)
    filing = builders.active(enterprise_admin, reviewer)
    client.force_login(enterprise_admin)
    page = client.get(f"/registration/filings/{filing.pk}/")
    html = page.content.decode()
    assert_accessible(html)
    assert 'data-status="ACTIVE"' in html
    assert filing.customs_code in html
    assert "Download the certificate" in html
    assert "File a change" in html
    assert "Customs registration · Customs" in html  # the qualification's group on the timeline
    assert "Sent to Customs" in html  # the exchange's entries, one plain line each


# --- the bureau's workbench --------------------------------------------------------------------------
def test_queue_pages_and_filters(client, enterprise_admin, other_admin, reviewer):
    _english(client)
    builders.submitted(enterprise_admin)
    builders.submitted(other_admin, entity_type="SERVICE", subtype="LOGISTICS")
    client.force_login(reviewer)
    page = client.get("/registration/review/")
    assert_accessible(page.content.decode())
    assert len(page.context["page_obj"]) == 2
    assert len(client.get("/registration/review/", {"entity_type": "SERVICE"}).context["page_obj"]) == 1
    assert len(client.get("/registration/review/", {"city": "3302"}).context["page_obj"]) == 0
    assert len(client.get("/registration/review/", {"queue": "mine"}).context["page_obj"]) == 0


@pytest.mark.parametrize(
    ("who", "status"), [("enterprise_admin", 403), ("customs_officer", 403), ("reviewer", 200)]
)
def test_workbench_is_for_the_bureau(client, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/registration/review/").status_code == status


def test_review_through_the_pages(client, enterprise_admin, reviewer):
    _english(client)
    filing = builders.submitted(enterprise_admin)
    client.force_login(reviewer)
    assert client.post(f"/registration/review/{filing.pk}/claim/").status_code == 302
    page = client.get(f"/registration/review/{filing.pk}/")
    html = page.content.decode()
    assert_accessible(html)
    assert builders.RESIDENT_ID not in html  # masked until the officer asks, and the asking is audited
    revealed = client.post(f"/registration/review/{filing.pk}/reveal_id/")
    assert revealed.status_code == 200
    assert (
        builders.RESIDENT_ID in revealed.content.decode()
    )  # the reviewing officer checks it against the scan
    event = AuditEvent.objects.for_object(filing).get(payload__action="reveal_id")
    assert event.actor == reviewer and event.payload["internal"] is True
    reason = ReturnReason.objects.get(code="LICENCE_ILLEGIBLE")
    response = client.post(
        f"/registration/review/{filing.pk}/return/",
        {"return-reason_codes": [reason.code], "return-note": "请重新扫描",
         "return-comment_field": "attachments",
         "return-comment_text": "执照扫描件模糊"},
    )  # fmt: skip
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RETURNED
    assert FieldComment.objects.get(filing=filing).field == "attachments"


def test_review_action_errors_come_back_on_the_form(client, enterprise_admin, reviewer):
    _english(client)
    filing = builders.under_review(enterprise_admin, reviewer)
    client.force_login(reviewer)
    response = client.post(f"/registration/review/{filing.pk}/reject/", {"reject-reason": ""})
    assert response.status_code == 200
    assert response.context["reject_form"].errors
    assert not response.context["approve_form"].is_bound  # the other forms stay clean


def test_review_page_of_a_returned_filing_refuses_approval_with_a_message(client, enterprise_admin, reviewer):
    _english(client)
    filing = builders.returned(enterprise_admin, reviewer)
    client.force_login(reviewer)
    response = client.post(f"/registration/review/{filing.pk}/approve/", {"approve-note": ""}, follow=True)
    assert "not allowed while the filing is Returned for correction" in response.content.decode()
    assert EntityFiling.objects.get(pk=filing.pk).status == FilingStatus.RETURNED


def test_reviewer_of_the_same_organisation_is_refused_on_the_page(client, enterprise_admin, own_org_reviewer):
    filing = builders.submitted(enterprise_admin)
    client.force_login(own_org_reviewer)
    assert client.post(f"/registration/review/{filing.pk}/claim/").status_code == 403
    assert EntityFiling.objects.get(pk=filing.pk).status == FilingStatus.SUBMITTED


def test_suspend_from_the_review_page(client, enterprise_admin, reviewer):
    filing = builders.active(enterprise_admin, reviewer)
    client.force_login(reviewer)
    client.post(f"/registration/review/{filing.pk}/suspend/", {"suspend-reason": "消费者投诉"})
    assert EntityFiling.objects.get(pk=filing.pk).status == FilingStatus.SUSPENDED


# --- home, navigation and settings ----------------------------------------------------------------------
def test_home_panels_for_enterprise_and_reviewer(client, enterprise_admin, reviewer):
    _english(client)
    builders.returned(enterprise_admin, reviewer)
    client.force_login(enterprise_admin)
    html = client.get("/").content.decode()
    assert 'data-testid="registration-panel"' in html
    assert "returned for correction" in html
    assert 'href="/registration/filings/"' in html
    client.force_login(reviewer)
    html = client.get("/").content.decode()
    assert 'data-testid="review-panel"' in html
    assert 'href="/registration/review/"' in html


def test_calendar_and_reasons_pages(client, supervisor, reviewer):
    _english(client)
    client.force_login(reviewer)
    assert client.get("/registration/calendar/").status_code == 403
    client.force_login(supervisor)
    page = client.get("/registration/calendar/", {"year": 2024})
    assert_accessible(page.content.decode())
    assert "Mid-autumn" in page.content.decode()
    response = client.post(
        "/registration/calendar/", {"date": "2031-01-01", "kind": "HOLIDAY", "name": "元旦"}
    )
    assert response.status_code == 302
    reasons = client.get("/registration/reasons/")
    assert_accessible(reasons.content.decode())
    client.post(
        "/registration/reasons/", {"code": "SEAL_MISSING", "label_zh": "缺少公章", "label_en": "Seal missing"}
    )
    reason = ReturnReason.objects.get(code="SEAL_MISSING")
    client.post(f"/registration/reasons/{reason.pk}/toggle/")
    reason.refresh_from_db()
    assert reason.active is False


def test_verification_page_is_accessible(client, enterprise_admin, reviewer):
    filing = builders.active(enterprise_admin, reviewer)
    assert_accessible(client.get(f"/registration/verify/{filing.verify_token}/").content.decode())


def test_comment_fields_are_the_roles_own(client, enterprise_admin, reviewer):
    """A comment on a field the role does not have would never be read: it cannot be chosen or written."""
    from django.core.exceptions import ValidationError

    from registration import services as s

    filing = builders.under_review(enterprise_admin, reviewer, entity_type="SERVICE", subtype="LOGISTICS")
    client.force_login(reviewer)
    response = client.get(f"/registration/review/{filing.pk}/")
    choices = {value for value, _label in response.context["comment_form"].fields["field"].choices}
    assert "platform_urls" not in choices and "payment_licence_no" not in choices
    assert "service_scopes" in choices and "general" in choices
    with pytest.raises(ValidationError):
        s.comment_add(filing=filing, by=reviewer, field="platform_urls", text="?")


def test_choice_groups_name_their_comment_and_errors_have_one_id(client, enterprise_admin, reviewer):
    import re

    filing = builders.under_review(enterprise_admin, reviewer, entity_type="SERVICE", subtype="LOGISTICS")
    from registration import services as s

    s.filing_return(
        filing=filing, by=reviewer, note="范围", comments=[{"field": "service_scopes", "text": "请补充仓储"}]
    )
    client.force_login(enterprise_admin)
    html = client.get(f"/registration/filings/{filing.pk}/edit/business/").content.decode()
    fieldset = re.search(r"<fieldset[^>]*>", html[html.index('data-field="service_scopes"') :]).group(0)
    assert "comment-service_scopes" in fieldset
    assert 'id="comment-service_scopes"' in html
    response = client.post(
        f"/registration/filings/{filing.pk}/edit/entity/",
        {"name_cn": "abc", "division_code": "339999x", "customs_code": "12"},
    )
    html = response.content.decode()
    ids = re.findall(r'id="([^"]+_error)"', html)
    assert ids and len(ids) == len(set(ids))
