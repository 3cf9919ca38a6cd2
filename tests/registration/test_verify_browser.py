"""The verification page in a real browser, as a buyer abroad opens it from the certificate's QR code."""

import pytest

from tests.registration import builders

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def token(transactional_db, enterprise_admin, reviewer):
    return builders.active(enterprise_admin, reviewer).verify_token


def _heading(page) -> tuple[str, str]:
    return page.get_attribute("html", "lang"), page.inner_text("h1").strip()


def test_an_english_browser_gets_english_and_can_switch_to_chinese_for_good(chromium, live_server, token):
    context = chromium.new_context(base_url=live_server.url, locale="en-US")  # Accept-Language: en-US
    page = context.new_page()
    page.goto(f"/registration/verify/{token}/")
    assert _heading(page) == ("en", "Certificate verification")
    assert page.inner_text("[data-testid=verify-state]") == "Valid"
    switch = page.locator("[data-testid=verify-language-zh-hans]")
    assert switch.is_visible() and switch.inner_text() == "简体中文"
    with page.expect_navigation():
        switch.click()
    assert page.url.endswith(f"/registration/verify/{token}/")
    assert _heading(page) == ("zh-Hans", "备案证明核验")
    page.reload()
    assert _heading(page)[0] == "zh-Hans"  # the choice is kept, whatever the browser asks for
    context.close()


def test_a_chinese_browser_gets_chinese(chromium, live_server, token):
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.goto(f"/registration/verify/{token}/")
    assert _heading(page) == ("zh-Hans", "备案证明核验")
    assert page.locator("[data-testid=verify-language-en]").inner_text() == "English"
    context.close()
