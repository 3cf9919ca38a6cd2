"""portal.bulk: ids reserved up front and rows written in one statement (COPY on PostgreSQL) come back
exactly as given: NULL is not the empty string, text keeps its quotes, commas, tabs and newlines, JSON and
Decimals survive, and the model's defaults fill what a row leaves out. ``update_rows`` writes fields back as
``bulk_update`` would, one statement per 1,000 rows."""

from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customs.models import Currency
from exchange.models import Message
from portal.bulk import (
    Keys,
    copies_in_background,
    gc_paused,
    insert_rows,
    reads_in_background,
    reserve_ids,
    update_rows,
)
from tests.services import postgres_in_use

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
        wrapped = {m.business_key for m in messages.filter(business_key__one_of=Keys(wanted))}
    assert found == wrapped == {"K1", "K2"}
    assert (sorted(ids), none, len(captured)) == (sorted(pks), [], 4)


def _messages(enterprise, n: int) -> list[Message]:
    rows = [
        {"message_id": f"{i:036d}", "department": "customs", "message_type": "X", "sender_id": enterprise.pk,
         "business_key": str(i), "payload": {}, "receipt_info": "before", "sent_at": timezone.now()}
        for i in range(n)
    ]  # fmt: skip
    with transaction.atomic():
        insert_rows(Message, rows)
    return list(Message.objects.order_by("pk"))


def test_update_rows_writes_each_rows_own_values(enterprise):
    messages = _messages(enterprise, 3)
    untouched = Message.objects.get(pk=messages[2].pk)
    first, second = messages[0], messages[1]
    when = timezone.now()
    first.status, first.receipt_rank, first.receipt_info = "completed", 899, 'a "quoted", \t 中文 \\N'
    first.finished_at, first.sent_at = when, None  # a value, and NULL over a value
    second.status, second.receipt_rank, second.receipt_info = "acknowledged", 2, ""  # "" stays ""
    second.outcome = "success"
    fields = ["status", "receipt_rank", "receipt_info", "finished_at", "sent_at", "outcome"]
    with transaction.atomic():
        assert update_rows(Message, [first, second], fields) == 2
    got = {m.pk: m for m in Message.objects.all()}
    assert (got[first.pk].status, got[first.pk].receipt_rank) == ("completed", 899)
    assert got[first.pk].receipt_info == first.receipt_info
    assert got[first.pk].finished_at == when and got[first.pk].sent_at is None
    assert (got[second.pk].status, got[second.pk].receipt_rank, got[second.pk].receipt_info) == (
        "acknowledged",
        2,
        "",
    )
    assert got[second.pk].outcome == "success" and got[second.pk].finished_at is None
    assert got[untouched.pk].receipt_info == "before" and got[untouched.pk].status == untouched.status
    assert got[first.pk].business_key == "0"  # fields not named are left alone


@pytest.mark.skipif(not postgres_in_use(), reason="SQLite does not enforce column lengths")
def test_update_rows_refuses_a_value_too_long_for_its_column(enterprise):
    (message,) = _messages(enterprise, 1)
    message.status = "x" * 100  # the column holds 20: the cast must not cut it silently
    with pytest.raises(DataError), transaction.atomic():
        update_rows(Message, [message], ["status"])


def test_update_rows_is_one_statement_per_thousand_rows(enterprise):
    messages = _messages(enterprise, 1500)
    for message in messages:
        message.receipt_rank = message.pk
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        update_rows(Message, messages, ["receipt_rank"])
    assert len(captured) == (2 if connection.vendor == "postgresql" else 1)  # executemany counts once
    assert not Message.objects.exclude(receipt_rank=models.F("pk")).exists()


def _message_rows(enterprise, keys, **overrides) -> list[dict]:
    return [
        {"message_id": f"{key:0>36}", "department": "customs", "message_type": "X",
         "sender_id": enterprise.pk, "business_key": key, "payload": {}, **overrides}
        for key in keys
    ]  # fmt: skip


