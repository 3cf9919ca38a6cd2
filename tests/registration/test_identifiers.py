"""Identifier checks (DOMAIN §2.1–2.3, §7.4) as the filing form, the live check and the API apply them."""

import pytest
from django.utils import translation

from portal import identifiers
from registration.validation import fields as checks

pytestmark = pytest.mark.django_db

# DOMAIN §2.1 test vectors: (input, basic valid, strict valid).
USCC_VECTORS = [
    ("91350100M000100Y43", True, True),
    ("91330782MA28F3K135", True, True),
    ("92330106L2Q7N8R46K", True, True),
    ("91330100799655058B", True, True),
    ("91330782MA28F3K130", False, False),
    ("91330782MI28F3K135", False, False),
    ("91330782MA28F3K13", False, False),
    ("91330782MA28F3K15B", True, False),
    (" 91330782ma28f3k135 ", True, True),
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(("code", "basic", "strict"), USCC_VECTORS)
def test_domain_uscc_vectors(code, basic, strict):
    found = checks.uscc_problems(code)
    blocking = [p for p in found if p.blocking]
    assert (not blocking) is basic
    assert (not found) is (basic and strict)


def test_wrong_check_character_names_the_position_and_the_expected_character():
    (problem,) = checks.uscc_problems("91330782MA28F3K130")
    assert problem.code == "uscc_check"
    assert problem.position == 18
    assert "“5”" in problem.message
    assert "“0”" in problem.message


def test_forbidden_letter_names_its_position():
    (problem,) = checks.uscc_problems("91330782MI28F3K135")
    assert problem.code == "uscc_character"
    assert problem.position == 10
    assert "Character 10" in problem.message
    assert "I, O, Z, S and V" in problem.message


def test_length_is_reported_with_the_count():
    (problem,) = checks.uscc_problems("91330782MA28F3K13")
    assert problem.code == "uscc_length"
    assert "17" in problem.message


def test_strict_mode_only_warns_about_the_embedded_organisation_code():
    (problem,) = checks.uscc_problems("91330782MA28F3K15B")
    assert not problem.blocking
    assert problem.code == "uscc_org_check"
    assert problem.position == 17
    assert "“5”" in problem.message
    assert "“3”" in problem.message


def test_letter_value_trap_between_the_two_algorithms():
    """M is 21 in GB 32100 but 22 in GB 11714; Y is 30 vs 34. Mixing the tables gives wrong checks."""
    assert identifiers.USCC_CHARS.index("M") == 21
    assert ord("M") - 55 == 22
    assert identifiers.USCC_CHARS.index("Y") == 30
    assert ord("Y") - 55 == 34
    assert identifiers.uscc_check_char("91350100M000100Y4") == "3"
    assert identifiers.oc_check_char("M000100Y") == "4"
    # An implementation using GB 11714 values inside the USCC sum would expect another check character:
    wrong = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w
        for c, w in zip("91350100M000100Y4", identifiers.USCC_WEIGHTS, strict=True)
    )
    assert identifiers.USCC_CHARS[(31 - wrong % 31) % 31] != "3"
    assert not checks.uscc_problems("91350100M000100Y43")
    assert not checks.org_code_problems("M000100Y-4", uscc="91350100M000100Y43")


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("12345678-8", True),
        ("M000100Y4", True),
        ("79965505-8", True),
        ("71526726-X", True),
        ("12345678-9", False),
    ],
)
def test_organisation_code_vectors(code, ok):
    assert (not checks.org_code_problems(code)) is ok


