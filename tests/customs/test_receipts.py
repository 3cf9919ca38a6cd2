"""Customs receipts drive the documents: statuses, customs' numbers and stamps, rejections with reasons,
superseded messages, cancellations, the inspection seam, digests, and batches in bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from customs import services
from customs.choices import DocStatus
from customs.models import InventoryList
from customs.signals import list_held
from customs.timeline import customs_timeline
from portal.models import AuditEvent, Notification
from tests.customs.builders import item, list_head, list_row
from tests.customs.receipts_kit import ingest
from tests.customs.receipts_kit import item as receipt

pytestmark = pytest.mark.django_db
INVT = "29012025E000000001"


def sent_list(user, **head):
    return services.list_create(
        owner=user.organisation, by=user, head=list_head(**head), items=[item()], submit=True
    )


def fresh(obj):
    obj.refresh_from_db()
    return obj


def test_a_list_goes_2_120_399_800_899(seller_user):
    inventory = sent_list(seller_user)
    message = inventory.message
    ingest(receipt(message, "2", "新增申报成功", preNo="B20250303000000001"))
    assert fresh(inventory).status == DocStatus.DECLARED and inventory.pre_no == "B20250303000000001"
    ingest(receipt(message, "120", "海关入库成功", invtNo=INVT))
    assert fresh(inventory).status == DocStatus.ENTERED and inventory.invt_no == INVT
    ingest(receipt(message, "399", "海关审结"))
    assert fresh(inventory).status == DocStatus.CONCLUDED
    ingest(receipt(message, "800", "放行"))
    assert fresh(inventory).status == DocStatus.RELEASED and inventory.released_at is not None
    ingest(receipt(message, "899", "结关"))
    assert fresh(inventory).status == DocStatus.CLOSED and inventory.closed_at is not None
    assert (inventory.customs_status, inventory.customs_info) == ("899", "结关")
    moves = list(AuditEvent.objects.for_object(inventory).order_by("id").values_list("to_state", flat=True))
    assert moves[-5:] == ["DECLARED", "ENTERED", "CONCLUDED", "RELEASED", "CLOSED"]
    assert not Notification.objects.exists()  # normal progress: no notification


def test_a_batch_with_several_receipts_of_one_list_moves_it_step_by_step(seller_user):
    inventory = sent_list(seller_user)
    m = inventory.message
    ingest(receipt(m, "2"), receipt(m, "120", invtNo=INVT), receipt(m, "399"))
    assert fresh(inventory).status == DocStatus.CONCLUDED and inventory.invt_no == INVT
    steps = (
        AuditEvent.objects.for_object(inventory).filter(verb="transition").values_list("to_state", flat=True)
    )
    assert list(steps.order_by("id"))[-3:] == ["DECLARED", "ENTERED", "CONCLUDED"]


@pytest.mark.parametrize(
    ("code", "info"), [("100", "V1 毛重必须大于0"), ("-304001", "重复申报"), ("4", "发送海关失败")]
)
def test_rejections_keep_the_reason_and_notify_once_per_seller(seller_user, code, info):
    inventory = sent_list(seller_user)
    ingest(receipt(inventory.message, code, info))
    assert fresh(inventory).status == DocStatus.REJECTED
    assert (inventory.customs_status, inventory.customs_info) == (code, info)
    (note,) = Notification.objects.filter(recipient=seller_user)
    assert note.verb == "customs.list.reject"


def test_a_format_error_ceb900_rejects(seller_user):
    inventory = sent_list(seller_user)
    ingest(receipt(inventory.message, "-900", "报文格式错误 InventoryHead/appTime"))
    assert fresh(inventory).status == DocStatus.REJECTED and inventory.customs_status == "-900"


def test_detention_is_final(seller_user):
    inventory = sent_list(seller_user)
    ingest(receipt(inventory.message, "399"), receipt(inventory.message, "501", "扣留移送通关"))
    assert fresh(inventory).status == DocStatus.DETAINED


def test_a_digest_counts_a_sellers_rejections(seller_user):
    lists = services.lists_create_bulk(
        owner=seller_user.organisation,
        filer=seller_user.organisation,
        by=seller_user,
        rows=[list_row(cop_no=f"C{i}", order_no=f"O{i}") for i in range(3)],
    )
    messages = [InventoryList.objects.get(pk=pk).message for _c, pk, _n in lists.rows]
    ingest(*[receipt(m, "100", "V1") for m in messages])
    (note,) = Notification.objects.filter(recipient=seller_user)
    assert note.title == "海关退回了您的3份申报清单"  # in the recipient's language


def test_inspection_fires_the_seam_and_the_inspection_app_releases(seller_user):
    inventory = sent_list(seller_user)
    held = []
    list_held.connect(lambda sender, list_ids, **kw: held.extend(list_ids), weak=False, dispatch_uid="t-held")
    try:
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            ingest(receipt(inventory.message, "399"), receipt(inventory.message, "500", "查验"))
    finally:
        list_held.disconnect(dispatch_uid="t-held")
    assert held == [inventory.pk] and fresh(inventory).status == DocStatus.INSPECTION
    from customs.selectors import held_for_inspection

    assert list(held_for_inspection()) == [inventory]
    services.list_release_from_inspection(inventory=inventory, note="查验通过")
    ingest(receipt(inventory.message, "800", "放行"))  # customs' own release changes nothing more
    assert fresh(inventory).status == DocStatus.RELEASED and inventory.customs_status == "800"


def test_a_superseded_message_is_ignored(seller_user):
    inventory = sent_list(seller_user)
    old = inventory.message
    ingest(receipt(old, "100", "V1"))
    again = services.list_resubmit(inventory=fresh(inventory), by=seller_user)
    ingest(receipt(old, "-304001", "late answer to the old message"))
    assert fresh(again).status == DocStatus.SUBMITTED and again.customs_status == "100"
    ingest(receipt(again.message, "2"))
    assert fresh(again).status == DocStatus.DECLARED


def test_cancellation_concluded_cancels_the_list(seller_user):
    inventory = sent_list(seller_user)
    ingest(receipt(inventory.message, "2"), receipt(inventory.message, "120", invtNo=INVT))
    cancellation = services.list_cancel(inventory=fresh(inventory), by=seller_user, reason="买家取消")
    ingest(receipt(cancellation.message, "2"))
    assert fresh(inventory).status == DocStatus.ENTERED
    ingest(receipt(cancellation.message, "399", "撤销成功"))
    assert fresh(cancellation).status == DocStatus.CONCLUDED
    assert fresh(inventory).status == DocStatus.CANCELLED
    assert AuditEvent.objects.for_object(inventory).filter(to_state="CANCELLED", reason="买家取消").exists()


def test_a_refused_cancellation_leaves_the_list(seller_user):
    inventory = sent_list(seller_user)
    ingest(receipt(inventory.message, "120", invtNo=INVT))
    cancellation = services.list_cancel(inventory=fresh(inventory), by=seller_user, reason="x")
    ingest(receipt(cancellation.message, "100", "清单已结关"))
    assert fresh(cancellation).status == DocStatus.REJECTED and fresh(inventory).status == DocStatus.ENTERED


def test_orders_end_at_120(seller_user, platform):
    from tests.customs.builders import order_head, order_item

    order = services.order_create(
        owner=seller_user.organisation, by=seller_user, head=order_head(), items=[order_item()], submit=True
    )
    ingest(receipt(order.message, "2"), receipt(order.message, "120"))
    assert fresh(order).status == DocStatus.ENTERED and order.customs_status == "120"


def test_the_timeline_explains_each_code(seller_user, customs_officer):
    inventory = sent_list(seller_user)
    ingest(receipt(inventory.message, "100", "V1 毛重必须大于0"))
    with translation.override("en"):
        (entry,) = customs_timeline(fresh(inventory), seller_user)
        assert entry.title == "Customs rejected the list: V1 毛重必须大于0"
        assert entry.detail == "Correct the marked fields and resubmit the list."
        assert entry.code == "" and entry.technical == [] and entry.raw_url == ""  # plain words
        (officer,) = customs_timeline(inventory, customs_officer)
        assert officer.code == "100" and ("returnStatus", "100") in officer.technical and officer.raw_url
    with translation.override("zh-hans"):
        (entry,) = customs_timeline(inventory, seller_user)
        assert entry.title == "海关退单：V1 毛重必须大于0"
        assert entry.detail == "请更正标出的字段后重新申报清单。"


@pytest.mark.parametrize("n", [10, 100])
def test_a_receipt_batch_needs_the_same_queries_for_10_or_100_lists(seller_user, n):
    rows = [list_row(cop_no=f"C{i}", order_no=f"O{i}") for i in range(n)]
    result = services.lists_create_bulk(
        owner=seller_user.organisation, filer=seller_user.organisation, by=seller_user, rows=rows
    )
    messages = [x.message for x in InventoryList.objects.filter(pk__in=[pk for _c, pk, _n in result.rows])]
    batch = [receipt(m, "120", invtNo=f"29012025E{i:09d}") for i, m in enumerate(messages)]
    with CaptureQueriesContext(connection) as captured:
        counts = ingest(*batch)
    assert counts["applied"] == n
    assert InventoryList.objects.filter(status=DocStatus.ENTERED).count() == n
    # tests/effects (a test-only observer of every receipt) writes one row per receipt: not ours to count
    ours = [q["sql"] for q in captured.captured_queries if "test_effects" not in q["sql"]]
    assert len(ours) <= 30, "\n".join(q[:90] for q in ours)


def test_a_message_the_department_refused_rejects_the_document(seller_user):
    from customs.receipts import on_failure
    from exchange.models import Message

    inventory = sent_list(seller_user)
    Message.objects.filter(pk=inventory.message_id).update(
        status="failed", last_error="400 malformed envelope"
    )
    inventory.refresh_from_db()
    on_failure(inventory, inventory.message)
    assert (
        fresh(inventory).status == DocStatus.REJECTED and inventory.customs_info == "400 malformed envelope"
    )
    stale = inventory.message
    services.list_resubmit(inventory=inventory, by=seller_user)
    on_failure(fresh(inventory), stale)  # a failure of the superseded message changes nothing
    assert inventory.status == DocStatus.SUBMITTED
