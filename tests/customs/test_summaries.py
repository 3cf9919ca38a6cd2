"""Monthly summary declarations (DOMAIN §3.9): grouping in the database, splitting, reservation, CEB701 and
customs' CEB702 / CEB792 answers."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customs.choices import DocStatus, SummaryStatus
from customs.models import ExportDeclaration, InventoryList, SummaryDeclaration
from customs.selectors.summaries import statistics_counts, summary_groups, summary_lists
from customs.services.summaries import summary_discard, summary_preview, summary_submit
from exchange.models import Message
from portal.models import AuditEvent
from tests.customs.parties import enterprise, user_of
from tests.customs.summary_kit import SHANGHAI, closed_list, ingest, row, summary_result, summary_return

pytestmark = pytest.mark.django_db
FEB = date(2025, 2, 1)
TODAY = date(2025, 3, 3)
SELLER = "3301960001"


@pytest.fixture
def example(seller):
    """DOMAIN §3.9's worked example: six lists closed 2025-02, consignor 3301960001, exit customs 2901."""
    tee, toy = "6109100010", "9503008900"
    return [
        closed_list(seller, row(tee, qty1="2", total="120.00")),
        closed_list(
            seller, row(tee, qty1="3", total="150.00"), row(toy, qty1="1", unit1="007", total="35.50")
        ),
        closed_list(seller, row(tee, country="303", total="60.00"), country="303"),
        closed_list(seller, row(tee, total="45.00"), traf_mode="6"),
        closed_list(seller, row(tee, currency="502", qty1="2", total="18.00")),
        closed_list(seller, row(tee, qty1="4", total="200.00"), owner_code="3307960002"),
    ]


def items_of(group):
    return sorted(
        (i.keys["country"], i.keys["gcode"], i.keys["currency"], i.qty1, i.total_price) for i in group.items
    )


def test_the_worked_example_groups_into_four_declarations(example, seller_user):
    summary = summary_preview(consignor=seller_user.organisation, month=FEB, by=seller_user, today=TODAY)
    assert summary.status == SummaryStatus.PREVIEW
    assert summary.list_count == 6 and summary.declaration_count == 4
    assert summary.deadline == date(2025, 3, 17)  # the 15th is a Saturday
    groups = {
        (g.keys["country"], g.keys["traf_mode"], g.keys["owner_code"]): g for g in summary_groups(summary)
    }
    d1 = groups[("502", "5", SELLER)]
    assert d1.lists == 3
    assert items_of(d1) == [
        ("502", "6109100010", "142", Decimal("5"), Decimal("270.00")),
        ("502", "6109100010", "502", Decimal("2"), Decimal("18.00")),
        ("502", "9503008900", "142", Decimal("1"), Decimal("35.50")),
    ]
    assert items_of(groups[("303", "5", SELLER)]) == [("303", "6109100010", "142", 1, Decimal("60.00"))]
    assert items_of(groups[("502", "6", SELLER)]) == [("502", "6109100010", "142", 1, Decimal("45.00"))]
    assert items_of(groups[("502", "5", "3307960002")]) == [
        ("502", "6109100010", "142", 4, Decimal("200.00"))
    ]
    assert d1.gross_weight == Decimal("3.6") and d1.pack_no == 3


def test_summary_flag_1_merges_producers(example, seller_user):
    summary = summary_preview(
        consignor=seller_user.organisation, month=FEB, by=seller_user, summary_flag="1", today=TODAY
    )
    assert summary.declaration_count == 3  # list 6 joins D1


def test_item_name_flag_keeps_names_apart(seller, seller_user):
    closed_list(seller, row(item_name="红T恤"), row(item_name="蓝T恤"))
    kept = summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY)
    assert len(summary_groups(kept)[0].items) == 2
    merged = summary_preview(consignor=seller, month=FEB, by=seller_user, item_name_flag=False, today=TODAY)
    assert merged.pk == kept.pk
    assert len(summary_groups(merged)[0].items) == 1


def test_grouping_is_two_queries_whatever_the_lists(seller, seller_user):
    for n in range(30):
        closed_list(seller, row(gcode=f"61091000{n % 7:02d}"), row(country="303"))
    summary = summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY)
    with CaptureQueriesContext(connection) as queries:
        groups = summary_groups(summary)
    assert len(queries) == 2
    assert sum(g.lists for g in groups) == 30


