"""Monthly summary grouping (DOMAIN §3.9): which lists form which declaration, and its items.

Pure functions, no storage. Guarantees:
* lists share a declaration iff their header keys are equal: consignor ``ebcCode``, ``trafMode``,
  destination ``country`` (head), exit customs ``portCode``, and — with ``summaryFlag=2`` — the
  producer/seller ``ownerCode``;
* rows share a declaration item iff their item keys are equal: row ``country``, ``gcode``,
  ``currency`` (plus ``itemName`` with ``itemNameFlag=1``); legal units are part of the key too,
  because quantities in different units cannot be added;
* items sum ``qty1``/``qty2`` and ``totalPrice`` exactly (Decimal); declarations sum the lists'
  ``grossWeight``, ``netWeight`` and ``packNo``;
* a list is never split: when adding a list would take a declaration past ``max_items`` items, a new
  declaration with the same header is started;
* declarations, items and rows keep the order in which lists were named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

MAX_ITEMS = 50


@dataclass
class Item:
    g_no: int
    key: tuple[str, ...]
    country: str
    gcode: str
    currency: str
    item_name: str
    unit1: str
    unit2: str
    qty1: Decimal = Decimal(0)
    qty2: Decimal = Decimal(0)
    total_price: Decimal = Decimal(0)


@dataclass
class Declaration:
    header: dict[str, str]
    invt_nos: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    gross_weight: Decimal = Decimal(0)
    net_weight: Decimal = Decimal(0)
    pack_no: int = 0

    def find_item(self, key: tuple[str, ...]) -> Item | None:
        return next((item for item in self.items if item.key == key), None)


def header_key(head: dict[str, str], summary_flag: str) -> dict[str, str]:
    names = ["ebcCode", "trafMode", "country", "portCode"]
    if summary_flag == "2":
        names.insert(2, "ownerCode")
    return {name: head[name] for name in names}


def item_key(row: dict[str, str], item_name_flag: str) -> tuple[str, ...]:
    key = (row["country"], row["gcode"], row["currency"], row["unit1"], row.get("unit2", ""))
    return (*key, row.get("itemName", "")) if item_name_flag == "1" else key


def summarize(
    lists: list[dict[str, Any]], *, summary_flag: str, item_name_flag: str, max_items: int = MAX_ITEMS
) -> list[Declaration]:
    """``lists``: dicts with ``invtNo``, ``head`` and ``rows`` (CEB603 field names), in the order named."""
    declarations: list[Declaration] = []
    open_by_header: dict[tuple[str, ...], Declaration] = {}
    for listing in lists:
        header = header_key(listing["head"], summary_flag)
        key = tuple(header.values())
        declaration = open_by_header.get(key)
        if declaration is None or _would_overflow(declaration, listing["rows"], item_name_flag, max_items):
            declaration = Declaration(header=header)
            declarations.append(declaration)
            open_by_header[key] = declaration
        _add_list(declaration, listing, item_name_flag)
    return declarations


def _would_overflow(
    decl: Declaration, rows: list[dict[str, str]], item_name_flag: str, max_items: int
) -> bool:
    new_keys = {item_key(r, item_name_flag) for r in rows} - {item.key for item in decl.items}
    return bool(decl.items) and len(decl.items) + len(new_keys) > max_items


def _add_list(decl: Declaration, listing: dict[str, Any], item_name_flag: str) -> None:
    head = listing["head"]
    decl.invt_nos.append(listing["invtNo"])
    decl.gross_weight += Decimal(head["grossWeight"])
    decl.net_weight += Decimal(head["netWeight"])
    decl.pack_no += int(head["packNo"])
    for row in listing["rows"]:
        key = item_key(row, item_name_flag)
        item = decl.find_item(key)
        if item is None:
            item = Item(
                g_no=len(decl.items) + 1,
                key=key,
                country=row["country"],
                gcode=row["gcode"],
                currency=row["currency"],
                item_name=row.get("itemName", "") if item_name_flag == "1" else "",
                unit1=row["unit1"],
                unit2=row.get("unit2", ""),
            )
            decl.items.append(item)
        item.qty1 += Decimal(row["qty1"])
        item.qty2 += Decimal(row.get("qty2") or 0)
        item.total_price += Decimal(row["totalPrice"])
        decl.rows.append(
            {
                "invtNo": listing["invtNo"],
                "logisticsNo": head["logisticsNo"],
                "gnum": row["gnum"],
                "gcode": row["gcode"],
                "gNo": item.g_no,
            }
        )
