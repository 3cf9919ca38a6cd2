"""Inventory-list services: drafts, the send and its pre-flight, who may file, refusals that save nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from customs import services
from customs.choices import DocStatus, DocumentType
from customs.models import InventoryItem, InventoryList, Order
from exchange.models import Message
from portal.models import AuditEvent
from portal.statemachine import TransitionNotAllowed
from registration.choices import FilingStatus
from tests.customs.builders import AGENT_CODE, SELLER_CODE, item, list_head, order_head, order_item
from tests.customs.parties import enterprise, user_of

pytestmark = pytest.mark.django_db


def create(user, owner=None, submit=False, items=None, **head):
    return services.list_create(
        owner=owner or user.organisation,
        by=user,
        head=list_head(**head),
        items=items or [item()],
        submit=submit,
    )


def field_codes(excinfo) -> dict:
    return {name: [e.code for e in errors] for name, errors in excinfo.value.error_dict.items()}


def test_a_draft_takes_the_parties_codes_from_their_standing(seller_user, broker):
    inventory = create(seller_user, ebc_code="", agent_code="")
    assert inventory.status == DocStatus.DRAFT
    assert (inventory.ebc_code, inventory.agent_code, inventory.owner_code) == (SELLER_CODE,) * 3
    assert inventory.ebc_name == seller_user.organisation.name_cn
    assert inventory.items.count() == 1
    assert inventory.total_value == Decimal("60.00") and inventory.line_count == 1
    assert AuditEvent.objects.for_object(inventory).filter(verb="create").exists()


def test_a_seller_named_by_its_credit_code_is_stored_by_its_customs_code(seller_user):
    inventory = create(seller_user, ebc_code=seller_user.organisation.code)
    assert inventory.ebc_code == SELLER_CODE


def test_another_enterprises_seller_code_is_refused(seller_user):
    with pytest.raises(ValidationError) as excinfo:
        create(seller_user, ebc_code="3301960099")
    assert field_codes(excinfo) == {"ebc_code": ["not_yours"]}
    assert not InventoryList.objects.exists()


def test_submit_sends_a_ceb603_with_the_warnings_recorded(seller_user, clock):
    clock("2025-03-03 09:00")
    inventory = create(seller_user, submit=True)
    assert inventory.status == DocStatus.SUBMITTED and inventory.app_type == "1"
    message = inventory.message
    assert message.message_type == "CEB603Message" and message.sender == seller_user.organisation
    assert message.business_key == f"LIST:{SELLER_CODE}:COP-0001:1"
    head = dict(message.payload["parts"][0]["fields"])
    assert head["appType"] == "1" and head["appTime"] == "20250303090000" and head["ieDate"] == "20250303"
    assert head["agentCode"] == SELLER_CODE
    assert message.sender_dxp_id.startswith("DXPENT")
    assert AuditEvent.objects.for_object(inventory).filter(to_state=DocStatus.SUBMITTED).exists()


def test_errors_stop_the_send_and_nothing_is_saved(seller_user):
    inventory = create(seller_user, net_weight="2")  # V3: recorded on the draft
    assert inventory.check_state == "error" and inventory.checks[0]["code"] == "V3"
    with pytest.raises(ValidationError) as excinfo:
        services.list_submit(inventory=inventory, by=seller_user)
    assert field_codes(excinfo) == {"net_weight": ["V3"]}
    inventory.refresh_from_db()
    assert inventory.status == DocStatus.DRAFT and inventory.message is None
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("freight", "-1", "negative"),
        ("freight", "12345678901234567890", "too_large"),
        ("gross_weight", "1.0000001", "decimals"),
    ],
)
def test_decimal_edges_refuse_and_leave_nothing(seller_user, field, value, code):
    with pytest.raises(ValidationError) as excinfo:
        create(seller_user, submit=True, **{field: value})
    assert field_codes(excinfo)[field] == [code]
    assert (
        not InventoryList.objects.exists()
        and not InventoryItem.objects.exists()
        and not Message.objects.exists()
    )


def test_half_a_cent_rounds_up_when_stored(seller_user):
    inventory = create(
        seller_user, items=[item(qty="1", qty1="1", price="0.005", total_price="0.005", qty2="0.1")]
    )
    assert inventory.items.get().total_price == Decimal("0.01")


def test_a_seller_without_an_active_filing_is_refused(db):
    suspended = enterprise("3301960077", status=FilingStatus.SUSPENDED)
    with pytest.raises(PermissionDenied):
        create(user_of(suspended), ebc_code="")
    no_code = enterprise("", name="无海关编码")
    with pytest.raises(PermissionDenied):
        create(user_of(no_code), ebc_code="")


def test_a_filer_without_a_dxp_id_cannot_send(db):
    org = enterprise("3301960078", dxp=False)
    inventory = create(user_of(org), ebc_code="", agent_code="")
    with pytest.raises(PermissionDenied):
        services.list_submit(inventory=inventory, by=user_of(org))


class TestAgents:
    def test_an_authorised_agent_files_in_its_own_name(self, seller, broker, authorise):
        authorise(seller, broker, DocumentType.INVENTORY)
        agent = user_of(broker)
        inventory = create(agent, owner=seller, submit=True, agent_code="")
        assert inventory.owner == seller and inventory.filer == broker
        assert inventory.agent_code == AGENT_CODE and inventory.ebc_code == SELLER_CODE
        assert inventory.message.sender == broker

    def test_an_agent_without_an_authorisation_is_refused(self, seller, broker, authorise):
        authorise(seller, broker, DocumentType.ORDER)  # another kind of document
        with pytest.raises(PermissionDenied):
            create(user_of(broker), owner=seller)
        assert not InventoryList.objects.exists()

    def test_revoked_or_expired_authorisations_stop_the_agent(self, seller, broker, authorise):
        grant = authorise(seller, broker, DocumentType.INVENTORY)
        agent = user_of(broker)
        draft = create(agent, owner=seller, agent_code="")
        grant.revoked_at = timezone.now()
        grant.save()
        with pytest.raises(PermissionDenied):
            services.list_submit(inventory=draft, by=agent)
        authorise(seller, broker, DocumentType.INVENTORY, valid_until=timezone.now() - timedelta(minutes=1))
        with pytest.raises(PermissionDenied):
            services.list_submit(inventory=draft, by=agent)
        assert InventoryList.objects.get().status == DocStatus.DRAFT

    def test_a_user_cannot_file_in_another_enterprises_name(self, seller, broker, seller_user):
        with pytest.raises(PermissionDenied):
            services.list_create(owner=seller, by=seller_user, filer=broker, head=list_head(), items=[item()])


def test_a_list_for_another_enterprises_order_is_refused(seller_user, platform):
    other = enterprise("3301960066")
    Order.objects.create(
        owner=other, filer=other, order_no="SO-0001", ebp_code=list_head()["ebp_code"], ebp_name="平台",
        ebc_code="3301960066", ebc_name="别家", goods_value=1, currency="142", cop_no="",
    )  # fmt: skip
    with pytest.raises(ValidationError) as excinfo:
        create(seller_user)
    assert field_codes(excinfo) == {"order_no": ["other_enterprise"]}


def test_one_order_one_list(seller_user):
    create(seller_user)
    with pytest.raises(ValidationError) as excinfo:
        create(seller_user, cop_no="COP-0002")
    assert field_codes(excinfo) == {"order_no": ["taken"]}
    with pytest.raises(ValidationError) as excinfo:
        create(seller_user, order_no="SO-0002")
    assert field_codes(excinfo) == {"cop_no": ["duplicate"]}


def test_withdrawing_frees_the_order(seller_user):
    first = create(seller_user)
    services.list_withdraw(inventory=first, by=seller_user)
    assert InventoryList.objects.get(pk=first.pk).status == DocStatus.WITHDRAWN
    assert create(seller_user, cop_no="COP-0002").status == DocStatus.DRAFT


def test_copy_makes_a_new_draft(seller_user):
    original = create(seller_user, submit=True)
    copy = services.list_copy(
        inventory=original,
        by=seller_user,
        cop_no="COP-0009",
        changes={"order_no": "SO-9", "logistics_no": "WB9"},
    )
    assert copy.status == DocStatus.DRAFT and copy.pk != original.pk
    assert (copy.order_no, copy.gross_weight, copy.invt_no) == ("SO-9", original.gross_weight, "")
    assert copy.items.count() == 1


def reject(inventory, code="100", info="V1 毛重必须大于0"):
    InventoryList.objects.filter(pk=inventory.pk).update(
        status=DocStatus.REJECTED, customs_status=code, customs_info=info
    )
    Message.objects.filter(pk=inventory.message_id).update(status="failed")
    inventory.refresh_from_db()
    return inventory


def test_correct_and_resubmit_in_one_step(seller_user):
    inventory = reject(create(seller_user, submit=True))
    again = services.list_resubmit(inventory=inventory, by=seller_user, head={"gross_weight": "1.5"})
    assert again.status == DocStatus.SUBMITTED and again.app_type == "2"
    assert again.gross_weight == Decimal("1.5")
    assert again.message.business_key.endswith(":2")
    assert dict(again.message.payload["parts"][0]["fields"])["appType"] == "2"


def test_a_bad_correction_changes_nothing(seller_user):
    inventory = reject(create(seller_user, submit=True))
    with pytest.raises(ValidationError):
        services.list_resubmit(inventory=inventory, by=seller_user, head={"net_weight": "5"})
    inventory.refresh_from_db()
    assert inventory.status == DocStatus.REJECTED and inventory.net_weight == Decimal("1.0")


def test_only_rejected_lists_are_resubmitted(seller_user):
    with pytest.raises(TransitionNotAllowed):
        services.list_resubmit(inventory=create(seller_user, submit=True), by=seller_user)


def test_cancellation_needs_the_customs_number_and_sends_ceb605(seller_user):
    inventory = create(seller_user, submit=True)
    InventoryList.objects.filter(pk=inventory.pk).update(status=DocStatus.DECLARED)
    with pytest.raises(ValidationError):
        services.list_cancel(inventory=inventory, by=seller_user, reason="买家取消")
    InventoryList.objects.filter(pk=inventory.pk).update(
        status=DocStatus.CONCLUDED, invt_no="29012025E000000001"
    )
    cancellation = services.list_cancel(inventory=inventory, by=seller_user, reason="买家取消订单")
    assert cancellation.status == DocStatus.SUBMITTED and cancellation.message.message_type == "CEB605Message"
    fields = dict(cancellation.message.payload["fields"])
    assert fields["invtNo"] == "29012025E000000001" and fields["reason"] == "买家取消订单"
    with pytest.raises(ValidationError):  # one at a time
        services.list_cancel(inventory=inventory, by=seller_user, reason="再次")
    with pytest.raises(ValidationError) as excinfo:
        services.list_cancel(inventory=inventory, by=seller_user, reason="")
    assert "reason" in excinfo.value.error_dict


def test_a_draft_cannot_be_cancelled(seller_user):
    with pytest.raises(TransitionNotAllowed):
        services.list_cancel(inventory=create(seller_user), by=seller_user, reason="x")


def test_a_late_order_updates_the_lists_checks(seller_user, platform):
    inventory = create(seller_user)
    assert inventory.checks == []
    services.order_create(
        owner=seller_user.organisation,
        by=seller_user,
        head=order_head(goods_value="100.00"),
        items=[order_item(), order_item(item_no="SKU-2", qty="1", price="40", total_price="40.00")],
    )
    inventory.refresh_from_db()
    assert {c["code"] for c in inventory.checks} == {"C2", "C3"}
    assert inventory.check_state == "error"


def test_release_from_inspection_is_the_inspection_seam(seller_user):
    inventory = create(seller_user, submit=True)
    InventoryList.objects.filter(pk=inventory.pk).update(status=DocStatus.INSPECTION)
    released = services.list_release_from_inspection(inventory=inventory, note="查验正常")
    assert released.status == DocStatus.RELEASED and released.released_at is not None
    event = AuditEvent.objects.for_object(inventory).latest("id")
    assert (event.from_state, event.to_state, event.reason) == (
        DocStatus.INSPECTION,
        DocStatus.RELEASED,
        "查验正常",
    )
