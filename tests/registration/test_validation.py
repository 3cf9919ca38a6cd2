"""Rules E-1 … E-7 (DOMAIN §1.5), one organisation per USCC, and the completeness check before submission."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.identifiers import make_uscc
from portal.models import Organisation
from registration import services, validation
from registration.choices import EntityType, FilingStatus, Subtype, TaskStatus
from registration.models import EntityFiling
from tests import factories
from tests.registration import builders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _codes(exc: ValidationError) -> dict[str, set[str]]:
    return {field: {e.code for e in errors} for field, errors in exc.error_dict.items()}


def _submit_errors(filing, by) -> dict[str, set[str]]:
    with pytest.raises(ValidationError) as info:
        services.filing_submit(filing=filing, by=by)
    return _codes(info.value)


def test_completeness_lists_everything_missing_at_once(enterprise_admin):
    filing = builders.draft(enterprise_admin, complete=False)
    errors = _submit_errors(filing, enterprise_admin)
    for field in (
        "address",
        "legal_rep_name",
        "legal_rep_id_no",
        "contact_name",
        "contact_phone",
        "contact_email",
    ):
        assert "required" in errors[field], field
    assert errors["attachments"] == {"attachment_required"}
    with pytest.raises(ValidationError) as info:
        services.filing_submit(filing=filing, by=enterprise_admin)
    assert len([m for m in info.value.messages if "Attachment missing" in m]) == 2
    assert EntityFiling.objects.get(pk=filing.pk).status == FilingStatus.DRAFT


def test_e1_malformed_credit_code_is_refused_on_save(enterprise_admin):
    filing = builders.draft(enterprise_admin, complete=False)
    with pytest.raises(ValidationError) as info:
        services.filing_update_draft(filing=filing, by=enterprise_admin, data={"uscc": "91330782MA28F3K130"})
    assert _codes(info.value) == {"uscc": {"uscc_check"}}
    assert "18th" in info.value.messages[0]


def test_e2_individual_business_needs_92(enterprise_admin):
    filing = builders.draft(enterprise_admin, subtype=Subtype.INDIVIDUAL_BUSINESS)
    assert "uscc_category" in _submit_errors(filing, enterprise_admin)["uscc"]


def test_e2_individual_business_with_92_is_fine_and_economic_type_follows():
    org = factories.EnterpriseFactory(code="92330106L2Q7N8R46K", division_code="330106")
    admin = factories.UserFactory(organisation=org, role="enterprise_admin")
    filing = builders.submitted(admin, subtype=Subtype.INDIVIDUAL_BUSINESS)
    assert filing.status == FilingStatus.SUBMITTED
    assert filing.economic_type == "7"


def test_e3_division_different_from_uscc_needs_a_note(enterprise_admin):
    filing = builders.draft(enterprise_admin, division_code="330106")
    assert _submit_errors(filing, enterprise_admin) == {"division_note": {"division_note_required"}}
    services.filing_update_draft(
        filing=filing, by=enterprise_admin, data={"division_note": "注册地址迁至西湖区"}
    )
    assert services.filing_submit(filing=filing, by=enterprise_admin).status == FilingStatus.SUBMITTED


def test_e4_customs_code_outside_zhejiang_refused(enterprise_admin):
    filing = builders.draft(enterprise_admin)
    with pytest.raises(ValidationError) as info:
        services.filing_update_draft(filing=filing, by=enterprise_admin, data={"customs_code": "4403161FMD"})
    assert _codes(info.value) == {"customs_code": {"customs_province"}}


def test_e5_one_filing_per_role_per_organisation(enterprise_admin):
    first = builders.draft(enterprise_admin)
    with pytest.raises(ValidationError) as info:
        builders.draft(enterprise_admin)
    assert _codes(info.value) == {"uscc": {"role_already_filed"}}
    # Another role of the same organisation is a separate, linked role filing.
    other = builders.draft(enterprise_admin, entity_type=EntityType.SERVICE, subtype=Subtype.LOGISTICS)
    assert other.owner_id == first.owner_id
    assert other.lineage != first.lineage


def test_e5_uscc_already_active_elsewhere(enterprise_admin, reviewer):
    active = builders.active(enterprise_admin, reviewer)
    # The first organisation's code was corrected; someone registers a new organisation with the old USCC.
    Organisation.objects.filter(pk=enterprise_admin.organisation_id).update(code="LEGACY-0001")
    newcomer = factories.EnterpriseFactory(code=active.uscc)
    admin = factories.UserFactory(organisation=newcomer, role="enterprise_admin")
    with pytest.raises(ValidationError) as info:
        builders.draft(admin)
    assert _codes(info.value) == {"uscc": {"identity_active_elsewhere"}}
    assert active.filing_no not in info.value.messages[0]  # nothing of the other organisation's filing


def test_uscc_of_another_organisation_is_refused_without_saying_it_is_registered(
    enterprise_admin, other_admin
):
    filing = builders.draft(other_admin)
    # Refused when saved (issue 8: a draft must never carry another organisation's code), with the same
    # answer as for a code nobody holds (ADR 0017): the filing's code must be its own.
    with pytest.raises(ValidationError) as info:
        services.filing_update_draft(
            filing=filing, by=other_admin, data={"uscc": enterprise_admin.organisation.code}
        )
    assert {e.code for e in info.value.error_dict["uscc"]} == {"uscc_not_own"}


def test_e5_database_refuses_a_second_active_version(enterprise_admin, reviewer):
    active = builders.active(enterprise_admin, reviewer)
    twin = builders.draft(enterprise_admin, entity_type=EntityType.SERVICE, subtype=Subtype.LOGISTICS)
    EntityFiling.objects.filter(pk=twin.pk).update(entity_type=active.entity_type, subtype=active.subtype)
    twin.refresh_from_db()
    twin.status = FilingStatus.ACTIVE
    from registration.services._common import save_status

    with pytest.raises(ValidationError):
        save_status(twin)


def test_e6_payment_needs_licence_and_self_platform_needs_urls(enterprise_admin):
    payment = builders.draft(
        enterprise_admin, entity_type=EntityType.SERVICE, subtype=Subtype.PAYMENT, payment_licence_no=""
    )
    assert "required" in _submit_errors(payment, enterprise_admin)["payment_licence_no"]
    platform = builders.draft(
        enterprise_admin, entity_type=EntityType.SELF_PLATFORM, subtype="", platform_urls=[]
    )
    assert _submit_errors(platform, enterprise_admin) == {"platform_urls": {"platform_urls_required"}}


def test_platform_urls_are_web_addresses(enterprise_admin):
    filing = builders.draft(enterprise_admin, entity_type=EntityType.SELF_PLATFORM, subtype="")
    with pytest.raises(ValidationError) as info:
        services.filing_update_draft(
            filing=filing,
            by=enterprise_admin,
            data={"platform_urls": ["javascript:alert(1)", "https://ok.example"]},
        )
    assert "Address 1" in info.value.messages[0]


def test_authorisation_letter_needed_when_someone_else_files(enterprise_admin):
    filing = builders.draft(enterprise_admin, contact_name="李四")
    errors = _submit_errors(filing, enterprise_admin)
    assert errors == {"attachments": {"attachment_required"}}
    assert "AUTHORISATION_LETTER" in validation.required_attachments(filing)


def test_optional_tax_refund_only_for_general_taxpayers(enterprise_admin):
    filing = builders.draft(enterprise_admin, is_vat_general_taxpayer=False)
    with pytest.raises(ValidationError) as info:
        services.filing_update_draft(
            filing=filing, by=enterprise_admin, data={"optional_qualifications": ["TAX_REFUND_FILING"]}
        )
    assert _codes(info.value) == {"optional_qualifications": {"qualification_condition"}}


def _comprehensive_provider(reviewer):
    org = factories.EnterpriseFactory(code=make_uscc("91", "330200", "HN000001"), division_code="330200")
    admin = factories.UserFactory(organisation=org, role="enterprise_admin")
    provider = builders.active(admin, reviewer, entity_type=EntityType.SERVICE, subtype=Subtype.COMPREHENSIVE)
    return admin, provider


def test_e7_natural_person_only_through_an_active_comprehensive_provider(enterprise_admin, reviewer):
    with pytest.raises(ValidationError) as info:
        builders.draft(enterprise_admin, subtype=Subtype.NATURAL_PERSON, complete=False)
    assert "subtype" in info.value.error_dict
    admin, provider = _comprehensive_provider(reviewer)
    person = services.filing_create_draft(
        owner=admin.organisation,
        by=admin,
        entity_type=EntityType.APPLICATION,
        subtype=Subtype.NATURAL_PERSON,
        data={
            **builders.complete_data(),
            "name_cn": "王小二",
            "legal_rep_name": "王小二",
            "contact_name": "王小二",
            "division_code": "330106",
        },
    )
    assert person.agent_filing_id == provider.pk
    assert person.uscc == ""
    assert person.identity_key.startswith("P:")
    with pytest.raises(ValidationError) as info:
        services.filing_update_draft(filing=person, by=admin, data={"customs_code": "3301961Q43"})
    assert _codes(info.value) == {"customs_code": {"natural_person_consignor"}}
    errors = _submit_errors(person, admin)
    assert errors == {"attachments": {"attachment_required"}}  # licence not needed; ID and authorisation are


def test_e7_natural_person_has_no_qualifications_and_activates_on_approval(enterprise_admin, reviewer):
    from registration.choices import AttachmentKind

    admin, _provider = _comprehensive_provider(reviewer)
    person = services.filing_create_draft(
        owner=admin.organisation,
        by=admin,
        entity_type=EntityType.APPLICATION,
        subtype=Subtype.NATURAL_PERSON,
        data={
            **builders.complete_data(),
            "name_cn": "王小二",
            "legal_rep_name": "王小二",
            "contact_name": "王小二",
            "division_code": "330106",
        },
    )
    for kind, name, content in (
        (AttachmentKind.LEGAL_REP_ID, "id.png", builders.png_bytes()),
        (AttachmentKind.AUTHORISATION_LETTER, "auth.pdf", builders.pdf_bytes()),
    ):
        services.attachment_add(filing=person, by=admin, kind=kind, upload=builders.upload(name, content))
    person = services.filing_submit(filing=person, by=admin)
    services.filing_accept(filing=person, by=reviewer)
    person = services.filing_approve(filing=person, by=reviewer)
    assert person.status == FilingStatus.ACTIVE
    assert not person.qualifications.exclude(status=TaskStatus.NOT_APPLIED).exists()
    # The same person cannot be filed again through another provider.
    again = EntityFiling(
        owner=enterprise_admin.organisation,
        entity_type=EntityType.APPLICATION,
        subtype=Subtype.NATURAL_PERSON,
        legal_rep_id_type=person.legal_rep_id_type,
        legal_rep_id_no_encrypted=person.legal_rep_id_no_encrypted,
    )
    assert [p.code for p in validation.identity_problems(again)] == ["identity_active_elsewhere"]


def test_choice_fields_keep_their_value_when_left_blank_and_refuse_unknown_values(enterprise_admin):
    filing = builders.draft(enterprise_admin, complete=False)
    services.filing_update_draft(filing=filing, by=enterprise_admin, data={"economic_type": ""})
    assert EntityFiling.objects.get(pk=filing.pk).economic_type == "6"
    with pytest.raises(ValidationError) as info:
        services.filing_update_draft(
            filing=filing, by=enterprise_admin, data={"legal_rep_id_type": "LIBRARY_CARD"}
        )
    assert _codes(info.value) == {"legal_rep_id_type": {"invalid_choice"}}
