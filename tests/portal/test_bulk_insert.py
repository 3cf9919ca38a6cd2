"""portal.bulk: ids reserved up front and rows written in one statement (COPY on PostgreSQL) come back
exactly as given: NULL is not the empty string, text keeps its quotes, commas, tabs and newlines, JSON and
Decimals survive, and the model's defaults fill what a row leaves out."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customs.models import Currency
from exchange.models import Message
from portal.bulk import gc_paused, insert_rows, reserve_ids

pytestmark = pytest.mark.django_db


def test_rows_round_trip(enterprise):
    tricky = 'a "quoted", comma\ttab\nnew line \\N and 中文'
    with transaction.atomic():
        ids = reserve_ids(Message, 3)
        assert len(set(ids)) == 3
        insert_rows(
            Message,
            [
                {
                    "id": ids[0],
                    "message_id": "A" * 36,
                    "department": "customs",
                    "message_type": "CEB603Message",
                    "sender_id": enterprise.pk,
                    "business_key": tricky,
                    "payload": {"fields": [["note", tricky], ["n", Decimal("1.50")]], "none": None},
                },
                {"id": ids[1], "message_id": "B" * 36, "department": "customs", "message_type": "X",
                 "sender_id": enterprise.pk, "business_key": "", "payload": {}, "receipt_info": ""},
                {"id": ids[2], "message_id": "C" * 36, "department": "customs", "message_type": "X",
                 "sender_id": enterprise.pk, "business_key": "k", "payload": []},
            ],
        )  # fmt: skip
    first, second, third = Message.objects.filter(pk__in=ids).order_by("pk")
    assert first.business_key == tricky
    assert first.payload == {"fields": [["note", tricky], ["n", "1.50"]], "none": None}
    assert first.envelope_id is None and first.subject_type_id is None  # NULL stays NULL
    assert second.business_key == "" and second.receipt_info == ""  # "" stays ""
    assert first.status == "pending" and first.receipt_rank == 0 and first.created_at is not None  # defaults
    assert third.payload == []
    assert reserve_ids(Message, 1)[0] > max(ids)  # never handed out twice


def test_decimals_dates_and_booleans(db):
    with transaction.atomic():
        insert_rows(
            Currency,
            [
                {
                    "code": "999",
                    "iso": "XTS",
                    "name_cn": "测试",
                    "valid_from": timezone.localdate(),
                    "valid_to": None,
                }
            ],
        )
    currency = Currency.objects.get(code="999")
    assert currency.valid_to is None and currency.name_en == ""


def test_one_statement_whatever_the_rows(enterprise):
    rows = [
        {"message_id": f"{i:036d}", "department": "customs", "message_type": "X", "sender_id": enterprise.pk,
         "business_key": str(i), "payload": {}}
        for i in range(500)
    ]  # fmt: skip
    with transaction.atomic(), CaptureQueriesContext(connection) as captured, gc_paused():
        insert_rows(Message, rows)
    assert len(captured) <= 1  # executemany (SQLite) counts once; COPY (PostgreSQL) is not seen at all
    assert Message.objects.count() == 500


def test_the_one_of_lookup_looks_up_any_number_of_keys_in_one_statement(enterprise):
    """40,000 keys: past SQLite's 32,766 parameters, one statement all the same, and exact."""
    rows = [
        {"message_id": f"{i:036d}", "department": "customs", "message_type": "X", "sender_id": enterprise.pk,
         "business_key": f"K{i}", "payload": {}}
        for i in range(3)
    ]  # fmt: skip
    with transaction.atomic():
        insert_rows(Message, rows)
    wanted = [f"K{i}" for i in range(1, 40_000)] + ["k0", 'K"2\\', "中文"]
    pks = list(Message.objects.values_list("pk", flat=True))
    messages = Message.objects.all()
    with CaptureQueriesContext(connection) as captured:
        found = {m.business_key for m in messages.filter(business_key__one_of=wanted)}
        ids = [m.pk for m in messages.filter(pk__one_of=[*pks, 10**12])]
        none = list(messages.filter(business_key__one_of=[]))
    assert found == {"K1", "K2"}
    assert (sorted(ids), none, len(captured)) == (sorted(pks), [], 3)
