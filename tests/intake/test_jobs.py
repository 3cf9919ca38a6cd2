"""Import jobs end to end in one process: all or nothing, problems in the reader's language, scoping,
progress while saving, recovery after a dead worker, audit of every status change."""

import io
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from portal.intake import services
from portal.intake.choices import ImportStatus
from portal.intake.services import import_cancel, job_run, jobs_sweep
from portal.models import AuditEvent, ImportJob
from portal.statemachine import TransitionNotAllowed
from tests.intake.helpers import good_rows, run, start, xlsx
from tests.intake_app.importer import ParcelImporter
from tests.intake_app.models import Parcel


@pytest.fixture(autouse=True)
def broker():
    """The broker, replaced: these tests run jobs in-process with ``job_run``."""
    with mock.patch("portal.intake.tasks.run_import.apply_async") as publish:
        yield publish


def test_a_good_file_is_imported_whole(enterprise_admin, django_capture_on_commit_callbacks):
    job = run(enterprise_admin, xlsx(good_rows(25)))
    assert job.status == ImportStatus.SUCCEEDED
    assert job.counts == {"created": 25}
    assert job.rows_total == 25
    assert Parcel.objects.filter(owner=enterprise_admin.organisation).count() == 25
    parcel = Parcel.objects.get(number="P000001")
    assert parcel.weight == Decimal("1.250") and parcel.value == Decimal("10.50")
    states = list(
        AuditEvent.objects.for_object(job).order_by("id").values_list("verb", "from_state", "to_state")
    )
    assert states == [
        ("upload", "", "QUEUED"),
        ("transition", "QUEUED", "RUNNING"),
        ("transition", "RUNNING", "SUCCEEDED"),
    ]