def test_copies_in_background_write_in_order_and_queries_see_them(enterprise):
    """Chunks go to the writer thread in order; a query of this thread waits for the COPYs before it (on
    SQLite the block changes nothing, and the same holds)."""
    with transaction.atomic(), copies_in_background():
        insert_rows(Message, _message_rows(enterprise, [f"A{i}" for i in range(1200)]), chunk=500)
        assert Message.objects.filter(business_key__startswith="A").count() == 1200
        insert_rows(Message, _message_rows(enterprise, [f"B{i}" for i in range(7)]))
    keys = list(Message.objects.order_by("pk").values_list("business_key", flat=True))
    assert keys[:2] == ["A0", "A1"] and keys[-1] == "B6" and len(keys) == 1207


def test_an_error_in_a_background_copy_is_djangos_and_saves_nothing(enterprise):
    """A unique key broken by a COPY on the writer thread comes back as Django's IntegrityError when the block
    is left, and the transaction saves nothing; the connection is usable afterwards."""
    rows = _message_rows(enterprise, ["X1", "X2"])

    def twice():
        with transaction.atomic(), copies_in_background():
            insert_rows(Message, rows)
            insert_rows(Message, rows)  # the same message ids again
            insert_rows(Message, _message_rows(enterprise, ["X3"]))  # skipped after the error

    with pytest.raises(IntegrityError):
        twice()
    assert not Message.objects.exists()


@pytest.mark.skipif(not postgres_in_use(), reason="the writer thread runs on PostgreSQL only")
def test_background_copies_check_foreign_keys_at_once_then_defer_again(enterprise):
    """Inside the block a row pointing nowhere fails at its COPY (the keys are checked statement by
    statement, while this thread builds the next chunk); after it, Django's deferred checks are back."""

    def dangling():
        with transaction.atomic(), copies_in_background():
            insert_rows(Message, _message_rows(enterprise, ["F1"], subject_type_id=10**9))
            Message.objects.count()  # waits for the COPY: the error is raised here, not at commit

    with pytest.raises(IntegrityError, match="subject_type"):
        dangling()
    with transaction.atomic():
        with copies_in_background():
            pass
        insert_rows(Message, _message_rows(enterprise, ["F2"], subject_type_id=10**9))  # deferred again:
        Message.objects.filter(business_key="F2").update(subject_type=None)  # fixed before the commit
    assert Message.objects.filter(business_key="F2").exists()


@pytest.mark.skipif(not postgres_in_use(), reason="the writer thread runs on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_background_copies_need_the_callers_transaction():
    with pytest.raises(RuntimeError), copies_in_background():
        pass


def test_reads_in_background_run_after_the_copies_before_them(enterprise):
    """A function handed to ``reads_in_background`` sees the rows the COPYs before it wrote (the same
    transaction), runs on the writer thread on PostgreSQL (at once elsewhere), and its result comes back
    through the future; this thread's next query waits for it."""
    import threading

    def count():
        return Message.objects.filter(business_key__startswith="R").count(), threading.current_thread()

    with transaction.atomic(), copies_in_background():
        insert_rows(Message, _message_rows(enterprise, [f"R{i}" for i in range(1200)]), chunk=500)
        future = reads_in_background(count)
        assert Message.objects.filter(business_key="R0").exists()  # waits for the read before it
        assert future.done()
        seen, thread = future.result()
    assert seen == 1200
    assert (thread is threading.current_thread()) == (not postgres_in_use())
    assert reads_in_background(lambda: 7).result() == 7  # outside the block: at once


def test_an_error_in_a_background_read_is_raised_by_its_result(enterprise):
    from django.db import DatabaseError

    def broken():
        with connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM exchange_message")

    with pytest.raises(DatabaseError), transaction.atomic(), copies_in_background():
        reads_in_background(broken).result()
    assert not Message.objects.exists()  # the connection is usable afterwards
