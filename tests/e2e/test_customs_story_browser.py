"""Issue 11, in Chromium: a seller's month of parcels from an Excel upload to the certificate of its export
declaration, with a real Celery worker and beat, and govmock's customs answering over HTTP.

Through the pages (the seller, logged in):
- /customs/imports/: upload a workbook of two lists with one bad cell; the import page shows the progress
  bar, the outcome and the error workbook, which is downloaded, marks the bad cell, is fixed and
  uploaded again; the second import saves both lists and sends them;
- /customs/lists/<pk>/: each list's status as customs' receipts arrive (2 declared, waiting for its
  documents → 399 after the order, payment receipt and waybill → 800 after arrival → 899 after departure),
  with the codes explained on its timeline;
- /customs/summaries/: preview the month the lists closed in and send it, each a worker job whose progress
  bar the page shows; customs' 702/792 receipts form the export declaration. A month can be summarised
  once it has ended, and the worker and govmock run on the real clock: once the pages show 899, the lists'
  closing time is dated back into last month in the portal's and in govmock's database;
- /customs/declarations/<pk>/ and its certificate page and PDF.

Not through pages here: the order and the payment receipt (the seller's and the payment enterprise's) and
the waybill, arrival and departure reports (the logistics enterprise's) are filed with the customs services
(``order_create``, ``payment_create``, ``waybill_create``, ``parcel_report_create``) as those enterprises'
users would; orders, payments and waybills have pages of their own, tested in tests/browser; arrival and
departure reports have no page.

A second test reads the deadlines page in the browser on 20 February 2026 (the test's clock), when
January's deadline, the 15th, falls inside the Spring Festival holiday.

Screenshots of each main page go to ``var/screenshots/customs-story-*.png`` (gitignored) for a person to look
at.
"""

import io
import re
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connections
from django.utils import timezone
from openpyxl import load_workbook

from customs import services
from customs.choices import DocStatus
from customs.models import ExportDeclaration, InventoryList
from registration.choices import CalendarKind, EntityType, Subtype
from registration.models import HolidayCalendar
from tests.customs.builders import (
    LOGISTICS_CODE,
    PAYMENT_CODE,
    PLATFORM_CODE,
    SELLER_CODE,
    order_head,
    order_item,
    payment_data,
    waybill_data,
)
from tests.customs.imports_kit import column, list_rows, workbook
from tests.customs.parties import enterprise, user_of
from tests.customs.summary_kit import SHANGHAI, closed_list

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.xdist_group("browser")]

SCREENSHOTS = django_settings.BASE_DIR / "var" / "screenshots"
PASSWORD = "Customs-story-2026"
FAST = {"*": {"service_time_ms": 0, "receipt_interval_ms": 0}}
FAST_ENV = {
    "EXCHANGE_STALE_MARGIN_SECONDS": "2",
    "EXCHANGE_REQUEUE_GRACE_SECONDS": "3",
    "EXCHANGE_BATCH_WINDOW_SECONDS": "0.3",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def parties(transactional_db):
    """The seller (with a login), the platform, and the logistics and payment enterprises, all ACTIVE."""
    seller = enterprise(SELLER_CODE, name="测试卖家")
    service = EntityType.SERVICE
    found = {
        "seller": seller,
        "platform": enterprise(PLATFORM_CODE, entity_type=service, subtype=Subtype.PLATFORM, name="测试平台"),
        "logistics": enterprise(
            LOGISTICS_CODE, entity_type=service, subtype=Subtype.LOGISTICS, name="测试物流"
        ),
        "payer": enterprise(PAYMENT_CODE, entity_type=service, subtype=Subtype.PAYMENT, name="测试支付"),
    }
    user = user_of(seller)
    user.set_password(PASSWORD)
    user.save()
    found["user"] = user
    return found


@pytest.fixture(autouse=True)
def _close_connections(chromium):
    yield
    connections.close_all()


@pytest.fixture
def seller_page(chromium, live_server, parties):
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-US",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(20_000)
    # A page's first load competes with the worker, beat and govmock starting up (and, on a shared 2-core
    # machine, with everyone else): seen taking over 20 s at a load average of 20.
    context.set_default_navigation_timeout(60_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    yield page
    context.close()
    assert not problems, f"the browser reported errors: {problems}"


def _login(page, user) -> None:
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    if page.locator("#language-select").input_value() != "en":
        with page.expect_navigation():
            page.select_option("#language-select", "en")


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"customs-story-{name}.png"), full_page=True)


