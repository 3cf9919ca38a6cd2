"""The bulk path: all or nothing, idempotent on the enterprise reference, queries that do not grow."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from customs.choices import DocStatus, DocumentType
from customs.models import InventoryItem, InventoryList
from customs.services import BatchRejected, lists_create_bulk
from exchange.models import Message
from portal.models import AuditEvent
from tests.customs.at_once import at_once
from tests.customs.builders import item, list_row
from tests.customs.parties import user_of

pytestmark = pytest.mark.django_db


def rows(n, start=0, **overrides):
    return [
        list_row(cop_no=f"C{i:06d}", order_no=f"O{i:06d}", logistics_no=f"W{i:06d}", **overrides)
        for i in range(start, start + n)
    ]


def bulk(user, batch, **kwargs):
    return lists_create_bulk(owner=user.organisation, filer=user.organisation, by=user, rows=batch, **kwargs)


def test_a_batch_creates_lists_lines_messages_and_audit(seller_user, django_capture_on_commit_callbacks):
    batch = rows(3)
    batch[1]["items"].append(item(item_no="SKU-2"))
    with django_capture_on_commit_callbacks() as callbacks:
        result = bulk(seller_user, batch)
    assert (result.created, result.unchanged) == (3, 0)
    assert [cop for cop, _pk, created in result.rows] == ["C000000", "C000001", "C000002"]
    lists = list(InventoryList.objects.order_by("cop_no"))
    assert [x.status for x in lists] == [DocStatus.SUBMITTED] * 3
    assert all(x.message_id and x.submitted_at and x.ebc_code == "3301960001" for x in lists)
    assert InventoryItem.objects.filter(inventory=lists[1]).count() == 2
    message = Message.objects.get(pk=lists[1].message_id)
    assert message.subject == lists[1] and message.business_key == "LIST:3301960001:C000001:1"
    assert len(message.payload["parts"]) == 3
    assert AuditEvent.objects.filter(target_id=str(lists[0].pk), verb="create", to_state="SUBMITTED").exists()
    assert len(callbacks) == 1  # one flush for the (type, sender)


def test_a_batch_over_the_limit_is_refused_before_anything(seller_user, django_assert_num_queries):
    batch = [{"cop_no": str(i)} for i in range(10_001)]
    with django_assert_num_queries(0), pytest.raises(ValidationError) as excinfo:
        bulk(seller_user, batch)
    assert excinfo.value.error_dict["rows"][0].code == "too_many"


def test_one_bad_row_saves_nothing(seller_user):
    batch = rows(5)
    batch[2]["net_weight"] = "9"
    batch[4]["items"][0]["price"] = "-1"
    with pytest.raises(BatchRejected) as excinfo:
        bulk(seller_user, batch)
    assert {(i, p.code, p.field) for i, p in excinfo.value.problems if p.is_error} == {
        (2, "V3", "net_weight"),
        (4, "negative", "items[0].price"),
    }
    assert set(excinfo.value.error_dict) == {"rows[2].net_weight", "rows[4].items[0].price"}
    assert (
        not InventoryList.objects.exists()
        and not Message.objects.exists()
        and not AuditEvent.objects.exists()
    )


def test_a_retried_batch_creates_nothing_twice(seller_user):
    first = bulk(seller_user, rows(4))
    again = bulk(seller_user, rows(6))  # the same four and two more
    assert (first.created, again.created, again.unchanged) == (4, 2, 4)
    assert [pk for _c, pk, _n in again.rows][:4] == [pk for _c, pk, _n in first.rows]
    assert InventoryList.objects.count() == 6 and Message.objects.count() == 6


def test_duplicates_inside_a_batch_and_taken_orders(seller_user):
    batch = rows(3)
    batch[2]["cop_no"] = batch[0]["cop_no"]
    batch[1]["order_no"] = batch[0]["order_no"]
    with pytest.raises(BatchRejected) as excinfo:
        bulk(seller_user, batch)
    assert {(i, p.code) for i, p in excinfo.value.problems} == {(2, "duplicate"), (1, "taken")}
    bulk(seller_user, rows(1))
    with pytest.raises(BatchRejected) as excinfo:
        bulk(seller_user, [list_row(cop_no="NEW", order_no="O000000")])
    assert [(i, p.code) for i, p in excinfo.value.problems] == [(0, "taken")]


def test_a_batch_refused_by_its_orders_after_its_messages_went_in_saves_nothing(seller_user):
    """Field checks and V1–V14 pass, so the outbox messages are written while the batch's orders are
    checked (PostgreSQL: in the background); a taken order then refuses the batch and nothing stays."""
    bulk(seller_user, rows(1))
    before = (InventoryList.objects.count(), Message.objects.count(), AuditEvent.objects.count())
    batch = rows(30, start=100)
    batch[17]["order_no"] = "O000000"  # the first list's order
    with pytest.raises(BatchRejected) as excinfo:
        bulk(seller_user, batch)
    assert [(i, p.code) for i, p in excinfo.value.problems if p.is_error] == [(17, "taken")]
    assert (InventoryList.objects.count(), Message.objects.count(), AuditEvent.objects.count()) == before
    assert bulk(seller_user, rows(2, start=200)).created == 2  # the connection goes on as usual


def test_an_unauthorised_agent_is_refused(seller, broker, authorise):
    agent = user_of(broker)
    with pytest.raises(PermissionDenied):
        lists_create_bulk(owner=seller, filer=broker, by=agent, rows=rows(2))
    authorise(seller, broker, DocumentType.INVENTORY)
    result = lists_create_bulk(owner=seller, filer=broker, by=agent, rows=rows(2, agent_code=""))
    assert result.created == 2 and set(InventoryList.objects.values_list("agent_code", flat=True)) == {
        "3301980004"
    }


def test_drafts_keep_rule_problems_on_their_checks(seller_user, logistics):
    from customs.services import waybill_create
    from tests.customs.builders import waybill_data

    waybill_create(
        owner=logistics, by=user_of(logistics), data=waybill_data(logistics_no="W000001", gross_weight="5")
    )
    result = bulk(seller_user, rows(2, net_weight="9"), submit=False)
    assert result.created == 2
    assert set(InventoryList.objects.values_list("status", "check_state")) == {(DocStatus.DRAFT, "error")}
    codes = {x.cop_no: {c["code"] for c in x.checks} for x in InventoryList.objects.all()}
    assert codes == {"C000000": {"V3"}, "C000001": {"V3", "C5"}}  # C1–C7 recorded on drafts too
    assert not Message.objects.exists()


def test_queries_do_not_grow_with_the_rows(seller_user):
    from django.test.utils import CaptureQueriesContext

    bulk(seller_user, rows(1, start=5000))  # the code lists and content types are cached from here on
    with CaptureQueriesContext(connection) as small:
        bulk(seller_user, rows(10))
    with CaptureQueriesContext(connection) as large:
        bulk(seller_user, rows(1000, start=10))
    assert len(small) == len(large), "\n".join(q["sql"][:100] for q in large.captured_queries)
    assert len(large) <= 20


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and COPY: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("parts", [False, True], ids=["one-part", "parts-of-3-then-5"])
def test_overlapping_batches_at_once_wait_in_order_and_create_nothing_twice(seller_user, parts, request):
    """Two batches of one seller sharing 20 references, sent at once and in opposite orders: the outbox and
    the lists are written in key order, so one waits for the other instead of deadlocking; it then loses on
    the unique index, runs again and finds the shared references unchanged (COPY errors arrive as Django's
    IntegrityError). Written in parts, each part's messages and lists in that order too."""
    if parts:
        request.getfixturevalue("in_parts")
    first, second = rows(40), rows(40, start=20)[::-1]
    results = at_once(lambda: bulk(seller_user, first), lambda: bulk(seller_user, second))
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted((r.created, r.unchanged) for r in results) == [(20, 20), (40, 0)]
    assert InventoryList.objects.count() == 60 and Message.objects.count() == 60


