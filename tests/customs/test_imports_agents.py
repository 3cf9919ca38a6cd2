"""An agent imports inventory lists for a seller that authorised it (issue 11, "Agents"): the page's
"file for" and the API's ``owner``; checked at upload and again when the worker runs the job; the lists are
the seller's with the agent as filer; the job is seen by the agent that uploaded it and by the seller,
nobody else (another agent of the same seller neither)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from customs.imports import KIND
from customs.imports.importer import InventoryListImporter
from customs.models import InventoryList
from exchange.models import Message
from portal.intake.choices import ImportStatus
from portal.intake.services import import_start, job_run
from portal.models import AuditEvent, ImportJob
from tests.customs.imports_kit import column, list_rows, workbook
from tests.customs.parties import user_of

pytestmark = pytest.mark.django_db
IMPORTS = "/api/v1/customs/imports/"


@pytest.fixture
def agent(broker):
    return user_of(broker)


@pytest.fixture
def granted(seller, broker, authorise):
    return authorise(seller, broker, "INVENTORY")


@pytest.fixture
def other_agent(seller, logistics, authorise):
    """A second agent the same seller authorised for inventory lists."""
    authorise(seller, logistics, "INVENTORY")
    return user_of(logistics)


def upload(content=None, name="lists.xlsx"):
    return SimpleUploadedFile(
        name, content or workbook(list_rows(2)), content_type="application/octet-stream"
    )


def start_for(agent, seller, content=None):
    return import_start(
        owner=agent.organisation, by=agent, kind=KIND, upload=upload(content), on_behalf_of=seller
    )


def revoke(authorisation):
    authorisation.revoked_at = timezone.now()
    authorisation.save(update_fields=["revoked_at"])


def saved():
    return InventoryList.objects.count(), Message.objects.count()


def test_the_page_offers_the_authorising_sellers_and_the_agent_imports_for_one(
    agent, seller, broker, granted, client
):
    client.force_login(agent)
    page = client.get(reverse("customs:list-imports")).content.decode()
    assert '<select name="on_behalf_of"' in page and seller.name_cn in page and broker.name_cn in page
    response = client.post(reverse("customs:list-imports"), {"file": upload(), "on_behalf_of": seller.pk})
    assert response.status_code == 302, response.content.decode()
    job = ImportJob.objects.get()
    assert (job.owner, job.on_behalf_of) == (broker, seller)
    job = job_run(job_id=job.pk)
    assert job.status == ImportStatus.SUCCEEDED, list(job.problems.values_list("message", "params"))
    lists = InventoryList.objects.all()
    assert {(x.owner_id, x.filer_id) for x in lists} == {(seller.pk, broker.pk)} and len(lists) == 2
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-on-behalf"' in detail and seller.name_cn in detail


def test_a_seller_without_agents_sees_no_choice(seller_user, client):
    client.force_login(seller_user)
    page = client.get(reverse("customs:list-imports")).content.decode()
    assert 'type="hidden" name="on_behalf_of"' in page and '<select name="on_behalf_of"' not in page


def test_the_api_imports_for_an_authorising_seller(agent, seller, broker, granted, api_as):
    response = api_as(agent).post(IMPORTS, {"file": upload(), "owner": seller.pk}, format="multipart")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert (body["owner"], body["filer"], body["on_behalf_of"]) == (seller.pk, broker.pk, seller.pk)
    job = job_run(job_id=ImportJob.objects.get(public_id=body["id"]).pk)
    assert job.status == ImportStatus.SUCCEEDED
    assert set(InventoryList.objects.values_list("owner_id", "filer_id")) == {(seller.pk, broker.pk)}
    upload_event = AuditEvent.objects.get(verb="upload")
    assert upload_event.payload["on_behalf_of"] == seller.pk


def test_the_api_refuses_a_seller_that_did_not_authorise_the_caller(agent, seller, api_as):
    response = api_as(agent).post(IMPORTS, {"file": upload(), "owner": seller.pk}, format="multipart")
    assert response.status_code == 400 and response.json()["field"] == "owner", response.json()
    assert response.json()["code"] == "not_authorised"
    assert not ImportJob.objects.exists() and saved() == (0, 0)


def test_an_authorisation_for_other_documents_is_not_one_for_lists(agent, seller, broker, authorise, api_as):
    authorise(seller, broker, "ORDER")
    response = api_as(agent).post(IMPORTS, {"file": upload(), "owner": seller.pk}, format="multipart")
    assert response.status_code == 400 and response.json()["field"] == "owner"
    assert not ImportJob.objects.exists()


def test_the_page_refuses_a_seller_that_did_not_authorise_the_agent(agent, seller, platform, granted, client):
    client.force_login(agent)
    response = client.post(reverse("customs:list-imports"), {"file": upload(), "on_behalf_of": platform.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_on_behalf_of_error"' in page and not ImportJob.objects.exists()


def test_a_seller_posted_to_an_agent_nobody_authorises_is_refused_on_top_of_the_form(agent, seller, client):
    client.force_login(agent)
    response = client.post(reverse("customs:list-imports"), {"file": upload(), "on_behalf_of": seller.pk})
    assert response.status_code == 200 and 'class="form-errors"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_service_itself_refuses_without_an_authorisation(agent, seller):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        start_for(agent, seller)
    assert caught.value.error_dict["on_behalf_of"][0].code == "not_authorised"
    assert not ImportJob.objects.exists()


def test_after_revocation_the_upload_is_refused(agent, seller, granted, api_as, client):
    revoke(granted)
    response = api_as(agent).post(IMPORTS, {"file": upload(), "owner": seller.pk}, format="multipart")
    assert response.status_code == 400 and response.json()["field"] == "owner"
    client.force_login(agent)
    page = client.post(reverse("customs:list-imports"), {"file": upload(), "on_behalf_of": seller.pk})
    assert page.status_code == 200 and not ImportJob.objects.exists()


def test_an_expired_authorisation_refuses_the_upload(agent, seller, broker, authorise, api_as):
    authorise(seller, broker, "INVENTORY", valid_until=timezone.now() - timezone.timedelta(seconds=1))
    response = api_as(agent).post(IMPORTS, {"file": upload(), "owner": seller.pk}, format="multipart")
    assert response.status_code == 400 and not ImportJob.objects.exists()


def test_revoked_between_upload_and_run_the_job_fails_and_saves_nothing(agent, seller, granted):
    job = start_for(agent, seller)
    revoke(granted)
    job = job_run(job_id=job.pk)
    assert job.status == ImportStatus.FAILED and saved() == (0, 0)
    with translation.override("en"):
        assert seller.name_cn in job.message_text and "nothing was imported" in job.message_text
    assert "未导入任何数据" in job.message_text  # the reader's language: zh-hans here
    failed = AuditEvent.objects.filter(to_state=ImportStatus.FAILED).get()
    assert "does not authorise" in failed.reason


def test_revoked_while_the_rows_were_checked_the_job_fails_and_saves_nothing(
    agent, seller, granted, monkeypatch
):
    checked = InventoryListImporter.validate

    def validate_then_revoke(self, rows, *, job):
        yield from checked(self, rows, job=job)
        revoke(granted)

    monkeypatch.setattr(InventoryListImporter, "validate", validate_then_revoke)
    job = job_run(job_id=start_for(agent, seller).pk)
    assert job.status == ImportStatus.FAILED and saved() == (0, 0)
    with translation.override("en"):
        assert "nothing was imported" in job.message_text


def test_the_job_is_the_agents_and_the_sellers_and_nobody_elses(
    agent, seller, seller_user, granted, other_agent, platform, client, api_as
):
    rows = list_rows(2)
    rows[1][column("gcode")] = "12345"  # rejected: an error workbook to guard
    job = job_run(job_id=start_for(agent, seller, workbook(rows)).pk)
    assert job.status == ImportStatus.REJECTED and job.error_workbook
    ident = str(job.public_id)
    urls = (
        reverse("customs:list-import", args=[ident]),
        reverse("portal:import-progress", args=[ident]),
        reverse("portal:import-error-workbook", args=[ident]),
    )
    api_urls = (f"{IMPORTS}{ident}/", f"/api/v1/imports/{ident}/", f"/api/v1/imports/{ident}/error-workbook/")
    for user in (agent, seller_user):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [200, 200, 200]
        assert ident in client.get(reverse("customs:list-imports")).content.decode()
        api = api_as(user)
        assert [api.get(url).status_code for url in api_urls] == [200, 200, 200]
        assert api.get(IMPORTS).json()["count"] == 1 and api.get("/api/v1/imports/").json()["count"] == 1
    for user in (other_agent, user_of(platform)):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
        assert ident not in client.get(reverse("customs:list-imports")).content.decode()
        api = api_as(user)
        assert [api.get(url).status_code for url in api_urls] == [404, 404, 404]
        assert api.get(IMPORTS).json()["count"] == 0 and api.get("/api/v1/imports/").json()["count"] == 0
        assert api.get(f"/api/v1/imports/{ident}/problems/").status_code == 404


def test_only_the_uploaders_enterprise_cancels(agent, seller, seller_user, granted, api_as):
    job = start_for(agent, seller)
    ident = job.public_id
    assert api_as(seller_user).post(f"/api/v1/imports/{ident}/cancel/").status_code == 403
    assert api_as(agent).post(f"/api/v1/imports/{ident}/cancel/").status_code == 200
