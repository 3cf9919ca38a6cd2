"""Fixtures of the statistics tests: users of every role, private media in a temp dir, a settable clock."""

import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from portal.identifiers import make_uscc
from tests import factories
from tests.support.registration_fixtures import _clear_cache, _private_media, _reference_data  # noqa: F401

SHANGHAI = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(70_000_001)


@pytest.fixture
def statistics_official(db):
    org = factories.GovernmentFactory(kind="STATISTICS", code="ZJ-STATS", name_cn="浙江省统计局")
    return factories.UserFactory(organisation=org, role="statistics_official")


@pytest.fixture
def clock(monkeypatch):
    """``clock("2026-03-02 10:00")`` makes ``timezone.now()`` return that Shanghai time from then on
    (services, ``auto_now`` fields and receipts all read it); ``clock(None)`` returns to real time."""
    state = {"now": None}
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: state["now"] or real_now())

    def set_to(text: str | None) -> None:
        state["now"] = datetime.fromisoformat(text).replace(tzinfo=SHANGHAI) if text else None

    return set_to


def enterprise_admin_in(division: str, *, category: str = "91"):
    """The administrator of a new enterprise registered in ``division`` (its credit code says so too)."""
    n = next(_numbers)
    org = factories.EnterpriseFactory(
        code=make_uscc(category, division, f"{n:08d}"),
        division_code=division,
        name_cn=f"统计测试电子商务有限公司{n}",
        name_en=f"Statistics Test E-commerce Co {n}",
    )
    return factories.UserFactory(organisation=org, role="enterprise_admin")
