"""Inventory lists by Excel and CEB603 XML: all or nothing, the error workbook in the uploader's language,
the re-upload, the template, the pages and the API; hostile files refused with a clear reason and nothing
saved."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from customs.imports import KIND
from customs.imports.columns import COLUMNS
from customs.models import InventoryItem, InventoryList
from exchange.models import Message
from portal.intake.choices import ImportStatus
from tests.customs.imports_kit import HEADERS, ceb603, column, list_rows, run, workbook
from tests.customs.parties import user_of

pytestmark = pytest.mark.django_db


def saved():
    return InventoryList.objects.count(), InventoryItem.objects.count(), Message.objects.count()


def letter(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column(key) + 1)


@pytest.fixture
def uploader(seller):
    return user_of(seller)


@pytest.fixture
def english(uploader):
    uploader.language = "en"
    uploader.save()
    return uploader


def test_a_workbook_of_lists_is_imported_whole_and_sent(uploader):
    rows = list_rows(3, lines=2) + list_rows(1, start=9, lines=3, repeat_head=True)
    job = run(uploader, workbook(rows))
    assert job.status == ImportStatus.SUCCEEDED, list(job.problems.values_list("row", "column", "message"))
    assert job.counts == {"created": 4, "unchanged": 0}
    assert saved() == (4, 9, 4)
    lines = InventoryList.objects.get(cop_no="XL-0000009").items.order_by("gnum")
    assert [i.gnum for i in lines] == [1, 2, 3] and lines[2].item_no == "SKU-3"
    assert set(InventoryList.objects.values_list("status", flat=True)) == {"SUBMITTED"}
    again = run(uploader, workbook(rows))  # the same file again creates nothing twice
    assert again.counts == {"created": 0, "unchanged": 4} and saved() == (4, 9, 4)


def test_one_bad_row_saves_nothing_and_the_error_workbook_marks_the_cell_then_the_fix_goes_in(english):
    rows = list_rows(4, lines=2)
    rows[3][column("price")] = "0"  # list 2, line 2: V5 price must be positive
    rows[4][column("gross_weight")] = "0"  # list 3, first row: V1
    job = run(english, workbook(rows))
    assert job.status == ImportStatus.REJECTED
    assert saved() == (0, 0, 0)
    cells = set(job.problems.values_list("row", "column", "code"))
    assert (5, "price", "V5") in cells and (6, "gross_weight", "V1") in cells
    book = load_workbook(io.BytesIO(job.error_workbook.read()))
    sheet = book["清单"]
    bad = sheet[f"{letter('gross_weight')}6"]
    assert bad.fill.start_color.rgb == "FFF4C7CE"
    assert "gross weight must be more than 0 kg" in bad.comment.text
    assert sheet[f"{letter('price')}5"].comment is not None
    sheet[f"{letter('price')}5"] = "30"
    sheet[f"{letter('gross_weight')}6"] = "2.4"
    fixed = io.BytesIO()
    book.save(fixed)
    again = run(english, fixed.getvalue())
    assert again.status == ImportStatus.SUCCEEDED, list(
        again.problems.values_list("row", "column", "message")
    )
    assert saved() == (4, 8, 4)


def test_the_error_workbook_speaks_chinese_to_a_chinese_uploader(uploader):
    rows = list_rows(1)
    rows[0][column("gross_weight")] = "0"
    job = run(uploader, workbook(rows))
    cell = load_workbook(io.BytesIO(job.error_workbook.read()))["清单"][f"{letter('gross_weight')}2"]
    assert "毛重必须大于0千克。" in cell.comment.text


def test_a_head_cell_that_contradicts_the_lists_first_row_is_marked(uploader):
    rows = list_rows(1, lines=2, repeat_head=True)
    rows[1][column("order_no")] = "SO-OTHER"
    job = run(uploader, workbook(rows))
    assert job.status == ImportStatus.REJECTED
    assert list(job.problems.values_list("row", "column", "code")) == [(3, "order_no", "head_differs")]
    assert saved() == (0, 0, 0)


def test_a_duplicate_order_in_the_file_is_refused(uploader):
    rows = list_rows(2)
    rows[1][column("order_no")] = rows[0][column("order_no")]
    job = run(uploader, workbook(rows))
    assert job.status == ImportStatus.REJECTED
    assert (3, "order_no", "taken") in set(job.problems.values_list("row", "column", "code"))
    assert saved() == (0, 0, 0)


def test_an_import_issues_as_many_queries_for_many_rows_as_for_few(uploader):
    """Grouping rows into lists, the bulk path's look-ups, mapping its problems back to cells and the error
    workbook: no statement per row or per list, accepted or rejected."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def bad(rows):
        for row in rows:
            row[column("price")] = "0"  # V5 on every line: customs' problems mapped back to every row
        return rows

    run(uploader, workbook(list_rows(1, start=900)))  # code lists and content types cached from here on
    counts = []
    for rows in (list_rows(2), list_rows(40, lines=2, start=100), bad(list_rows(2, start=300)),
                 bad(list_rows(40, lines=2, start=400))):  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            job = run(uploader, workbook(rows))
        counts.append((job.status, len(queries)))
    assert [status for status, _ in counts] == [ImportStatus.SUCCEEDED] * 2 + [ImportStatus.REJECTED] * 2
    assert counts[0] == counts[1] and counts[2] == counts[3], counts


