"""Selectors: validity by date, ISO mappings both ways, choices, and a constant number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from customs.selectors import reference as refs
from customs.services.reference import reference_load
from tests.customs.conftest import HS_HEADER

pytestmark = pytest.mark.django_db
DAY = date(2025, 6, 1)


def test_lookups_in_the_shipped_lists():
    assert refs.code_valid("customs_offices", "2901", on=DAY)
    assert not refs.code_valid("customs_offices", "2999", on=DAY)
    assert refs.code_valid("transport_modes", "5", on=DAY)
    assert refs.code_valid("package_types", "2", on=DAY)
    assert refs.code_valid("units", "011", on=DAY)
    assert refs.code_valid("supervised_sites", "292801", on=DAY)
    assert not refs.code_valid("hs", "", on=DAY)
    toy = refs.hs_code("9503008900", on=DAY)
    assert (toy.unit1, toy.unit2, toy.refund_eligible, toy.needs_licence) == ("007", "035", True, False)
    assert refs.hs_code("7106921000", on=DAY).needs_licence  # supervision 4,x,y
    assert refs.hs_code("2202990019", on=DAY).legal_inspection  # supervision A,B
    assert refs.hs_code("9503008900", on=date(2021, 12, 31)) is None  # shipped edition starts 2022-01-01


def test_unknown_list_is_a_programming_error():
    with pytest.raises(LookupError, match="unknown customs reference list"):
        refs.code_valid("ports", "2901", on=DAY)


@pytest.mark.parametrize(
    ("iso", "customs"),
    [
        ("US", "502"),
        ("USA", "502"),
        ("840", "502"),
        ("tw", "143"),
        ("HK", "110"),
        ("KZ", "145"),
        ("XX", None),
    ],
)
def test_iso_to_customs_country(iso, customs):
    assert refs.country_code_from_iso(iso, on=DAY) == customs


def test_customs_to_iso_country():
    assert refs.country_iso("143", on=DAY) == "TW"
    assert refs.country_iso("142", on=DAY, alpha=3) == "CHN"
    assert refs.country_iso("701", on=DAY) is None  # unknown country has no ISO code
    assert refs.country_iso("999999", on=DAY) is None
    assert refs.country("143", on=DAY).name_cn == "台澎金马关税区"


def test_currency_mapping_both_ways():
    assert refs.currency_code_from_iso("usd", on=DAY) == "502"
    assert refs.currency_code_from_iso("EUR", on=DAY) == "300"
    assert refs.currency_iso("142", on=DAY) == "CNY"
    assert refs.currency_iso("000", on=DAY) is None
    assert refs.currency("303", on=DAY).iso == "GBP"


def test_every_iso_code_maps_back_to_its_customs_code():
    countries = refs.ReferenceSet.load(DAY).entries("countries").values()
    for entry in countries:
        if entry.iso2:
            assert refs.country_code_from_iso(entry.iso2, on=DAY) == entry.code
            assert refs.country_code_from_iso(entry.iso3, on=DAY) == entry.code


def test_choices_in_the_active_language():
    with translation.override("zh-hans"):
        assert ("5", "5 航空运输") in refs.choices("transport_modes", on=DAY)
    with translation.override("en"):
        assert ("5", "5 Air") in refs.choices("transport_modes", on=DAY)


def test_validating_ten_thousand_codes_takes_a_constant_number_of_queries():
    codes = [("hs", "9503008900"), ("countries", "502"), ("currencies", "142"), ("units", "007")] * 2500
    with CaptureQueriesContext(connection) as ctx:
        refs_set = refs.ReferenceSet.load(on=DAY)
        results = [refs_set.valid(name, code) for name, code in codes]
    assert all(results) and len(results) == 10_000
    assert len(ctx) <= 5  # one version check, one query per list
    with CaptureQueriesContext(connection) as again:
        assert all(refs.code_valid(name, code, on=DAY) for name, code in codes)
    assert len(again) == 0  # the same day again: served from the process cache


def test_the_loader_invalidates_the_cache(write_csv, django_capture_on_commit_callbacks):
    assert not refs.code_valid("hs", "6109100021", on=DAY)
    path = write_csv("hs.csv", HS_HEADER + "6109100021,棉制针织男T恤,,011,035,0.13,,,,2022-01-01,\n")
    with django_capture_on_commit_callbacks(execute=True):
        reference_load(only=["hs"], files={"hs": path})
    assert refs.code_valid("hs", "6109100021", on=DAY)


def test_another_process_load_is_seen_after_the_version_check(write_csv, monkeypatch):
    assert not refs.code_valid("hs", "6109100021", on=DAY)
    path = write_csv("hs.csv", HS_HEADER + "6109100021,棉制针织男T恤,,011,035,0.13,,,,2022-01-01,\n")
    reference_load(only=["hs"], files={"hs": path})  # on_commit never fires in a test transaction
    assert not refs.code_valid("hs", "6109100021", on=DAY)  # within the TTL the cached version is trusted
    monkeypatch.setattr(refs, "VERSION_TTL_SECONDS", 0)
    assert refs.code_valid("hs", "6109100021", on=DAY)
