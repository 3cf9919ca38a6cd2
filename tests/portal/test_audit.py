"""The audit trail: what writes it, that nothing can change it, how it is searched and shown."""

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, connection, transaction
from django.template import Context, Template
from django.test import RequestFactory

from portal.choices import AuditVerb
from portal.context import acting
from portal.models import AuditEvent
from portal.models.audit import AuditImmutableError
from portal.services.audit import audit
from tests import factories

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _only(verb) -> AuditEvent:
    events = list(AuditEvent.objects.filter(verb=verb))
    assert len(events) == 1, f"expected one {verb} event, found {len(events)}"
    return events[0]


# --- what writes events -------------------------------------------------------------------------------
def test_login_and_logout_are_audited_with_request_id_address_and_channel(client, enterprise_admin):
    response = client.post("/login/", {"username": enterprise_admin.username, "password": factories.PASSWORD})
    login = _only(AuditVerb.LOGIN)
    assert login.actor == enterprise_admin
    assert login.actor_org == enterprise_admin.organisation
    assert login.request_id == response["X-Request-ID"]
    assert (login.ip, login.via) == ("127.0.0.1", "web")

    client.post("/logout/")
    assert _only(AuditVerb.LOGOUT).actor == enterprise_admin


def test_a_failed_login_is_audited_without_the_password(client, enterprise_admin):
    client.post("/login/", {"username": enterprise_admin.username, "password": "Secret-typo-99"})
    event = _only(AuditVerb.LOGIN_FAILED)
    assert event.actor is None
    assert event.actor_label == "anonymous"
    assert event.target_repr == enterprise_admin.username
    assert "Secret-typo-99" not in str(event.payload)


def test_token_creation_and_revocation_in_the_profile_are_audited(client, enterprise_admin):
    client.force_login(enterprise_admin)
    client.post("/profile/tokens/", {"name": "ERP"})
    created = _only(AuditVerb.TOKEN_CREATE)
    assert created.actor == enterprise_admin
    token = enterprise_admin.api_tokens.get()
    assert created.payload == {"token": token.prefix, "name": "ERP"}

    client.post(f"/profile/tokens/{token.pk}/revoke/")
    client.post(f"/profile/tokens/{token.pk}/revoke/")  # revoking twice records once
    assert _only(AuditVerb.TOKEN_REVOKE).payload == {"token": token.prefix, "reason": "manual"}


def test_a_role_change_is_audited_with_before_and_after(client, enterprise_admin, enterprise_operator):
    client.force_login(enterprise_admin)
    client.post(f"/team/{enterprise_operator.pk}/role/", {"role": "enterprise_admin"})
    event = _only(AuditVerb.ROLE_CHANGE)
    assert event.actor == enterprise_admin
    assert event.target_id == str(enterprise_operator.pk)
    assert (event.from_state, event.to_state) == ("enterprise_operator", "enterprise_admin")
    assert event.owner_org == enterprise_admin.organisation


def test_an_invitation_is_audited(client, enterprise_admin):
    client.force_login(enterprise_admin)
    client.post("/team/", {"email": "New.Colleague@Example.com", "role": "enterprise_operator"})
    event = _only(AuditVerb.INVITE)
    assert event.actor == enterprise_admin
    assert event.payload == {"email": "new.colleague@example.com", "role": "enterprise_operator"}


def test_work_done_outside_a_request_is_attributed_to_the_system(enterprise):
    with acting(None, via="worker"):
        event = audit(verb=AuditVerb.UPDATE, target=enterprise)
    assert event.actor is None
    assert event.actor_label == "system:worker"
    assert event.request_id


# --- nothing changes an event -------------------------------------------------------------------------
@pytest.fixture
def event(enterprise_admin):
    return audit(verb=AuditVerb.UPDATE, actor=enterprise_admin, target=enterprise_admin, reason="original")


