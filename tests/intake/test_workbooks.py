"""The template and the shared formula neutraliser; the progress include."""

import io

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from portal.intake import CODE, Column, Importer
from portal.intake.workbooks import build_template
from portal.spreadsheets import neutralise, xlsx_value
from tests.intake.helpers import good_rows, run, xlsx
from tests.intake_app.importer import ParcelImporter


def test_the_template_has_bilingual_headers_lists_and_instructions():
    book = load_workbook(io.BytesIO(build_template(ParcelImporter())))
    data = book["数据"]
    assert data["A1"].value == "*包裹编号\nParcel number"
    assert data["C1"].value == "重量\nWeight"
    assert data.freeze_panes == "A2"
    lists = [v for v in data.data_validations.dataValidation if v.type == "list"]
    assert len(lists) == 1
    assert lists[0].formula1 == '"CNY,USD,EUR"'
    assert "F2" in str(lists[0].sqref)
    instructions = book["说明 Instructions"]
    cells = [c.value for row in instructions.iter_rows() for c in row if c.value]
    assert "Parcel number" in cells and "包裹编号" in cells and "是 Yes" in cells


def test_a_long_code_list_goes_to_a_hidden_sheet():
    class Long(Importer):
        columns = (Column("hs", "商品编码", "HS code", CODE, codes=[f"{i:010d}" for i in range(300)]),)

    book = load_workbook(io.BytesIO(build_template(Long())))
    assert book["代码 Codes"].sheet_state == "hidden"
    validation = book["数据"].data_validations.dataValidation[0]
    assert validation.formula1 == "'代码 Codes'!$A$2:$A$301"


def test_a_filled_template_imports(enterprise_admin):
    book = load_workbook(io.BytesIO(build_template(ParcelImporter())))
    for row in good_rows(3):
        book["数据"].append(row)
    out = io.BytesIO()
    book.save(out)
    assert run(enterprise_admin, out.getvalue()).status == "SUCCEEDED"


def test_the_template_download_needs_a_login_and_a_known_kind(client, enterprise_admin):
    url = reverse("portal:import-template", args=["tests.parcels"])
    assert client.get(url).status_code == 302
    client.force_login(enterprise_admin)
    assert client.get(url).status_code == 200
    assert client.get(reverse("portal:import-template", args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("\x00=cmd", "'=cmd"), ("\x01+1", "'+1"), ("ok", "ok"), (-5, -5), ("", None)],
)
def test_control_characters_are_stripped_before_the_formula_check(value, expected):
    assert xlsx_value(value) == expected


def test_the_neutraliser_leaves_numbers_alone():
    assert neutralise(3.5) == 3.5
    assert neutralise("-3") == "'-3"


def test_the_progress_include_polls_while_running_and_links_the_error_workbook(enterprise_admin):
    rows = good_rows(2)
    rows[0][1] = "x"
    job = run(enterprise_admin, xlsx(rows))
    request = RequestFactory().get("/")
    request.user = enterprise_admin
    html = Template("{% load portal_tags %}{% import_progress job %}").render(
        Context({"job": job, "request": request})
    )
    assert "data-progress-url" not in html  # finished: nothing to poll
    assert reverse("portal:import-error-workbook", args=[job.public_id]) in html
    assert 'role="status"' in html and "<progress" in html
    job.status = "RUNNING"
    html = Template("{% load portal_tags %}{% import_progress job %}").render(Context({"job": job}))
    assert f'data-progress-url="{reverse("portal:import-progress", args=[job.public_id])}"' in html


def test_the_progress_include_names_the_counts_in_words(enterprise_admin):
    from django.utils import translation

    job = run(enterprise_admin, xlsx(good_rows(2)))
    job.counts = {"created": 2, "unchanged": 0, "other": 1}
    with translation.override("en"):
        html = Template("{% load portal_tags %}{% import_progress job %}").render(Context({"job": job}))
    assert "<li>Saved as new: 2</li>" in html and "<li>Already there, unchanged: 0</li>" in html
    assert "<li>other: 1</li>" in html and "created" not in html
    with translation.override("zh-hans"):
        html = Template("{% load portal_tags %}{% import_progress job %}").render(Context({"job": job}))
    assert "Saved as new" not in html
