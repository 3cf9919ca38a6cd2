"""Fixtures of the statistics tests: users of every role, private media in a temp dir. The settable
``clock`` is the suite's (tests/conftest.py)."""

import itertools

import pytest

from portal.identifiers import make_uscc
from tests import factories
from tests.support.registration_fixtures import _clear_cache, _private_media, _reference_data  # noqa: F401

_numbers = itertools.count(70_000_001)


@pytest.fixture
def statistics_official(db):
    org = factories.GovernmentFactory(kind="STATISTICS", code="ZJ-STATS", name_cn="浙江省统计局")
    return factories.UserFactory(organisation=org, role="statistics_official")


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
