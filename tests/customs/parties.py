"""Enterprises in good standing for customs tests: an ACTIVE filing with a customs code and a DXP id, as
registration leaves them once the departments answered (``registration.standing`` reads these rows)."""

import itertools

from django.utils import timezone

from portal.identifiers import make_uscc
from registration.choices import EntityType, FilingStatus, Subtype
from registration.models import EntityFiling
from tests import factories

_numbers = itertools.count(1)


def enterprise(
    customs_code: str,
    *,
    entity_type=EntityType.APPLICATION,
    subtype=Subtype.ENTERPRISE,
    name: str = "",
    dxp: bool = True,
    tax_refund: bool = False,
    status=FilingStatus.ACTIVE,
):
    """An organisation with one filing of ``status`` giving it ``customs_code`` (and a DXP id)."""
    n = next(_numbers)
    org = factories.EnterpriseFactory(
        code=make_uscc("91", "330100", f"CU{n:06d}"), name_cn=name or f"海关测试企业{n}"
    )
    EntityFiling.objects.create(
        owner=org,
        entity_type=entity_type,
        subtype=subtype,
        status=status,
        filing_no=f"ZJ{n:08d}",
        name_cn=org.name_cn,
        uscc=org.code,
        customs_code=customs_code,
        dxp_id=f"DXPENT{n:010d}" if dxp else "",
        tax_filing_no=f"3320260000{n:04d}" if tax_refund else "",
        activated_at=timezone.now(),
    )
    return org


def user_of(org, role: str = "enterprise_admin"):
    return factories.UserFactory(organisation=org, role=role)