def test_split_past_the_item_limit(seller, seller_user, settings):
    settings.CUSTOMS_SUMMARY_ITEM_LIMIT = 3
    closed_list(seller, *[row(gcode=f"61091000{n:02d}") for n in range(7)])
    summary = summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY)
    assert summary.item_limit == 3 and summary.declaration_count == 3
    (group,) = summary_groups(summary)
    assert [(i.declaration, i.gnum) for i in group.items] == [
        (1, 1),
        (1, 2),
        (1, 3),
        (2, 1),
        (2, 2),
        (2, 3),
        (3, 1),
    ]


def test_only_closed_lists_of_the_month_on_path_b(seller, seller_user):
    mine = closed_list(seller)
    closed_list(seller, statistics_flag="A")
    closed_list(seller, closed_at=datetime(2025, 3, 1, 0, 0, tzinfo=SHANGHAI))  # March in Shanghai
    closed_list(seller, closed_at=datetime(2025, 1, 31, 23, 59, tzinfo=SHANGHAI))
    closed_list(seller, status=DocStatus.RELEASED)
    closed_list(enterprise("3301960009"))
    summary = summary_preview(consignor=seller, month="2025-02", by=seller_user, today=TODAY)
    assert list(summary_lists(summary)) == [mine]
    summary_submit(summary=summary, by=seller_user)
    assert list(InventoryList.objects.filter(summary=summary)) == [mine]


def test_preview_again_is_idempotent_and_takes_late_lists(seller, seller_user):
    closed_list(seller)
    first = summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY)
    again = summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY)
    assert again.pk == first.pk and again.list_count == 1
    closed_list(seller)
    assert summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY).list_count == 2
    assert SummaryDeclaration.objects.count() == 1


def test_a_list_is_in_one_live_summary_only(seller, seller_user):
    closed_list(seller)
    summary = summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY)
    summary_submit(summary=summary, by=seller_user)
    with pytest.raises(ValidationError) as caught:
        summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY)
    assert "month" in caught.value.message_dict
    assert not SummaryDeclaration.objects.filter(status=SummaryStatus.PREVIEW).exists()


def test_the_running_month_cannot_be_summarised(seller, seller_user):
    closed_list(seller)
    with pytest.raises(ValidationError) as caught:
        summary_preview(consignor=seller, month=FEB, by=seller_user, today=date(2025, 2, 27))
    assert caught.value.message_dict["month"]


def test_a_bad_month_is_a_field_error(seller, seller_user):
    with pytest.raises(ValidationError) as caught:
        summary_preview(consignor=seller, month="February", by=seller_user, today=TODAY)
    assert caught.value.message_dict["month"]


def test_another_enterprise_cannot_preview_for_the_seller(seller):
    closed_list(seller)
    stranger = user_of(enterprise("3301960008"))
    with pytest.raises(PermissionDenied):
        summary_preview(consignor=seller, month=FEB, by=stranger, today=TODAY)
    assert not SummaryDeclaration.objects.exists()


def test_a_preview_writes_nothing_on_the_lists_and_discard_starts_over(seller, seller_user):
    listed = closed_list(seller)
    summary = summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY)
    listed.refresh_from_db()
    assert listed.summary_id is None
    summary_discard(summary=summary, by=seller_user)
    assert summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY).pk != summary.pk


def test_submit_refuses_when_the_lists_changed_since_the_preview(seller, seller_user):
    closed_list(seller)
    summary = summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY)
    closed_list(seller)  # customs closed one more February list meanwhile
    with pytest.raises(ValidationError) as caught:
        summary_submit(summary=summary, by=seller_user)
    assert caught.value.code == "changed"
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.PREVIEW and not Message.objects.exists()
    assert not InventoryList.objects.filter(summary__isnull=False).exists()


def test_a_list_closed_after_a_submission_goes_into_a_new_summary(seller, seller_user):
    closed_list(seller)
    sent = summary_submit(
        summary=summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY), by=seller_user
    )
    late = closed_list(seller)
    again = summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY)
    assert again.pk != sent.pk and list(summary_lists(again)) == [late]


def test_statistics_path_counts_lists_with_flag_a(seller):
    closed_list(seller, row(total="10.00"), statistics_flag="A")
    closed_list(seller, row(total="15.00"), statistics_flag="A")
    closed_list(seller, row(total="99.00"))
    (counted,) = statistics_counts(period=FEB, owner=seller)
    assert counted["lists"] == 2 and counted["value"] == Decimal("25.00") and counted["country"] == "502"


