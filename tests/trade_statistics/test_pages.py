"""The dashboard page: who may open it, what it says (the target, honestly), accessible tables, no inline
script or style, aggregates only, a query count that does not grow with the data; the home panel and nav."""

import io

import lxml.html
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portal.ui import nav_for
from registration.choices import EntityType, Subtype
from tests import factories
from tests.registration import builders
from tests.registration.test_pages import assert_accessible
from tests.trade_statistics import population
from tests.trade_statistics.conftest import enterprise_admin_in

pytestmark = pytest.mark.django_db

URL = "/statistics/"
EXPORTS = ("/statistics/export.csv", "/statistics/export.xlsx")
PAGES = (URL, *EXPORTS)


def _english(client):
    client.cookies["portal_language"] = "en"


def _doc(response):
    return lxml.html.fromstring(response.content.decode())


def _table(doc, key) -> dict[str, list[str]]:
    """Row header → the row's other cells, for the body and the footer of the table ``key``."""
    rows = doc.xpath(f"//table[@data-table='{key}']/tbody/tr | //table[@data-table='{key}']/tfoot/tr")
    return {
        row.xpath("./th")[0].text_content().strip(): [c.text_content().strip() for c in row.xpath("./td")]
        for row in rows
    }


# --- access -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", PAGES)
def test_anonymous_users_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(
    "who", ["enterprise_admin", "enterprise_operator", "reviewer", "customs_officer", "tax_officer"]
)
def test_other_roles_are_refused(client, request, who, path):
    client.force_login(request.getfixturevalue(who))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("who", ["statistics_official", "supervisor", "system_admin"])
def test_officials_supervisors_and_administrators_may_open_it(client, request, who, path):
    client.force_login(request.getfixturevalue(who))
    assert client.get(path).status_code == 200


def test_the_selectors_refuse_anyone_else_too(enterprise_admin, reviewer):
    from django.core.exceptions import PermissionDenied

    from trade_statistics import selectors

    for user in (enterprise_admin, reviewer):
        with pytest.raises(PermissionDenied):
            selectors.dashboard(user=user)
        with pytest.raises(PermissionDenied):
            selectors.headline(user=user)


# --- content ------------------------------------------------------------------------------------------
def test_the_page_states_the_plans_target_and_that_no_trade_value_is_collected_yet(
    client, statistics_official
):
    client.force_login(statistics_official)
    doc = _doc(client.get(URL))  # Chinese by default
    target = doc.xpath("//*[@data-testid='plan-target']")[0].text_content()
    assert "到2017年实现年交易额500亿美元" in target
    assert "浙政办发〔2014〕59号" in target
    assert "注册地在浙江省行政区域内企业" in target
    note = doc.xpath("//*[@data-testid='value-data-note']")[0].text_content()
    assert "海关申报" in note and "尚未采集" in note

    _english(client)
    doc = _doc(client.get(URL))
    target = doc.xpath("//*[@data-testid='plan-target']")[0].text_content()
    assert "USD 50 billion a year by 2017" in target
    note = doc.xpath("//*[@data-testid='value-data-note']")[0].text_content()
    assert "customs declarations" in note and "does not collect them yet" in note
    assert "no value figure is shown or estimated" in note


def test_the_page_shows_each_aggregate(client, clock, reviewer, supervisor, statistics_official):
    population.build(clock, reviewer, supervisor)
    client.force_login(statistics_official)
    _english(client)
    doc = _doc(client.get(URL))
    cards = {
        c.get("data-card"): c.xpath("./dd")[0].text_content().strip() for c in doc.xpath("//*[@data-card]")
    }
    assert cards["operators"] == "5"
    by_type = _table(doc, "operators_by_type")
    assert by_type["E-commerce application enterprise"] == ["3"]
    assert by_type["Total"] == ["5"]
    by_city = _table(doc, "operators_by_city")
    assert by_city["Jinhua"] == ["330700", "2"]
    assert by_city["Wenzhou"] == ["330300", "0"]  # E is approved, not yet active
    per_month = _table(doc, "filings_per_month")
    assert len(per_month) == 13  # twelve months and the total
    qualifications = _table(doc, "qualifications_by_department")
    assert qualifications["Customs"] == ["11", "10", "0", "0", "1", "90.9"]
    assert qualifications["Tax bureau"][:5] == ["0", "0", "0", "0", "0"]
    assert qualifications["Tax bureau"][5] == "—no data"
    assert _table(doc, "messages_sent")["Total"][0] != "0"


