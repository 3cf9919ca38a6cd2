"""Reference pages and the read-only API: who may read, search, edition dates, errors, query counts."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(clock):
    clock("2025-06-01 10:00")


@pytest.mark.parametrize(
    "role", ["customs_officer", "system_admin", "enterprise_admin", "enterprise_operator"]
)
def test_readers_see_the_lists_with_counts_and_source(client, request, role, today):
    client.force_login(request.getfixturevalue(role))
    response = client.get("/customs/reference/")
    assert response.status_code == 200
    hs = next(item for item in response.context["lists"] if item["name"] == "hs")
    assert hs["valid"] == hs["total"] > 0
    assert "hs.56ata.com" in hs["info"].source
    assert "/customs/reference/" in response.content.decode()


def test_other_roles_are_refused_and_anonymous_sent_to_login(client, reviewer):
    assert client.get("/customs/reference/").status_code == 302
    client.force_login(reviewer)
    assert client.get("/customs/reference/").status_code == 403


def test_hs_search_by_name_and_by_code(client, enterprise_admin, today):
    client.force_login(enterprise_admin)
    by_name = client.get("/customs/reference/hs/", {"q": "玩偶"})
    assert [e.code for e in by_name.context["page_obj"]] == ["9503001000", "9503002100", "9503002900"]
    by_code = client.get("/customs/reference/hs/", {"q": "950300"})
    assert len(by_code.context["page_obj"]) == 13
    assert "其他未列名玩具" in by_code.content.decode()


def test_a_list_before_its_edition_is_empty(client, customs_officer, today):
    client.force_login(customs_officer)
    response = client.get("/customs/reference/hs/", {"on": "2021-12-31"})
    assert response.context["page_obj"].paginator.count == 0


def test_a_bad_date_is_a_field_error_not_a_500(client, customs_officer, today):
    client.force_login(customs_officer)
    response = client.get("/customs/reference/countries/", {"on": "2025-13-40"})
    assert response.status_code == 200
    assert response.context["form"].errors["on"]
    assert 'id="id_on_error"' in response.content.decode()


def test_unknown_list_is_404(client, customs_officer):
    client.force_login(customs_officer)
    assert client.get("/customs/reference/ports/").status_code == 404


def test_nav_entry_for_enterprise_users(client, enterprise_admin):
    client.force_login(enterprise_admin)
    assert reverse("customs:reference") in client.get("/customs/reference/").content.decode()


# --- API (who may read it, the answers, query counts: the kit, test_reference_api.py) ----------------------
def test_api_enterprise_user_reads_a_list(api_as, enterprise_admin, today):
    response = api_as(enterprise_admin).get("/api/v1/customs/reference/hs/", {"q": "9503008900"})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["code"] == "9503008900" and row["unit1"] == "007" and row["refund_eligible"] is True
    assert row["refund_rate"] == "0.1300" and row["valid_to"] is None


def test_api_countries_carry_iso_codes(api_as, customs_officer, today):
    response = api_as(customs_officer).get("/api/v1/customs/reference/countries/", {"q": "502"})
    row = response.json()["results"][0]
    assert (row["code"], row["iso2"], row["iso3"], row["iso_numeric"]) == ("502", "US", "USA", "840")


def test_api_on_date_and_all_editions(api_as, customs_officer, today):
    client = api_as(customs_officer)
    assert client.get("/api/v1/customs/reference/hs/", {"on": "2021-12-31"}).json()["count"] == 0
    assert (
        client.get("/api/v1/customs/reference/hs/", {"on": "2021-12-31", "all_editions": "true"}).json()[
            "count"
        ]
        > 0
    )


def test_api_bad_date_is_a_field_error(api_as, customs_officer):
    response = api_as(customs_officer).get("/api/v1/customs/reference/units/", {"on": "yesterday"})
    assert response.status_code == 400
    assert response.json()["field"] == "on"


def test_api_is_in_the_openapi_schema(client, system_admin):
    client.force_login(system_admin)
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/customs/reference/hs/" in schema and "all_editions" in schema
