"""Registration's public read contract for the other regulatory apps (registration.standing)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registration import services
from registration.choices import EntityType, Subtype
from registration.standing import enterprise_standing, standings_of
from tests.registration import builders

pytestmark = pytest.mark.django_db


def test_an_active_seller_may_declare_with_the_codes_its_receipts_gave(enterprise_admin, reviewer):
    builders.active(enterprise_admin, reviewer)
    standing = enterprise_standing(enterprise_admin.organisation)
    assert standing.is_active and standing.is_seller and not standing.is_platform
    assert standing.customs_code == "3301960001"
    assert standing.dxp_id == "DXPENT0000000001"
    assert standing.may_declare_to_customs
    assert [(r.entity_type, r.subtype, r.active) for r in standing.roles] == [
        (EntityType.APPLICATION, Subtype.ENTERPRISE, True)
    ]


def test_nothing_in_force_means_no_standing(enterprise_admin, reviewer):
    builders.approved(enterprise_admin, reviewer)  # qualifications not answered yet
    standing = enterprise_standing(enterprise_admin.organisation)
    assert not standing.is_active and not standing.may_declare_to_customs and standing.roles == ()


def test_a_suspended_filing_holds_the_role_but_may_not_act(enterprise_admin, reviewer):
    filing = builders.active(enterprise_admin, reviewer)
    services.filing_suspend(filing=filing, by=reviewer, reason="核查")
    standing = enterprise_standing(enterprise_admin.organisation)
    assert [r.active for r in standing.roles] == [False]
    assert not standing.is_active and not standing.may_declare_to_customs


def test_service_roles_and_many_organisations_in_one_query(enterprise_admin, other_admin, reviewer):
    builders.active(other_admin, reviewer, entity_type=EntityType.SERVICE, subtype=Subtype.LOGISTICS)
    builders.active(enterprise_admin, reviewer)
    ids = [enterprise_admin.organisation_id, other_admin.organisation_id]
    with CaptureQueriesContext(connection) as queries:
        found = standings_of(ids)
    assert len(queries) == 1
    assert found[other_admin.organisation_id].provides(Subtype.LOGISTICS)
    assert not found[enterprise_admin.organisation_id].provides(Subtype.LOGISTICS)
