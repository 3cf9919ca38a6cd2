from django.db import transaction

from exchange.services import message_enqueue

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


def enqueue(org, n: int = 1, *, message_type: str = "customs.registration", subject=None, payload=None):
    with transaction.atomic():
        return [
            message_enqueue(
                message_type=message_type,
                sender=org,
                business_key=f"KEY-{i}",
                payload=payload if payload is not None else {"uscc": org.code, "name_cn": org.name_cn},
                subject=subject,
            )
            for i in range(n)
        ]
