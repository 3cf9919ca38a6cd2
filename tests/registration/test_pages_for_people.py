"""Pages written for their readers (issue 10): state names, Chinese punctuation and separators, the
enterprise's home page, the audit page, the claims page, and reasons kept for each reader's language."""

import importlib
from decimal import Decimal

import lxml.html
import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from portal.choices import AuditVerb
from portal.context import acting
from portal.services.audit import audit
from registration import services
from registration.choices import FilingStatus
from registration.models import EntityFiling, ReturnReason
from tests.registration import builders

pytestmark = pytest.mark.django_db


def _get(client, user, url, language="zh-hans"):
    client.force_login(user)
    client.cookies["portal_language"] = language
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


# --- one name per state ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "chinese"),
    [
        (FilingStatus.ACTIVE, "已生效"),
        (FilingStatus.RETURNED, "已退回补正"),
        (FilingStatus.REVOKED, "已撤销"),
    ],
)
def test_a_filing_state_has_one_chinese_name(status, chinese):
    """The shell's and the exchange's catalogues used to translate the same words otherwise (正常, 退回修改,
    已吊销), and theirs won; scripts/i18n.py check now refuses two translations of one string."""
    with translation.override("zh-hans"):
        assert str(status.label) == chinese


def test_the_active_filing_reads_the_same_on_every_page(client, enterprise_admin, reviewer):
    filing = builders.active(enterprise_admin, reviewer)
    detail = _get(client, enterprise_admin, filing.get_absolute_url())
    listing = _get(client, enterprise_admin, "/registration/filings/")
    home = _get(client, enterprise_admin, "/")
    for doc in (detail, listing, home):
        assert "已生效" in doc.text_content()
        assert "正常" not in doc.text_content() and "有效" not in doc.text_content()


# --- the enterprise's home page -------------------------------------------------------------------------
def test_the_home_page_shows_filings_identifiers_and_the_certificate(client, enterprise_admin, reviewer):
    filing = builders.active(enterprise_admin, reviewer)
    doc = _get(client, enterprise_admin, "/")
    (card,) = doc.xpath(f"//*[@data-testid='home-filings']/li[@data-filing='{filing.pk}']")
    text = card.text_content()
    assert filing.filing_no in text and "已生效" in text
    assert f"报关单位注册登记：{filing.customs_code}" in " ".join(text.split())
    assert card.xpath(".//a[@data-testid='home-certificate']/@href") == [
        reverse("registration:certificate", args=[filing.pk])
    ]


