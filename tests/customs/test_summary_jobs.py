"""Summary previews and submissions as worker jobs (customs.services.summary_jobs): the task function run
directly and through Celery (eager), a second start refused, failures in the starter's language with nothing
half-done, a job that lost its worker, and the progress the pages and the API show."""

from datetime import date

import pytest
from django.utils import translation

from customs import summary_job_progress as progress
from customs.choices import SummaryStatus
from customs.models import InventoryList, SummaryDeclaration, SummaryJob, SummaryJobStatus
from customs.services import summaries
from customs.services.summary_jobs import (
    LOST,
    SummaryJobRunning,
    summary_job_run,
    summary_preview_start,
    summary_submit_start,
)
from customs.tasks import summary_job
from exchange.models import Message
from portal.models import AuditEvent
from portal.statemachine import TransitionNotAllowed
from tests.customs import summary_kit
from tests.customs.summary_kit import closed_list, row

pytestmark = pytest.mark.django_db
FEB = date(2025, 2, 1)
URL = "/api/v1/customs/summary-declarations/"
SUBMIT_QUERIES = 27  # the same for 4 and 12 lists (3 reservation slices)


@pytest.fixture
def march(clock):
    clock("2025-03-05 10:00")


def preview_job(user, **kwargs):
    return summary_preview_start(consignor=user.organisation, month=FEB, by=user, **kwargs)


def test_the_task_builds_the_preview_and_a_second_delivery_does_nothing(march, seller, seller_user):
    closed_list(seller, row(), row(gcode="9503008900", unit1="007"))
    closed_list(seller, row(country="303"), country="303")
    job = preview_job(seller_user)
    assert job.status == SummaryJobStatus.QUEUED and not SummaryDeclaration.objects.exists()
    assert summary_job(job.pk) == SummaryJobStatus.SUCCEEDED
    job.refresh_from_db()
    summary = SummaryDeclaration.objects.get()
    assert job.summary == summary and job.finished_at is not None
    assert summary.list_count == 2 and summary.declaration_count == 2
    assert summary_job(job.pk) == "skipped"
    assert progress.snapshot(job)["percent"] == 100


def test_the_api_queues_a_job_that_the_worker_runs(
    march, seller, seller_user, api_as, celery_eager, django_capture_on_commit_callbacks
):
    closed_list(seller)
    client = api_as(seller_user)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{URL}preview/", {"month": "2025-02"}, format="json")
    assert started.status_code == 202 and started.json()["status"] == "QUEUED"
    followed = client.get(f"/api/v1/customs/summary-jobs/{started.json()['id']}/").json()
    summary = SummaryDeclaration.objects.get()
    assert followed["status"] == "SUCCEEDED" and followed["summary"] == summary.pk
    assert followed["progress"]["finished"] is True
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"{URL}{summary.pk}/submit/", format="json")
    assert sent.status_code == 202
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SUBMITTED and summary.message is not None


