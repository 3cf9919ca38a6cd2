"""Building workbooks and running import jobs in tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from portal.intake.services import import_start, job_run

KIND = "tests.parcels"
HEADERS = ["包裹编号\nParcel number", "数量\nQuantity", "重量\nWeight", "申报价值\nDeclared value",
           "发货日期\nShipped on", "币制\nCurrency", "备注\nNote"]  # fmt: skip


def good_rows(n: int, start: int = 1) -> list[list]:
    return [[f"P{i:06d}", i % 7 + 1, 1.25, 10.5, "2026-03-02", "CNY", "ok"] for i in range(start, start + n)]


def xlsx(rows, *, headers=HEADERS, sheet="数据", edit=None) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    if headers is not None:
        ws.append(headers)
    for row in rows:
        ws.append(row)
    if edit is not None:
        edit(workbook, ws)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def patch_part(content: bytes, part: str, change) -> bytes:
    """The same zip with one part's bytes replaced by ``change(old_bytes)``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, change(data) if info.filename == part else data)
    return out.getvalue()


def upload(content: bytes, name: str = "parcels.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def start(user, content: bytes, name: str = "parcels.xlsx", *, kind: str = KIND):
    return import_start(owner=user.organisation, by=user, kind=kind, upload=upload(content, name))


def run(user, content: bytes, name: str = "parcels.xlsx"):
    job = start(user, content, name)
    return job_run(job_id=job.pk)


def read_back(content: bytes):
    return load_workbook(io.BytesIO(content))
