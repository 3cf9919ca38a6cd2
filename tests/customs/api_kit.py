"""Documents for the customs API tests: the kit's owner organisation given customs standing, and objects
made through the services with fresh business keys each time."""

import itertools

from django.utils import timezone

from customs import services
from registration.choices import EntityType, FilingStatus, Subtype
from registration.models import EntityFiling
from tests.customs.builders import (
    LOGISTICS_CODE,
    SELLER_CODE,
    item,
    list_head,
    order_head,
    order_item,
    payment_data,
    waybill_data,
)
from tests.customs.receipts_kit import ingest
from tests.customs.receipts_kit import item as receipt

_n = itertools.count(1)


def give_standing(org, customs_code: str = SELLER_CODE, *, subtype=Subtype.ENTERPRISE):
    """An ACTIVE filing with a customs code and a DXP id for ``org`` (once)."""
    if not EntityFiling.objects.filter(owner=org, status=FilingStatus.ACTIVE).exists():
        n = next(_n)
        EntityFiling.objects.create(
            owner=org,
            entity_type=EntityType.APPLICATION if subtype == Subtype.ENTERPRISE else EntityType.SERVICE,
            subtype=subtype,
            status=FilingStatus.ACTIVE,
            filing_no=f"ZK{n:08d}",
            name_cn=org.name_cn,
            uscc=org.code,
            customs_code=customs_code,
            dxp_id=f"DXPAPI{n:010d}",
            activated_at=timezone.now(),
        )
    return org


def keys() -> dict:
    n = next(_n)
    return {"cop_no": f"API-{n:06d}", "order_no": f"SO-API-{n:06d}", "logistics_no": f"WB-API-{n:06d}"}


def api_list_head(**overrides) -> dict:
    """A list head as an ERP sends it: the seller's and filer's codes left for the portal to fill in."""
    head = list_head(**{**keys(), **overrides})
    for name in ("ebc_code", "ebc_name", "agent_code", "agent_name", "owner_code", "owner_name"):
        head.pop(name)
    return head


def make_list(user, *, submit=False, **head):
    give_standing(user.organisation)
    return services.list_create(
        owner=user.organisation, by=user, head=api_list_head(**head), items=[item()], submit=submit
    )


def make_order(user, **head):
    give_standing(user.organisation)
    order_no = keys()["order_no"]
    head = order_head(order_no=order_no, **head)
    head.pop("ebc_code")
    return services.order_create(owner=user.organisation, by=user, head=head, items=[order_item()])


def make_payment(user, **data):
    give_standing(user.organisation)
    data = payment_data(order_no=keys()["order_no"], **data)
    data.pop("ebc_code")
    return services.payment_create(owner=user.organisation, by=user, data=data)


def make_waybill(user, **data):
    give_standing(user.organisation, LOGISTICS_CODE, subtype=Subtype.LOGISTICS)
    data = waybill_data(logistics_no=keys()["logistics_no"], **data)
    data.pop("logistics_code")
    return services.waybill_create(owner=user.organisation, by=user, data=data)


def received(doc, *codes, **fields):
    """``doc`` after customs' receipts ``codes`` for its message (``invtNo`` and the like in ``fields``)."""
    for code in codes:
        ingest(receipt(doc.message, code, **(fields if code == "120" else {})))
    doc.refresh_from_db()
    return doc
