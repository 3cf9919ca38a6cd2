"""The customs documents' API through the kit: every route of orders, payment receipts, waybills and
inventory lists — anonymous, another enterprise (404), officers read and may not write (403), illegal
transitions (409), the answer's shape, queries that do not grow with the rows."""

from customs import services
from customs.choices import DocStatus
from portal.choices import Role
from tests.customs.api_kit import (
    api_list_head,
    keys,
    make_list,
    make_order,
    make_payment,
    make_waybill,
    received,
)
from tests.customs.builders import item, order_item
from tests.kit.api import Action, ScopedApiTests

COMMON = {
    "id",
    "owner",
    "filer",
    "status",
    "status_display",
    "cop_no",
    "check_state",
    "customs_status",
    "submitted_at",
    "created_at",
    "updated_at",
}
DETAIL = {"app_type", "customs_info", "customs_at", "status_changed_at", "note", "checks"}
TIMELINE = {
    "at",
    "kind",
    "title",
    "detail",
    "actor",
    "from_state",
    "to_state",
    "code",
    "tone",
    "group",
    "group_label",
}
WRITERS = (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR)
OFFICER = (Role.CUSTOMS_OFFICER,)
HIDDEN = (Role.TAX_OFFICER, Role.COMMERCE_REVIEWER)


def as_customs_has_it(doc):
    """``doc`` as customs has it (accepted by China E-Port): officers read only what was sent."""
    type(doc).objects.filter(pk=doc.pk).update(status=DocStatus.DECLARED)
    doc.refresh_from_db()
    return doc


class SentToOfficers:
    def make_read(self, owner):
        return as_customs_has_it(self.make(owner))


def sent(submit):
    return lambda kit, doc: submit(doc, kit.owner)


def withdrawn(withdraw):
    return lambda kit, doc: withdraw(doc, kit.owner)


def document_actions(submit, withdraw, create_data, update_data, batch_key):
    return (
        Action(
            "create",
            data=create_data,
            status=201,
            roles=WRITERS,
            forbidden=OFFICER,
            always_legal="a new draft has no state before it",
        ),
        Action(
            "update",
            method="put",
            data=update_data,
            roles=WRITERS,
            forbidden=OFFICER,
            illegal=sent(submit),
        ),
        Action(
            "partial_update",
            method="patch",
            data={"note": "corrected"},
            forbidden=OFFICER,
            illegal=sent(submit),
            expect={"note": "corrected"},
        ),
        Action(
            "submit",
            roles=WRITERS,
            forbidden=OFFICER,
            illegal=sent(submit),
            expect={"status": "SUBMITTED"},
        ),
        Action(
            "withdraw",
            data={"reason": "not needed"},
            forbidden=OFFICER,
            illegal=sent(submit),
            expect={"status": "WITHDRAWN"},
        ),
        Action("timeline", method="get", many=True, shape=TIMELINE, roles=(Role.ENTERPRISE_ADMIN, *OFFICER)),
        Action(
            "batch",
            data=lambda kit, doc: {batch_key: [create_data(kit), create_data(kit)]},
            status=201,
            roles=WRITERS,
            forbidden=OFFICER,
            always_legal="a batch creates new documents (those already filed are answered, not changed)",
            shape={"created", "unchanged", batch_key},
            expect={"created": 2, "unchanged": 0},
        ),
    )


# --- orders -------------------------------------------------------------------------------------------------
def _order_data(kit, obj=None):
    return {
        "order_no": keys()["order_no"],
        "ebp_code": "3301960002",
        "ebp_name": "测试平台",
        "ebc_name": "测试卖家",
        "goods_value": "60.00",
        "currency": "142",
        "items": [order_item()],
    }


class TestOrdersApi(SentToOfficers, ScopedApiTests):
    url = "/api/v1/customs/orders/"
    fields = COMMON | {"order_no", "ebp_code", "ebc_code", "goods_value", "currency"}
    detail_fields = fields | DETAIL | {"party", "order_type", "ebp_name", "ebc_name", "freight", "items"}
    readers = OFFICER
    hidden_from = HIDDEN
    actions = document_actions(
        lambda doc, by: services.order_submit(order=doc, by=by),
        lambda doc, by: services.order_withdraw(order=doc, by=by),
        _order_data,
        _order_data,
        "orders",
    )

    def make(self, owner):
        return make_order(owner)


# --- payment receipts ---------------------------------------------------------------------------------------
def _payment_data(kit, obj=None):
    return {
        "order_no": keys()["order_no"],
        "ebp_code": "3301960002",
        "ebp_name": "测试平台",
        "pay_code": "3301960005",
        "pay_name": "测试支付",
        "pay_no": "PAY-1",
        "charge": "60.00",
        "currency": "142",
        "accounting_date": "2025-03-02T10:00:00+08:00",
    }


class TestPaymentsApi(SentToOfficers, ScopedApiTests):
    url = "/api/v1/customs/payments/"
    fields = COMMON | {"order_no", "ebc_code", "pay_code", "pay_no", "charge", "currency", "accounting_date"}
    detail_fields = fields | DETAIL | {"party", "ebp_code", "ebp_name", "ebc_name", "pay_name"}
    readers = OFFICER
    hidden_from = HIDDEN
    actions = document_actions(
        lambda doc, by: services.payment_submit(payment=doc, by=by),
        lambda doc, by: services.payment_withdraw(payment=doc, by=by),
        _payment_data,
        _payment_data,
        "payments",
    )

    def make(self, owner):
        return make_payment(owner)


