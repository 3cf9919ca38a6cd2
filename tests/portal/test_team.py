"""Enterprise administrators invite colleagues and manage their own organisation's users."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from portal.choices import AuditVerb
from portal.models import AuditEvent, Invitation, User
from portal.services import users as user_services
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Colleague-passphrase-7"


def _invite(
    client, django_capture_on_commit_callbacks, email="li.si@example.com", role="enterprise_operator"
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/team/", {"email": email, "role": role, "full_name": "李四"})
    assert response.status_code == 302, response.context["form"].errors
    return re.search(r"https?://[^/\s]+(/invitation/[^\s/]+/)", mail.outbox[-1].body).group(1)


def _accept(client, link, username="lisi", password=NEW_PASSWORD):
    return client.post(
        link, {"username": username, "full_name": "李四", "password1": password, "password2": password}
    )


def _flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_invite_email_accept_then_log_in_with_the_role(
    client, django_capture_on_commit_callbacks, enterprise_admin
):
    client.force_login(enterprise_admin)
    link = _invite(client, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["li.si@example.com"]
    assert enterprise_admin.organisation.name_cn in mail.outbox[-1].body

    client.post("/logout/")
    page = client.get(link)
    assert page.status_code == 200
    assert enterprise_admin.organisation.name_cn in page.content.decode()
    response = _accept(client, link)
    assert response.status_code == 302
    assert response["Location"] == "/login/"

    user = User.objects.get(username="lisi")
    assert user.organisation == enterprise_admin.organisation
    assert user.role_names == {"enterprise_operator"}
    assert user.email == "li.si@example.com"
    assert AuditEvent.objects.filter(verb=AuditVerb.CREATE, actor=user).exists()
    login = client.post("/login/", {"username": "lisi", "password": NEW_PASSWORD})
    assert login.status_code == 302


def test_an_invitation_link_works_once(client, django_capture_on_commit_callbacks, enterprise_admin):
    client.force_login(enterprise_admin)
    link = _invite(client, django_capture_on_commit_callbacks)
    client.post("/logout/")
    _accept(client, link)
    again = _accept(client, link, username="someone-else")
    assert again.status_code == 404
    assert not User.objects.filter(username="someone-else").exists()


def test_an_expired_or_withdrawn_invitation_is_refused(
    client, django_capture_on_commit_callbacks, enterprise_admin
):
    client.force_login(enterprise_admin)
    expired = _invite(client, django_capture_on_commit_callbacks, email="a@example.com")
    Invitation.objects.filter(email="a@example.com").update(expires_at=timezone.now() - timedelta(seconds=1))
    withdrawn = _invite(client, django_capture_on_commit_callbacks, email="b@example.com")
    client.post(f"/team/invitations/{Invitation.objects.get(email='b@example.com').pk}/revoke/")
    client.post("/logout/")
    for link in (expired, withdrawn, "/invitation/not-a-real-token/"):
        assert client.get(link).status_code == 404
        assert _accept(client, link).status_code == 404
    assert not User.objects.filter(username="lisi").exists()


def test_accepting_with_a_taken_username_shows_the_field_error(
    client, django_capture_on_commit_callbacks, enterprise_admin
):
    client.force_login(enterprise_admin)
    link = _invite(client, django_capture_on_commit_callbacks)
    client.post("/logout/")
    response = _accept(client, link, username=enterprise_admin.username.upper())
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert Invitation.objects.get().accepted_at is None


def test_accepting_with_a_weak_password_shows_the_field_error(
    client, django_capture_on_commit_callbacks, enterprise_admin
):
    client.force_login(enterprise_admin)
    link = _invite(client, django_capture_on_commit_callbacks)
    client.post("/logout/")
    response = _accept(client, link, password="12345678")
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(username="lisi").exists()


def test_inviting_a_colleagues_address_is_refused_at_the_field(client, enterprise_admin, enterprise_operator):
    client.force_login(enterprise_admin)
    response = client.post(
        "/team/", {"email": enterprise_operator.email.upper(), "role": "enterprise_operator"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()


def test_an_address_registered_elsewhere_is_not_revealed_to_the_inviter(
    client, enterprise_admin, other_admin, django_capture_on_commit_callbacks
):
    """Whether an address has an account at another enterprise is not the inviter's to learn; the invitee,
    who owns the address, is told when accepting."""
    client.force_login(enterprise_admin)
    link = _invite(client, django_capture_on_commit_callbacks, email=other_admin.email)
    assert Invitation.objects.filter(email=other_admin.email).exists()
    client.post("/logout/")
    response = _accept(client, link)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not User.objects.filter(username="lisi").exists()


def test_a_role_of_another_kind_of_organisation_cannot_be_given(
    client, enterprise_admin, enterprise_operator
):
    client.force_login(enterprise_admin)
    response = client.post("/team/", {"email": "x@example.com", "role": "customs_officer"})
    assert response.context["form"].errors["role"]
    client.post(f"/team/{enterprise_operator.pk}/role/", {"role": "system_admin"})
    enterprise_operator.refresh_from_db()
    assert enterprise_operator.role_names == {"enterprise_operator"}


def test_an_operator_cannot_manage_the_team(client, enterprise_admin, enterprise_operator):
    client.force_login(enterprise_operator)
    assert client.get("/team/").status_code == 403
    assert client.post("/team/", {"email": "x@example.com", "role": "enterprise_admin"}).status_code == 403
    assert client.post(f"/team/{enterprise_admin.pk}/deactivate/").status_code == 403
    assert (
        client.post(f"/team/{enterprise_operator.pk}/role/", {"role": "enterprise_admin"}).status_code == 403
    )
    enterprise_admin.refresh_from_db()
    enterprise_operator.refresh_from_db()
    assert enterprise_admin.is_active
    assert enterprise_operator.role_names == {"enterprise_operator"}
    assert not Invitation.objects.exists()


def test_an_admin_cannot_deactivate_themselves(client, enterprise_admin):
    client.force_login(enterprise_admin)
    response = client.post(f"/team/{enterprise_admin.pk}/deactivate/")
    assert response.status_code == 302
    assert _flash(response) == ["不能停用您本人的账号。"]
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.is_active


def test_an_admin_cannot_remove_their_own_admin_role(client, enterprise_admin):
    client.force_login(enterprise_admin)
    response = client.post(f"/team/{enterprise_admin.pk}/role/", {"role": "enterprise_operator"})
    assert _flash(response) == ["不能取消您本人的管理员角色。"]
    enterprise_admin.refresh_from_db()
    assert enterprise_admin.role_names == {"enterprise_admin"}


def test_deactivating_a_colleague_stops_their_login_and_is_audited(
    client, enterprise_admin, enterprise_operator
):
    client.force_login(enterprise_admin)
    client.post(f"/team/{enterprise_operator.pk}/deactivate/")
    enterprise_operator.refresh_from_db()
    assert not enterprise_operator.is_active
    event = AuditEvent.objects.get(verb=AuditVerb.DEACTIVATE)
    assert (event.actor, event.target_id) == (enterprise_admin, str(enterprise_operator.pk))

    colleague = Client()
    login = colleague.post(
        "/login/", {"username": enterprise_operator.username, "password": factories.PASSWORD}
    )
    assert login.status_code == 200  # the form again, not a session

    client.post(f"/team/{enterprise_operator.pk}/reactivate/")
    enterprise_operator.refresh_from_db()
    assert enterprise_operator.is_active
    assert AuditEvent.objects.filter(verb=AuditVerb.REACTIVATE).count() == 1


def test_services_refuse_a_manager_from_another_organisation(enterprise_operator, other_admin):
    with pytest.raises(PermissionDenied):
        user_services.user_set_active(user=enterprise_operator, active=False, by=other_admin)
    with pytest.raises(PermissionDenied):
        user_services.invitation_create(
            organisation=enterprise_operator.organisation,
            email="x@example.com",
            role="enterprise_operator",
            by=other_admin,
        )
