"""Demo customs data (``manage.py seed_demo``, run by ``make run``): a seller, its logistics and payment
enterprises, and a month of inventory lists in every state with their orders, payment receipts and waybills.

* Three demo enterprises with their own logins (password: the shared demo password ``seed_demo`` prints):
  ``customs_seller`` (杭州云栖跨境贸易有限公司, seller), ``customs_logistics`` (宁波快邮国际物流有限公司) and
  ``customs_payment`` (杭州易付支付服务有限公司). Their entity filings are seeded ACTIVE with the customs
  codes and China E-Port ids registration records once the departments answered: a month of customs history
  cannot wait for the registration round trip of ``make run``. The seller authorises the logistics
  enterprise to file its inventory lists (an agent, "统一办理"), which files every fourth of them.
* Orders, payment receipts (filed by the payment enterprise as the order's payer) and waybills (by the
  logistics enterprise) go through the document services; the lists through the bulk path
  (``lists_create_bulk``, as drafts), then each group moves along the list's workflow with
  ``bulk_transition`` — audited like customs' receipts — to DRAFT, DECLARED, ENTERED, REVIEW, CONCLUDED,
  INSPECTION, RELEASED, CLOSED, REJECTED and CANCELLED. Nothing is queued for customs, so the states stay as
  seeded when the worker runs; sending a draft or resubmitting the rejected ones from the pages goes the real
  way (worker → govmock → receipts).

Idempotent: nothing is added once the demo seller has lists. ``today`` fixes the month (tests).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from customs import services
from customs.choices import DocStatus, DocumentType
from customs.models import InventoryList, SellerAuthorisation
from customs.services.authorisations import authorisation_grant
from customs.workflows import INVENTORY_LIST
from portal.choices import OrganisationKind, Role
from portal.identifiers import make_uscc
from portal.models import Organisation, User
from portal.seeding import DEMO_PASSWORD, DemoAccount
from portal.workflow import bulk_transition

SELLER = (
    "customs_seller",
    make_uscc("91", "330100", "MA2CUD01"),
    "3301964001",
    "杭州云栖跨境贸易有限公司",
    "Hangzhou Yunqi Cross-border Trading Co., Ltd.",
    "APPLICATION",
    "ENTERPRISE",
    "郑卖家",
)
LOGISTICS = (
    "customs_logistics",
    make_uscc("91", "330200", "MA2CUD02"),
    "3302984002",
    "宁波快邮国际物流有限公司",
    "Ningbo Kuaiyou International Logistics Co., Ltd.",
    "SERVICE",
    "LOGISTICS",
    "冯物流",
)
PAYMENT = (
    "customs_payment",
    make_uscc("91", "330100", "MA2CUD03"),
    "3301964003",
    "杭州易付支付服务有限公司",
    "Hangzhou Yifu Payment Services Co., Ltd.",
    "SERVICE",
    "PAYMENT",
    "何支付",
)
PLATFORM_CODE, PLATFORM_NAME = "3301964004", "云帆跨境商城"
PER_STATE = 4
# The verbs that take a sent list to each demo state (the receipts' order, DOMAIN §3.6), and customs' code.
PATHS = {
    DocStatus.DECLARED: (("declare", "2"),),
    DocStatus.ENTERED: (("declare", "2"), ("enter", "120")),
    DocStatus.REVIEW: (("declare", "2"), ("enter", "120"), ("review", "300")),
    DocStatus.CONCLUDED: (("declare", "2"), ("enter", "120"), ("conclude", "399")),
    DocStatus.INSPECTION: (("declare", "2"), ("enter", "120"), ("conclude", "399"), ("inspect", "500")),
    DocStatus.RELEASED: (("declare", "2"), ("enter", "120"), ("conclude", "399"), ("release", "800")),
    DocStatus.CLOSED: (
        ("declare", "2"),
        ("enter", "120"),
        ("conclude", "399"),
        ("release", "800"),
        ("close", "899"),
    ),
    DocStatus.REJECTED: (("declare", "2"), ("reject", "100")),
    DocStatus.CANCELLED: (("declare", "2"), ("enter", "120"), ("conclude", "399"), ("cancel", "399")),
}
INFO = {"100": "商品编码与申报品名不符：请核对第1项商品编码（演示数据）"}
STATES = (DocStatus.DRAFT, *PATHS)


def _enterprise(spec):
    """The demo organisation, its administrator and an ACTIVE filing with its customs code and DXP id."""
    from registration.choices import FilingStatus
    from registration.models import EntityFiling

    username, uscc, customs_code, name_cn, name_en, entity_type, subtype, person = spec
    org, _ = Organisation.objects.update_or_create(
        code=uscc,
        defaults={
            "kind": OrganisationKind.ENTERPRISE,
            "name_cn": name_cn,
            "name_en": name_en,
            "division_code": uscc[2:8],
        },
    )
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"organisation": org, "full_name": person, "email": f"{username}@demo.zjcbec.example"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=Role.ENTERPRISE_ADMIN.value))
    if not EntityFiling.objects.filter(owner=org).exists():
        EntityFiling.objects.create(
            owner=org,
            entity_type=entity_type,
            subtype=subtype,
            status=FilingStatus.ACTIVE,
            filing_no=f"ZJDEMO{customs_code}",
            name_cn=name_cn,
            name_en=name_en,
            uscc=uscc,
            customs_code=customs_code,
            dxp_id=f"DXPDEMO{customs_code}",
            activated_at=timezone.now(),
        )
    return org, user


def _line(n: int) -> dict:
    qty = Decimal(1 + n % 3)
    return {
        "gnum": 1,
        "item_no": f"SKU-{n % 7:03d}",
        "item_name": "毛绒玩具",
        "gcode": "9503008900",
        "gname": "毛绒玩具熊",
        "gmodel": "毛绒，30cm",
        "bar_code": "无",
        "country": "502",
        "currency": "142",
        "qty": qty,
        "unit": "007",
        "qty1": qty,
        "unit1": "007",
        "qty2": qty / 4,
        "unit2": "035",
        "price": Decimal("30"),
        "total_price": qty * 30,
    }


def _documents(n, day, seller, seller_user, logistics, logistics_user, payment, payment_user):
    """The order, payment receipt and waybill of list ``n``, through the document services."""
    line = _line(n)
    order_no, waybill_no = f"YQ{day:%Y%m%d}{n:04d}", f"KY{day:%y%m%d}{n:05d}"
    value = line["total_price"]
    services.order_create(
        owner=seller,
        by=seller_user,
        head={
            "order_no": order_no,
            "ebp_code": PLATFORM_CODE,
            "ebp_name": PLATFORM_NAME,
            "goods_value": value,
            "freight": 0,
            "currency": "142",
        },
        items=[
            {k: line[k] for k in ("item_no", "item_name", "unit", "currency", "qty", "price", "total_price")}
        ],
    )
    services.payment_create(
        owner=seller,
        by=payment_user,
        filer=payment,
        data={
            "order_no": order_no,
            "ebp_code": PLATFORM_CODE,
            "ebp_name": PLATFORM_NAME,
            "pay_code": PAYMENT[2],
            "pay_name": PAYMENT[3],
            "pay_no": f"PAY{order_no}",
            "charge": value,
            "currency": "142",
            "accounting_date": timezone.make_aware(datetime.combine(day - timedelta(days=1), time(10))),
        },
    )
    services.waybill_create(
        owner=logistics,
        by=logistics_user,
        data={
            "logistics_no": waybill_no,
            "freight": 0,
            "insured_fee": 0,
            "currency": "142",
            "gross_weight": line["qty2"] + Decimal("0.2"),
            "pack_no": 1,
            "goods_info": "毛绒玩具",
            "ebc_code": SELLER[2],
            "ebc_name": SELLER[3],
        },
    )
    return {
        "cop_no": f"DEMO-{n:04d}",
        "order_no": order_no,
        "ebp_code": PLATFORM_CODE,
        "ebp_name": PLATFORM_NAME,
        "logistics_code": LOGISTICS[2],
        "logistics_name": LOGISTICS[3],
        "logistics_no": waybill_no,
        "customs_code": "2901",
        "port_code": "2901",
        "ie_date": day,
        "statistics_flag": "B",
        "traf_mode": "5",
        "country": "502",
        "pod": "USLAX",
        "freight": 0,
        "f_currency": "142",
        "insured_fee": 0,
        "i_currency": "142",
        "wrap_type": "2",
        "pack_no": 1,
        "gross_weight": line["qty2"] + Decimal("0.2"),
        "net_weight": line["qty2"],
        "items": [line],
    }


def _move(pks, state, day_of) -> None:
    """Take the lists ``pks`` along the path to ``state``, as customs' receipts would (audited)."""
    for verb, code in PATHS[state]:
        bulk_transition(
            InventoryList._base_manager.filter(pk__in=pks),
            verb,
            workflow=INVENTORY_LIST,
            payload={"code": code, "demo": True},
        )
        InventoryList._base_manager.filter(pk__in=pks).update(
            customs_status=code, customs_info=INFO.get(code, ""), customs_at=timezone.now()
        )
    for pk in pks:
        day = day_of[pk]
        stamps = {"submitted_at": _at(day, 9), "pre_no": f"I2901{day:%Y%m%d}{pk:05d}"}
        if state not in (DocStatus.DECLARED, DocStatus.REJECTED):
            stamps["invt_no"] = f"2901{day:%Y}E{pk:09d}"
        if state in (DocStatus.RELEASED, DocStatus.CLOSED):
            stamps["released_at"] = _at(day + timedelta(days=1), 15)
        if state == DocStatus.CLOSED:
            stamps["closed_at"] = _at(day + timedelta(days=2), 11)
        InventoryList._base_manager.filter(pk=pk).update(**stamps)


