"""The summary pages: preview a month, see its groups, send it; the declarations, their lists and the
certificate (electronic data and PDF); another enterprise's are 404."""

import re

import pytest

from customs.choices import SummaryStatus
from customs.models import SummaryDeclaration, SummaryJob
from customs.services.summary_jobs import summary_job_run, summary_preview_start
from tests.customs.parties import enterprise, user_of
from tests.customs.summary_kit import closed_list, row
from tests.customs.test_summary_api import declared, in_standing

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, seller_user, clock):
    clock("2025-03-05 10:00")
    client.force_login(seller_user)
    return client


def test_preview_then_submit_from_the_pages(
    signed_in, seller, celery_eager, django_capture_on_commit_callbacks
):
    closed_list(seller, row(), row(gcode="9503008900", unit1="007"))
    with django_capture_on_commit_callbacks(execute=True):
        page = signed_in.post(
            "/customs/summaries/", {"month": "2025-02", "summary_flag": "2", "item_name_flag": "on"}
        )
    summary, job = SummaryDeclaration.objects.get(), SummaryJob.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/customs/summaries/jobs/{job.pk}/"
    done = signed_in.get(page["Location"]).content.decode()
    assert 'aria-live="polite"' in done and f"/customs/summaries/{summary.pk}/" in done
    assert "data-progress-url" not in done  # finished: nothing left to poll
    html = signed_in.get(f"/customs/summaries/{summary.pk}/").content.decode()
    assert "6109100010" in html and "9503008900" in html and "2025-03-17" in html
    assert f"/customs/summaries/{summary.pk}/submit/" in html
    with django_capture_on_commit_callbacks(execute=True):
        sent = signed_in.post(f"/customs/summaries/{summary.pk}/submit/", follow=True)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SUBMITTED
    assert sent.status_code == 200 and "/submit/" not in sent.content.decode()


