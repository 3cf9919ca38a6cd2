"""A real Celery worker imports an upload: the task is published after commit, the worker (a separate
process with the test importer registered) reads, checks and saves it, and the page sees the outcome."""

import time

import pytest
from django.urls import reverse

from portal.models import ImportJob
from tests.intake.helpers import good_rows, start, xlsx
from tests.intake_app.models import Parcel

pytestmark = pytest.mark.e2e


def _wait_for_end(job, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status not in ("QUEUED", "RUNNING"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job still {job.status} after {timeout} s")


def test_a_real_worker_imports_an_upload_and_rejects_a_bad_one(
    stack_factory, enterprise_admin, client, settings
):
    stack = stack_factory(concurrency=2, env={"PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT)})
    job = _wait_for_end(start(enterprise_admin, xlsx(good_rows(500))))
    assert job.status == "SUCCEEDED", stack.worker.tail()
    assert Parcel.objects.filter(owner=enterprise_admin.organisation).count() == 500
    rows = good_rows(3, start=1000)
    rows[1][1] = "x"
    bad = _wait_for_end(start(enterprise_admin, xlsx(rows)))
    assert bad.status == "REJECTED" and bad.problem_count == 1
    client.force_login(enterprise_admin)
    body = client.get(reverse("portal:import-progress", args=[bad.public_id])).json()
    assert body["done"] and body["error_workbook_url"]
    assert ImportJob.objects.count() == 2
