"""The fields of each document as the portal takes them in (DOMAIN §3.5), named as the model attributes.

Lengths are CEB's where the portal's columns are more generous (govmock checks CEB's: ``POD`` C..20,
``itemNo`` C..50). Code-list fields name their ``ReferenceSet`` list; HS codes and customs offices are
checked by the rules V8 and V14 instead, with their own codes.
"""

from customs.validation.fields import Fields, Spec

NAME = 100
WEIGHT_DIGITS = 9  # the weight columns are Decimal(14, 5)


def _text(name, max_length, *, required=False, default=""):
    return Spec(name, "text", required=required, max_length=max_length, default=default)


def _party(name, *, required=True):
    return Spec(name, "party", required=required)


def _code(name, length, code_list="", *, required=True):
    return Spec(name, "digits", required=required, length=length, code_list=code_list)


def _money(name, *, required=True, default=None):
    return Spec(name, "money", required=required, default=default)


def _decimal(name, *, required=True, weight=False, default=None):
    digits = WEIGHT_DIGITS if weight else 14
    return Spec(name, "decimal", required=required, int_digits=digits, default=default)


LIST_HEAD = Fields(
    (
        _text("cop_no", 30, required=True),
        _text("order_no", 60, required=True),
        _party("ebp_code"),
        _text("ebp_name", NAME, required=True),
        _party("ebc_code"),
        _text("ebc_name", NAME, required=True),
        _party("logistics_code"),
        _text("logistics_name", NAME, required=True),
        _text("logistics_no", 80, required=True),
        _party("agent_code"),
        _text("agent_name", NAME, required=True),
        _party("owner_code"),
        _text("owner_name", NAME, required=True),
        _code("customs_code", 4),  # V14
        _code("port_code", 4),  # V14
        Spec("ie_date", "date", required=True, default=None),
        Spec("ie_flag", "enum", choices=("E", "I"), default="E"),  # V13 wants E
        Spec("statistics_flag", "enum", choices=("A", "B"), default="B"),
        Spec("trade_mode", "enum", choices=("9610", "1210", "9710", "9810"), default="9610"),
        Spec("traf_mode", "text", required=True, length=1, code_list="transport_modes"),
        _text("traf_name", NAME),
        _text("voyage_no", 32),
        _text("bill_no", 37),
        _text("total_package_no", 50),
        _code("loct_no", 6, "supervised_sites", required=False),
        _text("license_no", 19),
        _code("country", 3, "countries"),
        _text("pod", 20, required=True),
        _money("freight", required=False, default=0),
        _code("f_currency", 3, "currencies", required=False),
        Spec("f_flag", "enum", choices=("1", "2", "3"), default="3"),
        _money("insured_fee", required=False, default=0),
        _code("i_currency", 3, "currencies", required=False),
        Spec("i_flag", "enum", choices=("1", "2", "3"), default="3"),
        Spec("wrap_type", "text", required=True, max_length=2, code_list="package_types"),
        Spec("pack_no", "int", low=1, high=999_999, default=1),
        _decimal("gross_weight", weight=True),
        _decimal("net_weight", weight=True),
        _text("ems_no", 30),
        _party("iac_code", required=False),
        _text("iac_name", NAME),
        _text("note", 1000),
        Spec("claims_refund", "bool", default=None),  # V12: the seller's choice, not sent
    )
)
LIST_ITEM = Fields(
    (
        Spec("gnum", "int", low=1, high=999, default=None),
        _text("item_no", 50, required=True),
        _text("item_record_no", 30),
        _text("item_name", 250),
        Spec("gcode", "text", required=True, max_length=10),  # V8 checks its form and the tariff
        _text("gname", 250, required=True),
        _text("gmodel", 250, required=True),
        _text("bar_code", 50, default="无"),
        _code("country", 3, "countries"),
        _code("currency", 3, "currencies"),
        _decimal("qty"),
        _code("unit", 3, "units"),
        _decimal("qty1"),
        _code("unit1", 3, "units"),
        _decimal("qty2", required=False),
        _code("unit2", 3, "units", required=False),
        _decimal("price"),
        _money("total_price"),
        _text("note", 1000),
    )
)

