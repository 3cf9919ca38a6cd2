"""Legacy records without a credit code (review finding M6, ADR 0018): the organisation code (GB 11714,
DOMAIN §2.2) as an input, derived otherwise, its uniqueness, what the departments are sent, and a legacy
filing end to end through approval and the recording of the credit code."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts import services as account_services
from accounts.models import OrganisationVerification, VerificationStatus
from exchange.models import Message
from portal.identifiers import make_uscc
from portal.models import Organisation
from registration import payloads, services, validation
from registration.choices import FilingStatus, Qualification, TaskStatus
from registration.models import EntityFiling
from registration.validation import fields as checks
from tests import factories
from tests.registration import builders

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-enough-passphrase-42"
ORG_CODE = "123456788"  # DOMAIN §2.2: 12345678 → Σ 201 → 201 mod 11 = 3 → check 8
CREDIT_CODE = make_uscc("91", "330782", "12345678")  # the credit code the same enterprise receives later


def _legacy_signup(username="legacy", org_code="12345678-8", division_code="330782", **extra):
    return account_services.enterprise_signup(
        uscc=extra.pop("uscc", ""),
        org_code=org_code,
        name_cn="义乌市老字号进出口有限公司",
        division_code=division_code,
        username=username,
        full_name="老 法人",
        email=f"{username}@example.com",
        password=PASSWORD,
        **extra,
    )


@pytest.fixture
def legacy_admin():
    _org, admin = _legacy_signup()
    return admin


def _codes(exc: ValidationError) -> dict[str, set[str]]:
    return {field: {e.code for e in errors} for field, errors in exc.error_dict.items()}


# --- the check of GB 11714 -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("12345678-8", True),  # DOMAIN §2.2 vectors
        ("M000100Y-4", True),
        ("79965505-8", True),
        ("71526726-X", True),
        ("123456788", True),  # stored without the hyphen
        (" m000100y-4 ", True),  # input hygiene: trimmed, upper-cased
        ("12345678-9", False),  # wrong check character
        ("71526726-0", False),
        ("1234567-8", False),  # 8 characters
        ("12345678-88", False),
        ("1234567*-8", False),  # not a digit or capital letter
        ("12345678-A", False),  # a check character is a digit or X
    ],
)
def test_organisation_code_as_a_legacy_filing_input(value, ok, legacy_admin):
    filing = builders.draft(legacy_admin, complete=False)
    if not ok:
        with pytest.raises(ValidationError) as info:
            services.filing_update_draft(filing=filing, by=legacy_admin, data={"org_code": value})
        assert set(_codes(info.value)) == {"org_code"}
        return
    typed = value.strip().upper().replace("-", "")
    if typed != legacy_admin.organisation.code:
        # Well formed, but an organisation files under its own code only (issue 8): refused when saved.
        with pytest.raises(ValidationError) as info:
            services.filing_update_draft(filing=filing, by=legacy_admin, data={"org_code": value})
        assert _codes(info.value) == {"org_code": {"org_code_not_own"}}
        return
    services.filing_update_draft(filing=filing, by=legacy_admin, data={"org_code": value})
    filing.refresh_from_db()
    assert filing.org_code == typed


def test_wrong_check_character_says_what_is_wrong(client):
    client.cookies["portal_language"] = "en"
    data = client.get("/registration/validate/org_code/", {"value": "12345678-9"}).json()
    assert data["ok"] is False
    with translation.override("en"):
        (problem,) = checks.org_code_problems("12345678-9")
    assert data["message"] == problem.message == "The check character (9th) should be “8”, not “9”."


@pytest.mark.parametrize("value", ["12345678-8", "M000100Y-4", "79965505-8", "71526726-X", "123456788"])
def test_live_check_of_the_organisation_code(client, value):
    client.cookies["portal_language"] = "en"
    data = client.get("/registration/validate/org_code/", {"value": value}).json()
    assert data["ok"] is True
    printed = value if "-" in value else f"{value[:8]}-{value[8]}"
    assert printed in data["message"]


# --- sign-up of a legacy enterprise ----------------------------------------------------------------------
def test_legacy_signup_identifies_the_organisation_by_its_organisation_code():
    org, admin = _legacy_signup()
    assert org.code == ORG_CODE and org.division_code == "330782"
    assert admin.organisation == org
    assert OrganisationVerification.objects.get(organisation=org).status == VerificationStatus.UNVERIFIED


def test_legacy_signup_needs_the_division_and_a_valid_code():
    with pytest.raises(ValidationError) as info:
        _legacy_signup(division_code="")
    assert "division_code" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        _legacy_signup(org_code="12345678-9")
    assert "org_code" in info.value.message_dict
    assert not Organisation.objects.filter(code__in=["123456788", "123456789"]).exists()


def test_a_credit_code_and_an_organisation_code_are_not_both_given():
    with pytest.raises(ValidationError) as info:
        _legacy_signup(uscc=CREDIT_CODE)
    assert "org_code" in info.value.message_dict


def test_one_enterprise_whichever_code_it_signs_up_with(legacy_admin):
    """The credit code embeds the organisation code: signing up with either finds the one account."""
    with pytest.raises(ValidationError) as info:
        account_services.enterprise_signup(
            uscc=CREDIT_CODE,
            name_cn="义乌市老字号进出口有限公司",
            username="twin",
            full_name="双",
            email="twin@example.com",
            password=PASSWORD,
        )
    assert info.value.error_dict["uscc"][0].code == "organisation_exists"
    credit_org = factories.EnterpriseFactory(code=make_uscc("91", "330100", "87654321"))
    with pytest.raises(ValidationError):
        _legacy_signup(username="twin2", org_code=credit_org.code[8:17])


def test_signup_page_offers_the_organisation_code_with_a_live_check(client):
    html = client.get("/registration/signup/").content.decode()
    assert 'name="legacy"' in html
    assert 'data-validate-url="/registration/validate/org_code/"' in html
    client.cookies["portal_language"] = "en"
    response = client.post(
        "/registration/signup/",
        {
            "legacy": "on",
            "org_code": "71526726-X",
            "uscc": "",
            "name_cn": "义乌市老字号进出口有限公司",
            "division_code": "330782",
            "full_name": "老 法人",
            "username": "legacy_page",
            "email": "legacy_page@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(code="71526726X").exists()
    missing = client.post("/registration/signup/", {"legacy": "on", "uscc": ""})
    assert "org_code" in missing.context["form"].errors


# --- which roles may be legacy records -------------------------------------------------------------------
def test_a_legacy_organisation_files_legacy_records(legacy_admin):
    filing = builders.draft(legacy_admin, complete=False)
    assert filing.is_legacy_record
    assert (filing.uscc, filing.org_code, filing.identity_key) == ("", ORG_CODE, f"OC:{ORG_CODE}")
    platform = builders.draft(legacy_admin, "SERVICE", "LOGISTICS", complete=False)
    assert platform.is_legacy_record


def test_an_individual_business_cannot_be_a_legacy_record(legacy_admin):
    with pytest.raises(ValidationError) as info:
        builders.draft(legacy_admin, "APPLICATION", "INDIVIDUAL_BUSINESS", complete=False)
    assert _codes(info.value) == {"subtype": {"legacy_role"}}
    # Even if a row were forced into that state, completeness refuses it.
    filing = builders.draft(legacy_admin, complete=False)
    filing.subtype = "INDIVIDUAL_BUSINESS"
    assert "legacy_role" in {p.code for p in validation.completeness(filing)}


def test_a_legacy_record_takes_no_credit_code_and_its_code_must_be_its_own(legacy_admin):
    filing = builders.draft(legacy_admin)
    with pytest.raises(ValidationError) as info:
        services.filing_update_draft(filing=filing, by=legacy_admin, data={"uscc": CREDIT_CODE})
    assert _codes(info.value) == {"uscc": {"legacy_no_uscc"}}
    with pytest.raises(ValidationError) as info:
        services.filing_update_draft(filing=filing, by=legacy_admin, data={"org_code": "M000100Y-4"})
    assert _codes(info.value) == {"org_code": {"org_code_not_own"}}
    assert "12345678-8" in info.value.message_dict["org_code"][0]


def test_completeness_asks_for_the_organisation_code_of_a_legacy_record(legacy_admin):
    filing = builders.draft(legacy_admin)
    EntityFiling.objects.filter(pk=filing.pk).update(org_code="")
    filing.refresh_from_db()
    found = {(p.field, p.code) for p in validation.completeness(filing)}
    assert ("org_code", "required") in found
    assert ("uscc", "required") not in found


# --- derived when there is a credit code -----------------------------------------------------------------
def test_the_organisation_code_is_derived_from_the_credit_code(enterprise_admin):
    filing = builders.draft(enterprise_admin)
    assert not filing.is_legacy_record
    assert filing.org_code == filing.uscc[8:17]
    # Sending back the derived value is harmless; any other value is refused.
    services.filing_update_draft(filing=filing, by=enterprise_admin, data={"org_code": filing.uscc[8:17]})
    with pytest.raises(ValidationError) as info:
        services.filing_update_draft(filing=filing, by=enterprise_admin, data={"org_code": "12345678-8"})
    assert _codes(info.value) == {"org_code": {"org_code_derived"}}
    filing.refresh_from_db()
    assert filing.org_code == filing.uscc[8:17]


def test_the_api_refuses_a_typed_organisation_code_beside_a_credit_code(api_as, enterprise_admin):
    filing = builders.draft(enterprise_admin)
    response = api_as(enterprise_admin).patch(
        f"/api/v1/registration/filings/{filing.pk}/", {"org_code": "12345678-8"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "org_code"


def test_the_page_shows_the_organisation_code_only_where_it_is_typed(client, enterprise_admin, legacy_admin):
    credit = builders.draft(enterprise_admin, complete=False)
    client.force_login(enterprise_admin)
    html = client.get(f"/registration/filings/{credit.pk}/edit/entity/").content.decode()
    assert 'name="org_code"' not in html and 'name="uscc"' in html
    legacy_filing = builders.draft(legacy_admin, complete=False)
    client.force_login(legacy_admin)
    html = client.get(f"/registration/filings/{legacy_filing.pk}/edit/entity/").content.decode()
    assert 'name="org_code"' in html and 'name="uscc"' not in html
    assert 'data-validate-url="/registration/validate/org_code/"' in html
    response = client.post(
        f"/registration/filings/{legacy_filing.pk}/edit/entity/",
        {"name_cn": "义乌市老字号进出口有限公司", "org_code": "12345678-8", "division_code": "330782"},
    )
    assert response.status_code == 302
    detail = client.get(f"/registration/filings/{legacy_filing.pk}/").content.decode()
    assert "12345678-8" in detail


# --- one filing per identity and role --------------------------------------------------------------------
def test_one_open_legacy_filing_per_organisation_code_and_role(legacy_admin):
    builders.draft(legacy_admin, complete=False)
    with pytest.raises(ValidationError) as info:
        builders.draft(legacy_admin, complete=False)
    assert "role_already_filed" in {c for codes in _codes(info.value).values() for c in codes}


def test_a_legacy_code_clashes_with_the_credit_code_that_embeds_it(enterprise_admin, reviewer):
    """An enterprise with a credit-code filing in force cannot file again under its old organisation code
    (one subject, rule E-5), and the database refuses a second active row for one organisation code."""
    active = builders.active(enterprise_admin, reviewer)
    old = factories.EnterpriseFactory(code=active.org_code, division_code="330100")
    admin = factories.UserFactory(organisation=old, role="enterprise_admin")
    with pytest.raises(ValidationError) as info:
        builders.draft(admin)
    assert _codes(info.value) == {"uscc": {"identity_active_elsewhere"}}


def test_the_database_refuses_two_open_legacy_records_of_one_code(legacy_admin):
    filing = builders.draft(legacy_admin, complete=False)
    twin = builders.draft(legacy_admin, "SERVICE", "LOGISTICS", complete=False)
    from django.db import IntegrityError, transaction

    EntityFiling.objects.filter(pk=filing.pk).update(status="SUBMITTED")
    with pytest.raises(IntegrityError), transaction.atomic():
        EntityFiling.objects.filter(pk=twin.pk).update(
            entity_type=filing.entity_type,
            subtype=filing.subtype,
            owner=factories.EnterpriseFactory(),
            status="SUBMITTED",  # drafts hold no identity slot; what reached the bureau does
        )


# --- what the departments are sent ------------------------------------------------------------------------
def test_ciq_message_carries_the_organisation_code(enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    ciq = filing.qualifications.get(code=Qualification.CIQ_FILING).message
    assert ciq.payload["org_code"] == filing.uscc[8:17]
    assert ciq.payload["uscc"] == filing.uscc
    customs = filing.qualifications.get(code=Qualification.CUSTOMS_REG).message
    assert "org_code" not in customs.payload  # the other contracts take the credit code only


# --- a legacy filing end to end ----------------------------------------------------------------------------
def test_legacy_filing_end_to_end_through_approval_and_the_credit_code(
    client, api_as, legacy_admin, reviewer, django_capture_on_commit_callbacks
):
    filing = builders.submitted(legacy_admin)
    assert filing.filing_no and filing.status == FilingStatus.SUBMITTED
    snapshot = filing.submissions.get()
    assert snapshot.values["org_code"] == ORG_CODE and snapshot.values["uscc"] == ""
    filing = services.filing_accept(filing=filing, by=reviewer)
    client.force_login(reviewer)
    review = client.get(f"/registration/review/{filing.pk}/").content.decode()
    assert "12345678-8" in review
    filing = services.filing_approve(filing=filing, by=reviewer)
    filing.refresh_from_db()
    # Approved; verified; every qualification waits for the credit code and nothing went to a department.
    assert filing.status == FilingStatus.APPROVED
    assert OrganisationVerification.objects.get(organisation=filing.owner).is_verified
    tasks = list(filing.qualifications.all())
    assert tasks and all(t.message_id is None for t in tasks)
    assert {t.status for t in tasks if t.mandatory} == {TaskStatus.PENDING}
    assert not Message.objects.filter(sender=filing.owner).exists()
    client.force_login(legacy_admin)
    page = client.get(f"/registration/filings/{filing.pk}/").content.decode()
    assert 'data-testid="held-for-credit-code"' in page
    listed = client.get("/registration/filings/").content.decode()
    assert "/registration/organisation/credit-code/" in listed
    api = api_as(legacy_admin).get(f"/api/v1/registration/filings/{filing.pk}/").json()
    assert (api["is_legacy_record"], api["org_code"], api["uscc"]) == (True, ORG_CODE, "")
    found = api_as(reviewer).get("/api/v1/registration/filings/", {"org_code": "12345678-8"}).json()
    assert [row["id"] for row in found["results"]] == [filing.pk]
    optional = filing.qualifications.get(code=Qualification.TAX_REFUND_FILING)
    assert optional.status == TaskStatus.NOT_APPLIED
    with pytest.raises(ValidationError) as info:
        services.qualification_retry(task=optional, by=legacy_admin)
    assert info.value.code == "legacy_held"

    # The enterprise receives its credit code and records it: the held messages go out with it.
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/registration/organisation/credit-code/", {"uscc": CREDIT_CODE})
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.owner.code == CREDIT_CODE
    assert (filing.uscc, filing.org_code, filing.is_legacy_record) == (CREDIT_CODE, ORG_CODE, False)
    assert filing.identity_key == CREDIT_CODE
    ciq = filing.qualifications.get(code=Qualification.CIQ_FILING).message
    assert ciq.payload["org_code"] == ORG_CODE and ciq.payload["uscc"] == CREDIT_CODE
    eport = filing.qualifications.get(code=Qualification.EPORT_CARD)
    assert eport.message_id is None  # still waits for the customs code
    builders.answer_all(filing)
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACTIVE
    assert payloads.build(Qualification.CIQ_FILING, filing)["org_code"] == ORG_CODE


def test_recording_the_credit_code_checks_it(legacy_admin, enterprise_admin):
    org = legacy_admin.organisation
    cases = [
        (make_uscc("91", "330782", "87654321"), "must be your organisation code"),
        (make_uscc("92", "330782", "12345678"), "“91”"),
        (CREDIT_CODE[:17] + ("0" if CREDIT_CODE[17] != "0" else "1"), "check character"),
    ]
    for code, words in cases:
        with translation.override("en"), pytest.raises(ValidationError) as info:
            account_services.credit_code_record(organisation=org, by=legacy_admin, uscc=code)
        assert words in info.value.message_dict["uscc"][0], info.value.messages
    operator = factories.UserFactory(organisation=org, role="enterprise_operator")
    with pytest.raises(PermissionDenied):
        account_services.credit_code_record(organisation=org, by=operator, uscc=CREDIT_CODE)
    with pytest.raises(PermissionDenied):
        account_services.credit_code_record(organisation=org, by=enterprise_admin, uscc=CREDIT_CODE)
    factories.EnterpriseFactory(code=CREDIT_CODE)
    with pytest.raises(ValidationError) as info:
        account_services.credit_code_record(organisation=org, by=legacy_admin, uscc=CREDIT_CODE)
    assert info.value.error_dict["uscc"][0].code == "organisation_exists"
    org.refresh_from_db()
    assert org.code == ORG_CODE


def test_a_credit_code_organisation_has_nothing_to_record(client, enterprise_admin):
    client.force_login(enterprise_admin)
    assert client.get("/registration/organisation/credit-code/").status_code == 302
    posted = client.post("/registration/organisation/credit-code/", {"uscc": CREDIT_CODE})
    assert posted.status_code == 302 and posted["Location"] == "/registration/filings/"
    with pytest.raises(ValidationError):
        account_services.credit_code_record(
            organisation=enterprise_admin.organisation, by=enterprise_admin, uscc=CREDIT_CODE
        )
