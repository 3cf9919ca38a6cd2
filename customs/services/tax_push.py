"""The electronic export declaration data customs transmits to the tax bureau (DOMAIN §3.11: the paperless
报关单证明联), as the JSON message ``tax.declaration_data``; the tax bureau's COMPLETED stamps
``pushed_to_tax_at`` (``customs.summary_receipts.on_tax_receipt``)."""

from customs.payloads.base import money, number


def declaration_data(declaration, items) -> dict:
    return {
        "uscc": declaration.owner.code,
        "entry_id": declaration.entry_id,
        "customs_code": declaration.customs_code,
        "port_code": declaration.port_code,
        "ebc_code": declaration.ebc_code,
        "owner_code": declaration.owner_code,
        "country": declaration.country,
        "export_date": declaration.exported_on.isoformat() if declaration.exported_on else "",
        "declared_on": declaration.declared_on.isoformat() if declaration.declared_on else "",
        "currency": declaration.currency,
        "total_value": money(declaration.total_value),
        "items": [
            {
                "gnum": item.gnum,
                "gcode": item.gcode,
                "gname": item.gname,
                "country": item.country,
                "currency": item.currency,
                "qty1": number(item.qty1),
                "unit1": item.unit1,
                "qty2": number(item.qty2) if item.qty2 is not None else "",
                "unit2": item.unit2,
                "total_price": money(item.total_price),
            }
            for item in items
        ],
    }


def declaration_push(*, declaration):
    """Write the message in the caller's transaction (sent after commit)."""
    from exchange.services import message_enqueue

    return message_enqueue(
        message_type="tax.declaration_data",
        sender=declaration.owner,
        business_key=f"DECL:{declaration.entry_id}",
        payload=declaration_data(declaration, declaration.items.all()),
        subject=declaration,
    )
