"""Wide tables fit the window: the audit search page at 1280 px (long reasons, long object names) keeps its
action column on one line; the statistics tables put each number under its heading (right edges align)."""

import pytest

from portal.choices import AuditVerb
from portal.models import User
from portal.seeding import DEMO_PASSWORD, seed_shell
from portal.services.audit import audit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def accounts(transactional_db):
    seed_shell()
    admin = User.objects.get(username="sysadmin")
    long = "SHA-256 " + "0d8efa9485907f9a47d1ccedc187aadf823f27a08e368acfc898a48c91ddfcf5" * 3
    for verb in (AuditVerb.CREATE, AuditVerb.UPLOAD, AuditVerb.PASSWORD_CHANGE, AuditVerb.TOKEN_REVOKE):
        audit(
            verb=verb, target=admin, actor=admin, reason=long, target_repr="杭州某某跨境电子商务有限公司" * 4
        )
    return admin


def _log_in(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_the_audit_page_fits_1280_pixels_and_keeps_actions_on_one_line(chromium, live_server, accounts):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _log_in(page, "sysadmin")
        page.goto("/audit/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        heights = page.eval_on_selector_all(
            "td.col-action",
            "cells => cells.map(c => { const r = document.createRange(); r.selectNodeContents(c);"
            " return r.getClientRects().length; })",
        )
        assert heights and all(lines == 1 for lines in heights), heights
        assert "操作" in page.inner_text("thead")
        assert "创建时间" not in page.inner_text("tbody"), "an action, not a date heading"
    finally:
        context.close()


def test_statistics_numbers_sit_under_their_headings(chromium, live_server, accounts):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _log_in(page, "stats")
        page.goto("/statistics/")
        tables = page.locator("table.table--figures")
        assert tables.count() > 0
        for i in range(tables.count()):
            table = tables.nth(i)
            headings = table.locator("thead th.num")
            first_row = table.locator("tbody tr").first.locator("td.num")
            if first_row.count() == 0:
                continue
            assert headings.count() == first_row.count()
            for j in range(headings.count()):
                head, cell = headings.nth(j).bounding_box(), first_row.nth(j).bounding_box()
                assert abs((head["x"] + head["width"]) - (cell["x"] + cell["width"])) < 1
                align = first_row.nth(j).evaluate(
                    "c => getComputedStyle(c).textAlign + getComputedStyle(c).fontVariantNumeric"
                )
                assert align == "righttabular-nums"
                assert headings.nth(j).evaluate("c => getComputedStyle(c).textAlign") == "right"
    finally:
        context.close()
