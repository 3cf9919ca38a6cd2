"""Outbox payloads for the CEB documents of one parcel, built from the govmock test builders' field lists
(tests/govmock/cebmsg.py) so both suites agree on what a valid document is."""

from tests.govmock import cebmsg

DXP = "DXPENT0000000001"


def payload(node: dict) -> dict:
    """cebmsg's node (``node``, ``head_el``, ``head``, ``row_el``, ``rows``) → the outbox's ``[name, value]``
    pairs; the guid is left to the exchange (it is the message id)."""
    head = [[k, v] for k, v in node["head"].items() if k != "guid"]
    if not node["head_el"]:
        return {"element": node["node"], "fields": head}
    parts = [{"element": node["head_el"], "fields": head}]
    parts += [{"element": node["row_el"], "fields": [[k, v] for k, v in row.items()]} for row in node["rows"]]
    return {"element": node["node"], "parts": parts}


def documents(parcel: cebmsg.Parcel) -> list[tuple[str, str, dict]]:
    """(message type, business key, payload) of the three documents customs matches."""
    return [
        ("CEB303Message", f"ORDER:{parcel.order_no}", payload(cebmsg.order(parcel))),
        ("CEB505Message", f"WAYBILL:{parcel.logistics_no}", payload(cebmsg.waybill(parcel))),
        ("CEB603Message", f"LIST:{parcel.order_no}", payload(cebmsg.inventory(parcel))),
    ]


def arrival(parcels: list[cebmsg.Parcel]) -> dict:
    return payload(cebmsg.arrival([p.logistics_no for p in parcels]))


def departure(parcels: list[cebmsg.Parcel]) -> dict:
    return payload(cebmsg.departure([p.logistics_no for p in parcels]))