@pytest.fixture
def in_parts(monkeypatch):
    """The batch written in parts of 3, then 5 lists (on SQLite too: the parts are then written at once)."""
    import customs.services.bulk as module

    monkeypatch.setattr(module, "writes_in_background", lambda: True)
    monkeypatch.setattr(module, "PART_FIRST", 3)
    monkeypatch.setattr(module, "PART_ROWS", 5)
    return module


def test_in_parts_the_batch_is_written_as_whole(seller_user, in_parts):
    batch = rows(17)[::-1]  # written in reference order whatever the order given
    result = bulk(seller_user, batch)
    assert result.created == 17 and [c for c, _pk, _new in result.rows] == [r["cop_no"] for r in batch]
    lists = InventoryList.objects.select_related("message").order_by("cop_no")
    assert [x.cop_no for x in lists] == sorted(r["cop_no"] for r in batch)
    assert all(x.message.business_key == f"LIST:{x.ebc_code}:{x.cop_no}:1" for x in lists)
    assert all(x.message.subject_id == str(x.pk) for x in lists)
    assert InventoryItem.objects.count() == 17 and AuditEvent.objects.count() == 17


def test_in_parts_a_bad_row_in_a_later_part_saves_nothing_and_reports_as_whole(seller_user, in_parts):
    batch = rows(17)
    batch[2]["order_no"] = batch[14]["order_no"]  # a duplicate order found only once every part is checked
    batch[15]["net_weight"] = "9"  # V3 in the fourth part, after three parts were written
    with pytest.raises(BatchRejected) as parted:
        bulk(seller_user, batch)
    assert not InventoryList.objects.exists() and not Message.objects.exists()
    in_parts.writes_in_background = lambda: False  # the same batch checked whole
    with pytest.raises(BatchRejected) as whole:
        bulk(seller_user, batch)
    assert parted.value.problems == whole.value.problems
    assert {(i, p.code) for i, p in parted.value.problems if p.is_error} == {(14, "taken"), (15, "V3")}


