"""Orders, payment receipts and waybills at volume (``documents_create_bulk`` and ``…/batch/``): the same
documents, messages and checks as one by one, all or nothing, idempotent on the business key, queries that
do not grow with the rows, and each enterprise kept to its own."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from customs import payloads, services
from customs.choices import DocStatus, DocumentType
from customs.models import InventoryList, Order, OrderItem, Payment, Waybill
from customs.services import BatchRejected
from customs.services.documents import ORDERS, PAYMENTS, WAYBILLS
from exchange.models import Message
from portal.models import AuditEvent
from tests.customs.at_once import at_once
from tests.customs.builders import (
    LOGISTICS_CODE,
    PLATFORM_CODE,
    SELLER_CODE,
    item,
    list_head,
    order_head,
    order_item,
    payment_data,
    waybill_data,
)
from tests.customs.parties import enterprise, user_of

pytestmark = pytest.mark.django_db


def orders(n, start=0, **overrides):
    return [
        {**order_head(order_no=f"SO-{i:05d}", **overrides), "items": [order_item()]}
        for i in range(start, start + n)
    ]


def payments(n, start=0, **overrides):
    return [
        payment_data(order_no=f"SO-{i:05d}", pay_no=f"PAY-{i:05d}", **overrides)
        for i in range(start, start + n)
    ]


def waybills(n, start=0, **overrides):
    return [waybill_data(logistics_no=f"WB-{i:05d}", **overrides) for i in range(start, start + n)]


def bulk(kind, user, rows, *, owner=None, **kwargs):
    owner = owner or user.organisation
    return services.documents_create_bulk(kind, owner=owner, filer=None, by=user, rows=rows, **kwargs)


def written():
    return (
        Order.objects.count(),
        OrderItem.objects.count(),
        Message.objects.count(),
        AuditEvent.objects.count(),
    )


class TestOrders:
    def test_a_batch_files_what_one_by_one_files(self, seller_user, django_capture_on_commit_callbacks):
        batch = orders(3)
        batch[1]["items"].append(order_item(item_no="SKU-2"))
        batch[1]["goods_value"] = "120.00"
        with django_capture_on_commit_callbacks() as callbacks:
            result = bulk(ORDERS, seller_user, batch)
        assert (result.created, result.unchanged) == (3, 0)
        assert [key for key, _pk, _new in result.rows] == [(PLATFORM_CODE, f"SO-{i:05d}") for i in range(3)]
        found = {o.order_no: o for o in Order.objects.all()}
        second = found["SO-00001"]
        assert [o.status for o in found.values()] == [DocStatus.SUBMITTED] * 3
        assert second.owner == seller_user.organisation and second.filer == seller_user.organisation
        assert second.ebc_code == SELLER_CODE and second.items.count() == 2
        assert second.message.business_key == f"ORDER:{PLATFORM_CODE}:SO-00001:1"
        assert second.message.subject == second and second.message.message_type == "CEB303Message"
        assert AuditEvent.objects.filter(
            target_id=str(second.pk), verb="create", to_state="SUBMITTED"
        ).exists()
        assert len(callbacks) == 1  # one flush for the (type, sender)
        # the CEB303 the single path would build from the saved order
        expected = payloads.order_payload(second, second.items.order_by("gnum"), at=second.submitted_at)
        assert second.message.payload == json.loads(json.dumps(expected))

    def test_a_retried_batch_creates_nothing_twice(self, seller_user):
        first = bulk(ORDERS, seller_user, orders(3))
        before = written()
        again = bulk(ORDERS, seller_user, orders(4))  # the same three and one more
        assert (again.created, again.unchanged) == (1, 3)
        assert [pk for _k, pk, _n in again.rows][:3] == [pk for _k, pk, _n in first.rows]
        assert [new for _k, _pk, new in again.rows] == [False, False, False, True]
        assert written()[0] == before[0] + 1

    def test_one_bad_row_refuses_the_batch_and_saves_nothing(self, seller_user):
        batch = orders(4)
        batch[1]["items"][0]["price"] = "-1"
        batch[3]["currency"] = "XXX"
        with pytest.raises(BatchRejected) as excinfo:
            bulk(ORDERS, seller_user, batch)
        errors = {(i, p.field) for i, p in excinfo.value.problems if p.is_error}
        assert (1, "items[0].price") in errors and (3, "currency") in errors
        assert {i for i, _f in errors} == {1, 3}
        assert "rows[1].items[0].price" in excinfo.value.error_dict
        assert written() == (0, 0, 0, 0)

    def test_a_key_twice_in_the_batch_names_both_rows(self, seller_user):
        batch = orders(3)
        batch[2]["order_no"] = batch[0]["order_no"]
        with pytest.raises(BatchRejected) as excinfo:
            bulk(ORDERS, seller_user, batch)
        (problem,) = [p for i, p in excinfo.value.problems if i == 2]
        assert (problem.code, problem.field) == ("duplicate", "order_no")
        assert "第1行和第3行" in problem.message()  # Chinese by default
        with translation.override("en"):
            assert "rows 1 and 3" in problem.message()
        assert written() == (0, 0, 0, 0)

    def test_another_enterprises_order_is_refused_not_shown(self, seller_user):
        other = enterprise("3301960099", name="其他卖家")
        services.order_create(
            owner=other,
            by=user_of(other),
            head=order_head(order_no="SO-00001", ebc_code=""),
            items=[order_item()],
        )
        with pytest.raises(BatchRejected) as excinfo:
            bulk(ORDERS, seller_user, orders(3))
        assert [(i, p.code) for i, p in excinfo.value.problems if p.is_error] == [(1, "duplicate")]
        assert Order.objects.filter(owner=seller_user.organisation).count() == 0

    def test_the_platform_files_for_the_seller_and_an_agent_needs_an_authorisation(
        self, seller, platform, broker, authorise
    ):
        result = bulk(ORDERS, user_of(platform), orders(2, ebp_code=platform.code), owner=seller)
        assert result.created == 2
        assert set(Order.objects.values_list("filer", "party", "ebp_code")) == {
            (platform.pk, platform.pk, PLATFORM_CODE)
        }
        with pytest.raises(PermissionDenied):
            bulk(ORDERS, user_of(broker), orders(2, start=10), owner=seller)
        authorise(seller, broker, DocumentType.ORDER)
        assert bulk(ORDERS, user_of(broker), orders(2, start=10), owner=seller).created == 2

    def test_drafts_keep_the_rules_as_findings(self, seller_user):
        batch = orders(2)
        batch[0]["goods_value"] = "99.00"  # a warning: the lines sum to 60.00
        batch[1]["currency"] = "999"  # an unknown currency stops a send, not a draft
        result = bulk(ORDERS, seller_user, batch, submit=False)
        assert result.created == 2 and Message.objects.count() == 0
        states = dict(Order.objects.values_list("order_no", "check_state"))
        assert states == {"SO-00000": "warning", "SO-00001": "error"}
        assert set(Order.objects.values_list("status", flat=True)) == {DocStatus.DRAFT}

    def test_queries_do_not_grow_with_the_rows(self, seller_user):
        def count(batch):
            with CaptureQueriesContext(connection) as queries:
                bulk(ORDERS, seller_user, batch)
            return len(queries)

        count(orders(1, start=900))  # the code lists and content types read once, as in any later batch
        assert count(orders(3)) == count(orders(40, start=100))


class TestPaymentsAndWaybills:
    def test_receipts_and_waybills_go_in_and_the_lists_are_checked_again(self, seller_user, logistics):
        services.list_create(
            owner=seller_user.organisation,
            by=seller_user,
            head=list_head(order_no="SO-00000", logistics_no="WB-00000", gross_weight="1.2"),
            items=[item()],
        )
        assert InventoryList.objects.get().checks == []  # C1–C7 wait for the documents
        assert bulk(PAYMENTS, seller_user, payments(2)).created == 2
        assert bulk(ORDERS, seller_user, orders(2)).created == 2
        batch = waybills(2)
        batch[0]["gross_weight"] = "5.0"  # C5: the waybill's weight is far from the list's
        assert bulk(WAYBILLS, user_of(logistics), batch).created == 2
        assert [p["code"] for p in InventoryList.objects.get().checks] == ["C5"]
        payment = Payment.objects.get(pay_no="PAY-00001")
        assert payment.message.business_key == f"PAYMENT:{SELLER_CODE}:SO-00001:PAY-00001:1"
        assert payment.message.payload == json.loads(json.dumps(payloads.payment_payload(payment)))
        waybill = Waybill.objects.get(logistics_no="WB-00001")
        assert waybill.owner == logistics and waybill.filer == logistics
        assert waybill.message.business_key == f"WAYBILL:{LOGISTICS_CODE}:WB-00001:1"
        assert waybill.message.payload == json.loads(json.dumps(payloads.waybill_payload(waybill)))

    def test_a_retried_batch_of_receipts_answers_the_same_ids(self, seller_user):
        first = bulk(PAYMENTS, seller_user, payments(3))
        again = bulk(PAYMENTS, seller_user, payments(3))
        assert (again.created, again.unchanged) == (0, 3)
        assert [pk for _k, pk, _n in again.rows] == [pk for _k, pk, _n in first.rows]

    def test_a_waybill_of_another_carrier_code_is_not_yours(self, logistics):
        batch = waybills(2)
        batch[1]["logistics_code"] = "3301980077"
        with pytest.raises(BatchRejected) as excinfo:
            bulk(WAYBILLS, user_of(logistics), batch)
        assert [(i, p.code, p.field) for i, p in excinfo.value.problems if p.is_error] == [
            (1, "not_yours", "logistics_code")
        ]
        assert Waybill.objects.count() == 0


def test_a_batch_over_the_limit_is_refused_before_anything(seller_user, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(ValidationError) as excinfo:
        bulk(ORDERS, seller_user, [{}] * 10_001)
    assert excinfo.value.error_dict["rows"][0].code == "too_many"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and COPY: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_overlapping_batches_at_once_wait_in_order_and_create_nothing_twice(seller_user):
    """Two batches of one seller sharing 20 orders, sent at once and in opposite orders: both write in key
    order, so one waits for the other instead of deadlocking, loses on the unique index, runs again and
    finds the shared orders filed."""
    first, second = orders(40), orders(40, start=20)[::-1]
    results = at_once(lambda: bulk(ORDERS, seller_user, first), lambda: bulk(ORDERS, seller_user, second))
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted((r.created, r.unchanged) for r in results) == [(20, 20), (40, 0)]
    assert Order.objects.count() == 60 and Message.objects.count() == 60
