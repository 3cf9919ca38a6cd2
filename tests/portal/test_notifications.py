"""notify(): an inbox row per recipient in their language, an unread count, and email after commit."""

from datetime import timedelta

import lxml.html
import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.models import Notification
from portal.services.notifications import Digest, enterprise_staff, mark_read, notify
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


# --- kept as message and parameters, rendered in the reader's current language (ADR 0025) ------------------
def test_a_stored_notification_reads_in_the_language_chosen_later(client, enterprise_admin):
    (row,) = notify(recipients=[enterprise_admin], verb="x", title=TITLE, body=TITLE, params={"count": 2})
    assert row.title == "已将 2 条通知标记为已读。"  # the record, in the recipient's language at the time
    client.force_login(enterprise_admin)
    client.post("/language/", {"language": "en", "next": "/inbox/"})
    page = client.get("/inbox/").content.decode()
    assert "2 notifications marked as read." in page and "已将 2 条" not in page
    assert "2 notifications marked as read." in client.get("/").content.decode()  # the home page's list


def test_a_translatable_parameter_follows_the_reader_too(enterprise_admin):
    from portal.choices import Role

    (row,) = notify(
        recipients=[enterprise_admin],
        verb="x",
        title=_("Welcome, %(name)s"),
        params={"name": Role.CUSTOMS_OFFICER.label},
    )
    with translation.override("en"):
        assert row.shown_title == "Welcome, Customs officer"
    with translation.override("zh-hans"):
        assert row.shown_title == "欢迎您，海关关员"


def test_rows_written_before_keep_their_text(enterprise_admin):
    """The migration adds the source columns empty: an older row reads as it was stored."""
    (row,) = notify(recipients=[enterprise_admin], verb="x", title="t")
    Notification.objects.filter(pk=row.pk).update(
        title="旧通知", body="旧正文", title_source={}, body_source={}
    )
    row.refresh_from_db()
    with translation.override("en"):
        assert (row.shown_title, row.shown_body) == ("旧通知", "旧正文")


def test_the_api_renders_notifications_in_the_callers_language(api_as, enterprise_admin):
    notify(recipients=[enterprise_admin], verb="x", title=TITLE, params={"count": 4})
    api = api_as(enterprise_admin)
    english = api.get("/api/v1/notifications/", headers={"accept-language": "en"}).json()["results"][0]
    chinese = api.get("/api/v1/notifications/", headers={"accept-language": "zh-hans"}).json()["results"][0]
    assert english["title"] == "4 notifications marked as read."
    assert chinese["title"] == "已将 4 条通知标记为已读。"
    assert english["count"] == 1


def test_email_is_written_in_the_recipients_profile_language(english_colleague, enterprise_admin):
    rows = notify(
        recipients=[english_colleague, enterprise_admin], verb="x", title=TITLE, params={"count": 5}
    )
    with translation.override("zh-hans"):  # the worker's own language does not matter
        send_notification_emails([r.pk for r in rows])
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[english_colleague.email] == "5 notifications marked as read."
    assert subjects[enterprise_admin.email] == "已将 5 条通知标记为已读。"


# --- digests: a burst of like events about one object is one notification ---------------------------------
def _digest():
    return Digest(
        key="test.burst:1", title=_("%(count)d notifications marked as read."), line=_("Welcome, %(name)s")
    )


def test_a_burst_becomes_one_digest_listing_each_event(enterprise_admin, settings):
    for name in ("甲", "乙", "丙"):
        notify(
            recipients=[enterprise_admin],
            verb="x",
            title=_("Welcome, %(name)s"),
            params={"name": name},
            digest=_digest(),
        )
    (row,) = Notification.objects.filter(recipient=enterprise_admin)
    assert row.count == 3
    with translation.override("en"):
        assert row.shown_title == "3 notifications marked as read."
        assert row.shown_body.splitlines() == ["Welcome, 甲", "Welcome, 乙", "Welcome, 丙"]


def test_a_digest_of_one_reads_as_the_event_itself(enterprise_admin):
    (row,) = notify(
        recipients=[enterprise_admin],
        verb="x",
        title=_("Welcome, %(name)s"),
        params={"name": "甲"},
        digest=_digest(),
    )
    with translation.override("en"):
        assert row.shown_title == "Welcome, 甲"


def test_a_read_or_emailed_digest_is_closed(enterprise_admin):
    (first,) = notify(
        recipients=[enterprise_admin], verb="x", title="t", params={"name": "甲"}, digest=_digest()
    )
    mark_read(user=enterprise_admin, ids=[first.pk])
    notify(recipients=[enterprise_admin], verb="x", title="t", params={"name": "乙"}, digest=_digest())
    assert Notification.objects.filter(recipient=enterprise_admin).count() == 2


def test_a_digest_is_emailed_once_after_its_burst(
    django_capture_on_commit_callbacks, enterprise_admin, clock
):
    clock("2026-03-02 10:00")
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("甲", "乙"):
            notify(
                recipients=[enterprise_admin], verb="x", title="t", params={"name": name}, digest=_digest()
            )
    (row,) = Notification.objects.all()
    assert send_notification_emails([row.pk]) == 0 and mail.outbox == []  # still gathering
    assert sweep_notification_emails() == 0
    clock("2026-03-02 10:03")
    assert sweep_notification_emails() == 1
    assert len(mail.outbox) == 1 and "甲" in mail.outbox[0].body and "乙" in mail.outbox[0].body
    notify(recipients=[enterprise_admin], verb="x", title="t", params={"name": "丙"}, digest=_digest())
    assert Notification.objects.count() == 2  # the emailed digest is closed; a new one starts
