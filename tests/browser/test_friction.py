"""In the browser: the language select switches by itself (its button only for browsers without script, on
the same line), and the new-filing form offers only the subtypes of the chosen entity type."""

import pytest

from portal.seeding import DEMO_PASSWORD, seed_shell

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def seller(transactional_db):
    seed_shell()
    return "seller_admin"


def _log_in(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def _centre_y(locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"] / 2


def test_the_language_select_alone_switches(browser_page, seller):
    page = browser_page
    _log_in(page, seller)
    button = page.locator("[data-testid=language-switch]")
    assert button.evaluate("b => b.classList.contains('visually-hidden') && b.tabIndex === -1")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.get_attribute("html", "lang") == "en"
    assert page.input_value("#language-select") == "en"


def test_without_script_the_button_switches_and_sits_beside_the_select(chromium, live_server, seller):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        _log_in(page, seller)
        select, button = page.locator("#language-select"), page.locator("[data-testid=language-switch]")
        assert button.is_visible()
        assert abs(_centre_y(select) - _centre_y(button)) < 6, "the button does not wrap under the select"
        page.select_option("#language-select", "en")
        with page.expect_navigation():
            button.click()
        assert page.get_attribute("html", "lang") == "en"
    finally:
        context.close()


def test_the_subtypes_follow_the_entity_type(browser_page, seller):
    page = browser_page
    _log_in(page, seller)
    page.goto("/registration/filings/new/")

    def offered():
        return page.eval_on_selector(
            "#id_subtype", "s => [...s.options].filter(o => !o.disabled).map(o => o.value)"
        )

    page.check("input[name=entity_type][value=SERVICE]")
    assert offered() == ["LOGISTICS", "CUSTOMS_BROKER", "PAYMENT", "COMPREHENSIVE", "PLATFORM"]
    assert page.input_value("#id_subtype") == "LOGISTICS"
    page.check("input[name=entity_type][value=APPLICATION]")
    assert offered() == ["ENTERPRISE", "INDIVIDUAL_BUSINESS", "NATURAL_PERSON"]
    page.select_option("#id_subtype", "INDIVIDUAL_BUSINESS")
    page.check("input[name=entity_type][value=SELF_PLATFORM]")
    assert offered() == [""]
    assert page.input_value("#id_subtype") == ""