def test_the_upload_is_enqueued_after_commit_only(
    enterprise_admin, django_capture_on_commit_callbacks, broker
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start(enterprise_admin, xlsx(good_rows(1)))
    assert len(callbacks) == 1
    broker.assert_not_called()
    callbacks[0]()
    broker.assert_called_once_with(args=[job.pk], queue="default")


def test_an_upload_is_stored_privately_with_its_hash(enterprise_admin):
    content = xlsx(good_rows(1))
    job = start(enterprise_admin, content)
    import hashlib

    assert job.sha256 == hashlib.sha256(content).hexdigest()
    assert job.size == len(content)
    with pytest.raises(ValueError, match="permission-checked"):
        job.upload.url  # noqa: B018


def test_one_bad_row_saves_nothing_and_marks_the_cell_in_the_uploaders_language(enterprise_admin):
    rows = good_rows(5)
    rows[2][1] = "many"  # row 4 of the sheet: quantity is not a whole number
    job = run(enterprise_admin, xlsx(rows))
    assert job.status == ImportStatus.REJECTED
    assert job.problem_count == 1
    assert Parcel.objects.count() == 0
    problem = job.problems.get()
    assert (problem.row, problem.column, problem.code) == (4, "quantity", "not_int")
    book = load_workbook(io.BytesIO(job.error_workbook.read()))
    sheet = book["数据"]
    cell = sheet["B4"]
    assert cell.value == "many"
    assert cell.fill.start_color.rgb == "FFF4C7CE"
    assert "整数" in cell.comment.text  # the uploader reads Chinese
    assert sheet["H1"].value == "问题\nProblems"
    assert sheet["A1"].value == "包裹编号\nParcel number"
    assert "数量 Quantity" in sheet["H4"].value
    assert sheet["H3"].value is None


def test_the_error_workbook_speaks_english_to_an_english_uploader(enterprise_admin):
    enterprise_admin.language = "en"
    enterprise_admin.save()
    rows = good_rows(2)
    rows[0][4] = "next week"
    job = run(enterprise_admin, xlsx(rows))
    cell = load_workbook(io.BytesIO(job.error_workbook.read()))["数据"]["E2"]
    assert "Enter a date" in cell.comment.text


def test_problems_render_in_the_readers_language_not_the_uploaders(enterprise_admin, api_as, client):
    rows = good_rows(2)
    rows[1][1] = "x"
    job = run(enterprise_admin, xlsx(rows))
    url = reverse("api:import-problems", args=[job.public_id])
    english = api_as(enterprise_admin).get(url, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    chinese = api_as(enterprise_admin).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"][0]
    assert english["message"].startswith("Enter a whole number")
    assert "整数" in chinese["message"]
    assert (english["row"], english["column"], english["column_header"]) == (3, "quantity", "Quantity")
    assert chinese["column_header"] == "数量"


def test_domain_problems_reject_the_file_too(enterprise_admin):
    Parcel.objects.create(owner=enterprise_admin.organisation, number="P000002", quantity=1)
    rows = [*good_rows(3), good_rows(1)[0]]  # P000001 twice, P000002 already imported
    job = run(enterprise_admin, xlsx(rows))
    assert job.status == ImportStatus.REJECTED
    assert sorted(job.problems.values_list("row", "code")) == [(3, "duplicate"), (5, "twice")]
    assert Parcel.objects.count() == 1


def test_the_corrected_error_workbook_can_be_uploaded_again(enterprise_admin):
    rows = good_rows(3)
    rows[0][1] = "x"
    job = run(enterprise_admin, xlsx(rows))
    book = load_workbook(io.BytesIO(job.error_workbook.read()))
    book["数据"]["B2"] = 3
    fixed = io.BytesIO()
    book.save(fixed)
    again = run(enterprise_admin, fixed.getvalue())
    assert again.status == ImportStatus.SUCCEEDED, again.problems.values_list("code", flat=True)
    assert Parcel.objects.count() == 3


def test_formula_injection_in_the_upload_is_neutralised_in_the_error_workbook(enterprise_admin):
    rows = good_rows(2)
    rows[0][6] = "@SUM(1+1)*cmd|' /C calc'!A0"
    rows[1][1] = "x"
    job = run(enterprise_admin, xlsx(rows))
    sheet = load_workbook(io.BytesIO(job.error_workbook.read()))["数据"]
    assert sheet["G2"].value == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert sheet["G2"].data_type == "s"


def test_a_hostile_file_is_rejected_with_its_reason_and_no_error_workbook(enterprise_admin, api_as):
    def formula(workbook, ws):
        ws["C2"] = "=1/0"

    job = run(enterprise_admin, xlsx(good_rows(2), edit=formula))
    assert job.status == ImportStatus.REJECTED
    assert not job.error_workbook
    assert job.problems.get().code == "formula"
    body = (
        api_as(enterprise_admin)
        .get(reverse("api:import-detail", args=[job.public_id]), HTTP_ACCEPT_LANGUAGE="en")
        .json()
    )
    assert "C2" in body["message"]
    assert body["links"]["error_workbook"] is None


def test_refusals_at_upload_are_field_errors(enterprise_admin):
    with pytest.raises(ValidationError) as caught:
        start(enterprise_admin, b"%PDF-1.4 not a workbook", "parcels.xlsx")
    assert caught.value.error_dict["file"][0].code == "unsupported_type"
    assert ImportJob.objects.count() == 0


@override_settings(INTAKE_MAX_UPLOAD_BYTES=1000)
def test_an_upload_over_the_size_cap_is_refused_without_a_job(enterprise_admin):
    with pytest.raises(ValidationError) as caught:
        start(enterprise_admin, xlsx(good_rows(50)))
    assert caught.value.error_dict["file"][0].code == "too_large"
    assert ImportJob.objects.count() == 0


@override_settings(INTAKE_MAX_ROWS=10)
def test_over_the_row_cap_is_refused(enterprise_admin):
    job = run(enterprise_admin, xlsx(good_rows(11)))
    assert job.status == ImportStatus.REJECTED
    assert job.problems.get().code == "too_many_rows"


def test_an_xml_file_is_imported_like_a_sheet(enterprise_admin):
    body = (
        b"<Parcels><Parcel><number>X1</number><quantity>2</quantity><weight>0.0005</weight>"
        b"<shipped_on>20260302</shipped_on><currency>USD</currency></Parcel>"
        b"<Parcel><number>X2</number><quantity>3</quantity></Parcel></Parcels>"
    )
    job = run(enterprise_admin, body, "parcels.xml")
    assert job.status == ImportStatus.SUCCEEDED, list(job.problems.values_list("code", "row"))
    assert Parcel.objects.get(number="X1").weight == Decimal("0.001")


def test_another_organisation_never_sees_a_job(enterprise_admin, other_admin, client):
    """The pages; the API's routes are the kit's (tests/api/test_shell_api.py)."""
    rows = good_rows(2)
    rows[0][1] = "x"
    job = run(enterprise_admin, xlsx(rows))
    client.force_login(other_admin)
    for name in ("portal:import-progress", "portal:import-error-workbook"):
        assert client.get(reverse(name, args=[job.public_id])).status_code == 404
    client.force_login(enterprise_admin)
    response = client.get(reverse("portal:import-error-workbook", args=[job.public_id]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.for_object(job).filter(verb="download").count() == 1


def test_anonymous_callers_get_nothing(enterprise_admin, client):
    job = run(enterprise_admin, xlsx(good_rows(1)))
    response = client.get(reverse("portal:import-progress", args=[job.public_id]))
    assert response.status_code == 302


def test_progress_is_visible_while_rows_are_being_saved(enterprise_admin, client, monkeypatch):
    client.force_login(enterprise_admin)
    seen = []

    def look(rows, job):
        seen.append(client.get(reverse("portal:import-progress", args=[job.public_id])).json())

    monkeypatch.setattr(ParcelImporter, "during_persist", staticmethod(look))
    job = run(enterprise_admin, xlsx(good_rows(1200)))
    assert job.status == ImportStatus.SUCCEEDED
    during = seen[0]
    assert during["state"] == "RUNNING" and during["phase"] == "saving" and not during["done"]
    assert during["rows_done"] == 1200 and during["rows_total"] == 1200
    assert 60 <= during["percent"] <= 100
    assert "1,200" in during["message"]
    after = client.get(reverse("portal:import-progress", args=[job.public_id])).json()
    assert after["done"] and after["percent"] == 100 and after["state"] == "SUCCEEDED"


def test_validation_and_saving_take_the_same_queries_for_ten_rows_as_for_a_thousand(enterprise_admin):
    """Everything but the importer's multi-row INSERTs (which the database backend splits into batches of
    at most its variable limit) is a fixed number of statements, whatever the number of rows."""
    counts, inserts = [], []
    for n, first in ((10, 1), (1000, 100)):
        job = start(enterprise_admin, xlsx(good_rows(n, start=first * 1000)))
        with CaptureQueriesContext(connection) as queries:
            assert job_run(job_id=job.pk).status == ImportStatus.SUCCEEDED
        parcel_inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "test_intake_parcel"')]
        counts.append(len(queries) - len(parcel_inserts))
        inserts.append(len(parcel_inserts))
    assert counts[0] == counts[1], counts
    batch = connection.ops.bulk_batch_size([f.name for f in Parcel._meta.concrete_fields], [None] * 1000)
    assert inserts == [1, -(-1000 // min(batch, 500))]


class WorkerKilled(BaseException):
    """What the process sees when it is killed mid-save: nothing below catches it."""


def test_a_job_whose_worker_died_while_saving_is_saved_once_when_rerun(enterprise_admin, monkeypatch, clock):
    clock("2026-03-02 10:00")
    job = start(enterprise_admin, xlsx(good_rows(30)))

    def die(rows, job):
        raise WorkerKilled

    monkeypatch.setattr(ParcelImporter, "during_persist", staticmethod(die))
    with pytest.raises(WorkerKilled):
        job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and job.attempts == 1
    assert Parcel.objects.count() == 0  # the dead attempt's transaction never committed
    assert job_run(job_id=job.pk) is None  # a redelivered task does not run a RUNNING job
    monkeypatch.setattr(ParcelImporter, "during_persist", None)
    from django.core.cache import cache

    cache.clear()  # the dead worker's last progress report has expired
    clock("2026-03-02 10:09")
    assert jobs_sweep() == {"requeued": 0, "failed": 0, "republished": 0}  # not stale yet
    clock("2026-03-02 10:11")
    assert jobs_sweep()["requeued"] == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
    assert job_run(job_id=job.pk).status == ImportStatus.SUCCEEDED
    assert Parcel.objects.count() == 30
    assert job_run(job_id=job.pk) is None
    assert Parcel.objects.count() == 30


def test_a_presumed_dead_attempt_cannot_finish_after_it_was_replaced(enterprise_admin, monkeypatch):
    job = start(enterprise_admin, xlsx(good_rows(3)))

    def replaced_meanwhile(rows, job_):
        # The sweeper requeued the job and a new worker claimed it while this attempt was still validating.
        ImportJob.objects.filter(pk=job_.pk).update(attempts=job_.attempts + 1)

    monkeypatch.setattr(ParcelImporter, "during_validate", staticmethod(replaced_meanwhile))
    job_run(job_id=job.pk)
    assert Parcel.objects.count() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING


@override_settings(INTAKE_MAX_ATTEMPTS=1)
def test_a_job_that_keeps_dying_fails_after_its_attempts(enterprise_admin, clock):
    clock("2026-03-02 10:00")
    job = start(enterprise_admin, xlsx(good_rows(1)))
    services._claim(job.pk)
    clock("2026-03-02 11:00")
    assert jobs_sweep()["failed"] == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert AuditEvent.objects.for_object(job).filter(to_state="FAILED").exists()


def test_a_queued_job_whose_task_was_lost_is_published_again_once(enterprise_admin, clock, broker):
    clock("2026-03-02 10:00")
    job = start(enterprise_admin, xlsx(good_rows(1)))
    clock("2026-03-02 10:06")
    assert jobs_sweep()["republished"] == 1
    assert jobs_sweep()["republished"] == 0
    broker.assert_called_with(args=[job.pk], queue="default")


def test_a_system_error_fails_the_job_and_saves_nothing(enterprise_admin, monkeypatch):
    def boom(rows, job):
        raise RuntimeError("bug")

    monkeypatch.setattr(ParcelImporter, "during_persist", staticmethod(boom))
    job = run(enterprise_admin, xlsx(good_rows(3)))
    assert job.status == ImportStatus.FAILED
    assert Parcel.objects.count() == 0
    assert "nothing was saved" in job.message_text or "未保存" in job.message_text


@pytest.mark.parametrize(
    ("status", "allowed"),
    [(s, s in (ImportStatus.QUEUED, ImportStatus.RUNNING)) for s in ImportStatus],
)
def test_cancel_is_allowed_only_before_the_end(enterprise_admin, status, allowed):
    job = start(enterprise_admin, xlsx(good_rows(1)))
    ImportJob.objects.filter(pk=job.pk).update(status=status)
    if allowed:
        assert import_cancel(job=job, by=enterprise_admin).status == ImportStatus.CANCELLED
        assert job_run(job_id=job.pk) is None
    else:
        with pytest.raises(TransitionNotAllowed):
            import_cancel(job=job, by=enterprise_admin)


def test_a_user_cannot_start_an_import_for_another_organisation(enterprise_admin, other_enterprise):
    from django.core.exceptions import PermissionDenied

    from portal.intake.services import import_start
    from tests.intake.helpers import upload

    with pytest.raises(PermissionDenied):
        import_start(
            owner=other_enterprise, by=enterprise_admin, kind="tests.parcels", upload=upload(xlsx([]))
        )


def test_seeing_every_import_is_not_cancelling_one(enterprise_admin, system_admin):
    """The operator sees every organisation's imports (``view_all_importjob``); only the owner's people may
    cancel one (found by the API kit: tests/api/test_shell_api.py)."""
    from django.core.exceptions import PermissionDenied

    job = start(enterprise_admin, xlsx(good_rows(1)))
    with pytest.raises(PermissionDenied):
        import_cancel(job=job, by=system_admin)
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED


def test_the_outcome_counts_one_problem_and_one_row_in_the_singular(enterprise_admin):
    from django.utils import translation

    from portal.intake.progress import describe

    rows = good_rows(2)
    rows[1][1] = "x"
    bad, good = run(enterprise_admin, xlsx(rows)), run(enterprise_admin, xlsx(good_rows(1, start=50)))
    with translation.override("en"):
        assert describe(bad, {}).startswith("1 problem was found;")
        assert "correct the marked cell and" in describe(bad, {})
        assert describe(good, {}) == "Imported 1 row."
    with translation.override("zh-hans"):
        assert describe(bad, {}).startswith("发现 1 个问题") and describe(good, {}) == "已导入 1 行。"
