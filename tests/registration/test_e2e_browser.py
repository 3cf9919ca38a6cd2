"""The issue's "done when": in Chromium, an application enterprise files; the reviewer returns it with a field
comment; the enterprise fixes it and resubmits; the reviewer approves; the real Celery worker pushes the
qualifications to govmock and applies its receipts; the filing turns ACTIVE; the certificate's QR link opens
the verification page, which says valid; the reviewer suspends the filing; the page says suspended.

Processes: the live portal (pytest-django's live server), govmock, a Celery worker and beat (``portal_stack``,
tests/e2e/conftest.py), on this run's test database and broker.
"""

import io

import pytest
from django.db import connections
from pypdf import PdfReader

from registration.choices import FilingStatus, TaskStatus
from registration.models import EntityFiling
from tests import factories
from tests.registration import builders

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture
def people(transactional_db, commerce_bureau):
    enterprise = factories.EnterpriseFactory(division_code="330100")
    return {
        "applicant": factories.UserFactory(organisation=enterprise, role="enterprise_admin"),
        "reviewer": factories.UserFactory(organisation=commerce_bureau, role="commerce_reviewer"),
    }


@pytest.fixture(autouse=True)
def _close_connections(chromium):
    """Queries made while Playwright's loop runs get a connection of their own (Django sees an event loop):
    close it before the loop stops, or it outlives the test and blocks dropping the test database."""
    yield
    connections.close_all()


