"""Another organisation's objects answer 404; another department's officer pages answer 403."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.models import ApiToken, Invitation, Notification
from portal.services import tokens
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_admin):
    """One object of each kind belonging to the other enterprise (or its admin)."""
    colleague = factories.UserFactory(organisation=other_admin.organisation, role="enterprise_operator")
    token, _raw = tokens.token_create(user=other_admin, name="their ERP")
    return {
        "notification": Notification.objects.create(recipient=other_admin, verb="x", title="private"),
        "token": token,
        "member": colleague,
        "invitation": Invitation.objects.create(
            organisation=other_admin.organisation,
            email="invitee@other.example",
            role="enterprise_operator",
            token_hash="0" * 64,
            invited_by=other_admin,
            expires_at=timezone.now() + timedelta(days=7),
        ),
    }


def test_another_users_notification_cannot_be_opened(client, enterprise_admin, theirs):
    client.force_login(enterprise_admin)
    assert client.post(f"/inbox/{theirs['notification'].pk}/open/").status_code == 404
    theirs["notification"].refresh_from_db()
    assert theirs["notification"].read_at is None


def test_another_users_token_cannot_be_revoked(client, enterprise_admin, theirs):
    client.force_login(enterprise_admin)
    assert client.post(f"/profile/tokens/{theirs['token'].pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=theirs["token"].pk).revoked_at is None
    assert theirs["token"].prefix not in client.get("/profile/").content.decode()


@pytest.mark.parametrize("action", ["deactivate", "reactivate", "role"])
def test_another_organisations_member_cannot_be_managed(client, enterprise_admin, theirs, action):
    client.force_login(enterprise_admin)
    member = theirs["member"]
    response = client.post(f"/team/{member.pk}/{action}/", {"role": "enterprise_admin"})
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.is_active
    assert member.role_names == {"enterprise_operator"}


def test_another_organisations_invitation_cannot_be_withdrawn(client, enterprise_admin, theirs):
    client.force_login(enterprise_admin)
    assert client.post(f"/team/invitations/{theirs['invitation'].pk}/revoke/").status_code == 404
    theirs["invitation"].refresh_from_db()
    assert theirs["invitation"].revoked_at is None


def test_team_page_lists_only_the_own_organisation(client, enterprise_admin, theirs):
    client.force_login(enterprise_admin)
    page = client.get("/team/").content.decode()
    assert enterprise_admin.username in page
    assert theirs["member"].username not in page
    assert theirs["invitation"].email not in page


def test_404_page_is_the_portal_page_in_chinese(client, enterprise_admin, theirs):
    client.force_login(enterprise_admin)
    response = client.post(f"/inbox/{theirs['notification'].pk}/open/")
    assert "portal/error.html" in [t.name for t in response.templates]
    assert "页面不存在" in response.content.decode()


OFFICER_PAGES = {
    "customs_officer": ("CUSTOMS", "/customs/officer/"),
    "inspection_officer": ("CIQ", "/inspection/officer/"),
    "forex_officer": ("SAFE", "/forex/officer/"),
    "tax_officer": ("TAX", "/tax/officer/"),
}


@pytest.mark.parametrize("role", OFFICER_PAGES)
@pytest.mark.parametrize("page_role", OFFICER_PAGES)
def test_officers_open_only_their_own_departments_page(client, role, page_role):
    kind, _url = OFFICER_PAGES[role]
    officer = factories.UserFactory(organisation=factories.GovernmentFactory(kind=kind), role=role)
    client.force_login(officer)
    response = client.get(OFFICER_PAGES[page_role][1])
    assert response.status_code == (200 if role == page_role else 403)
    if response.status_code == 403:
        assert "portal/error.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("url", [url for _kind, url in OFFICER_PAGES.values()])
@pytest.mark.parametrize("fixture", ["enterprise_admin", "reviewer", "system_admin"])
def test_non_officers_cannot_open_officer_pages(client, request, fixture, url):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(url).status_code == 403