def _at(day: date, hour: int):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_customs(today: date | None = None) -> list[DemoAccount]:
    """Seeds the month (once) and returns the three demo logins, which ``seed_demo`` prints."""
    today = today or timezone.localdate()
    seller, seller_user = _enterprise(SELLER)
    logistics, logistics_user = _enterprise(LOGISTICS)
    payment, payment_user = _enterprise(PAYMENT)
    logins = [
        DemoAccount(user.username, Role.ENTERPRISE_ADMIN, org.code, user.full_name)
        for org, user in ((seller, seller_user), (logistics, logistics_user), (payment, payment_user))
    ]
    if not SellerAuthorisation.objects.filter(seller=seller, agent=logistics).exists():
        authorisation_grant(
            seller=seller, by=seller_user, agent_code=logistics.code, document_types=[DocumentType.INVENTORY]
        )
    if InventoryList.objects.filter(owner=seller).exists():
        return logins
    rows, day_of_row = [], []
    for n in range(len(STATES) * PER_STATE):
        day = today - timedelta(days=30 - (n * 30) // (len(STATES) * PER_STATE))
        rows.append(_documents(n, day, seller, seller_user, logistics, logistics_user, payment, payment_user))
        day_of_row.append(day)
    # Every fourth list is filed by the logistics enterprise as the seller's agent.
    by_agent = [n % 4 == 3 for n in range(len(rows))]
    made = {}
    for agent, filer, user in ((False, seller, seller_user), (True, logistics, logistics_user)):
        batch = [row for row, flag in zip(rows, by_agent, strict=True) if flag == agent]
        result = services.lists_create_bulk(owner=seller, filer=filer, by=user, rows=batch, submit=False)
        made.update({cop: pk for cop, pk, _created in result.rows})
    ids = [made[row["cop_no"]] for row in rows]
    day_of = dict(zip(ids, day_of_row, strict=True))
    for index, state in enumerate(STATES):
        if state != DocStatus.DRAFT:
            bulk_transition(
                InventoryList._base_manager.filter(pk__in=ids[index :: len(STATES)]),
                "submit",
                workflow=INVENTORY_LIST,
                by=seller_user,
                payload={"demo": True},
            )
            _move(ids[index :: len(STATES)], state, day_of)
    return logins
