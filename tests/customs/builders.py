"""Plain-data customs documents that pass every check, to change one field at a time in tests.

The values come from the shipped code lists (customs/data): Hangzhou customs 2901, the United States 502,
CNY 142, air transport 5, cartons 2, and HS 9503008900 (other toys: legal units 007 个 and 035 千克, refund
13 %). Party codes are valid customs codes (DOMAIN §2.3).
"""

import copy
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
SELLER_CODE = "3301960001"
PLATFORM_CODE = "3301960002"
LOGISTICS_CODE = "3301980003"
AGENT_CODE = "3301980004"
PAYMENT_CODE = "3301960005"
EXPORT_DAY = date(2025, 3, 3)
TOY = "9503008900"


def item(**overrides) -> dict:
    line = {
        "item_no": "SKU-1",
        "item_name": "毛绒玩具",
        "gcode": TOY,
        "gname": "毛绒玩具熊",
        "gmodel": "毛绒，30cm",
        "bar_code": "无",
        "country": "502",
        "currency": "142",
        "qty": "2",
        "unit": "007",
        "qty1": "2",
        "unit1": "007",
        "qty2": "0.5",
        "unit2": "035",
        "price": "30",
        "total_price": "60.00",
    }
    line.update(overrides)
    return line


def list_head(**overrides) -> dict:
    head = {
        "cop_no": "COP-0001",
        "order_no": "SO-0001",
        "ebp_code": PLATFORM_CODE,
        "ebp_name": "测试平台",
        "ebc_code": SELLER_CODE,
        "ebc_name": "测试卖家",
        "logistics_code": LOGISTICS_CODE,
        "logistics_name": "测试物流",
        "logistics_no": "WB0001",
        "agent_code": SELLER_CODE,
        "agent_name": "测试卖家",
        "owner_code": SELLER_CODE,
        "owner_name": "测试卖家",
        "customs_code": "2901",
        "port_code": "2901",
        "ie_date": EXPORT_DAY.isoformat(),
        "statistics_flag": "B",
        "trade_mode": "9610",
        "traf_mode": "5",
        "country": "502",
        "pod": "USLAX",
        "freight": "0",
        "f_currency": "142",
        "insured_fee": "0",
        "i_currency": "142",
        "wrap_type": "2",
        "pack_no": 1,
        "gross_weight": "1.2",
        "net_weight": "1.0",
    }
    head.update(overrides)
    return head


def list_row(items=None, **overrides) -> dict:
    """A list as the batch API takes it: the head with its lines under ``items``."""
    row = list_head(**overrides)
    row["items"] = copy.deepcopy(items) if items is not None else [item()]
    return row


def order_head(**overrides) -> dict:
    head = {
        "order_no": "SO-0001",
        "ebp_code": PLATFORM_CODE,
        "ebp_name": "测试平台",
        "ebc_code": SELLER_CODE,
        "ebc_name": "测试卖家",
        "goods_value": "60.00",
        "freight": "0",
        "currency": "142",
    }
    head.update(overrides)
    return head


def order_item(**overrides) -> dict:
    line = {
        "item_no": "SKU-1",
        "item_name": "毛绒玩具",
        "unit": "007",
        "currency": "142",
        "qty": "2",
        "price": "30",
        "total_price": "60.00",
    }
    line.update(overrides)
    return line


def payment_data(**overrides) -> dict:
    data = {
        "order_no": "SO-0001",
        "ebp_code": PLATFORM_CODE,
        "ebp_name": "测试平台",
        "ebc_code": SELLER_CODE,
        "ebc_name": "测试卖家",
        "pay_code": PAYMENT_CODE,
        "pay_name": "测试支付",
        "pay_no": "PAY-0001",
        "charge": "60.00",
        "currency": "142",
        "accounting_date": datetime(2025, 3, 2, 10, 0, tzinfo=SHANGHAI),
    }
    data.update(overrides)
    return data


def waybill_data(**overrides) -> dict:
    data = {
        "logistics_code": LOGISTICS_CODE,
        "logistics_name": "测试物流",
        "logistics_no": "WB0001",
        "freight": "10",
        "insured_fee": "0",
        "currency": "142",
        "gross_weight": "1.2",
        "pack_no": 1,
        "goods_info": "毛绒玩具",
        "ebc_code": SELLER_CODE,
        "ebc_name": "测试卖家",
    }
    data.update(overrides)
    return data


def money(value: str) -> Decimal:
    return Decimal(value)