# --- waybills -----------------------------------------------------------------------------------------------
def _waybill_data(kit, obj=None):
    return {
        "logistics_name": "测试物流",
        "logistics_no": keys()["logistics_no"],
        "freight": "10",
        "currency": "142",
        "gross_weight": "1.2",
        "pack_no": 1,
        "goods_info": "毛绒玩具",
    }


class TestWaybillsApi(SentToOfficers, ScopedApiTests):
    url = "/api/v1/customs/waybills/"
    fields = COMMON | {"logistics_code", "logistics_no", "ebc_code", "gross_weight", "pack_no"}
    detail_fields = (
        fields
        | DETAIL
        | {"party", "logistics_name", "freight", "insured_fee", "currency", "goods_info", "ebc_name"}
        | {"ebc_telephone"}
    )
    readers = OFFICER
    hidden_from = HIDDEN
    actions = document_actions(
        lambda doc, by: services.waybill_submit(waybill=doc, by=by),
        lambda doc, by: services.waybill_withdraw(waybill=doc, by=by),
        _waybill_data,
        _waybill_data,
        "waybills",
    )

    def make(self, owner):
        return make_waybill(owner)


# --- inventory lists ----------------------------------------------------------------------------------------
LIST_ROW = COMMON | {
    "invt_no",
    "order_no",
    "ebp_code",
    "ebc_code",
    "logistics_no",
    "ie_date",
    "country",
    "total_value",
    "currency",
    "line_count",
}
LIST_DETAIL = (
    LIST_ROW
    | DETAIL
    | {"items"}
    | {
        "pre_no",
        "ebp_name",
        "ebc_name",
        "logistics_code",
        "logistics_name",
        "agent_code",
        "agent_name",
        "owner_code",
        "owner_name",
        "customs_code",
        "port_code",
        "trade_mode",
        "traf_mode",
        "traf_name",
        "voyage_no",
        "bill_no",
        "total_package_no",
        "loct_no",
        "license_no",
        "pod",
        "freight",
        "f_currency",
        "f_flag",
        "insured_fee",
        "i_currency",
        "i_flag",
        "wrap_type",
        "pack_no",
        "gross_weight",
        "net_weight",
        "statistics_flag",
        "ems_no",
        "iac_code",
        "iac_name",
        "released_at",
        "closed_at",
    }
)
INVT = "29012025E000000001"


def _list_data(kit, obj=None):
    return {**api_list_head(), "items": [item()]}


def _submit_list(doc, by):
    return services.list_submit(inventory=doc, by=by)


def _rejected(kit, doc):
    return received(_submit_list(doc, kit.owner), "100")


def _entered(kit, doc):
    return received(_submit_list(doc, kit.owner), "2", "120", invtNo=INVT)


class TestInventoryListsApi(SentToOfficers, ScopedApiTests):
    url = "/api/v1/customs/inventory-lists/"
    fields = LIST_ROW
    detail_fields = LIST_DETAIL
    readers = OFFICER
    hidden_from = HIDDEN
    actions = (
        *document_actions(
            _submit_list,
            lambda doc, by: services.list_withdraw(inventory=doc, by=by),
            _list_data,
            _list_data,
            "lists",
        ),
        Action(
            "resubmit",
            prepare=_rejected,
            data={"gross_weight": "1.3"},
            roles=WRITERS,
            forbidden=OFFICER,
            illegal=lambda kit, doc: doc,  # a draft was never rejected
            expect={"status": "SUBMITTED", "app_type": "2", "gross_weight": "1.30000"},
        ),
        Action(
            "cancel",
            prepare=_entered,
            data={"reason": "买家取消订单"},
            status=201,
            forbidden=OFFICER,
            illegal=lambda kit, doc: doc,  # a draft customs never entered
            shape={"id", "status", "status_display", "reason", "cop_no", "inventory"},
            expect={"status": "SUBMITTED", "reason": "买家取消订单"},
        ),
        Action(
            "copy",
            data=lambda kit, doc: {"cop_no": keys()["cop_no"], "changes": {"order_no": keys()["order_no"]}},
            status=201,
            roles=WRITERS,
            forbidden=OFFICER,
            always_legal="any list the caller sees can be copied into a new draft",
            expect={"status": "DRAFT"},
        ),
    )

    def make(self, owner):
        return make_list(owner)


# --- inventory-list imports ---------------------------------------------------------------------------------
def _upload(kit, obj=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.customs.imports_kit import ceb603

    return {"file": SimpleUploadedFile("lists.xml", ceb603(1))}


class TestListImportsApi(ScopedApiTests):
    url = "/api/v1/customs/imports/"
    fields = {
        "id",
        "kind",
        "file_name",
        "file_format",
        "size",
        "sha256",
        "status",
        "status_display",
        "progress",
        "counts",
        "problem_count",
        "message",
        "created_at",
        "started_at",
        "finished_at",
        "links",
        "on_behalf_of",
        "owner",
        "filer",
    }
    readers = (Role.SYSTEM_ADMIN,)  # the operator follows every organisation's imports
    hidden_from = (Role.CUSTOMS_OFFICER, Role.TAX_OFFICER)
    actions = (
        Action(
            "create",
            data=_upload,
            format="multipart",
            status=202,
            roles=WRITERS,
            forbidden=(Role.SYSTEM_ADMIN,),
            always_legal="an upload starts a new job",
            expect={"status": "QUEUED", "kind": "customs.inventory_lists"},
        ),
    )

    def make(self, owner):
        from tests.customs.imports_kit import ceb603, start

        return start(owner, ceb603(1), "lists.xml")