def test_the_home_page_says_what_is_still_with_the_departments(client, enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    doc = _get(client, enterprise_admin, "/", language="en")
    (card,) = doc.xpath(f"//*[@data-testid='home-filings']/li[@data-filing='{filing.pk}']")
    assert "mandatory qualifications are still with the departments" in card.text_content()
    assert not card.xpath(".//a[@data-testid='home-certificate']")


def test_the_home_page_never_shows_another_enterprises_filings(
    client, enterprise_admin, other_admin, reviewer
):
    theirs = builders.active(other_admin, reviewer)
    doc = _get(client, enterprise_admin, "/")
    assert theirs.filing_no not in doc.text_content()


# --- Chinese punctuation and separators -----------------------------------------------------------------
def test_lists_and_money_are_written_as_each_language_writes_them(client, enterprise_admin, reviewer):
    filing = builders.submitted(
        enterprise_admin,
        entity_type="SERVICE",
        subtype="LOGISTICS",
        service_scopes=["LOGISTICS", "EXPRESS"],
        registered_capital_cny=Decimal("12345678.50"),
    )
    zh = _get(client, enterprise_admin, filing.get_absolute_url()).text_content()
    assert "物流、快递" in zh and "物流, 快递" not in zh
    assert "12,345,678.50" in zh
    en = _get(client, enterprise_admin, filing.get_absolute_url(), language="en").text_content()
    assert "Logistics, Express delivery" in en


def test_the_attachments_step_lists_its_documents_in_chinese_punctuation(client, enterprise_admin):
    filing = builders.draft(enterprise_admin)
    doc = _get(client, enterprise_admin, f"/registration/filings/{filing.pk}/edit/attachments/")
    needed = next(
        p.text_content() for p in doc.xpath("//main//p") if p.text_content().startswith("本备案需提交")
    )
    assert needed.endswith("。") and ", " not in needed and "、" in needed


# --- the audit page -------------------------------------------------------------------------------------
def test_the_audit_page_shows_states_in_words(client, system_admin, enterprise_admin, reviewer):
    builders.approved(enterprise_admin, reviewer)
    with acting(system_admin, via="web"):
        audit(verb=AuditVerb.DEACTIVATE, target=enterprise_admin, from_state="True", to_state="False")
    doc = _get(client, system_admin, "/audit/?page=1", language="en")
    changes = [row.xpath("td")[4].text_content() for row in doc.xpath("//tbody/tr")]
    states = {part.strip() for change in changes for part in change.split("→")} - {"", "—"}
    assert {"Draft", "Submitted", "Under review", "Approved, qualifications in progress"} <= states
    assert {"active", "inactive"} <= states
    raw = {"DRAFT", "SUBMITTED", "UNDER_REVIEW", "APPROVED", "PENDING", "True", "False", "pending", "sent"}
    assert not states & raw, states & raw


# --- the claims page ------------------------------------------------------------------------------------
def test_the_claims_page_says_how_many_days(client, supervisor, settings):
    from accounts.services import claims

    doc = _get(client, supervisor, "/registration/claims/")
    lead = doc.xpath("//p[@class='lead']")[0].text_content()
    assert f"{claims.claim_after_days()} 日" in lead or f"{claims.claim_after_days()}日" in lead, lead
    assert "且 日" not in lead


# --- reasons the portal writes itself -------------------------------------------------------------------
def test_a_supersession_reason_reads_in_the_readers_language(client, enterprise_admin, reviewer):
    filing = builders.active(enterprise_admin, reviewer)
    change = services.filing_change(filing=filing, by=enterprise_admin)
    change = services.filing_submit(filing=change, by=enterprise_admin)
    change = services.filing_accept(filing=change, by=reviewer)
    services.filing_approve(filing=change, by=reviewer)
    builders.answer_all(change)
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUPERSEDED
    with translation.override("en"):
        assert filing.shown_status_reason == "Superseded by version 2"
    with translation.override("zh-hans"):
        assert "Superseded" not in filing.shown_status_reason and "2" in filing.shown_status_reason
    assert "Superseded by version 2" in filing.status_reason  # the record keeps both languages


def test_the_api_gives_the_reason_in_the_callers_language(api_as, enterprise_admin, reviewer):
    filing = builders.returned(enterprise_admin, reviewer)
    reason = ReturnReason.objects.get(code="NAME_MISMATCH")
    url = f"/api/v1/registration/filings/{filing.pk}/"
    english = api_as(enterprise_admin).get(url, headers={"accept-language": "en"}).json()["status_reason"]
    chinese = (
        api_as(enterprise_admin).get(url, headers={"accept-language": "zh-hans"}).json()["status_reason"]
    )
    assert english == f"{reason.label_en}; 名称有误"
    assert chinese == f"{reason.label_zh}；名称有误"


def test_the_migration_rebuilds_the_reasons_of_filings_returned_before(enterprise_admin, reviewer):
    backfill = importlib.import_module("registration.migrations.0009_reasons_kept_for_each_language").backfill
    filing = builders.returned(enterprise_admin, reviewer)
    reason = ReturnReason.objects.get(code="NAME_MISMATCH")
    EntityFiling.objects.filter(pk=filing.pk).update(status_reason_text={})  # as it was before
    filing.refresh_from_db()
    assert reason.label_en in filing.shown_status_reason  # the old record: both languages
    backfill(apps, None)
    filing.refresh_from_db()
    with translation.override("zh-hans"):
        assert filing.shown_status_reason == f"{reason.label_zh}；名称有误"
    with translation.override("en"):
        assert filing.shown_status_reason == f"{reason.label_en}; 名称有误"
    backfill(apps, None)  # idempotent
    filing.refresh_from_db()
    assert filing.status_reason_text["by_language"]["en"] == f"{reason.label_en}; 名称有误"
