"""Issue 10, in Chromium: an enterprise and a reviewer take a filing from submission to ACTIVE (returned once
on the way), with the real worker pushing the qualifications to govmock and applying its receipts. On the
pages: the enterprise reads no raw status code, message id or business key; the reviewer reads what the
applicant did; switching language switches stored notifications and the return reasons; one approval
leaves one digest of the departments' receipts, not one notification each.

Screenshots of the main pages in both languages go to ``var/screenshots/`` (gitignored) for a person to
look at: ``<who>-<page>-<language>.png``.
"""

import re

import pytest
from django.conf import settings as django_settings
from django.db import connections

from registration.choices import FilingStatus
from registration.models import EntityFiling, ReturnReason
from tests import factories
from tests.registration import builders

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.xdist_group("browser")]

SCREENSHOTS = django_settings.BASE_DIR / "var" / "screenshots"
UUID = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}", re.IGNORECASE)
RAW = re.compile(
    r"\b(DRAFT|SUBMITTED|UNDER_REVIEW|RETURNED|APPROVED|ACTIVE|PENDING|SENT|DONE|ACCEPTED|REGISTERED|"
    r"COMPLETED|FT_OPERATOR|CUSTOMS_REG|CIQ_FILING|EPORT_CARD|SAFE_DIRECTORY|TAX_REFUND_FILING)\b"
)


@pytest.fixture
def people(transactional_db, commerce_bureau):
    enterprise = factories.EnterpriseFactory(division_code="330100", name_cn="杭州故事电子商务有限公司")
    return {
        "applicant": factories.UserFactory(
            organisation=enterprise, role="enterprise_admin", full_name="陈申报"
        ),
        "reviewer": factories.UserFactory(
            organisation=commerce_bureau, role="commerce_reviewer", full_name="王审核"
        ),
    }


@pytest.fixture(autouse=True)
def _close_connections(chromium):
    yield
    connections.close_all()


@pytest.fixture
def open_page(chromium, live_server):
    """``open_page(user)``: a logged-in page in its own browser context; console errors fail the test."""
    contexts, problems = [], []

    def open_as(user):
        context = chromium.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
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


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _switch(page, language: str) -> None:
    with page.expect_navigation():  # the select alone switches (portal.js data-autosubmit)
        page.select_option("#language-select", language)