def _upload(page, name: str, content: bytes) -> None:
    page.goto("/customs/imports/")
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": XLSX, "buffer": content}])
    with page.expect_navigation():
        page.click("[data-testid=list-import-form] button[type=submit]")
    assert page.url.rstrip("/") != f"{page.url.split('/customs/')[0]}/customs/imports", (
        "the upload was refused"
    )


def _wait_for_import(page, timeout: float = 300) -> list[str]:
    """Watch the job page's progress bar while the page's script polls; it reloads the page when the import
    ends (no ``data-progress-url`` any more). Returns the bar's values seen on the way."""
    seen, deadline = [], time.monotonic() + timeout
    while page.locator(".import-progress[data-progress-url]").count():
        value = page.locator(".import-progress progress").get_attribute("value")
        if value is not None and (not seen or seen[-1] != value):
            seen.append(value)
        if time.monotonic() > deadline:
            raise AssertionError(f"the import did not end on the page (bar at {seen})")
        time.sleep(0.2)
    page.wait_for_selector(".import-progress:not([data-progress-url])")
    assert seen == sorted(seen, key=int), f"the bar went back: {seen}"
    assert page.locator(".import-progress progress").get_attribute("value") == "100"
    assert page.get_attribute("[data-progress-text]", "aria-live") == "polite"
    return seen


def _wait_for_job(page, timeout: float = 240) -> None:
    """A summary job's page: its bar fills while the page's script polls, and the script opens the summary
    when the job ends. A job that ended before its page was rendered has no script to follow: the page
    offers the link to the summary instead. Which of the two the seller gets depends on the worker's speed;
    both are right, so both are accepted (and nothing is read while the script is navigating)."""
    summary = re.compile(r"/customs/summaries/\d+/$")
    finished = page.locator("[data-testid=summary-job]:not([data-progress-url])")
    deadline = time.monotonic() + timeout
    while not summary.search(page.url):
        if finished.count():  # rendered finished: no script runs on this page, it stays until clicked
            link = finished.locator("a")
            assert link.count() == 1, f"the job ended without a summary: {finished.inner_text()}"
            with page.expect_navigation():
                link.click()
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"the summary job did not end on the page ({page.url})")
        time.sleep(0.2)
    page.wait_for_url(summary)
    page.wait_for_load_state()


def _bad_workbook() -> tuple[bytes, int]:
    rows = list_rows(2, start=1)
    bad = column("gcode")
    rows[1][bad] = "12345"
    return workbook(rows), bad


def _list_status(page, inventory: InventoryList) -> str:
    page.goto(f"/customs/lists/{inventory.pk}/")
    return page.get_attribute("[data-testid=document-status]", "data-status")


def _watch(page, lists, status: str, stack, timeout: float = 240) -> None:
    """Reload each list's page until it shows ``status`` (customs' receipts move it, not this test)."""
    deadline = time.monotonic() + timeout
    for inventory in lists:
        while _list_status(page, inventory) != status:
            if time.monotonic() > deadline:
                raise AssertionError(f"{inventory.cop_no} is not {status}:\n{stack.logs()}")
            time.sleep(0.5)