ORDER_HEAD = Fields(
    (
        _text("order_no", 60, required=True),
        _party("ebp_code"),
        _text("ebp_name", NAME, required=True),
        _party("ebc_code"),
        _text("ebc_name", NAME, required=True),
        _money("goods_value"),
        _money("freight", required=False, default=0),
        _code("currency", 3, "currencies"),
        _text("note", 1000),
    )
)
ORDER_ITEM = Fields(
    (
        Spec("gnum", "int", low=1, high=999, default=None),
        _text("item_no", 50, required=True),
        _text("item_name", 250, required=True),
        _text("item_describe", 1000),
        _text("bar_code", 50),
        _code("unit", 3, "units"),
        _code("currency", 3, "currencies"),
        _decimal("qty"),
        _decimal("price"),
        _money("total_price"),
        _text("note", 1000),
    )
)

PAYMENT = Fields(
    (
        _text("order_no", 60, required=True),
        _party("ebp_code"),
        _text("ebp_name", NAME, required=True),
        _party("ebc_code"),
        _text("ebc_name", NAME, required=True),
        _party("pay_code", required=False),
        _text("pay_name", NAME, required=True),
        _text("pay_no", 60),
        _money("charge"),
        _code("currency", 3, "currencies"),
        Spec("accounting_date", "datetime", required=True, default=None),
        _text("note", 1000),
    )
)

WAYBILL = Fields(
    (
        _party("logistics_code"),
        _text("logistics_name", NAME, required=True),
        _text("logistics_no", 80, required=True),
        _money("freight", required=False, default=0),
        _money("insured_fee", required=False, default=0),
        _code("currency", 3, "currencies"),
        _decimal("gross_weight", weight=True),
        Spec("pack_no", "int", low=1, high=999_999, default=1),
        _text("goods_info", 200, required=True),
        _party("ebc_code", required=False),
        _text("ebc_name", NAME),
        _text("ebc_telephone", 50),
        _text("note", 1000),
    )
)

_REPORT_COMMON = (
    _text("cop_no", 30, required=True),
    _code("customs_code", 4),  # checked against the customs offices like V14
    _party("logistics_code"),
    _text("logistics_name", NAME, required=True),
    Spec("traf_mode", "text", required=True, length=1, code_list="transport_modes"),
    _code("loct_no", 6, "supervised_sites", required=False),
    _text("note", 1000),
)
MASTER_BILL = Fields(
    (
        *_REPORT_COMMON,
        _party("agent_code"),
        _text("agent_name", NAME, required=True),
        _text("traf_name", NAME, required=True),
        _text("voyage_no", 32, required=True),
        _text("bill_no", 37, required=True),
        _text("domestic_traf_no", 32),
        _decimal("gross_weight", weight=True),
    )
)
ARRIVAL = Fields(
    (
        *_REPORT_COMMON,
        _party("operator_code"),
        _text("operator_name", NAME, required=True),
        _text("bill_no", 37),
        _text("domestic_traf_no", 32, required=True),
    )
)
DEPARTURE = Fields(
    (
        *_REPORT_COMMON,
        _text("traf_name", NAME),
        _text("voyage_no", 32),
        _text("bill_no", 37),
        Spec("leave_time", "datetime", required=True, default=None),
    )
)
REPORT_LINE = Fields(
    (
        _text("logistics_no", 80, required=True),
        _text("total_package_no", 50),
        Spec("invt_no", "text", length=18),
        _text("note", 1000),
    )
)
REPORT_HEADS = {"MASTER_BILL": MASTER_BILL, "ARRIVAL": ARRIVAL, "DEPARTURE": DEPARTURE}

CANCELLATION = Fields((_text("reason", 1000, required=True),))
