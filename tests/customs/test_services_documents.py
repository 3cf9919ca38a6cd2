"""Orders, payment receipts, waybills and parcel reports: who files them, duplicates, the send."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from customs import services
from customs.choices import PROGRESS, DocStatus, DocumentType
from customs.models import InventoryList, Order, ParcelReport, Payment, Waybill
from tests.customs.builders import (
    LOGISTICS_CODE,
    PAYMENT_CODE,
    PLATFORM_CODE,
    SELLER_CODE,
    item,
    list_head,
    order_head,
    order_item,
    payment_data,
    waybill_data,
)
from tests.customs.parties import user_of

pytestmark = pytest.mark.django_db


def codes(excinfo):
    return {name: [e.code for e in errors] for name, errors in excinfo.value.error_dict.items()}


class TestOrders:
    def test_the_seller_files_and_sends_its_order(self, seller_user, platform):
        order = services.order_create(
            owner=seller_user.organisation,
            by=seller_user,
            head=order_head(ebc_code=""),
            items=[order_item()],
            submit=True,
        )
        assert order.status == DocStatus.SUBMITTED and order.ebc_code == SELLER_CODE
        assert order.message.message_type == "CEB303Message"
        assert order.message.business_key == f"ORDER:{PLATFORM_CODE}:SO-0001:1"
        assert [p["element"] for p in order.message.payload["parts"]] == ["OrderHead", "OrderList"]

    def test_the_platform_files_for_the_seller_without_an_authorisation(self, seller, platform):
        order = services.order_create(
            owner=seller,
            by=user_of(platform),
            head=order_head(ebp_code=platform.code),
            items=[order_item()],
            submit=True,
        )
        assert order.filer == platform and order.party == platform
        assert order.ebp_code == PLATFORM_CODE  # named by its customs code
        assert order.message.sender == platform

    def test_anyone_else_needs_an_authorisation(self, seller, broker, authorise):
        with pytest.raises(PermissionDenied):
            services.order_create(owner=seller, by=user_of(broker), head=order_head(), items=[order_item()])
        authorise(seller, broker, DocumentType.ORDER)
        order = services.order_create(
            owner=seller, by=user_of(broker), head=order_head(), items=[order_item()]
        )
        assert order.filer == broker

    def test_a_duplicate_order_number_is_a_field_error(self, seller_user):
        services.order_create(
            owner=seller_user.organisation, by=seller_user, head=order_head(), items=[order_item()]
        )
        with pytest.raises(ValidationError) as excinfo:
            services.order_create(
                owner=seller_user.organisation, by=seller_user, head=order_head(), items=[order_item()]
            )
        assert codes(excinfo) == {"order_no": ["duplicate"]}
        assert Order.objects.count() == 1

    def test_withdraw_and_update(self, seller_user):
        order = services.order_create(
            owner=seller_user.organisation, by=seller_user, head=order_head(), items=[order_item()]
        )
        order = services.order_update(
            order=order,
            by=seller_user,
            head=order_head(goods_value="120.00"),
            items=[order_item(qty="4", total_price="120.00")],
        )
        assert order.items.get().qty == 4
        assert services.order_withdraw(order=order, by=seller_user).status == DocStatus.WITHDRAWN


class TestPayments:
    def test_the_payment_enterprise_files_for_the_seller(self, seller, payer):
        payment = services.payment_create(owner=seller, by=user_of(payer), data=payment_data(), submit=True)
        assert payment.party == payer and payment.pay_code == PAYMENT_CODE
        assert payment.message.message_type == "CEB403Message"
        assert dict(payment.message.payload["fields"])["accountingDate"] == "20250302100000"

    def test_a_payment_enterprise_not_named_on_it_is_refused(self, seller, payer):
        with pytest.raises(PermissionDenied):
            services.payment_create(owner=seller, by=user_of(payer), data=payment_data(pay_code="3301960044"))
        assert not Payment.objects.exists()


class TestWaybills:
    def test_the_logistics_enterprise_owns_and_files_its_waybills(self, logistics, seller):
        waybill = services.waybill_create(
            owner=logistics, by=user_of(logistics), data=waybill_data(), submit=True
        )
        assert waybill.logistics_code == LOGISTICS_CODE and waybill.message.message_type == "CEB505Message"

    def test_a_seller_cannot_file_the_carriers_waybill(self, logistics, seller_user):
        with pytest.raises(PermissionDenied):
            services.waybill_create(owner=logistics, by=seller_user, data=waybill_data())
        assert not Waybill.objects.exists()

    def test_a_late_waybill_rechecks_the_list(self, logistics, seller_user):
        inventory = services.list_create(
            owner=seller_user.organisation, by=seller_user, head=list_head(), items=[item()]
        )
        services.waybill_create(owner=logistics, by=user_of(logistics), data=waybill_data(gross_weight="3"))
        inventory.refresh_from_db()
        assert [(c["code"], c["severity"]) for c in inventory.checks] == [("C5", "warning")]
        assert inventory.check_state == "warning"


class TestParcelReports:
    def head(self, **overrides):
        return {
            "cop_no": "MB-1",
            "customs_code": "2901",
            "traf_mode": "5",
            "traf_name": "CA1234",
            "voyage_no": "CA1234",
            "bill_no": "999-12345678",
            "gross_weight": "12.5",
            "domestic_traf_no": "浙A12345",
            "leave_time": "2025-03-04 18:00:00",
            **overrides,
        }

    def test_a_master_bill_names_only_parcels_customs_has(self, logistics, seller_user):
        with pytest.raises(ValidationError) as excinfo:
            services.parcel_report_create(
                owner=logistics,
                by=user_of(logistics),
                kind="MASTER_BILL",
                head=self.head(),
                lines=[{"logistics_no": "WB0001"}],
                submit=True,
            )
        assert codes(excinfo) == {"lines[0].logistics_no": ["no_list"]}
        assert not ParcelReport.objects.exists()
        inventory = services.list_create(
            owner=seller_user.organisation, by=seller_user, head=list_head(), items=[item()]
        )
        InventoryList.objects.filter(pk=inventory.pk).update(status=PROGRESS[2])
        report = services.parcel_report_create(
            owner=logistics,
            by=user_of(logistics),
            kind="MASTER_BILL",
            head=self.head(),
            lines=[{"logistics_no": "WB0001"}],
            submit=True,
        )
        assert report.message.message_type == "CEB607Message" and report.agent_code == LOGISTICS_CODE

    @pytest.mark.parametrize(
        ("kind", "message_type"), [("ARRIVAL", "CEB507Message"), ("DEPARTURE", "CEB509Message")]
    )
    def test_arrival_and_departure(self, logistics, kind, message_type):
        report = services.parcel_report_create(
            owner=logistics,
            by=user_of(logistics),
            kind=kind,
            head=self.head(cop_no=kind),
            lines=[{"logistics_no": "WB0001"}, {"logistics_no": "WB0002"}],
            submit=True,
        )
        assert report.message.message_type == message_type
        assert [line.gnum for line in report.lines.all()] == [1, 2]
        if kind == "ARRIVAL":
            assert report.operator_code == LOGISTICS_CODE

    def test_a_parcel_twice_is_refused(self, logistics):
        with pytest.raises(ValidationError) as excinfo:
            services.parcel_report_create(
                owner=logistics,
                by=user_of(logistics),
                kind="ARRIVAL",
                head=self.head(),
                lines=[{"logistics_no": "W1"}, {"logistics_no": "W1"}],
                submit=True,
            )
        assert codes(excinfo) == {"lines[0].logistics_no": ["duplicate_parcel"]}
        assert not ParcelReport.objects.exists()
