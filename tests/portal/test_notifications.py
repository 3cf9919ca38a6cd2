"""notify(): an inbox row per recipient in their language, an unread count, and email after commit."""

from datetime import timedelta

import lxml.html
import pytest
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.models import Notification
from portal.services.notifications import enterprise_staff, notify
from portal.tasks import send_notification_emails, sweep_notification_emails
from tests import factories

pytestmark = pytest.mark.django_db

TITLE = _("%(count)d notifications marked as read.")  # any catalogued string with a placeholder


@pytest.fixture
def english_colleague(enterprise):
    return factories.UserFactory(organisation=enterprise, role="enterprise_operator", language="en")


def test_notify_renders_in_each_recipients_language(enterprise_admin, english_colleague):
    rows = notify(
        recipients=[enterprise_admin, english_colleague], verb="test.done", title=TITLE, params={"count": 3}
    )
    by_user = {n.recipient_id: n.title for n in rows}
    assert by_user[enterprise_admin.pk] == "已将 3 条通知标记为已读。"
    assert by_user[english_colleague.pk] == "3 notifications marked as read."


def test_notify_skips_inactive_users_and_duplicates(enterprise_admin, enterprise_operator):
    enterprise_operator.is_active = False
    enterprise_operator.save(update_fields=["is_active"])
    rows = notify(recipients=[enterprise_admin, enterprise_admin, enterprise_operator], verb="x", title="t")
    assert [n.recipient for n in rows] == [enterprise_admin]


def test_enterprise_staff_are_the_admins_and_operators_of_that_enterprise(
    enterprise_admin, enterprise_operator, other_admin, reviewer
):
    assert set(enterprise_staff(enterprise_admin.organisation)) == {enterprise_admin, enterprise_operator}


def test_the_header_shows_the_unread_count(client, enterprise_admin, other_admin):
    notify(recipients=[enterprise_admin], verb="a", title="one")
    notify(recipients=[enterprise_admin], verb="b", title="two")
    notify(recipients=[other_admin], verb="c", title="not mine")
    client.force_login(enterprise_admin)
    doc = lxml.html.fromstring(client.get("/").content.decode())
    badge = doc.find(".//header//*[@class='badge']")
    assert badge.text == "2"
    assert badge.get("aria-hidden") == "true"  # screen readers get the sentence instead of the bare number
    assert badge.getnext().get("class") == "visually-hidden"
    assert badge.getnext().text == "2 条未读通知"


def test_no_badge_without_unread_notifications(client, enterprise_admin):
    client.force_login(enterprise_admin)
    doc = lxml.html.fromstring(client.get("/").content.decode())
    assert doc.find(".//header//*[@class='badge']") is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, enterprise_admin):
    (row,) = notify(recipients=[enterprise_admin], verb="x", title="t", url="/profile/")
    client.force_login(enterprise_admin)
    response = client.post(f"/inbox/{row.pk}/open/")
    assert response["Location"] == "/profile/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_a_notification_link_to_another_site_is_not_followed(client, enterprise_admin):
    (row,) = notify(recipients=[enterprise_admin], verb="x", title="t", url="https://evil.example/")
    client.force_login(enterprise_admin)
    assert client.post(f"/inbox/{row.pk}/open/")["Location"] == "/inbox/"


def test_mark_all_read_touches_only_the_users_own_rows(client, enterprise_admin, other_admin):
    notify(recipients=[enterprise_admin], verb="x", title="a")
    notify(recipients=[enterprise_admin], verb="x", title="b")
    (theirs,) = notify(recipients=[other_admin], verb="x", title="c")
    client.force_login(enterprise_admin)
    client.post("/inbox/read-all/")
    assert not Notification.objects.filter(recipient=enterprise_admin, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_filters_unread(client, enterprise_admin):
    (read,) = notify(recipients=[enterprise_admin], verb="x", title="already read")
    notify(recipients=[enterprise_admin], verb="x", title="still unread")
    client.force_login(enterprise_admin)
    client.post(f"/inbox/{read.pk}/open/")
    titles = [n.title for n in client.get("/inbox/", {"unread": "1"}).context["page_obj"]]
    assert titles == ["still unread"]


def test_email_goes_out_after_commit_through_the_task(
    django_capture_on_commit_callbacks, celery_eager, enterprise_admin
):
    with django_capture_on_commit_callbacks() as callbacks:
        (row,) = notify(recipients=[enterprise_admin], verb="x", title=TITLE, params={"count": 1})
        assert mail.outbox == []  # nothing before commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [enterprise_admin.email]
    assert mail.outbox[0].subject == "已将 1 条通知标记为已读。"
    row.refresh_from_db()
    assert row.emailed_at is not None


def test_no_email_when_the_transaction_rolls_back(django_capture_on_commit_callbacks, enterprise_admin):
    def change_that_fails():
        with transaction.atomic():
            notify(recipients=[enterprise_admin], verb="x", title="t")
            raise RuntimeError("the business change failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        change_that_fails()
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_no_email_for_users_without_an_address_or_when_not_wanted(
    django_capture_on_commit_callbacks, enterprise_admin, enterprise_operator
):
    enterprise_operator.email = ""
    enterprise_operator.save(update_fields=["email"])
    with django_capture_on_commit_callbacks() as callbacks:
        notify(recipients=[enterprise_operator], verb="x", title="t")
        notify(recipients=[enterprise_admin], verb="x", title="t", email=False)
    assert callbacks == []


def test_the_email_task_sends_each_notification_once(enterprise_admin, settings):
    settings.SITE_URL = "https://portal.zjcbec.example"
    (row,) = notify(recipients=[enterprise_admin], verb="x", title="t", body="b", url="/inbox/")
    assert send_notification_emails([row.pk]) == 1
    assert send_notification_emails([row.pk]) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].body == "b\n\nhttps://portal.zjcbec.example/inbox/"  # a link that opens from a mail


def test_a_refused_email_stays_unsent_and_the_sweep_sends_it_later(monkeypatch, enterprise_admin):
    (row,) = notify(recipients=[enterprise_admin], verb="x", title="t")

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr("portal.tasks.send_mail", refuse)
    assert send_notification_emails([row.pk]) == 0
    row.refresh_from_db()
    assert row.emailed_at is None

    monkeypatch.undo()
    assert sweep_notification_emails() == 0  # too recent: its own task may still be on the way
    Notification.objects.filter(pk=row.pk).update(created_at=row.created_at - timedelta(minutes=5))
    assert sweep_notification_emails() == 1
    assert len(mail.outbox) == 1