def test_organisation_code_must_match_the_credit_code():
    (problem,) = checks.org_code_problems("12345678-8", uscc="91330782MA28F3K135")
    assert problem.code == "org_mismatch"
    assert "MA28F3K13" in problem.message


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("3301961Q43", None),
        ("3301960D01", None),
        ("4403161FMD", "customs_province"),
        ("3301061Q43", "customs_format"),
        ("330196", "customs_length"),
    ],
)
def test_customs_code_rule_e4(code, problem):
    found = checks.customs_code_problems(code)
    assert [p.code for p in found] == ([problem] if problem else [])


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("330782", None),
        ("330106", None),
        ("320100", "division_province"),
        ("331299", "division_city"),
        ("33A100", "division_format"),
    ],
)
def test_division_codes_in_zhejiang(code, problem):
    assert [p.code for p in checks.division_problems(code)] == ([problem] if problem else [])


@pytest.mark.parametrize(
    ("subtype", "code", "problem"),
    [
        ("ENTERPRISE", "91330782MA28F3K135", None),
        ("INDIVIDUAL_BUSINESS", "92330106L2Q7N8R46K", None),
        ("INDIVIDUAL_BUSINESS", "91330782MA28F3K135", "uscc_category"),
        ("ENTERPRISE", "92330106L2Q7N8R46K", "uscc_category"),
    ],
)
def test_rule_e2_prefix_fits_the_subtype(subtype, code, problem):
    found = [
        p.code for p in checks.uscc_problems(code, entity_type="APPLICATION", subtype=subtype) if p.blocking
    ]
    assert found == ([problem] if problem else [])


def test_rule_e2_cooperatives_never_file():
    code = identifiers.make_uscc("93", "330782", "MA28F3K1")
    (problem,) = checks.uscc_problems(code, entity_type="SERVICE", subtype="LOGISTICS")
    assert problem.code == "uscc_cooperative"
    assert "93" in problem.message


def test_resident_id_check_character():
    from tests.registration.builders import RESIDENT_ID

    assert not checks.resident_id_problems(RESIDENT_ID)
    wrong = RESIDENT_ID[:17] + ("0" if RESIDENT_ID[17] != "0" else "1")
    (problem,) = checks.resident_id_problems(wrong)
    assert problem.position == 18
    assert RESIDENT_ID[17] in problem.message
    (problem,) = checks.resident_id_problems("330106198513325211")
    assert problem.code == "id_birth_date"


def test_live_check_endpoint_explains_the_wrong_character(client):
    client.cookies["portal_language"] = "en"
    response = client.get("/registration/validate/uscc/", {"value": "91330782MA28F3K130"})
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is False
    assert data["code"] == "uscc_check"
    assert "18th" in data["message"]
    good = client.get("/registration/validate/uscc/", {"value": "91330782ma28f3k135"}).json()
    assert good["ok"] is True
    assert "MA28F3K1-3" in good["message"]
    assert "Yiwu" in good["message"]
    warn = client.get("/registration/validate/uscc/", {"value": "91330782MA28F3K15B"}).json()
    assert warn["ok"] is True
    assert warn["warning"] is True


def test_live_check_applies_e2_for_the_subtype(client):
    client.cookies["portal_language"] = "en"
    query = {"entity_type": "APPLICATION", "subtype": "INDIVIDUAL_BUSINESS", "value": "91330782MA28F3K135"}
    data = client.get("/registration/validate/uscc/", query).json()
    assert data["ok"] is False
    assert data["code"] == "uscc_category"


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        ("customs_code", "4403161FMD", False),
        ("customs_code", "3301961Q43", True),
        ("division_code", "320100", False),
        ("division_code", "330782", True),
        ("org_code", "12345678-9", False),
        ("contact_phone", "0571-87654321", True),
        ("contact_phone", "12345", False),
    ],
)
def test_live_check_kinds(client, kind, value, ok):
    assert client.get(f"/registration/validate/{kind}/", {"value": value}).json()["ok"] is ok


def test_live_check_unknown_kind_is_404(client):
    assert client.get("/registration/validate/password/", {"value": "x"}).status_code == 404


def test_live_check_answers_in_chinese_by_default(client):
    data = client.get("/registration/validate/uscc/", {"value": "91330782MA28F3K130"}).json()
    assert "校验" in data["message"]