def test_a_queued_job_shows_its_progress_and_refuses_a_second_start(signed_in, seller):
    closed_list(seller)
    first = signed_in.post("/customs/summaries/", {"month": "2025-02", "summary_flag": "2"})
    job = SummaryJob.objects.get()
    page = signed_in.get(first["Location"]).content.decode()
    progress_url = f"/customs/summaries/jobs/{job.pk}/progress/"
    assert f'data-progress-url="{progress_url}"' in page
    assert 'role="status" aria-live="polite"' in page and "<progress" in page
    polled = signed_in.get(progress_url).json()
    assert polled == {
        "percent": 0,
        "state": "QUEUED",
        "phase": "",
        "message": "正在等待后台开始处理。",  # the user's language (zh-hans by default)
        "done": False,
        "rows_done": None,
        "rows_total": None,
        "result_url": None,
    }
    listing = signed_in.get("/customs/summaries/").content.decode()
    assert progress_url in listing
    again = signed_in.post(
        "/customs/summaries/", {"month": "2025-02", "summary_flag": "2"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert again.status_code == 200 and SummaryJob.objects.count() == 1
    assert "2025-02" in again.content.decode() and "正在" in again.content.decode()


def test_the_summary_page_shows_its_sending_and_hides_the_actions_meanwhile(signed_in, seller, seller_user):
    closed_list(seller)
    summary_job_run(job_id=summary_preview_start(consignor=seller, month="2025-02", by=seller_user).pk)
    summary = SummaryDeclaration.objects.get()
    sent = signed_in.post(f"/customs/summaries/{summary.pk}/submit/")
    job = SummaryJob.objects.get(action="submit")
    assert sent["Location"] == f"/customs/summaries/jobs/{job.pk}/"
    html = signed_in.get(f"/customs/summaries/{summary.pk}/").content.decode()
    assert f'data-progress-url="/customs/summaries/jobs/{job.pk}/progress/"' in html
    assert 'aria-live="polite"' in html and "/submit/" not in html and "/discard/" not in html
    summary_job_run(job_id=job.pk)
    summary.refresh_from_db()
    assert summary.status == SummaryStatus.SUBMITTED


def test_a_failed_job_shows_why_and_no_longer_polls(signed_in, seller, seller_user):
    closed_list(seller)
    summary_job_run(job_id=summary_preview_start(consignor=seller, month="2025-02", by=seller_user).pk)
    summary = SummaryDeclaration.objects.get()
    signed_in.post(f"/customs/summaries/{summary.pk}/submit/")
    closed_list(seller)  # closed after the preview: the submission is refused
    job = summary_job_run(job_id=SummaryJob.objects.get(action="submit").pk)
    assert job.status == "FAILED"
    html = signed_in.get(f"/customs/summaries/jobs/{job.pk}/").content.decode()
    assert "data-progress-url" not in html and job.message in html and "预览" in job.message
    assert signed_in.get(f"/customs/summaries/jobs/{job.pk}/progress/").json()["done"] is True


def test_another_enterprise_cannot_see_a_job(client, signed_in, seller):
    closed_list(seller)
    signed_in.post("/customs/summaries/", {"month": "2025-02", "summary_flag": "2"})
    job = SummaryJob.objects.get()
    client.force_login(user_of(enterprise("3301960999", name="别家")))
    assert client.get(f"/customs/summaries/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/customs/summaries/jobs/{job.pk}/progress/").status_code == 404


def test_a_month_with_nothing_waiting_says_so_on_the_field(signed_in):
    page = signed_in.post("/customs/summaries/", {"month": "2025-01", "summary_flag": "2"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="id_month_error"' in html and "2025-01" in html
    assert not SummaryDeclaration.objects.exists()


def test_the_running_month_is_refused(signed_in, seller):
    closed_list(seller)
    page = signed_in.post("/customs/summaries/", {"month": "2025-03", "summary_flag": "2"})
    assert 'id="id_month_error"' in page.content.decode()


def test_declaration_pages_and_certificate(client, seller_user, clock):
    clock("2025-03-05 10:00")
    declaration = declared(seller_user)
    client.force_login(seller_user)
    html = client.get("/customs/declarations/").content.decode()
    assert declaration.entry_id in html
    detail = client.get(f"/customs/declarations/{declaration.pk}/").content.decode()
    assert 'data-testid="certificate-link"' in detail and declaration.lists.first().invt_no in detail
    certificate = client.get(f"/customs/declarations/{declaration.pk}/certificate/").content.decode()
    assert declaration.entry_id in certificate and "?format=pdf" in certificate
    for weight in (declaration.gross_weight, declaration.net_weight):  # kilograms to 3 places, both alike
        assert f"<dd>{weight:.3f}</dd>" in certificate
    pdf = client.get(f"/customs/declarations/{declaration.pk}/certificate/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_another_enterprise_gets_404(client, seller_user, clock):
    clock("2025-03-05 10:00")
    declaration = declared(seller_user)
    stranger = user_of(in_standing(enterprise("3301960007")))
    client.force_login(stranger)
    for url in (
        f"/customs/summaries/{declaration.summary_id}/",
        f"/customs/declarations/{declaration.pk}/",
        f"/customs/declarations/{declaration.pk}/certificate/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/customs/summaries/{declaration.summary_id}/discard/").status_code == 404
    assert declaration.entry_id not in client.get("/customs/declarations/").content.decode()


def test_officers_read_but_do_not_file(client, customs_officer, seller_user, clock):
    clock("2025-03-05 10:00")
    declaration = declared(seller_user)
    client.force_login(customs_officer)
    html = client.get(f"/customs/summaries/{declaration.summary_id}/").content.decode()
    assert "/discard/" not in html and "/submit/" not in html
    assert client.post(f"/customs/summaries/{declaration.summary_id}/discard/").status_code == 403
    assert client.get(f"/customs/declarations/{declaration.pk}/certificate/").status_code == 200


def test_preview_month_from_the_deadlines_link(signed_in):
    html = signed_in.get("/customs/summaries/?month=2025-02").content.decode()
    assert 'value="2025-02"' in html


def test_a_summary_without_an_issued_certificate_has_no_certificate_page(client, seller_user, clock):
    clock("2025-03-05 10:00")
    declaration = declared(seller_user)
    declaration.certificate_issued_at = None
    declaration.save()
    client.force_login(seller_user)
    assert client.get(f"/customs/declarations/{declaration.pk}/certificate/").status_code == 404


def test_the_summary_page_reads_cleanly(
    signed_in, seller, seller_user, celery_eager, django_capture_on_commit_callbacks
):
    """One timeline heading, weights without trailing zeros, one declaration in the singular (English)."""
    closed_list(seller, row(), gross_weight="1.20000", net_weight="1.00000")
    closed_list(seller, row(), gross_weight="1.20000", net_weight="1.00000")
    seller_user.language = "en"
    seller_user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post("/customs/summaries/", {"month": "2025-02", "summary_flag": "2"})
    html = signed_in.get(f"/customs/summaries/{SummaryDeclaration.objects.get().pk}/").content.decode()
    assert html.count('<h2 id="timeline-heading">') == 1 and html.count("Timeline</h2>") == 1
    assert "2 lists, 2 packages, gross 2.400 kg, net 2.000 kg" in html, re.search(r"\d lists,[^<]*", html)
    assert "transport 5: 1 declaration" in html and "declaration(s)" not in html
    assert '<div class="toolbar" data-testid="summary-actions">' in html  # the buttons side by side, spaced


def test_a_running_submission_shows_how_many_lists_it_has_done(signed_in, seller, seller_user, settings):
    from customs import summary_job_progress as progress

    closed_list(seller)
    summary_job_run(job_id=summary_preview_start(consignor=seller, month="2025-02", by=seller_user).pk)
    signed_in.post(f"/customs/summaries/{SummaryDeclaration.objects.get().pk}/submit/")
    job = SummaryJob.objects.get(action="submit")
    SummaryJob.objects.filter(pk=job.pk).update(status="RUNNING")
    progress_url = f"/customs/summaries/jobs/{job.pk}/progress/"
    progress.report(job, "reserving", 300_000, 1_000_000)
    first = signed_in.get(progress_url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert (first["rows_done"], first["rows_total"], first["percent"]) == (300_000, 1_000_000, 21)
    page = signed_in.get(f"/customs/summaries/jobs/{job.pk}/").content.decode()
    assert "300,000" in page and "1,000,000" in page and 'value="21"' in page
    progress.report(job, "message", 900_000, 1_000_000)  # later: the bar has moved on
    later = signed_in.get(progress_url).json()
    assert later["percent"] == 92 and later["phase"] == "message" and "900,000" in later["message"]
