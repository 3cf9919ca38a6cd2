"""A seller files an inventory list in the browser: a wrong line total comes back on that line's input, the
corrected list is sent in one step, its page says so and the index lists it."""

import pytest

from customs.models import InventoryList
from tests.customs.builders import SELLER_CODE, item, list_head
from tests.customs.parties import enterprise, user_of

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "Customs-pages-2026"
SKIP = {"ebc_code", "ebc_name", "agent_code", "agent_name", "owner_code", "owner_name", "trade_mode"}


@pytest.fixture
def seller_login(transactional_db):
    user = user_of(enterprise(SELLER_CODE, name="浏览器卖家"))
    user.set_password(PASSWORD)
    user.save()
    return user


def test_a_seller_corrects_a_line_and_sends_the_list(browser_page, seller_login):
    page = browser_page
    page.goto("/login/")
    page.fill("#id_username", seller_login.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    with page.expect_navigation():  # the select alone switches (portal.js data-autosubmit)
        page.select_option("#language-select", "en")
    page.goto("/customs/lists/new/")
    for name, value in list_head().items():
        if name in SKIP:
            continue
        if name == "statistics_flag":
            page.select_option(f"#id_{name}", value)
        else:
            page.fill(f"#id_{name}", str(value))
    for name, value in item(total_price="61.00").items():
        page.fill(f"#id_items-0-{name}", str(value))
    with page.expect_navigation():
        page.click("[data-testid=send]")
    error = page.locator("#field-items0-total_price .error")
    assert "does not match quantity × unit price" in error.inner_text()
    assert not InventoryList.objects.exists()
    page.fill("#id_items-0-total_price", "60.00")
    with page.expect_navigation():
        page.click("[data-testid=send]")
    assert page.locator("[data-testid=document-status]").get_attribute("data-status") == "SUBMITTED"
    inventory = InventoryList.objects.get()
    assert inventory.status == "SUBMITTED" and inventory.items.count() == 1
    page.goto("/customs/lists/")
    assert page.locator(f"tr[data-id='{inventory.pk}']").count() == 1