def _file_documents(parties, lists) -> None:
    """The order and payment receipt (seller, payment enterprise) and the waybill (logistics) of each list."""
    seller, user = parties["seller"], parties["user"]
    logistics_user, payer_user = user_of(parties["logistics"]), user_of(parties["payer"])
    for n, inventory in enumerate(lists, start=1):
        services.order_create(
            owner=seller,
            by=user,
            head=order_head(order_no=inventory.order_no),
            items=[order_item()],
            submit=True,
        )
        services.payment_create(
            owner=seller,
            by=payer_user,
            filer=parties["payer"],
            data=payment_data(order_no=inventory.order_no, pay_no=f"PAY-{n:04d}"),
            submit=True,
        )
        services.waybill_create(
            owner=parties["logistics"],
            by=logistics_user,
            data=waybill_data(logistics_no=inventory.logistics_no),
            submit=True,
        )


def _report(parties, kind: str, lists) -> None:
    head = {
        "cop_no": f"{kind[:3]}-1",
        "customs_code": "2901",
        "traf_mode": "5",
        "domestic_traf_no": "浙A12345",
        "leave_time": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
    }
    services.parcel_report_create(
        owner=parties["logistics"],
        by=user_of(parties["logistics"]),
        kind=kind,
        head=head,
        lines=[{"logistics_no": inventory.logistics_no} for inventory in lists],
        submit=True,
    )


