"""Pages read for people: queues name cities, not division codes; an enterprise sees its attachments'
SHA-256 fingerprints only when it opens the details (officers keep the column); the claims pages say how many
days an unverified account has."""

import re

import pytest

from tests.registration import builders
from tests.registration.test_claims import _age, _signup

pytestmark = pytest.mark.django_db


def _cells(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</tr>", start)]


def test_the_review_queue_names_the_city(client, enterprise_admin, reviewer):
    filing = builders.submitted(enterprise_admin, division_code="330782", division_note="注册地址已迁移")
    client.force_login(reviewer)
    row = _cells(client.get("/registration/review/").content.decode(), f'data-filing="{filing.filing_no}"')
    assert '<td class="nowrap">金华市</td>' in row
    assert "330782" not in row
    client.cookies["portal_language"] = "en"
    row = _cells(client.get("/registration/review/").content.decode(), f'data-filing="{filing.filing_no}"')
    assert '<td class="nowrap">Jinhua</td>' in row


def test_an_enterprise_sees_fingerprints_only_in_the_details(client, enterprise_admin, reviewer):
    filing = builders.submitted(enterprise_admin)
    attachment = filing.attachments.current().first()
    client.force_login(enterprise_admin)
    for url in (f"/registration/filings/{filing.pk}/", f"/registration/filings/{filing.pk}/edit/submit/"):
        html = client.get(url).content.decode()
        assert '<th scope="col">SHA-256</th>' not in html
        for found in re.finditer(attachment.sha256, html):
            before = html[: found.start()]
            assert before.rfind("<details") > before.rfind("</details>"), "a fingerprint only inside details"
    client.force_login(reviewer)
    html = client.get(f"/registration/review/{filing.pk}/").content.decode()
    assert '<th scope="col">SHA-256</th>' in html and attachment.sha256 in html


def test_the_claims_pages_give_the_number_of_days(client, supervisor, settings):
    settings.REGISTRATION_CLAIM_AFTER_DAYS = 17
    org, _holder = _signup("squatter")
    _age(org, 30)
    _signup("rightful")
    client.force_login(supervisor)
    listing = client.get("/registration/claims/", {"show": "all"}).content.decode()
    assert "未经核验且 17 日内未提交备案" in listing
    assert not re.search(r"且\s+日内", listing)
    detail = client.get(f"/registration/claims/{org.pk}/").content.decode()
    assert "17 日内" in detail and not re.search(r"且\s+日内", detail)


def test_reviewer_comments_read_with_chinese_punctuation(client, enterprise_admin, reviewer):
    """A comment reads 第 1 轮：… in Chinese and Round 1: … in English (round and comment: one sentence)."""
    filing = builders.returned(enterprise_admin, reviewer)
    client.force_login(enterprise_admin)
    for url in (f"/registration/filings/{filing.pk}/", f"/registration/filings/{filing.pk}/edit/submit/"):
        html = client.get(url).content.decode()
        assert re.search("第 1 轮( · [^<：]+)?：请与营业执照一致", html), url
        assert not re.search(r"轮( · [^<：]+)?: ", html), url
    client.cookies["portal_language"] = "en"
    html = client.get(f"/registration/filings/{filing.pk}/edit/submit/").content.decode()
    assert "Round 1: 请与营业执照一致" in html
