"""Unit checks of govmock's own rules: identifiers, CEB formats, clock formats, configuration."""

from __future__ import annotations

import datetime as dt

import pytest

from govmock import clock, codes
from govmock.ceb.validate import check_format
from govmock.config import ConfigError, Settings
from govmock.depts.ciq import decision_for
from govmock.depts.customs_json import base36


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("91350100M000100Y43", True),
        ("91330782MA28F3K135", True),
        ("92330106L2Q7N8R46K", True),
        ("91330100799655058B", True),
        ("91330782MA28F3K15B", True),  # basic check passes; the embedded org-code check would not
        ("91330782MA28F3K130", False),
        ("91330782MI28F3K135", False),
        ("91330782MA28F3K13", False),
    ],
)
def test_uscc_check_character(code, valid):
    assert codes.is_valid_uscc(code) is valid


def test_uscc_check_character_values():
    assert codes.uscc_check_char("91330782MA28F3K13") == "5"
    assert codes.uscc_check_char("92330106L2Q7N8R46") == "K"  # value 19: letters map past I/O/Z/S/V


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("3301961Q43", True),
        ("4403161FMD", True),
        ("3301060001", False),
        ("330196abcd", False),
        ("33019", False),
    ],
)
def test_party_codes(code, valid):
    assert codes.is_party_code(code) is valid


@pytest.mark.parametrize(
    ("fmt", "value", "ok"),
    [
        ("T14", "20250228235959", True),
        ("T14", "20250229000000", False),
        ("T14", "2025022823595", False),
        ("T8", "20240229", True),
        ("TP", "20250201", True),
        ("N", "-12.34567", True),
        ("N", "12.345678", False),
        ("N", "1e5", False),
        ("D4", "2901", True),
        ("D4", "29O1", False),
        ("C18", "29012025E000000001", True),
        ("C..3", "四个字符", False),
        ("guid", "0F1C9D2E-1111-4222-8333-944455556666", True),
        ("guid", "0f1c9d2e-1111-4222-8333-944455556666", False),
    ],
)
def test_ceb_formats(fmt, value, ok):
    assert (check_format(fmt, value) is None) is ok


def test_ceb_times_are_shanghai_wall_clock():
    moment = dt.datetime(2025, 2, 28, 16, 30, 5, 123000, tzinfo=dt.UTC)
    assert clock.ceb_time(moment) == "20250301003005123"
    assert clock.ceb_time(moment, 14) == "20250301003005"
    assert clock.parse_ceb_stamp("20250228", end_of_day=True) == dt.datetime(
        2025, 2, 28, 23, 59, 59, 999999, tzinfo=clock.SHANGHAI
    )
    assert clock.parse_instant("2025-03-01T00:30:05") == dt.datetime(2025, 2, 28, 16, 30, 5, tzinfo=dt.UTC)


def test_risk_decision_thresholds():
    assert [decision_for(s, False) for s in (0, 39, 40, 69, 70, 100)] == [
        "RELEASE",
        "RELEASE",
        "DOC_CHECK",
        "DOC_CHECK",
        "INSPECT",
        "INSPECT",
    ]
    assert decision_for(0, True) == "DOC_CHECK"
    assert decision_for(80, True) == "INSPECT"


def test_base36_sequence():
    assert [base36(n) for n in (0, 1, 35, 36, 36**4 - 1)] == ["0000", "0001", "000Z", "0010", "ZZZZ"]


def test_settings_defaults_and_validation():
    settings = Settings.from_env({})
    assert str(settings.db_path) == "var/govmock.sqlite3"
    assert (settings.host, settings.port) == ("127.0.0.1", 8001)
    assert settings.callback_url == "http://127.0.0.1:8000/exchange/receipts/"
    assert settings.callback_secret == "dev-only-callback-secret"
    assert str(settings.trusted_ca_file) == "var/exchange/ca.pem"
    assert settings.max_body == 10 * 1024 * 1024
    assert settings.seed == 0
    assert settings.faults["customs"].service_time_ms == 100
    for name, value in (("GOVMOCK_PORT", "http"), ("GOVMOCK_MAX_BODY", "0"), ("GOVMOCK_SEED", "x")):
        with pytest.raises(ConfigError, match=name):
            Settings.from_env({name: value})
