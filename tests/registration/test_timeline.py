"""A filing's timeline tells its story to people (issue 10): one plain line per business event, grouped by
qualification and department, in the reader's language; raw codes, keys, ids and raw messages only behind
the officers' technical details; the reviewer reads what the applicant did."""

import re

import lxml.html
import pytest

from exchange.models import Message
from exchange.services import receipts_ingest
from registration import services
from registration.choices import TaskStatus
from registration.models import ReturnReason
from tests.registration import builders

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}", re.IGNORECASE)
RAW_STATES = re.compile(
    r"\b(DRAFT|SUBMITTED|UNDER_REVIEW|RETURNED|APPROVED|ACTIVE|PENDING|SENT|DONE|ACCEPTED|REGISTERED|"
    r"COMPLETED|pending|sent|acknowledged|completed)\b"
)


def _page(client, user, url, language="zh-hans"):
    client.force_login(user)
    client.cookies["portal_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def _all(element, css_class: str) -> list:
    return element.xpath(f".//*[contains(concat(' ', @class, ' '), ' {css_class} ')]")


def _one(element, css_class: str):
    return _all(element, css_class)[0]


def _timeline(doc):
    return doc.get_element_by_id("timeline-heading").getparent()


def _lines(doc, group="main") -> list[str]:
    section = _timeline(doc).xpath(f".//*[@data-group='{group}']")[0]
    return [" ".join(_one(li, "timeline__title").text_content().split()) for li in section.xpath(".//li")]


def _mark_sent(filing):
    for task in filing.qualifications.exclude(message=None).select_related("message"):
        Message.objects.filter(pk=task.message_id).update(status="sent", sent_at=task.message.created_at)


def test_the_enterprise_reads_its_story_without_codes_keys_or_ids(client, enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    _mark_sent(filing)
    builders.answer_all(filing)
    doc = _page(client, enterprise_admin, filing.get_absolute_url())
    timeline = _timeline(doc)
    text = timeline.text_content()
    assert not RAW_STATES.search(text), RAW_STATES.search(text)
    assert not UUID.search(text)
    assert f"{filing.filing_no}:" not in text  # no business keys
    assert not [a for a in timeline.iter("a") if "/exchange/" in a.get("href", "")]  # no raw messages
    assert not timeline.xpath(".//details")  # technical details are for officers
    assert _lines(doc, "qualification:CUSTOMS_REG") == [
        "已发送至海关",
        "海关已登记：海关注册编码 3301960001",
    ]
    assert "已生效：全部必办资质均已办结" in _lines(doc)
    # Each department and qualification has its own group, the filing's own events first.
    headings = [h.text_content() for h in timeline.xpath(".//h3")]
    assert headings[0] == "主体备案" and "报关单位注册登记 · 海关" in headings


def test_one_line_per_event_replaces_the_duplicate_receipt_entries(client, enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    _mark_sent(filing)
    message = filing.qualifications.get(code="CUSTOMS_REG").message
    receipts_ingest([builders.receipt_item(message, "ACCEPTED", data={})], via="callback")
    receipts_ingest([builders.receipt_item(message, "REGISTERED")], via="callback")
    receipts_ingest([builders.receipt_item(message, "REGISTERED")], via="callback")  # a duplicate
    doc = _page(client, enterprise_admin, filing.get_absolute_url())
    assert _lines(doc, "qualification:CUSTOMS_REG") == [
        "已发送至海关",
        "海关已受理",
        "海关已登记：海关注册编码 3301960001",
    ]
    assert not any("PENDING" in line or "→" in line for line in _lines(doc))


def test_sent_never_reads_as_completed(client, enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    _mark_sent(filing)
    doc = _page(client, enterprise_admin, filing.get_absolute_url())
    text = _timeline(doc).text_content()
    assert "已发送至海关" in text
    assert "已办结" not in text and "已登记" not in text  # no receipt yet: nothing is done


def test_a_message_not_yet_sent_says_it_waits(client, enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    doc = _page(client, enterprise_admin, filing.get_absolute_url(), language="en")
    assert _lines(doc, "qualification:CUSTOMS_REG") == ["Waiting to be sent to Customs"]


def test_the_reviewer_reads_the_applicants_events(client, enterprise_admin, reviewer):
    filing = builders.returned(enterprise_admin, reviewer)
    services.filing_update_draft(
        filing=filing, by=enterprise_admin, data={"name_cn": "杭州更正名称电子商务有限公司"}
    )
    services.filing_submit(filing=filing, by=enterprise_admin)
    doc = _page(client, reviewer, filing.get_review_url(), language="en")
    lines = _lines(doc)
    assert "Nothing has happened yet." not in _timeline(doc).text_content()
    for expected in (
        "Draft created",
        "Details edited",
        "Attachment added",
        "Submitted to the commerce bureau",
        "Taken up for review",
        "Returned for correction",
        "Resubmitted after correction",
    ):
        assert expected in lines, (expected, lines)
    actors = {_one(li, "timeline__actor").text_content() for li in _timeline(doc).xpath(".//li")}
    assert enterprise_admin.display_name in actors and reviewer.display_name in actors


def test_consecutive_edits_read_as_one_line(client, enterprise_admin):
    filing = builders.draft(enterprise_admin)
    for name in ("杭州一号电子商务有限公司", "杭州二号电子商务有限公司"):
        services.filing_update_draft(filing=filing, by=enterprise_admin, data={"name_cn": name})
    services.filing_update_draft(
        filing=filing, by=enterprise_admin, data={"address": "浙江省杭州市西湖区2号"}
    )
    doc = _page(client, enterprise_admin, filing.get_absolute_url(), language="en")
    # The builder's draft: created, edited, two uploads; then three saves in a row read as one line.
    assert _lines(doc) == [
        "Draft created",
        "Details edited",
        "Attachment added",
        "Attachment added",
        "Details edited",
    ]
    last = _all(_timeline(doc), "timeline__detail")[-1].text_content()
    assert last == "Name (Chinese), Registered address", last


def test_an_upload_reads_with_its_kind_name_and_size(client, enterprise_admin):
    filing = builders.draft(enterprise_admin)
    doc = _page(client, enterprise_admin, filing.get_absolute_url())
    details = [d.text_content() for d in _all(_timeline(doc), "timeline__detail")]
    assert any(d.startswith("营业执照 · ") and "（" in d and "）" in d for d in details), details
    with_english = _page(client, enterprise_admin, filing.get_absolute_url(), language="en")
    details = [d.text_content() for d in _all(_timeline(with_english), "timeline__detail")]
    assert any(d.startswith("Business licence · ") for d in details), details


def test_officers_see_the_technical_details(client, enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    _mark_sent(filing)
    builders.answer_all(filing)
    doc = _page(client, reviewer, filing.get_review_url())
    technical = " ".join(d.text_content() for d in _timeline(doc).xpath(".//details[@data-testid]"))
    customs = filing.qualifications.get(code="CUSTOMS_REG").message
    assert customs.message_id in technical and customs.business_key in technical
    assert "REGISTERED" in technical and "UNDER_REVIEW" in technical
    # The raw messages the reviewer may open (the commerce bureau's own) are linked; others are not.
    links = {a.get("href") for a in _timeline(doc).iter("a")}
    commerce = filing.qualifications.get(code="FT_OPERATOR").message
    assert f"/exchange/messages/{commerce.pk}/" in links
    assert f"/exchange/messages/{customs.pk}/" not in links


def test_an_unusable_answer_is_told_in_the_readers_language(client, enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    message = filing.qualifications.get(code="CUSTOMS_REG").message
    receipts_ingest([builders.receipt_item(message, data={"customs_code": "4403161FMD"})], via="callback")
    task = filing.qualifications.get(code="CUSTOMS_REG")
    assert task.status == TaskStatus.FAILED
    zh = _page(client, enterprise_admin, filing.get_absolute_url())
    assert "未能办结：部门回复的内容无法使用" in _lines(zh, "qualification:CUSTOMS_REG")
    cell = zh.xpath(".//*[@data-qualification='CUSTOMS_REG']/td")[4].text_content()
    assert "4403161FMD" in cell and "customs code" not in cell  # Chinese only
    en = _page(client, enterprise_admin, filing.get_absolute_url(), language="en")
    cell = en.xpath(".//*[@data-qualification='CUSTOMS_REG']/td")[4].text_content()
    assert cell.startswith("Unusable answer from the department: the customs code 4403161FMD")


def test_return_reasons_read_in_the_readers_language(client, enterprise_admin, reviewer):
    filing = builders.returned(enterprise_admin, reviewer)
    zh = _page(client, enterprise_admin, filing.get_absolute_url())
    status = zh.xpath(".//*[@data-testid='filing-summary']")[0].text_content()
    timeline = _timeline(zh).text_content()
    for text in (status, timeline):
        assert "名称有误" in text
        assert "Name" not in text  # never the English reason beside the Chinese one
    en = _page(client, enterprise_admin, filing.get_absolute_url(), language="en")
    status = en.xpath(".//*[@data-testid='filing-summary']")[0].text_content()
    assert "名称有误" in status  # the reviewer's own words stay as written
    reason = ReturnReason.objects.get(code="NAME_MISMATCH")
    assert reason.label_en in status and reason.label_zh not in status


def test_the_api_timeline_groups_its_entries(api_as, enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    builders.answer_all(filing)
    entries = api_as(enterprise_admin).get(f"/api/v1/registration/filings/{filing.pk}/timeline/").json()
    groups = {e["group"] for e in entries}
    assert "" in groups and "qualification:CUSTOMS_REG" in groups
    assert any(e["code"] == "REGISTERED" for e in entries)  # machines keep the department's code