def _click(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _timeline(page) -> str:
    return page.inner_text("[data-testid=timeline]")


def _status(page) -> str:
    return page.get_attribute("[data-testid=filing-status]", "data-status")


def _assert_nothing_raw(page, filing) -> None:
    text = page.inner_text("main")
    assert not RAW.search(text), f"a raw code on the enterprise's page: {RAW.search(text).group(0)}"
    assert not UUID.search(text), "a message id on the enterprise's page"
    assert f"{filing.filing_no}:" not in text, "a business key on the enterprise's page"
    assert page.locator("[data-testid=timeline] a[href*='/exchange/']").count() == 0
    assert page.locator("[data-testid=timeline] details").count() == 0


def test_an_enterprise_and_a_reviewer_read_the_story_of_a_filing(open_page, people, portal_stack):
    applicant, reviewer_user = people["applicant"], people["reviewer"]
    filing = builders.draft(applicant)
    reason = ReturnReason.objects.get(code="NAME_MISMATCH")

    # The enterprise submits.
    enterprise = open_page(applicant)
    enterprise.goto(f"/registration/filings/{filing.pk}/edit/submit/")
    _click(enterprise, "[data-testid=submit-form] button")
    assert _status(enterprise) == FilingStatus.SUBMITTED
    filing.refresh_from_db()

    # The reviewer reads what the applicant did before anyone in the bureau touched it.
    reviewer = open_page(reviewer_user)
    reviewer.goto(f"/registration/review/{filing.pk}/")
    story = _timeline(reviewer)
    assert "暂无记录" not in story
    for line in ("已创建草稿", "已修改备案信息", "新增附件", "已提交商务主管部门"):
        assert line in story, line
    assert applicant.display_name in story

    # The reviewer claims it and returns it with a listed reason and a note.
    _click(reviewer, "[data-testid=action-claim] button[type=submit]")
    reviewer.check("input[name=return-reason_codes][value=NAME_MISMATCH]")
    reviewer.fill("#id_return-note", "请核对营业执照")
    _click(reviewer, "[data-testid=action-return] button[type=submit]")
    assert _status(reviewer) == FilingStatus.RETURNED

    # The return reads in the enterprise's language, and again in the other after switching.
    enterprise.goto(f"/registration/filings/{filing.pk}/")
    summary = enterprise.inner_text("[data-testid=filing-summary]")
    assert reason.label_zh in summary and reason.label_en not in summary
    enterprise.goto("/inbox/")
    inbox = enterprise.inner_text("main")
    assert reason.label_zh in inbox and reason.label_en not in inbox
    _switch(enterprise, "en")
    inbox = enterprise.inner_text("main")
    assert reason.label_en in inbox and reason.label_zh not in inbox
    assert f"Filing {filing.filing_no} returned for correction" in inbox
    enterprise.goto(f"/registration/filings/{filing.pk}/")
    summary = enterprise.inner_text("[data-testid=filing-summary]")
    assert reason.label_en in summary and reason.label_zh not in summary
    _shot(enterprise, "enterprise-filing-returned-en")
    _switch(enterprise, "zh-hans")
    _shot(enterprise, "enterprise-filing-returned-zh")

    # The enterprise corrects the name and resubmits; the reviewer sees that too, then approves.
    enterprise.goto(f"/registration/filings/{filing.pk}/edit/entity/")
    enterprise.fill("#id_name_cn", "杭州故事更正电子商务有限公司")
    _click(enterprise, "button[name=save]")
    enterprise.goto(f"/registration/filings/{filing.pk}/edit/submit/")
    _click(enterprise, "[data-testid=submit-form] button")
    reviewer.goto(f"/registration/review/{filing.pk}/")
    story = _timeline(reviewer)
    assert "补正后重新提交" in story and "已退回补正" in story
    assert reviewer.locator("[data-testid=action-claim]").count() == 0, (
        "the reviewer who returned it keeps it"
    )
    _click(reviewer, "[data-testid=action-approve] button[type=submit]")

    portal_stack.wait_for(
        lambda: EntityFiling.objects.get(pk=filing.pk).status == FilingStatus.ACTIVE,
        timeout=120,
        message="the worker to push every qualification to govmock and apply the receipts",
    )
    filing.refresh_from_db()

    # The enterprise's story: plain lines, grouped; no codes, ids or keys.
    enterprise.goto(f"/registration/filings/{filing.pk}/")
    assert _status(enterprise) == FilingStatus.ACTIVE
    story = _timeline(enterprise)
    assert "已发送至海关" in story
    assert f"海关已登记：海关注册编码 {filing.customs_code}" in story
    assert "已生效：全部必办资质均已办结" in story
    _assert_nothing_raw(enterprise, filing)
    _shot(enterprise, "enterprise-filing-zh")

    # One approval: one digest of the departments' receipts, not one notification per qualification.
    enterprise.goto("/inbox/")
    inbox = enterprise.inner_text("main")
    assert inbox.count("项资质已办结") == 1, inbox
    assert inbox.count("已办结：") >= 4  # the digest lists each qualification with its identifier
    _shot(enterprise, "enterprise-inbox-zh")
    enterprise.goto("/")
    assert filing.customs_code in enterprise.inner_text("[data-testid=home-filings]")
    assert enterprise.locator("[data-testid=home-certificate]").count() == 1
    _shot(enterprise, "enterprise-home-zh")

    _switch(enterprise, "en")
    _shot(enterprise, "enterprise-home-en")
    enterprise.goto("/inbox/")
    assert "qualifications registered" in enterprise.inner_text("main")
    _shot(enterprise, "enterprise-inbox-en")
    enterprise.goto(f"/registration/filings/{filing.pk}/")
    story = _timeline(enterprise)
    assert (
        "Sent to Customs" in story
        and f"Customs registered it: customs registration code {filing.customs_code}" in story
    )
    _assert_nothing_raw(enterprise, filing)
    _shot(enterprise, "enterprise-filing-en")

    # The reviewer: the same story, the applicant's events included, technical details on request.
    reviewer.goto(f"/registration/review/{filing.pk}/")
    story = _timeline(reviewer)
    assert applicant.display_name in story and "补正后重新提交" in story
    assert reviewer.locator("[data-testid=technical-details]").count() > 0
    reviewer.locator("[data-testid=technical-details] summary").first.click()
    _shot(reviewer, "reviewer-review-zh")
    reviewer.goto("/")
    _shot(reviewer, "reviewer-home-zh")
    _switch(reviewer, "en")
    _shot(reviewer, "reviewer-home-en")
    reviewer.goto(f"/registration/review/{filing.pk}/")
    assert "Resubmitted after correction" in _timeline(reviewer)
    _shot(reviewer, "reviewer-review-en")
