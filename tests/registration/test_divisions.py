"""The Zhejiang division table (GB/T 2260) as data: sign-up and filing accept only real divisions."""

import pytest
from django.utils import translation

from portal import divisions
from portal.models import Organisation
from registration import services
from registration.validation import fields
from tests.registration import builders

pytestmark = pytest.mark.django_db


def test_the_table_has_the_province_eleven_prefectures_and_their_counties():
    table = divisions.table()
    prefectures = [d for d in table.values() if d.level == "prefecture"]
    assert len(prefectures) == 11 and len(divisions.CITIES) == 11
    assert table["330782"].name_zh == "义乌市" and table["330782"].parent == "330700"
    assert all(d.parent in table for d in table.values() if d.parent)
    assert all(code.startswith("33") and len(code) == 6 for code in table)
    assert len([d for d in table.values() if d.level == "county" and not d.abolished]) >= 89


@pytest.mark.parametrize("code", ["330782", "330106", "330100", "330000", "331127", "330114"])
def test_real_divisions_pass(code):
    assert fields.division_problems(code) == []


MADE_UP = [
    ("339999", "division_city"),
    ("330199", "division_unknown"),
    ("330799", "division_unknown"),
    ("3307", "division_format"),
]


@pytest.mark.parametrize(("code", "problem"), MADE_UP)
def test_made_up_divisions_are_refused(code, problem):
    (found,) = fields.division_problems(code)
    assert found.code == problem and found.blocking


def test_an_abolished_division_is_a_warning():
    (found,) = fields.division_problems("330103")
    assert (found.code, found.blocking) == ("division_abolished", False)


def test_signup_refuses_a_made_up_division(client):
    response = client.post(
        "/registration/signup/",
        {
            "uscc": "91330106MA2KXXXX0X",
            "name_cn": "杭州测试有限公司",
            "division_code": "330199",
            "username": "newcomer",
            "full_name": "新人",
            "email": "newcomer@example.com",
            "password1": "Zj-demo-2026-long",
            "password2": "Zj-demo-2026-long",
        },
    )
    assert response.status_code == 200
    assert "division_code" in response.context["form"].errors
    assert not Organisation.objects.filter(code="91330106MA2KXXXX0X").exists()


def test_filing_refuses_a_made_up_division(enterprise_admin):
    from django.core.exceptions import ValidationError

    filing = builders.draft(enterprise_admin, complete=False)
    with pytest.raises(ValidationError) as info:
        services.filing_update_draft(filing=filing, by=enterprise_admin, data={"division_code": "339999"})
    assert "division_code" in info.value.error_dict


def test_labels_follow_the_language():
    with translation.override("en"):
        assert divisions.division_label("330782") == "Yiwu (330782)"
        assert str(divisions.CITIES["3301"]) == "Hangzhou"
    with translation.override("zh-hans"):
        assert divisions.division_label("330782") == "义乌市（330782）"  # Chinese punctuation