def test_dates_as_text_are_read_and_words_are_refused(uploader):
    rows = list_rows(2)
    rows[0][column("ie_date")] = "2025/03/03"
    rows[1][column("ie_date")] = "3rd of March"
    job = run(uploader, workbook(rows))
    assert job.status == ImportStatus.REJECTED
    assert list(job.problems.values_list("row", "column", "code")) == [(3, "ie_date", "not_date")]


@pytest.mark.parametrize(
    ("value", "code"),
    [("-30", "negative"), ("123456789012345678901", "too_many_digits"), ("30.123456", "too_many_decimals")],
)
def test_decimal_edge_cases_are_marked(uploader, value, code):
    rows = list_rows(1)
    rows[0][column("price")] = value
    job = run(uploader, workbook(rows))
    assert job.status == ImportStatus.REJECTED
    assert list(job.problems.values_list("column", "code")) == [("price", code)]
    assert saved() == (0, 0, 0)


def test_money_rounds_half_up_on_import(uploader):
    rows = list_rows(1)
    rows[0][column("total_price")] = "60.005"
    assert run(uploader, workbook(rows)).status == ImportStatus.SUCCEEDED
    assert str(InventoryItem.objects.get().total_price) == "60.01000"


# --- hostile files ------------------------------------------------------------------------------------------
def _refused(user, content, code, name="lists.xlsx"):
    job = run(user, content, name)
    assert job.status == ImportStatus.REJECTED
    assert list(job.problems.values_list("code", flat=True)) == [code]
    assert saved() == (0, 0, 0)
    return job


def test_a_workbook_without_the_lists_sheet_is_refused(uploader):
    def two_sheets(book, ws):
        book.create_sheet("Other")

    _refused(uploader, workbook(list_rows(1), sheet="Orders", edit=two_sheets), "missing_sheet")


def test_a_merged_header_is_refused(uploader):
    _refused(uploader, workbook(list_rows(1), edit=lambda book, ws: ws.merge_cells("A1:B1")), "merged_cells")


def test_formulas_are_refused(uploader):
    def formula(book, ws):
        ws.cell(row=2, column=column("price") + 1, value="=20+10")

    _refused(uploader, workbook(list_rows(1), edit=formula), "formula")


def test_formula_injection_is_neutralised_in_the_error_workbook(uploader):
    rows = list_rows(2)
    rows[1][column("price")] = "0"
    rows[0][column("gmodel")] = "@SUM(1+1)*cmd|' /C calc'!A0"

    def text_that_looks_like_a_formula(book, ws):
        cell = ws.cell(row=2, column=column("item_name") + 1, value='=HYPERLINK("http://evil","x")')
        cell.data_type = "s"  # typed as text: no formula in the upload, but dangerous when echoed back

    job = run(uploader, workbook(rows, edit=text_that_looks_like_a_formula))
    assert job.status == ImportStatus.REJECTED
    sheet = load_workbook(io.BytesIO(job.error_workbook.read()))["清单"]
    for key in ("item_name", "gmodel"):
        cell = sheet[f"{letter(key)}2"]
        assert cell.data_type == "s" and cell.value[0] == "'", cell.value


def test_a_million_phantom_rows_are_harmless_and_far_data_is_refused(uploader):
    def phantom(book, ws):
        ws["T1048576"].number_format = "0.00"

    assert run(uploader, workbook(list_rows(1), edit=phantom)).status == ImportStatus.SUCCEEDED
    InventoryList.objects.all().delete()

    def far(book, ws):
        ws["A1048576"] = "x"

    job = run(uploader, workbook(list_rows(1, start=5), edit=far))
    assert job.status == ImportStatus.REJECTED and InventoryList.objects.count() == 0