def test_in_parts_keys_that_cleaning_changed_send_the_batch_through_whole(seller_user, in_parts, monkeypatch):
    """The reads go by the keys as given; should cleaning ever write one differently, the batch is rolled
    back and checked whole instead (nothing twice, nothing lost)."""
    original, whole = in_parts._raw_keys, in_parts._whole
    calls = []

    def skewed(data):
        keys = original(data)
        return {**keys, "order_no": "X" + keys["order_no"]} if data["cop_no"] == "C000007" else keys

    monkeypatch.setattr(in_parts, "_raw_keys", skewed)
    monkeypatch.setattr(in_parts, "_whole", lambda b: calls.append(len(b.prefilled)) or whole(b))
    result = bulk(seller_user, rows(12))
    assert result.created == 12 and calls == [12]  # the parts gave up on C000007; whole, once
    assert InventoryList.objects.count() == 12 and Message.objects.count() == 12


@pytest.mark.parametrize("parts", [False, True], ids=["whole", "in-parts"])
def test_errors_name_the_rows_as_given_when_some_are_already_filed(seller_user, parts, request):
    """Rows already filed are skipped, not checked: the errors of the others still name their own rows."""
    if parts:
        request.getfixturevalue("in_parts")
    bulk(seller_user, rows(2))
    batch = rows(2) + rows(6, start=2)  # rows 0 and 1 were filed above
    batch[6]["net_weight"] = "9"
    with pytest.raises(BatchRejected) as excinfo:
        bulk(seller_user, batch)
    assert [(i, p.code) for i, p in excinfo.value.problems if p.is_error] == [(6, "V3")]
    assert set(excinfo.value.error_dict) == {"rows[6].net_weight"}
