"""Orders, payment receipts and waybills by Excel and CEB XML: imported whole through the worker's job, each
problem on its cell in the uploader's language, the re-upload creating nothing twice, the pages and the API,
agents only for sellers that authorised them, hostile files refused."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from customs.choices import DocumentType
from customs.imports import DOCUMENT_KINDS
from customs.imports.documents import IMPORTERS
from customs.models import Order, OrderItem, Payment, Waybill
from customs.payloads import order_payload
from exchange.models import Message
from exchange.payloads import ceb_body
from portal.intake.choices import ImportStatus
from portal.intake.services import import_start, job_run
from tests.customs.builders import (
    LOGISTICS_CODE,
    PAYMENT_CODE,
    order_head,
    order_item,
    payment_data,
    waybill_data,
)
from tests.customs.parties import user_of

pytestmark = pytest.mark.django_db


def columns(key):
    return IMPORTERS[key]().columns


def workbook(key, rows: list[dict]) -> bytes:
    """A workbook of the importer's template layout: the bilingual headers, then one row per dict."""
    book = Workbook()
    sheet = book.active
    keys = [c.key for c in columns(key)]
    sheet.append([c.header for c in columns(key)])
    for row in rows:
        sheet.append([row.get(k, "") for k in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def order_rows(n, *, lines=1, start=0):
    rows = []
    for i in range(start, start + n):
        head = order_head(order_no=f"SO-I{i:05d}", goods_value=f"{60 * lines:.2f}")
        for k in range(lines):
            line = order_item(item_no=f"SKU-{k + 1}")
            row = {**(head if k == 0 else {"order_no": head["order_no"]}), **line}
            row["item_currency"] = row.pop("currency", "142") if k else line["currency"]
            if k == 0:
                row["currency"] = head["currency"]
            rows.append(row)
    return rows


def run(user, key, content: bytes, name="documents.xlsx", on_behalf_of=None):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    job = import_start(
        owner=user.organisation, by=user, kind=DOCUMENT_KINDS[key], upload=upload, on_behalf_of=on_behalf_of
    )
    return job_run(job_id=job.pk)


def problems(job):
    return list(job.problems.order_by("row", "id").values_list("row", "column", "code"))


def test_a_workbook_of_orders_is_imported_whole_and_sent(seller_user):
    rows = order_rows(2, lines=2) + order_rows(1, start=5)
    job = run(seller_user, "orders", workbook("orders", rows))
    assert job.status == ImportStatus.SUCCEEDED, problems(job)
    assert job.counts == {"created": 3, "unchanged": 0}
    order = Order.objects.get(order_no="SO-I00001")
    assert order.status == "SUBMITTED" and order.goods_value == 120
    assert list(order.items.order_by("gnum").values_list("gnum", "item_no")) == [(1, "SKU-1"), (2, "SKU-2")]
    assert Message.objects.filter(message_type="CEB303Message").count() == 3
    again = run(seller_user, "orders", workbook("orders", rows))
    assert again.counts == {"created": 0, "unchanged": 3} and Order.objects.count() == 3


def test_a_bad_cell_saves_nothing_and_the_error_workbook_points_at_it_in_the_uploaders_language(seller_user):
    seller_user.language = "en"
    seller_user.save()
    rows = order_rows(3, lines=2)
    rows[5]["ebp_name"] = "另一个平台"  # order 3, line 2 contradicts its first row
    job = run(seller_user, "orders", workbook("orders", rows))
    assert job.status == ImportStatus.REJECTED
    assert problems(job) == [(7, "ebp_name", "head_differs")]  # the sheet's row 7 is the sixth data row
    assert Order.objects.count() == OrderItem.objects.count() == Message.objects.count() == 0
    rows[5]["ebp_name"] = ""
    rows[3]["total_price"] = "61.00"  # order 2, line 2: quantity × unit price is 60.00
    rows[4]["ebp_code"] = "NOT-A-CODE"  # order 3's head: no customs or credit code
    job = run(seller_user, "orders", workbook("orders", rows))
    assert job.status == ImportStatus.REJECTED
    cells = {(row, column) for row, column, _code in problems(job)}
    assert {(5, "total_price"), (6, "ebp_code")} <= cells, problems(job)
    assert Order.objects.count() == 0
    from openpyxl.utils import get_column_letter

    letter = get_column_letter([c.key for c in columns("orders")].index("total_price") + 1)
    book = load_workbook(io.BytesIO(job.error_workbook.read()))
    assert "does not match quantity × unit price" in book["订单"][f"{letter}5"].comment.text  # in English


def test_receipts_and_waybills_one_row_each(seller_user, payer, logistics):
    receipts = [payment_data(order_no=f"SO-{i}", pay_no=f"P-{i}", pay_code=PAYMENT_CODE) for i in range(3)]
    for receipt in receipts:
        receipt["accounting_date"] = "2025-03-02 10:00:00"
    job = run(
        user_of(payer), "payments", workbook("payments", receipts), on_behalf_of=seller_user.organisation
    )
    assert job.status == ImportStatus.SUCCEEDED, problems(job)
    assert set(Payment.objects.values_list("owner", "filer", "party")) == {
        (seller_user.organisation.pk, payer.pk, payer.pk)
    }
    bills = [waybill_data(logistics_no=f"WB-I{i}") for i in range(2)]
    job = run(user_of(logistics), "waybills", workbook("waybills", bills))
    assert job.status == ImportStatus.SUCCEEDED, problems(job)
    assert set(Waybill.objects.values_list("logistics_code", flat=True)) == {LOGISTICS_CODE}


def test_a_ceb303_file_is_imported_like_a_workbook(seller_user):
    payloads = [
        order_payload(
            SimpleNamespace(**order_head(order_no=f"SO-X{i}"), note="", order_type="E"),
            [SimpleNamespace(**order_item(item_no=f"SKU-{k}"), gnum=k, item_describe="", bar_code="", note="")
             for k in (1, 2)],
        )
        for i in range(2)
    ]  # fmt: skip
    for payload in payloads:  # two lines of 60.00
        payload["parts"][0]["fields"] = [
            f if f[0] != "goodsValue" else ["goodsValue", "120.00"] for f in payload["parts"][0]["fields"]
        ]
    messages = [SimpleNamespace(payload=p, message_id=f"G{i}") for i, p in enumerate(payloads)]
    sender = SimpleNamespace(code="X", name_cn="X")
    body = ceb_body(
        envelope_id="E", message_type="CEB303Message", messages=messages, sender=sender, dxp_id="D"
    )
    job = run(seller_user, "orders", body, name="orders.xml")
    assert job.status == ImportStatus.SUCCEEDED, problems(job)
    assert Order.objects.count() == 2 and OrderItem.objects.count() == 4


XXE = b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
BOMB = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'


@pytest.mark.parametrize(("prolog", "entity"), [(BOMB, b"&b;"), (XXE, b"&xxe;")], ids=["bomb", "external"])
def test_a_hostile_ceb_file_is_refused_and_nothing_saved(logistics, prolog, entity):
    body = (
        prolog
        + b"<CEB505Message><Logistics><logisticsNo>"
        + entity
        + b"</logisticsNo></Logistics></CEB505Message>"
    )
    job = run(user_of(logistics), "waybills", body, name="waybills.xml")
    assert job.status == ImportStatus.REJECTED
    assert [code for _row, _column, code in problems(job)] == ["dtd"]
    assert "passwd" not in str(list(job.problems.values_list("params", flat=True)))
    assert Waybill.objects.count() == 0


def test_an_agent_imports_only_for_an_owner_that_authorised_it(logistics, broker, authorise):
    from django.core.exceptions import ValidationError

    content = workbook("waybills", [waybill_data(logistics_no="WB-A1")])
    with pytest.raises(ValidationError):  # no authorisation: refused at the upload, no job
        run(user_of(broker), "waybills", content, on_behalf_of=logistics)
    assert Waybill.objects.count() == 0
    authorise(logistics, broker, DocumentType.WAYBILL)
    job = run(user_of(broker), "waybills", content, on_behalf_of=logistics)
    assert job.status == ImportStatus.SUCCEEDED, problems(job)
    assert set(Waybill.objects.values_list("owner", "filer")) == {(logistics.pk, broker.pk)}


def test_the_pages_upload_and_show_the_job(client, seller_user):
    client.force_login(seller_user)
    page = client.get("/customs/orders/import/")
    assert page.status_code == 200 and "CEB303" in page.content.decode()
    assert client.get("/customs/orders/").content.decode().count('data-testid="import-documents"') == 1
    template = client.get(reverse("portal:import-template", args=[DOCUMENT_KINDS["orders"]]))
    book = load_workbook(io.BytesIO(template.content))
    assert [c.value.lstrip("*") for c in book["订单"][1]][:2] == [
        "订单编号\nOrder number",
        "电商平台代码\nPlatform code",
    ]
    upload = SimpleUploadedFile("o.xlsx", workbook("orders", order_rows(1)))
    response = client.post("/customs/orders/import/", {"file": upload})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "订单" in detail.content.decode()


def test_the_api_takes_a_kind(seller_user, api_as):
    api = api_as(seller_user)
    upload = SimpleUploadedFile("w.xlsx", workbook("waybills", [waybill_data(logistics_no="WB-P1")]))
    response = api.post("/api/v1/customs/imports/", {"file": upload, "kind": "waybills"}, format="multipart")
    assert response.status_code == 202, response.json()
    assert response.json()["kind"] == DOCUMENT_KINDS["waybills"]
    bad = api.post(
        "/api/v1/customs/imports/",
        {"file": SimpleUploadedFile("x.xlsx", b"x"), "kind": "nope"},
        format="multipart",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "kind"