def test_a_zip_bomb_is_refused_before_reading(uploader):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 2**20))
    from django.core.exceptions import ValidationError

    from tests.customs.imports_kit import start

    with pytest.raises(ValidationError) as caught:
        start(uploader, out.getvalue())
    assert caught.value.error_dict["file"][0].code == "zip_bomb"
    assert saved() == (0, 0, 0)


# --- XML ----------------------------------------------------------------------------------------------------
def test_a_ceb603_file_with_many_inventory_nodes_is_imported(uploader):
    job = run(uploader, ceb603(3), "lists.xml")
    assert job.status == ImportStatus.SUCCEEDED, list(job.problems.values_list("row", "column", "message"))
    assert saved() == (3, 3, 3)
    assert InventoryList.objects.get(cop_no="XML-0000002").ie_date.isoformat() == "2025-03-03"


def test_a_bad_ceb603_node_refuses_the_file(uploader):
    def change(i, head, line):
        if i == 2:
            line["price"] = "abc"

    job = run(uploader, ceb603(3, change=change), "lists.xml")
    assert job.status == ImportStatus.REJECTED
    assert list(job.problems.values_list("row", "column", "code")) == [(2, "price", "not_decimal")]
    assert saved() == (0, 0, 0)


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
XXE = '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize("prolog", [BOMB, XXE], ids=["billion-laughs", "external-entity"])
def test_xml_bombs_and_external_entities_are_refused(uploader, prolog):
    def change(i, head, line):
        line["gname"] = "&xxe;" if "xxe" in prolog else "&lol3;"

    job = _refused(uploader, ceb603(1, change=change, prolog=prolog), "dtd", "lists.xml")
    assert "passwd" not in str(list(job.problems.values_list("params", flat=True)))


# --- template, pages, API -----------------------------------------------------------------------------------
def test_the_template_has_both_languages_lists_and_instructions(uploader, client):
    client.force_login(uploader)
    response = client.get(reverse("portal:import-template", args=[KIND]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["清单"]
    assert [c.value.lstrip("*") for c in sheet[1]] == HEADERS
    assert "商品编码\nHS code" in HEADERS
    lists = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    assert f"{letter('currency')}2" in lists and f"{letter('traf_mode')}2" in lists
    notes = book["说明 Instructions"]
    assert any("企业内部编号相同" in str(c.value) for c in notes["A"])
    assert len(COLUMNS) == len(HEADERS)


def test_the_upload_page_starts_a_job_and_the_job_page_shows_its_progress(uploader, client):
    client.force_login(uploader)
    page = client.get(reverse("customs:list-imports"))
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("lists.xlsx", workbook(list_rows(2)))
    response = client.post(reverse("customs:list-imports"), {"file": upload})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert b"data-progress-url" in detail.content and b'aria-live="polite"' in detail.content


def test_a_bad_upload_is_a_field_error_on_the_page(uploader, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.models import ImportJob

    client.force_login(uploader)
    response = client.post(
        reverse("customs:list-imports"), {"file": SimpleUploadedFile("x.xlsx", b"garbage")}
    )
    assert response.status_code == 200  # re-rendered like the portal's other forms
    assert (
        b'class="error"' in response.content
        and not ImportJob.objects.filter(owner=uploader.organisation).exists()
    )


def test_another_enterprises_job_is_not_found(uploader, client, broker):
    job = run(uploader, workbook(list_rows(1)))
    client.force_login(user_of(broker))
    assert client.get(reverse("customs:list-import", args=[job.public_id])).status_code == 404


def test_the_api_takes_an_upload_and_returns_the_job(uploader, api_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_as(uploader)
    upload = SimpleUploadedFile("lists.xml", ceb603(2))
    response = client.post("/api/v1/customs/imports/", {"file": upload}, format="multipart")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "QUEUED" and body["links"]["self"].endswith(f"/api/v1/imports/{body['id']}/")
    missing = client.post("/api/v1/customs/imports/", {}, format="multipart")
    assert missing.status_code == 400 and missing.json()["field"] == "file"


def test_a_finished_import_leads_to_the_lists_and_a_rejected_one_does_not(uploader, client):
    done = run(uploader, workbook(list_rows(1)))
    rows = list_rows(1, start=5)
    rows[0][column("gcode")] = "12345"
    rejected = run(uploader, workbook(rows))
    assert (done.status, rejected.status) == (ImportStatus.SUCCEEDED, ImportStatus.REJECTED)
    client.force_login(uploader)
    link = f'href="{reverse("customs:lists")}" data-testid="imported-lists"'
    assert link in client.get(reverse("customs:list-import", args=[done.public_id])).content.decode()
    assert link not in client.get(reverse("customs:list-import", args=[rejected.public_id])).content.decode()
