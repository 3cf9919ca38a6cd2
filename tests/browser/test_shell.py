"""Log in as each demo role through the form, see the role's home page, switch language, log out."""

import pytest
from django.db import connection
from django.utils import translation

from portal.models import User
from portal.seeding import ACCOUNTS, DEMO_PASSWORD, seed_shell
from portal.ui import nav_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# The role-specific navigation each demo account must see (Chinese labels); nav_for() may add more.
ROLE_NAV = {
    "sysadmin": ["审计日志", "发送队列状态"],
    "customs": ["海关工作台"],
    "ciq": ["检验检疫工作台"],
    "safe": ["外汇管理工作台"],
    "tax": ["税务工作台"],
    "platform_admin": ["用户管理"],
    "seller_admin": ["用户管理"],
    "service_admin": ["用户管理"],
}


@pytest.fixture
def demo_accounts(transactional_db):
    return {account.username: account for account in seed_shell()}


def _nav_labels(user, language) -> list[str]:
    with translation.override(language):
        return [str(item.label) for item in nav_for(user) if item.url]


def _log_in(page, username, password=DEMO_PASSWORD):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def _switch_language(page, code):
    with page.expect_navigation():  # the select alone switches (portal.js data-autosubmit)
        page.select_option("#language-select", code)


def test_browser_tests_are_transactional(demo_accounts):
    assert not connection.in_atomic_block  # rows are committed, so the live server's thread sees them


@pytest.mark.parametrize("username", [account.username for account in ACCOUNTS])
def test_each_demo_role_logs_in_sees_its_home_switches_language_and_logs_out(
    browser_page, demo_accounts, username
):
    page = browser_page
    account = demo_accounts[username]
    user = User.objects.get(username=username)

    _log_in(page, username)
    assert page.url.endswith("/")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    with translation.override("zh-hans"):
        assert page.inner_text("[data-testid=home-role]") == str(account.role.label)
    nav = page.locator("nav.main-nav a").all_inner_texts()
    assert nav == ["首页", *_nav_labels(user, "zh-hans")]
    assert set(ROLE_NAV.get(username, [])) <= set(nav)
    assert account.full_name in page.inner_text("[data-testid=current-user]")

    _switch_language(page, "en")
    assert page.get_attribute("html", "lang") == "en"
    with translation.override("en"):
        assert page.inner_text("[data-testid=home-role]") == str(account.role.label)
    assert page.locator("nav.main-nav a").all_inner_texts() == ["Home", *_nav_labels(user, "en")]
    assert page.inner_text("button:has-text('Log out')") == "Log out"
    user.refresh_from_db()
    assert user.language == "en"

    _switch_language(page, "zh-hans")
    assert page.get_attribute("html", "lang") == "zh-Hans"
    assert page.locator("nav.main-nav a").first.inner_text() == "首页"

    with page.expect_navigation():
        page.click("header button:has-text('退出登录')")
    assert page.url.endswith("/login/")
    assert page.inner_text("h1") == "登录"
    page.goto("/")
    assert "/login/" in page.url  # the session is gone


def test_a_wrong_password_in_the_browser_shows_the_generic_message(browser_page, demo_accounts):
    _log_in(browser_page, "reviewer", "not-the-password")
    assert browser_page.url.endswith("/login/")
    assert browser_page.inner_text(".form-errors") == "用户名或密码不正确。请注意二者均区分大小写。"


def test_keyboard_only_the_skip_link_comes_first_and_moves_focus_to_main(browser_page, demo_accounts):
    page = browser_page
    _log_in(page, "seller_admin")
    page.goto("/profile/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.className, document.activeElement.getAttribute('href')]"
    )
    assert focused == ["skip-link", "#main"]
    box = page.locator(".skip-link").bounding_box()
    assert box["x"] >= 0  # shown on screen while it has focus
    assert box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    inside_main = page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    assert inside_main  # the next Tab continues in the page content, past the header and navigation