def test_a_seller_takes_a_month_of_parcels_to_the_certificate(seller_page, parties, stack_factory, settings):
    page = seller_page
    page.on("dialog", lambda dialog: dialog.accept())  # "Send this summary to customs?"
    stack = stack_factory(
        faults=FAST, beat=True, env={**FAST_ENV, "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT)}
    )
    _login(page, parties["user"])

    # An upload with one bad cell saves nothing and gives the error workbook back.
    content, bad = _bad_workbook()
    _upload(page, "lists.xlsx", content)
    _wait_for_import(page)
    _shot(page, "import-rejected")
    problems = page.locator("[data-testid=import-problems] tbody tr")
    assert problems.count() == 1, problems.all_inner_texts()
    assert not InventoryList.objects.exists()
    with page.expect_download() as download:
        page.click(".import-progress a[download]")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book.worksheets[0]
    marked = sheet.cell(row=3, column=bad + 1)
    assert marked.value == "12345"
    assert marked.comment is not None or marked.fill.fgColor.rgb not in (None, "00000000")

    # The seller fixes the cell in the workbook it got back and uploads it again.
    marked.value = "9503008900"
    marked.comment = None
    fixed = io.BytesIO()
    book.save(fixed)
    _upload(page, "lists-fixed.xlsx", fixed.getvalue())
    # The job page shows the bar, running or (if the worker was faster than the page) finished; the page's
    # script reloads it when the job ends, so the bar is waited for (across that reload), not counted mid-way.
    page.wait_for_selector(".import-progress progress", state="attached")
    _wait_for_import(page)
    _shot(page, "import-saved")
    assert page.locator("[data-testid=import-problems]").count() == 0
    with page.expect_navigation():  # from the import to the seller's lists
        page.click("[data-testid=imported-lists]")
    assert page.locator("[data-testid=documents] tbody tr").count() == 2
    _shot(page, "lists")
    lists = list(InventoryList.objects.order_by("cop_no"))
    assert [inventory.cop_no for inventory in lists] == ["XL-0000001", "XL-0000002"]

    # Customs declares them (2), waiting for their documents; then 399, 800 on arrival, 899 on departure.
    _watch(page, lists, DocStatus.DECLARED, stack)
    _shot(page, "list-declared")
    _file_documents(parties, lists)
    _watch(page, lists, DocStatus.CONCLUDED, stack)
    _report(parties, "ARRIVAL", lists)
    _watch(page, lists, DocStatus.RELEASED, stack)
    _report(parties, "DEPARTURE", lists)
    _watch(page, lists, DocStatus.CLOSED, stack)
    timeline = page.inner_text("[data-testid=timeline]")
    _shot(page, "list-closed")
    steps = list(lists[-1].message.receipts.order_by("id").values_list("status_code", flat=True))
    assert [code for code in steps if code in ("2", "120", "399", "800", "899")] == [
        "2",
        "120",
        "399",
        "800",
        "899",
    ]
    for said in (  # each of customs' answers on the list's timeline, in words, with what to do next
        "China E-Port accepted the declaration.",
        "Customs entered the list: its order and waybill matched.",
        "Customs concluded the list.",
        "Have the logistics enterprise report the parcel's arrival",
        "Customs released the goods.",
        "Closed: the goods have left the country.",
    ):
        assert said in timeline, said

    # The month is over: the seller previews it and sends it, each a worker job whose progress the page shows.
    # The worker and govmock run on the real clock, so the lists are dated back instead: they left last month.
    last_month = timezone.localtime().replace(day=1) - timedelta(days=1)
    InventoryList.objects.filter(pk__in=[i.pk for i in lists]).update(closed_at=last_month)
    with sqlite3.connect(stack.tmp / "govmock.sqlite3") as govmock:  # customs' own record of the closing
        stamp = last_month.astimezone(UTC).isoformat(timespec="milliseconds")
        govmock.execute("UPDATE ceb_docs SET closed_at = ? WHERE closed_at IS NOT NULL", (stamp,))
    page.goto("/customs/summaries/")
    page.fill("#id_month", last_month.strftime("%Y-%m"))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    _wait_for_job(page)
    _shot(page, "summary-preview")
    with page.expect_navigation():
        page.click("form[action$='/submit/'] button")
    _wait_for_job(page)
    _shot(page, "summary-sent")

    # Customs' 702 and 792 receipts form the export declaration; its number and certificate are on the pages.
    declaration = stack.wait_for(
        lambda: ExportDeclaration.objects.filter(certificate_issued_at__isnull=False).first(),
        timeout=240,
        message="the export declaration and its certificate",
    )
    page.goto("/customs/declarations/")
    _shot(page, "declarations")
    with page.expect_navigation():
        page.click(f"text={declaration.entry_id}")
    _shot(page, "declaration")
    assert len(declaration.entry_id) == 18 and declaration.entry_id in page.inner_text("main")
    page.goto(f"/customs/declarations/{declaration.pk}/certificate/")
    _shot(page, "certificate")
    assert declaration.entry_id in page.inner_text("main")
    pdf = page.request.get(f"/customs/declarations/{declaration.pk}/certificate/?format=pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")


def test_the_deadlines_page_moves_a_15th_inside_the_spring_festival(seller_page, parties):
    """January 2026's summary is due on 15 February, inside the Spring Festival (15–23 February off,
    Saturdays 14 and 28 worked): the page, on 20 February 2026, says 24 February, due in 4 days."""
    days = dict.fromkeys(range(15, 24), CalendarKind.HOLIDAY) | {
        14: CalendarKind.MAKEUP_WORKDAY,
        28: CalendarKind.MAKEUP_WORKDAY,
    }
    for day, kind in days.items():
        HolidayCalendar.objects.update_or_create(date=date(2026, 2, day), defaults={"kind": kind})
    closed_list(parties["seller"], closed_at=datetime(2026, 1, 20, 9, 0, tzinfo=SHANGHAI))
    page = seller_page
    with time_machine.travel(datetime(2026, 2, 20, 10, 0, tzinfo=SHANGHAI), tick=True):
        _login(page, parties["user"])
        page.goto("/customs/summaries/")
        with page.expect_navigation():
            page.click("main a[href='/customs/summaries/deadlines/']")
        row = page.locator("[data-testid=summary-deadlines] tr[data-month='2026-01']")
        _shot(page, "deadlines")
        assert row.locator("[data-testid=deadline]").inner_text() == "2026-02-24"
        assert "Due in 4 days" in row.inner_text()
        assert page.locator("[data-testid=summary-deadlines] tbody tr").count() == 1
        assert "Today is 2026-02-20" in page.inner_text("main")