@pytest.fixture
def open_page(chromium, live_server):
    """``open_page(user)``: a page in its own browser context, logged in as ``user`` (None: anonymous).

    Console errors (a CSP violation, a script error) fail the test."""
    contexts, problems = [], []

    def open_as(user):
        context = chromium.new_context(base_url=live_server.url, locale="zh-CN", accept_downloads=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        if user is None:
            return page
        page.goto("/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", factories.PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert not problems, f"the browser reported errors: {problems}"


def _status(page) -> str:
    return page.get_attribute("[data-testid=filing-status]", "data-status")


def _file(page, applicant) -> int:
    page.goto("/registration/filings/new/")
    page.check("input[name=entity_type][value=APPLICATION]")
    page.select_option("#id_subtype", "ENTERPRISE")
    with page.expect_navigation():
        page.click("[data-testid=type-form] button[type=submit]")
    filing_id = int(page.url.rstrip("/").split("/")[-3])
    # The credit code is checked as it is typed (data-validate-url), then put back right.
    code = page.input_value("#id_uscc")
    page.fill("#id_uscc", code[:17] + ("0" if code[17] != "0" else "1"))
    page.wait_for_selector("#id_uscc_live.error")
    page.fill("#id_uscc", code)
    page.wait_for_selector("#id_uscc_live.help")
    page.fill("#id_name_cn", "杭州错误名称电子商务有限公司")
    page.fill("#id_address", "浙江省杭州市西湖区文三路1号")
    with page.expect_navigation():
        page.click("button[name=next]")
    page.fill("#id_legal_rep_name", "张三")
    page.select_option("#id_legal_rep_id_type", "RESIDENT_ID")
    page.fill("#id_legal_rep_id_no", builders.RESIDENT_ID)
    page.fill("#id_contact_name", "张三")
    page.fill("#id_contact_phone", "13800571234")
    page.fill("#id_contact_email", "filing@example.com")
    with page.expect_navigation():
        page.click("button[name=next]")
    with page.expect_navigation():
        page.click("button[name=next]")  # business details: nothing required for this role
    for kind, name, mime, content in (
        ("BUSINESS_LICENCE", "licence.pdf", "application/pdf", builders.pdf_bytes("营业执照")),
        ("LEGAL_REP_ID", "id.png", "image/png", builders.png_bytes()),
    ):
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_file", files=[{"name": name, "mimeType": mime, "buffer": content}])
        with page.expect_navigation():
            page.click("button[name=upload]")
    with page.expect_navigation():
        page.click("[data-testid=attachments-continue] button")
    assert page.locator("[data-testid=completeness]").count() == 0
    with page.expect_navigation():
        page.click("[data-testid=submit-form] button")
    assert _status(page) == FilingStatus.SUBMITTED
    return filing_id


def _review_action(page, name: str) -> None:
    with page.expect_navigation():
        page.click(f"[data-testid=action-{name}] button[type=submit]")


def test_file_return_fix_approve_activate_verify_suspend(
    open_page, people, portal_stack, settings, live_server
):
    settings.SITE_URL = live_server.url  # the certificate's QR code points at this portal
    applicant = open_page(people["applicant"])
    filing_id = _file(applicant, people["applicant"])

    reviewer = open_page(people["reviewer"])
    reviewer.goto("/registration/review/")
    with reviewer.expect_navigation():
        reviewer.click(f"[data-testid=queue] a[href='/registration/review/{filing_id}/']")
    _review_action(reviewer, "claim")
    reviewer.check("input[name=return-reason_codes][value=NAME_MISMATCH]")
    reviewer.fill("#id_return-note", "名称与营业执照不一致")
    reviewer.select_option("#id_return-comment_field", "name_cn")
    reviewer.fill("#id_return-comment_text", "请按营业执照填写全称")
    _review_action(reviewer, "return")
    assert _status(reviewer) == FilingStatus.RETURNED

    applicant.goto(f"/registration/filings/{filing_id}/")
    assert _status(applicant) == FilingStatus.RETURNED
    assert "请按营业执照填写全称" in applicant.inner_text("[data-testid=comment-name_cn]")
    applicant.goto(f"/registration/filings/{filing_id}/edit/entity/")
    assert "请按营业执照填写全称" in applicant.inner_text("#comment-name_cn")
    assert applicant.input_value("#id_address") == "浙江省杭州市西湖区文三路1号"  # nothing to retype
    applicant.fill("#id_name_cn", "杭州正确名称电子商务有限公司")
    with applicant.expect_navigation():
        applicant.click("button[name=save]")
    applicant.goto(f"/registration/filings/{filing_id}/edit/submit/")
    with applicant.expect_navigation():
        applicant.click("[data-testid=submit-form] button")
    assert _status(applicant) == FilingStatus.UNDER_REVIEW  # straight back to the reviewer who returned it

    reviewer.goto(f"/registration/review/{filing_id}/")
    assert reviewer.locator("[data-testid=action-claim]").count() == 0  # no second claim
    _review_action(reviewer, "approve")
    assert _status(reviewer) in (FilingStatus.APPROVED, FilingStatus.ACTIVE)

    portal_stack.wait_for(
        lambda: EntityFiling.objects.get(pk=filing_id).status == FilingStatus.ACTIVE,
        timeout=120,
        message="the worker to push every qualification to govmock and apply the receipts",
    )
    filing = EntityFiling.objects.get(pk=filing_id)
    assert filing.customs_code.startswith("3301")
    assert filing.dxp_id.startswith("DXPENT")
    assert not filing.qualifications.filter(mandatory=True).exclude(status=TaskStatus.DONE).exists()

    applicant.goto(f"/registration/filings/{filing_id}/")
    assert _status(applicant) == FilingStatus.ACTIVE
    assert filing.customs_code in applicant.inner_text("[data-testid=qualifications]")
    with applicant.expect_download() as download:
        applicant.click("[data-testid=certificate-link]")
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115 - read once
    assert filing.filing_no in pdf.pages[0].extract_text()
    (qr_target,) = [a.get_object()["/A"]["/URI"] for a in pdf.pages[0]["/Annots"] if "/A" in a.get_object()]
    assert qr_target.startswith(live_server.url + "/registration/verify/")

    visitor = open_page(None)  # the verification page needs no login
    visitor.goto(qr_target)
    assert visitor.get_attribute("[data-testid=verify-state]", "data-state") == "VALID"

    reviewer.goto(f"/registration/review/{filing_id}/")
    reviewer.fill("#id_suspend-reason", "消费者投诉，暂停核查")
    _review_action(reviewer, "suspend")
    assert _status(reviewer) == FilingStatus.SUSPENDED

    visitor.goto(qr_target)
    assert visitor.get_attribute("[data-testid=verify-state]", "data-state") == "SUSPENDED"
