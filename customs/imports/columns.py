"""The columns of the inventory-list workbook: one row per line of a list (CEB603 ``InventoryList``), the
list's head (``InventoryHead``) on its first row.

Rows with the same enterprise reference (``cop_no``) are one list, its lines in row order. The head's cells
may be left empty on a list's further rows; when they are filled they must say the same as its first row.
The seller's and the declaring enterprise's codes are filled in from the uploader's standing.
"""

from django.utils import timezone

from portal.intake import CODE, DATE, DECIMAL, INT, TEXT, Column

# Head columns: key = model field. Line columns: key = model field, except where the head has the same name.
LINE_KEYS = {"item_country": "country", "item_note": "note"}


def code_list(list_name: str):
    def codes():
        from customs.selectors.reference import choices

        return dict(choices(list_name, on=timezone.localdate()))

    return codes


def text_column(key, zh, en, max_length, **kw):
    return Column(key, zh, en, TEXT, max_length=max_length, **kw)


def number_column(key, zh, en, **kw):
    return Column(key, zh, en, DECIMAL, max_digits=19, decimal_places=5, **kw)


def code_column(key, zh, en, list_name, **kw):
    return Column(key, zh, en, CODE, codes=code_list(list_name), **kw)


HEAD = (
    text_column(
        "cop_no",
        "企业内部编号",
        "Enterprise reference (copNo)",
        30,
        help_zh="同一编号的各行是同一份清单",
        help_en="rows with the same reference are one list",
    ),
    text_column("order_no", "订单编号", "Order number", 60),
    text_column("ebp_code", "电商平台代码", "Platform code", 18),
    text_column("ebp_name", "电商平台名称", "Platform name", 100),
    text_column("logistics_code", "物流企业代码", "Logistics enterprise code", 18),
    text_column("logistics_name", "物流企业名称", "Logistics enterprise", 100),
    text_column("logistics_no", "物流运单编号", "Waybill number", 80),
    text_column(
        "owner_code",
        "生产销售单位代码",
        "Producer/seller code",
        18,
        help_zh="空：本企业",
        help_en="empty: your enterprise",
    ),
    text_column("owner_name", "生产销售单位名称", "Producer/seller", 100),
    text_column("customs_code", "申报地海关代码", "Declaring customs", 4),
    text_column("port_code", "出口口岸代码", "Exit customs", 4),
    Column("ie_date", "出口日期", "Export date", DATE),
    Column(
        "statistics_flag", "申报业务类型", "Summary path", CODE, codes={"A": "A 简化申报", "B": "B 汇总申报"}
    ),
    Column(
        "trade_mode",
        "贸易方式",
        "Trade mode",
        CODE,
        codes={"9610": "9610", "1210": "1210", "9710": "9710", "9810": "9810"},
    ),
    code_column("traf_mode", "运输方式", "Transport mode", "transport_modes"),
    text_column("traf_name", "运输工具名称", "Conveyance", 100),
    text_column("voyage_no", "航班航次号", "Voyage / flight", 32),
    text_column("bill_no", "提运单号", "Master bill", 37),
    text_column("loct_no", "监管场所代码", "Supervised site", 6),
    text_column("license_no", "许可证号", "Export licence", 19),
    code_column("country", "运抵国（地区）", "Destination country", "countries"),
    text_column("pod", "指运港代码", "Port of destination", 20),
    number_column("freight", "运费", "Freight"),
    code_column("f_currency", "运费币制", "Freight currency", "currencies"),
    number_column("insured_fee", "保费", "Insurance"),
    code_column("i_currency", "保费币制", "Insurance currency", "currencies"),
    code_column("wrap_type", "包装种类代码", "Package type", "package_types"),
    Column("pack_no", "件数", "Packages", INT, min_value=1, max_value=999_999),
    number_column("gross_weight", "毛重（千克）", "Gross weight (kg)"),
    number_column("net_weight", "净重（千克）", "Net weight (kg)"),
    text_column("note", "备注", "Note", 1000),
)
LINES = (
    text_column("item_no", "企业商品货号", "SKU", 50, required=True),
    text_column("item_record_no", "企业商品备案号", "Item record number", 30),
    text_column("item_name", "企业商品名称", "Item name", 250),
    text_column("gcode", "商品编码", "HS code", 10, required=True),
    text_column("gname", "商品名称", "Goods name", 250, required=True),
    text_column("gmodel", "规格型号", "Specification", 250, required=True),
    text_column("bar_code", "条形码", "Bar code", 50),
    code_column("item_country", "最终目的国（地区）", "Final destination", "countries", required=True),
    code_column("currency", "币制", "Currency", "currencies", required=True),
    number_column("qty", "申报数量", "Quantity", required=True),
    code_column("unit", "申报计量单位", "Unit", "units", required=True),
    number_column("qty1", "法定数量", "First legal quantity", required=True),
    code_column("unit1", "法定计量单位", "First legal unit", "units", required=True),
    number_column("qty2", "第二数量", "Second legal quantity"),
    code_column("unit2", "第二计量单位", "Second legal unit", "units"),
    number_column("price", "单价", "Unit price", required=True),
    number_column("total_price", "总价", "Total", required=True),
    text_column("item_note", "商品备注", "Line note", 1000),
)
COLUMNS = HEAD + LINES
HEAD_KEYS = tuple(c.key for c in HEAD)
LINE_FIELD = {c.key: LINE_KEYS.get(c.key, c.key) for c in LINES}
FIELD_COLUMN = {field: key for key, field in LINE_FIELD.items()}
