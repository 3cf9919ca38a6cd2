import itertools

from django.db import transaction

from exchange import catalog
from exchange.services import message_enqueue

_keys = itertools.count(1)

ORDER_PAYLOAD = {
    "element": "Order",
    "parts": [
        {
            "element": "OrderHead",
            "fields": [
                ["appType", "1"],
                ["appTime", "20261127100000"],
                ["appStatus", "2"],
                ["orderType", "E"],
                ["orderNo", "SO-1"],
                ["currency", "142"],
            ],
        },
        {"element": "OrderList", "fields": [["gnum", 1], ["itemNo", "SKU-1"], ["itemName", "T恤"]]},
    ],
}


def enqueue(
    org, n: int = 1, *, message_type: str = "customs.registration", subject=None, payload=None, keys=None
):
    """``n`` messages from ``org``; business keys are unique unless ``keys`` says otherwise."""
    keys = keys or [f"KEY-{next(_keys)}" for _ in range(n)]
    dxp = "DXPENT0000000001" if catalog.message_type(message_type).fmt == "ceb" else ""
    with transaction.atomic():
        return [
            message_enqueue(
                message_type=message_type,
                sender=org,
                business_key=key,
                payload=payload if payload is not None else {"uscc": org.code, "name_cn": org.name_cn},
                subject=subject,
                sender_dxp_id=dxp,
            )
            for key in keys
        ]