def test_saving_an_existing_event_is_refused(event):
    event.reason = "rewritten"
    with pytest.raises(AuditImmutableError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == "original"


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AuditImmutableError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(event):
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == "original"


def test_raw_sql_update_is_refused_by_the_database(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE portal_auditevent SET reason = 'rewritten' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == "original"


@pytest.mark.postgres
def test_raw_sql_delete_is_refused_by_the_database(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM portal_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- the search page ------------------------------------------------------------------------------------
@pytest.fixture
def history(enterprise_admin, other_admin):
    """Four events on three days, two actors, three verbs, two request ids."""

    def at(day, verb, actor, request_id, reason=""):
        with (
            mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, day, 10, tzinfo=SHANGHAI)),
            acting(actor, request_id=request_id, via="web"),
        ):
            return audit(verb=verb, target=actor, reason=reason)

    return {
        "login": at(1, AuditVerb.LOGIN, enterprise_admin, "req-aaaaaaaa"),
        "update": at(2, AuditVerb.UPDATE, enterprise_admin, "req-aaaaaaaa", reason="phone"),
        "other_login": at(2, AuditVerb.LOGIN, other_admin, "req-bbbbbbbb"),
        "role": at(5, AuditVerb.ROLE_CHANGE, other_admin, "req-cccccccc"),
    }


def _search(client, **query) -> set[int]:
    response = client.get("/audit/", query)
    assert response.status_code == 200
    return {e.pk for e in response.context["page_obj"]}


def test_audit_search_filters(client, system_admin, history, enterprise_admin, other_admin):
    client.force_login(system_admin)  # itself a login event, today
    ids = {name: e.pk for name, e in history.items()}
    own_login = AuditEvent.objects.get(verb=AuditVerb.LOGIN, actor=system_admin).pk
    assert _search(client) == {*ids.values(), own_login}
    assert _search(client, verb="login") == {ids["login"], ids["other_login"], own_login}
    assert _search(client, q=other_admin.username) == {ids["other_login"], ids["role"]}
    assert _search(client, request_id="req-aaaaaaaa") == {ids["login"], ids["update"]}
    assert _search(client, date_from="2026-03-02", date_to="2026-03-02") == {
        ids["update"],
        ids["other_login"],
    }
    assert _search(client, verb="login", date_from="2026-03-02", date_to="2026-03-31") == {ids["other_login"]}
    assert _search(client, q=str(enterprise_admin.pk), verb="update") == {ids["update"]}


def test_audit_search_with_an_invalid_date_shows_the_field_error(client, system_admin, history):
    client.force_login(system_admin)
    response = client.get("/audit/", {"date_from": "2026-13-45"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_from"]


def test_audit_search_paginates_and_keeps_the_filters(client, system_admin, enterprise_admin):
    with acting(enterprise_admin, via="web"):
        for n in range(55):
            audit(verb=AuditVerb.UPDATE, target=enterprise_admin, reason=f"change {n}")
    client.force_login(system_admin)
    first = client.get("/audit/", {"verb": "update"})
    assert len(first.context["page_obj"]) == 50
    assert "verb=update&amp;page=2" in first.content.decode()
    second = client.get("/audit/", {"verb": "update", "page": 2})
    assert len(second.context["page_obj"]) == 5


# --- the timeline ---------------------------------------------------------------------------------------
def test_timeline_tag_renders_the_objects_audit_events(enterprise_admin, other_admin):
    organisation = enterprise_admin.organisation
    with acting(enterprise_admin, via="web"):
        audit(verb=AuditVerb.INVITE, target=organisation, reason="new colleague")
        audit(verb=AuditVerb.TRANSITION, target=organisation, from_state="draft", to_state="submitted")
    with acting(other_admin, via="web"):
        audit(verb=AuditVerb.UPDATE, target=other_admin.organisation, reason="not theirs")

    request = RequestFactory().get("/")
    request.user = enterprise_admin
    html = Template("{% load portal_tags %}{% timeline obj %}").render(
        Context({"obj": organisation, "request": request})
    )
    assert html.count('class="timeline__entry') == 2
    assert "邀请" in html  # the verb's label in the user's language (Chinese by default)
    assert "new colleague" in html
    assert "状态变更为：submitted" in html  # one sentence; the recorded states are technical details
    assert "draft → submitted" not in html and "technical-details" not in html
    assert enterprise_admin.display_name in html
    assert "not theirs" not in html
    assert html.index("邀请") < html.index("submitted")  # oldest first


def test_timeline_of_an_object_without_events_says_so(enterprise_admin):
    request = RequestFactory().get("/")
    request.user = enterprise_admin
    html = Template("{% load portal_tags %}{% timeline obj %}").render(
        Context({"obj": enterprise_admin.organisation, "request": request})
    )
    assert "timeline__entry" not in html
    assert "暂无记录" in html