def test_a_second_start_while_one_is_unfinished_is_a_409(march, seller, seller_user, api_as):
    closed_list(seller)
    job = preview_job(seller_user)
    with pytest.raises(SummaryJobRunning):
        preview_job(seller_user)
    response = api_as(seller_user).post(
        f"{URL}preview/", {"month": "2025-02"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 409 and "2025-02" in response.json()["message"]
    summary_job_run(job_id=job.pk)
    summary = SummaryDeclaration.objects.get()
    submit = summary_submit_start(summary=summary, by=seller_user)  # the month's job finished: allowed
    with pytest.raises(SummaryJobRunning):
        preview_job(seller_user)
    assert api_as(seller_user).post(f"{URL}{summary.pk}/submit/").status_code == 409
    assert submit.status == SummaryJobStatus.QUEUED


def test_a_start_that_cannot_succeed_is_refused_at_once(march, seller, seller_user):
    with pytest.raises(Exception) as empty:
        preview_job(seller_user)
    assert empty.value.error_dict["month"][0].code == "empty"
    closed_list(seller)
    summary_job_run(job_id=preview_job(seller_user).pk)
    summary = SummaryDeclaration.objects.get()
    summary_job_run(job_id=summary_submit_start(summary=summary, by=seller_user).pk)
    with pytest.raises(TransitionNotAllowed):
        summary_submit_start(summary=summary, by=seller_user)


def test_a_failed_submission_changes_nothing_and_says_why_in_the_starters_language(
    march, seller, seller_user
):
    closed_list(seller)
    summary_job_run(job_id=preview_job(seller_user).pk)
    summary = SummaryDeclaration.objects.get()
    with translation.override("zh-hans"):
        job = summary_submit_start(summary=summary, by=seller_user)
    closed_list(seller)  # a list closed after the preview: the submission must refuse
    summary_job_run(job_id=job.pk)
    job.refresh_from_db()
    summary.refresh_from_db()
    assert job.status == SummaryJobStatus.FAILED and "预览" in job.message
    assert summary.status == SummaryStatus.PREVIEW and summary.message is None
    assert not InventoryList.objects.filter(summary__isnull=False).exists()
    assert not Message.objects.exists()
    assert AuditEvent.objects.filter(target_id=str(job.pk), to_state="FAILED").exists()


def test_a_system_error_rolls_the_preview_back(march, seller, seller_user, monkeypatch):
    closed_list(seller)
    job = preview_job(seller_user)

    def broken(summary, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(summaries, "summary_groups", broken)
    summary_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.language == "zh-hans"  # the starter's: the portal's default here
    assert job.status == SummaryJobStatus.FAILED and job.message.startswith("系统错误")
    assert not SummaryDeclaration.objects.exists()  # the preview's row was rolled back with the job's work


def test_a_job_that_lost_its_worker_expires_and_the_month_can_start_again(
    clock, seller, seller_user, settings
):
    settings.CUSTOMS_SUMMARY_JOB_STALE_SECONDS = 600
    clock("2025-03-05 10:00")
    closed_list(seller)
    lost = preview_job(seller_user)
    clock("2025-03-05 10:11")
    again = preview_job(seller_user)
    lost.refresh_from_db()
    assert lost.status == SummaryJobStatus.FAILED and again.status == SummaryJobStatus.QUEUED
    assert summary_job_run(job_id=lost.pk) is None


def test_progress_shows_the_step_the_service_reached(march, seller, seller_user, monkeypatch):
    closed_list(seller)
    job = preview_job(seller_user)
    seen = []
    real = progress.report

    def watch(job, phase, done=None, total=None):
        real(job, phase, done, total)
        job.refresh_from_db()
        seen.append((phase, total, progress.snapshot(job)["percent"]))

    monkeypatch.setattr(progress, "report", watch)
    summary_job_run(job_id=job.pk)
    assert seen == [("", None, 5), ("counting", None, 10), ("grouping", 1, 40), ("saving", 1, 80)]
    with translation.override("zh-hans"):
        progress.report(job, "grouping")
        job.status = SummaryJobStatus.RUNNING
        assert progress.snapshot(job)["text"] == "正在汇总当月清单…"


def test_a_job_expired_while_it_ran_keeps_none_of_its_work(march, seller, seller_user, monkeypatch):
    closed_list(seller)
    job = preview_job(seller_user)
    real = progress.report

    def expire_on_saving(job, phase, done=None, total=None):
        real(job, phase, done, total)
        if phase == "saving":  # what _expire_stale does when a new start finds the job too old
            SummaryJob.objects.filter(pk=job.pk).update(status=SummaryJobStatus.FAILED)

    monkeypatch.setattr(progress, "report", expire_on_saving)
    summary_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == SummaryJobStatus.FAILED and job.summary is None
    assert not SummaryDeclaration.objects.exists()


# --- the sweeper -------------------------------------------------------------------------------------------
def test_the_sweeper_fails_every_stale_job_audits_it_and_tells_its_enterprise(
    clock, seller, seller_user, settings
):
    from customs.services.summary_jobs import summary_jobs_sweep
    from portal.models import Notification
    from tests.customs.parties import enterprise, user_of

    settings.CUSTOMS_SUMMARY_JOB_STALE_SECONDS = 600
    clock("2025-03-05 10:00")
    closed_list(seller)
    closed_list(seller, closed_at=summary_kit.CLOSED_AT.replace(month=1))
    other = user_of(enterprise("3301960888", name="别家"))
    closed_list(other.organisation)
    february, january = (
        preview_job(seller_user),
        summary_preview_start(consignor=seller, month=date(2025, 1, 1), by=seller_user),
    )
    clock("2025-03-05 10:09")
    recent = preview_job(other)
    assert summary_jobs_sweep() == 0  # nothing is past the limit yet
    clock("2025-03-05 10:11")
    assert summary_jobs_sweep() == 2
    for job in (february, january):
        job.refresh_from_db()
        with translation.override(job.language):
            assert job.status == SummaryJobStatus.FAILED and job.message == str(LOST)
        event = AuditEvent.objects.get(target_id=str(job.pk), to_state="FAILED")
        assert event.from_state == "QUEUED" and event.actor is None and "did not finish" in event.reason
    recent.refresh_from_db()
    assert recent.status == SummaryJobStatus.QUEUED
    told = Notification.objects.filter(recipient=seller_user)
    assert told.count() == 1  # the two lost jobs of one enterprise: one digest
    assert not Notification.objects.filter(recipient=other).exists()
    assert summary_jobs_sweep() == 0 and Notification.objects.filter(recipient=seller_user).count() == 1
    assert summary_job_run(job_id=february.pk) is None  # a late task delivery does nothing
    again = preview_job(seller_user)  # the month may be started again
    assert again.status == SummaryJobStatus.QUEUED


def test_a_running_job_gets_the_whole_time_limit_from_its_start(clock, seller, seller_user, settings):
    from customs.services.summary_jobs import _claim, summary_jobs_sweep

    settings.CUSTOMS_SUMMARY_JOB_STALE_SECONDS = 600
    clock("2025-03-05 10:00")
    closed_list(seller)
    job = preview_job(seller_user)
    clock("2025-03-05 10:08")
    _claim(job.pk)  # a worker took it late: it runs from 10:08
    clock("2025-03-05 10:15")
    assert summary_jobs_sweep() == 0
    clock("2025-03-05 10:19")
    assert summary_jobs_sweep() == 1
    job.refresh_from_db()
    assert job.status == SummaryJobStatus.FAILED
    assert AuditEvent.objects.get(target_id=str(job.pk), to_state="FAILED").from_state == "RUNNING"


def test_a_lost_job_an_agent_started_is_told_to_the_seller_and_the_agent(
    clock, seller, seller_user, broker, authorise, settings
):
    from customs.services.summary_jobs import summary_jobs_sweep
    from portal.models import Notification
    from tests.customs.parties import user_of

    settings.CUSTOMS_SUMMARY_JOB_STALE_SECONDS = 600
    clock("2025-03-05 10:00")
    authorise(seller, broker, "SUMMARY")
    agent = user_of(broker)
    closed_list(seller)
    summary_preview_start(consignor=seller, month=FEB, by=agent)
    clock("2025-03-05 10:11")
    assert summary_jobs_sweep() == 1
    assert Notification.objects.filter(recipient__in=[seller_user, agent]).count() == 2


def test_beat_runs_the_sweeper(settings, seller):
    from customs.tasks import sweep_summary_jobs

    entry = settings.CELERY_BEAT_SCHEDULE["customs-summary-jobs-sweep"]
    assert entry["task"] == sweep_summary_jobs.name == "customs.summary_jobs_sweep"
    assert entry["schedule"] == settings.CUSTOMS_SUMMARY_JOB_SWEEP_SECONDS
    assert sweep_summary_jobs() == 0


# --- counts within the long steps ---------------------------------------------------------------------------
def _submission(seller, seller_user, lists: int):
    for _ in range(lists):
        closed_list(seller)
    summary_job_run(job_id=preview_job(seller_user).pk)
    summary = SummaryDeclaration.objects.get(owner=seller, period=FEB)
    return summary_submit_start(summary=summary, by=seller_user)


def test_a_submission_reports_the_lists_reserved_read_and_written(march, seller, seller_user, monkeypatch):
    monkeypatch.setattr(summaries, "RESERVE_SLICES", 3)
    monkeypatch.setattr(progress, "EVERY_ROWS", 2)
    job = _submission(seller, seller_user, 6)
    seen = []
    real = progress.report

    def watch(job, phase, done=None, total=None):
        real(job, phase, done, total)
        job.status = SummaryJobStatus.RUNNING
        seen.append((phase, done, total, progress.snapshot(job)["percent"]))

    monkeypatch.setattr(progress, "report", watch)
    job = summary_job_run(job_id=job.pk)
    assert job.status == SummaryJobStatus.SUCCEEDED, job.message
    reserving = [(d, p) for phase, d, t, p in seen if phase == "reserving"]
    assert [d for d, _p in reserving] == [0, 2, 4, 6]  # one report per slice of the ids
    assert [p for _d, p in reserving] == sorted(p for _d, p in reserving) and reserving[-1][1] == 60
    for phase in ("numbers", "message"):
        done = [d for name, d, t, _p in seen if name == phase]
        assert done[0] == 0 and done[-1] == 6 and len(done) <= 6  # every 2 rows, not every row
        assert {t for name, _d, t, _p in seen if name == phase} == {6}
    assert Message.objects.get().message_type == "CEB701Message"


@pytest.mark.parametrize("lists", [4, 12])
def test_a_submissions_queries_do_not_grow_with_its_lists(march, seller, seller_user, monkeypatch, lists):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(summaries, "RESERVE_SLICES", 3)
    job = _submission(seller, seller_user, lists)
    with CaptureQueriesContext(connection) as queries:
        assert summary_job_run(job_id=job.pk).status == SummaryJobStatus.SUCCEEDED
    assert len(queries) == SUBMIT_QUERIES, [q["sql"][:120] for q in queries]