def test_tables_are_accessible_and_the_page_has_no_inline_script_or_style(client, statistics_official):
    client.force_login(statistics_official)
    response = client.get(URL)
    html = response.content.decode()
    assert_accessible(html)
    doc = lxml.html.fromstring(html)
    assert len(doc.xpath("//h1")) == 1
    tables = doc.xpath("//table")
    assert len(tables) == 7
    for table in tables:
        assert table.xpath("./caption")[0].text_content().strip()
        assert all(th.get("scope") == "col" for th in table.xpath("./thead//th"))
        for row in table.xpath("./tbody/tr | ./tfoot/tr"):
            assert row[0].tag == "th" and row[0].get("scope") == "row"
            assert all(th.get("scope") == "row" for th in row.xpath("./th"))
    # The total's label spans both row-header columns of the role table.
    total = doc.xpath("//table[@data-table='operators_by_subtype']/tfoot/tr/th")
    assert [(th.get("colspan"), th.get("scope")) for th in total] == [("2", "row")]
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy


def test_only_aggregates_leave_the_portal(client, clock, reviewer, supervisor, statistics_official):
    """No name, credit code, filing number, person or address of any enterprise, on the page or in the
    exports."""
    province = population.build(clock, reviewer, supervisor)
    secrets = set()
    for filing in province.filings.values():
        secrets |= {filing.name_cn, filing.name_en, filing.uscc, filing.legal_rep_name, filing.contact_phone}
        secrets |= {filing.contact_email, filing.address}
        if filing.filing_no:
            secrets.add(filing.filing_no)
    secrets.discard("")
    client.force_login(statistics_official)
    texts = [client.get(URL).content.decode(), client.get(EXPORTS[0]).content.decode()]
    book = openpyxl.load_workbook(io.BytesIO(client.get(EXPORTS[1]).content))
    texts.append(" ".join(str(v) for s in book.worksheets for r in s.iter_rows(values_only=True) for v in r))
    for text in texts:
        assert not [s for s in secrets if s in text]


def test_the_query_count_does_not_grow_with_the_data(client, reviewer, supervisor, statistics_official):
    builders.active(enterprise_admin_in("330106"), reviewer)
    client.force_login(statistics_official)

    def counts():
        found = []
        for path in PAGES:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    builders.active(
        enterprise_admin_in("330206"), reviewer, entity_type=EntityType.SERVICE, subtype=Subtype.LOGISTICS
    )
    builders.active(enterprise_admin_in("330782"), reviewer, entity_type=EntityType.SELF_PLATFORM, subtype="")
    builders.active(enterprise_admin_in("331002"), reviewer)
    builders.approved(
        enterprise_admin_in("330302", category="92"), reviewer, subtype=Subtype.INDIVIDUAL_BUSINESS
    )
    builders.returned(enterprise_admin_in("330402"), reviewer)
    builders.submitted(enterprise_admin_in("330502"))
    after = counts()
    assert after == before
    assert max(after) <= 20, after


# --- home panel and navigation ------------------------------------------------------------------------
def test_the_statistics_officials_home_shows_the_panel_with_two_figures(
    client, reviewer, statistics_official
):
    builders.active(enterprise_admin_in("330106"), reviewer)
    builders.active(enterprise_admin_in("330782"), reviewer)
    client.force_login(statistics_official)
    doc = _doc(client.get("/"))
    panel = doc.xpath("//*[@data-testid='statistics-panel']")[0]
    assert panel.xpath(".//*[@data-figure='operators']")[0].text_content().strip() == "2"
    assert panel.xpath(".//*[@data-figure='approved']")[0].text_content().strip() == "2"
    assert panel.xpath(".//a/@href") == [URL]
    with translation.override("zh-hans"):
        assert "已备案经营主体（有效备案）" in panel.text_content()


@pytest.mark.parametrize("who", ["enterprise_admin", "reviewer", "supervisor", "customs_officer"])
def test_other_homes_do_not_show_the_statistics_panel(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert not _doc(client.get("/")).xpath("//*[@data-testid='statistics-panel']")


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("statistics_official", True),
        ("supervisor", True),
        ("system_admin", True),
        ("enterprise_admin", False),
        ("reviewer", False),
        ("customs_officer", False),
    ],
)
def test_the_navigation_links_the_dashboard_for_the_three_roles_only(client, request, who, shown):
    user = request.getfixturevalue(who)
    assert (URL in [item.url for item in nav_for(user)]) is shown
    client.force_login(user)
    links = _doc(client.get("/")).xpath("//nav[contains(@class, 'main-nav')]//a/@href")
    assert (URL in links) is shown


def test_a_statistics_official_without_a_role_group_sees_nothing(client):
    org = factories.GovernmentFactory(kind="STATISTICS", code="ZJ-STATS-2")
    user = factories.UserFactory(organisation=org)
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert not _doc(client.get("/")).xpath("//*[@data-testid='statistics-panel']")