def submitted(seller, seller_user, *lists):
    summary = summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY)
    return summary_submit(summary=summary, by=seller_user)


def test_submit_sends_ceb701_naming_each_list(seller, seller_user):
    a, b = closed_list(seller), closed_list(seller)
    summary = submitted(seller, seller_user)
    assert summary.status == SummaryStatus.SUBMITTED
    message = Message.objects.get(pk=summary.message_id)
    assert message.message_type == "CEB701Message"
    rows = [p for p in message.payload["parts"] if p["element"] == "SummaryApplyList"]
    assert [r["fields"] for r in rows] == [[["invtNo", a.invt_no]], [["invtNo", b.invt_no]]]
    head = dict(message.payload["parts"][0]["fields"])
    assert head["ebcCode"] == SELLER and head["summaryFlag"] == "2"
    assert head["startTime"] == "20250201000000" and head["endTime"] == "20250228235959"
    assert AuditEvent.objects.filter(payload__action="submit").count() == 1


def test_submit_twice_is_refused(seller, seller_user):
    closed_list(seller)
    summary = submitted(seller, seller_user)
    from portal.statemachine import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        summary_submit(summary=summary, by=seller_user)
    assert Message.objects.count() == 1


def test_customs_forms_the_declarations(seller, seller_user, django_capture_on_commit_callbacks):
    lists = [closed_list(seller), closed_list(seller, row(total="5.00")), closed_list(seller, traf_mode="6")]
    summary = submitted(seller, seller_user)
    message = Message.objects.get(pk=summary.message_id)
    ingest(summary_return(message, "2", sum_no="290120250000000001"))
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.ACCEPTED and summary.sum_no == "290120250000000001"
    ingest(summary_result(message, "290120250000000011", lists[:2], count=2))
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.ACCEPTED  # one of two declarations so far
    ingest(summary_result(message, "290120250000000012", lists[2:], seq=2, count=2))
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.DECLARED
    first = ExportDeclaration.objects.get(entry_id="290120250000000011")
    assert set(first.lists.all()) == set(lists[:2])
    (item,) = first.items.all()
    assert (item.gcode, item.qty1, item.total_price, item.list_lines) == (
        "6109100010",
        2,
        Decimal("15.00"),
        2,
    )
    assert first.total_value == Decimal("15.00") and first.traf_mode == "5" and first.pack_no == 2
    assert first.certificate_issued_at is not None and first.exported_on == date(2025, 2, 10)
    tax = Message.objects.get(message_type="tax.declaration_data", business_key="DECL:290120250000000011")
    assert tax.payload["entry_id"] == "290120250000000011"
    actions = list(
        AuditEvent.objects.filter(target_id=str(summary.pk)).values_list("payload__action", flat=True)
    )
    assert "accept" in actions and "declare" in actions


def test_a_rejected_summary_frees_its_lists(seller, seller_user):
    listed = closed_list(seller)
    summary = submitted(seller, seller_user)
    message = Message.objects.get(pk=summary.message_id)
    ingest(summary_return(message, "100", info="清单不可汇总"))
    summary.refresh_from_db()
    listed.refresh_from_db()
    assert summary.status == SummaryStatus.REJECTED and "清单不可汇总" in summary.customs_info
    assert listed.summary_id is None
    assert summary_preview(consignor=seller, month=FEB, by=seller_user, today=TODAY).list_count == 1


def test_a_result_with_a_bad_entry_id_changes_nothing(seller, seller_user):
    listed = closed_list(seller)
    summary = submitted(seller, seller_user)
    message = Message.objects.get(pk=summary.message_id)
    ingest(summary_result(message, "12345", [listed]))
    assert not ExportDeclaration.objects.exists()
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SUBMITTED


def test_an_authorised_broker_summarises_for_the_seller(seller, broker, authorise):
    closed_list(seller)
    agent = user_of(broker)
    with pytest.raises(PermissionDenied):
        summary_preview(consignor=seller, month=FEB, by=agent, today=TODAY)
    authorise(seller, broker, "SUMMARY")
    summary = summary_submit(
        summary=summary_preview(consignor=seller, month=FEB, by=agent, today=TODAY), by=agent
    )
    assert summary.owner == seller and summary.filer == broker
    head = dict(Message.objects.get(pk=summary.message_id).payload["parts"][0]["fields"])
    assert head["agentCode"] == "3301980004" and head["ebcCode"] == SELLER
    assert SummaryDeclaration.objects.visible_to(agent).count() == 1
