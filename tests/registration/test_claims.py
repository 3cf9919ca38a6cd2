"""Sign-up squatting (review finding M4, ADR 0017): unverified accounts, the takeover after the waiting
period, the refusal that confirms nothing, the supervisors' page, reassignment and dismissal."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accounts import services as account_services
from accounts.models import (
    ClaimOrigin,
    ClaimStatus,
    OrganisationClaim,
    OrganisationVerification,
    VerificationStatus,
)
from accounts.services import claims
from portal.identifiers import make_uscc, oc_check_char
from portal.models import AuditEvent, Invitation, Notification, Organisation
from portal.statemachine import TransitionNotAllowed
from registration import services
from registration.choices import FilingStatus
from registration.models import EntityFiling
from tests import factories
from tests.registration import builders
from tests.registration.test_pages import assert_accessible

pytestmark = pytest.mark.django_db

User = get_user_model()
CODE = make_uscc("91", "330782", "MA2KQT01")
PASSWORD = "a-Long-enough-passphrase-42"
REFUSAL = (
    "This credit code already has an account. If it is yours, ask its administrator for an invitation or "
    "contact the commerce bureau."
)


@pytest.fixture(autouse=True)
def _english():
    """Services answer in the active language; these tests read the English wording."""
    with translation.override("en"):
        yield


def _signup(username: str, *, code: str = CODE, **extra):
    data = {
        "uscc": code,
        "name_cn": f"义乌市{username}电子商务有限公司",
        "name_en": "",
        "division_code": "",
        "username": username,
        "full_name": f"{username} 全名",
        "email": f"{username}@example.com",
        "phone": "13900000000",
        "password": PASSWORD,
        **extra,
    }
    return account_services.enterprise_signup(**data)


def _post_signup(client, username: str, *, code: str = CODE):
    client.cookies["portal_language"] = "en"
    return client.post(
        "/registration/signup/",
        {
            "uscc": code,
            "name_cn": "义乌市真实电子商务有限公司",
            "name_en": "",
            "division_code": "",
            "full_name": "真实 法人",
            "username": username,
            "email": f"{username}@example.com",
            "phone": "13900000000",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def _age(organisation, days: int) -> None:
    """Move the holder's sign-up ``days`` into the past."""
    OrganisationClaim.objects.filter(organisation=organisation, status=ClaimStatus.HOLDER).update(
        holder_since=timezone.now() - timedelta(days=days)
    )


def _refusal_message(exc: ValidationError) -> str:
    return exc.message_dict["uscc"][0]


# --- sign-up records the holder and an unverified account ------------------------------------------------
def test_signup_creates_an_unverified_account_held_by_its_first_administrator():
    org, user = _signup("squatter")
    verification = OrganisationVerification.objects.get(organisation=org)
    assert verification.status == VerificationStatus.UNVERIFIED
    holder = claims.holder_of(org)
    assert (holder.status, holder.origin, holder.user, holder.code) == (
        ClaimStatus.HOLDER,
        ClaimOrigin.SIGNUP,
        user,
        CODE,
    )
    assert holder.email == "squatter@example.com"
    assert AuditEvent.objects.for_object(holder).filter(verb="create").exists()
    assert not claims.is_verified(org)


def test_operator_made_organisations_count_as_verified_and_are_never_claimable(enterprise):
    assert claims.is_verified(enterprise)
    assert not claims.claimable(enterprise)
    with pytest.raises(ValidationError) as info:
        _signup("taker", code=enterprise.code)
    assert _refusal_message(info.value) == REFUSAL


# --- refusal before the waiting period ends --------------------------------------------------------------
def test_refusal_before_expiry_keeps_the_attempt_for_the_bureau(supervisor):
    org, squatter = _signup("squatter")
    _age(org, 13)
    with pytest.raises(ValidationError) as info:
        _signup("rightful")
    assert _refusal_message(info.value) == REFUSAL
    assert info.value.error_dict["uscc"][0].code == "organisation_exists"
    assert not User.objects.filter(username="rightful").exists()
    squatter.refresh_from_db()
    assert squatter.is_active and squatter.organisation == org
    pending = OrganisationClaim.objects.get(organisation=org, status=ClaimStatus.PENDING)
    assert (pending.origin, pending.email, pending.attempts) == (
        ClaimOrigin.REFUSED,
        "rightful@example.com",
        1,
    )
    told = Notification.objects.filter(verb="registration.signup_refused")
    assert [n.recipient for n in told] == [supervisor]
    assert told[0].email_wanted and f"/registration/claims/{org.pk}/" == told[0].url
    # The holder is not told (a squatter would learn that the enterprise is looking for its account).
    assert not Notification.objects.filter(recipient=squatter).exists()


def test_a_repeated_refused_signup_is_one_pending_claim(supervisor):
    org, _user = _signup("squatter")
    for _attempt in range(3):
        with pytest.raises(ValidationError):
            _signup("rightful")
    pending = OrganisationClaim.objects.get(organisation=org, status=ClaimStatus.PENDING)
    assert pending.attempts == 3
    assert Notification.objects.filter(verb="registration.signup_refused").count() == 1


def test_refused_signup_with_bad_input_reports_the_input_and_records_nothing():
    org, _user = _signup("squatter")
    with pytest.raises(ValidationError) as info:
        _signup("rightful", password="short")
    assert "password1" in info.value.message_dict
    assert "uscc" not in info.value.message_dict
    assert not OrganisationClaim.objects.filter(organisation=org, status=ClaimStatus.PENDING).exists()


def test_the_refusal_is_the_same_whatever_the_state_of_the_account(client, enterprise_admin, reviewer):
    """Verified, unverified and recent, unverified with a filing at the bureau, or made by the operator: the
    page says the same words and nothing else about the account."""
    fresh, _u = _signup("fresh", code=make_uscc("91", "330782", "MA2KQT02"))
    busy, busy_admin = _signup("busy", code=make_uscc("91", "330782", "MA2KQT03"))
    builders.submitted(busy_admin)
    _age(busy, 60)
    verified, verified_admin = _signup("verified", code=make_uscc("91", "330782", "MA2KQT04"))
    builders.approved(verified_admin, reviewer)
    _age(verified, 60)
    pages = []
    for n, org in enumerate([fresh, busy, verified, enterprise_admin.organisation]):
        response = _post_signup(client, f"probe{n}", code=org.code)
        assert response.status_code == 200
        assert response.context["form"].errors["uscc"] == [REFUSAL]
        html = response.content.decode()
        assert org.name_cn not in html
        pages.append(re.sub(r"probe\d|(value|nonce)=\"[^\"]*\"", "", html))
    assert len(set(pages)) == 1


def test_filing_with_another_organisations_code_does_not_confirm_it_is_registered(
    enterprise_admin, other_admin
):
    filing = builders.draft(other_admin)
    unregistered = make_uscc("91", "330100", "YY999999")
    answers = []
    for code in (enterprise_admin.organisation.code, unregistered):
        with pytest.raises(ValidationError) as info:
            services.filing_update_draft(filing=filing, by=other_admin, data={"uscc": code})
        answers.append([(e.code, e.message) for e in info.value.error_dict["uscc"]])
    assert answers[0] == answers[1]
    assert answers[0][0][0] == "uscc_not_own"


# --- the takeover after the waiting period ---------------------------------------------------------------
def test_claim_after_expiry_takes_the_account_over(client, supervisor, reviewer):
    org, squatter = _signup("squatter")
    operator = factories.UserFactory(organisation=org, role="enterprise_operator")
    stale = builders.draft(squatter)
    invitation = Invitation.objects.create(
        organisation=org,
        email="friend@example.com",
        role="enterprise_operator",
        token_hash="x" * 64,
        invited_by=squatter,
        expires_at=timezone.now() + timedelta(days=3),
    )
    _age(org, 15)
    assert claims.claimable(org)

    new_org, rightful = _signup("rightful", name_cn="义乌市真实电子商务有限公司")

    assert new_org.pk == org.pk  # the same organisation (and exchange identity) changes hands
    org.refresh_from_db()
    assert org.name_cn == "义乌市真实电子商务有限公司" and org.code == CODE
    assert rightful.organisation == org and rightful.has_role("enterprise_admin")
    for user in (squatter, operator):
        user.refresh_from_db()
        assert not user.is_active and user.organisation is None
    retired = OrganisationClaim.objects.get(user=squatter)
    assert retired.status == ClaimStatus.RETIRED
    assert sorted(retired.retired_users) == sorted([squatter.username, operator.username])
    assert "14" in retired.retired_reason
    holder = claims.holder_of(org)
    assert (holder.user, holder.origin) == (rightful, ClaimOrigin.TAKEOVER)
    stale.refresh_from_db()
    assert stale.status == FilingStatus.WITHDRAWN and stale.claim == retired
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert OrganisationVerification.objects.get(organisation=org).status == VerificationStatus.UNVERIFIED
    # Audited: the retirement with its reason, each user closed, the new holder's claim.
    assert (
        AuditEvent.objects.for_object(retired)
        .filter(verb="transition", from_state="HOLDER", to_state="RETIRED", reason=retired.retired_reason)
        .exists()
    )
    assert AuditEvent.objects.for_object(squatter).filter(verb="deactivate").exists()
    assert AuditEvent.objects.for_object(holder).filter(verb="create").exists()
    # Both parties are told, by email as well; the bureau's supervisors see it in their inbox.
    retired_told = Notification.objects.get(verb="registration.account_retired", recipient=squatter)
    assert retired_told.email_wanted and CODE in retired_told.title
    assert Notification.objects.filter(verb="registration.account_retired", recipient=operator).exists()
    taker_told = Notification.objects.get(verb="registration.account_taken_over", recipient=rightful)
    assert taker_told.email_wanted
    assert Notification.objects.filter(verb="registration.account_taken_over", recipient=supervisor).exists()
    # The new holder never sees what the earlier holder filed (their ID scans, their particulars).
    client.force_login(rightful)
    assert client.get(f"/registration/filings/{stale.pk}/").status_code == 404
    assert f"/registration/filings/{stale.pk}/" not in client.get("/registration/filings/").content.decode()
    listed = client.get("/api/v1/registration/filings/").json()
    assert listed["count"] == 0
    team = client.get("/team/").content.decode()
    assert squatter.username not in team
    # The bureau still sees the earlier holder's filings that reached it (none here) and all sign-ups.
    assert EntityFiling.objects.visible_to(reviewer).filter(pk=stale.pk).count() == 0


def test_the_earlier_holders_returned_filing_is_withdrawn_and_its_reviewer_told(reviewer):
    org, squatter = _signup("squatter")
    filing = builders.returned(squatter, reviewer)
    EntityFiling.objects.filter(pk=filing.pk).update(submitted_at=timezone.now() - timedelta(days=20))
    _age(org, 30)
    _org, rightful = _signup("rightful")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.WITHDRAWN
    assert Notification.objects.filter(verb="registration.discarded", recipient=reviewer).exists()
    # The bureau keeps the filing on record; the new holder does not see it.
    assert EntityFiling.objects.visible_to(reviewer).filter(pk=filing.pk).exists()
    assert not EntityFiling.objects.visible_to(rightful).filter(pk=filing.pk).exists()
    with pytest.raises(PermissionDenied):
        services.filing_withdraw(filing=filing, by=rightful)


@pytest.mark.parametrize(
    ("setup", "why"),
    [
        ("submitted", "a filing is with the bureau"),
        ("recent_submission", "a filing was submitted within the waiting period"),
        ("verified", "the bureau approved a filing"),
        ("young", "the account is younger than the waiting period"),
    ],
)
def test_no_takeover_while_the_holder_pursues_its_filing(setup, why, reviewer):
    org, squatter = _signup("squatter")
    if setup == "submitted":
        builders.submitted(squatter)
    elif setup == "recent_submission":
        filing = builders.returned(squatter, reviewer)
        services.filing_withdraw(filing=filing, by=squatter)
    elif setup == "verified":
        builders.approved(squatter, reviewer)
    _age(org, 10 if setup == "young" else 30)
    assert not claims.claimable(org), why
    with pytest.raises(ValidationError) as info:
        _signup("rightful")
    assert _refusal_message(info.value) == REFUSAL
    squatter.refresh_from_db()
    assert squatter.is_active


def test_the_waiting_period_is_a_setting(settings):
    settings.REGISTRATION_CLAIM_AFTER_DAYS = 30
    org, _user = _signup("squatter")
    _age(org, 20)
    with pytest.raises(ValidationError):
        _signup("rightful")
    _age(org, 31)
    new_org, _rightful = _signup("rightful2")
    assert new_org.pk == org.pk


def test_a_takeover_that_races_a_submission_changes_nothing():
    """The holder submits while the takeover is being decided: the takeover re-checks under the lock."""
    org, squatter = _signup("squatter")
    filing = builders.draft(squatter)
    _age(org, 20)
    EntityFiling.objects.filter(pk=filing.pk).update(status=FilingStatus.SUBMITTED)
    with pytest.raises(claims.Refused):
        claims.take_over(org, details={"code": CODE}, now=timezone.now())


def test_a_closed_users_stale_page_cannot_open_a_filing_after_the_takeover():
    org, squatter = _signup("squatter")
    _age(org, 20)
    _signup("rightful")
    stale_user = User.objects.get(pk=squatter.pk)
    stale_user.organisation_id, stale_user.is_active = org.pk, True  # as held by a request begun earlier
    with pytest.raises(ValidationError):
        services.filing_create_draft(
            owner=org, by=stale_user, entity_type="APPLICATION", subtype="ENTERPRISE"
        )


def test_filings_of_the_new_holder_belong_to_its_claim():
    org, _squatter = _signup("squatter")
    _age(org, 20)
    _org, rightful = _signup("rightful")
    filing = builders.draft(rightful)
    assert filing.claim == claims.holder_of(org)
    assert EntityFiling.objects.visible_to(rightful).filter(pk=filing.pk).exists()


# --- verification ------------------------------------------------------------------------------------------
def test_filing_approval_verifies_the_account(reviewer):
    org, admin = _signup("rightful")
    filing = builders.approved(admin, reviewer)
    verification = OrganisationVerification.objects.get(organisation=org)
    assert verification.status == VerificationStatus.VERIFIED
    assert (verification.verified_by, verification.verified_filing) == (reviewer, filing)
    assert (
        AuditEvent.objects.for_object(verification)
        .filter(from_state="UNVERIFIED", to_state="VERIFIED", actor=reviewer)
        .exists()
    )
    _age(org, 400)
    assert not claims.claimable(org)


def test_the_review_page_warns_of_an_unverified_account(client, reviewer):
    _org, admin = _signup("rightful")
    filing = builders.submitted(admin)
    client.force_login(reviewer)
    html = client.get(f"/registration/review/{filing.pk}/").content.decode()
    assert 'data-testid="account-unverified"' in html


# --- the supervisors' page -------------------------------------------------------------------------------
def _dispute():
    org, squatter = _signup("squatter")
    with pytest.raises(ValidationError):
        _signup("rightful", name_cn="义乌市真实电子商务有限公司")
    pending = OrganisationClaim.objects.get(organisation=org, status=ClaimStatus.PENDING)
    return org, squatter, pending


def test_supervisors_see_disputed_signups_from_their_navigation(client, supervisor):
    org, _squatter, pending = _dispute()
    client.force_login(supervisor)
    home = client.get("/").content.decode()
    assert 'href="/registration/claims/"' in home
    listing = client.get("/registration/claims/")
    assert listing.status_code == 200
    assert f'data-code="{org.code}"' in listing.content.decode()
    assert_accessible(listing.content.decode())
    detail = client.get(f"/registration/claims/{org.pk}/").content.decode()
    assert_accessible(detail)
    assert pending.email in detail and "squatter@example.com" in detail
    assert f"/registration/claims/sign-ups/{pending.pk}/reassign/" in detail
    searched = client.get("/registration/claims/", {"show": "disputed", "q": org.code[:10]}).content.decode()
    assert f'data-code="{org.code}"' in searched


@pytest.mark.parametrize("who", ["reviewer", "enterprise_admin", "customs_officer", "system_admin"])
def test_only_supervisors_open_the_claims_pages(client, request, who):
    org, _squatter, pending = _dispute()
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get("/registration/claims/").status_code == 403
    assert client.get(f"/registration/claims/{org.pk}/").status_code == 403
    response = client.post(f"/registration/claims/sign-ups/{pending.pk}/reassign/", {"reason": "x"})
    assert response.status_code == 403
    assert (
        client.post(f"/registration/claims/sign-ups/{pending.pk}/dismiss/", {"reason": "x"}).status_code
        == 403
    )
    pending.refresh_from_db()
    assert pending.status == ClaimStatus.PENDING
    home = client.get("/").content.decode()
    assert 'href="/registration/claims/"' not in home


def test_anonymous_users_are_sent_to_log_in(client):
    assert client.get("/registration/claims/").status_code == 302


def test_services_refuse_reviewers_and_enterprise_users(reviewer, enterprise_admin):
    _org, _squatter, pending = _dispute()
    for user in (reviewer, enterprise_admin):
        with pytest.raises(PermissionDenied):
            account_services.claim_reassign(claim=pending, by=user, reason="x")
        with pytest.raises(PermissionDenied):
            account_services.claim_dismiss(claim=pending, by=user, reason="x")


def test_supervisor_reassigns_the_account_to_the_rightful_claimant(
    client, supervisor, reviewer, django_capture_on_commit_callbacks
):
    org, squatter, pending = _dispute()
    filing = builders.under_review(squatter, reviewer)
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/registration/claims/sign-ups/{pending.pk}/reassign/",
            {"reason": "核对营业执照原件及法定代表人身份证，申请人为真实企业"},
        )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ClaimStatus.HOLDER and pending.decided_by == supervisor
    assert "营业执照" in pending.decision_reason
    retired = OrganisationClaim.objects.get(user=squatter)
    assert retired.status == ClaimStatus.RETIRED and retired.retired_by == supervisor
    squatter.refresh_from_db()
    assert not squatter.is_active
    filing.refresh_from_db()
    assert filing.status == FilingStatus.WITHDRAWN
    assert Notification.objects.filter(verb="registration.discarded", recipient=reviewer).exists()
    assert Notification.objects.filter(verb="registration.account_retired", recipient=squatter).exists()
    verification = OrganisationVerification.objects.get(organisation=org)
    assert (verification.status, verification.verified_by) == (VerificationStatus.VERIFIED, supervisor)
    org.refresh_from_db()
    assert org.name_cn == "义乌市真实电子商务有限公司"
    for target, verb in ((pending, "transition"), (org, "invite"), (verification, "transition")):
        assert AuditEvent.objects.for_object(target).filter(verb=verb, actor=supervisor).count() == 1
    event = AuditEvent.objects.for_object(pending).get(verb="transition")
    assert (event.from_state, event.to_state, event.reason) == ("PENDING", "HOLDER", pending.decision_reason)
    # The claimant is invited by email as the organisation's administrator and then acts for it.
    (invite,) = [m for m in mail.outbox if m.to == ["rightful@example.com"]]
    link = re.search(r"/invitation/[^\s]+/", invite.body).group(0)
    client.logout()
    accepted = client.post(
        link,
        {
            "username": "rightful",
            "full_name": "真实 法人",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert accepted.status_code == 302
    rightful = User.objects.get(username="rightful")
    assert rightful.organisation == org and rightful.has_role("enterprise_admin")
    client.force_login(rightful)
    assert client.get(f"/registration/filings/{filing.pk}/").status_code == 404
    new = builders.draft(rightful)
    assert new.claim == pending


def test_reassignment_waits_for_a_filing_in_force_to_be_revoked(supervisor, reviewer):
    org, squatter, pending = _dispute()
    active = builders.active(squatter, reviewer)
    with pytest.raises(ValidationError) as info:
        account_services.claim_reassign(claim=pending, by=supervisor, reason="核实")
    assert info.value.code == "revoke_first"
    assert active.filing_no in info.value.messages[0]
    pending.refresh_from_db()
    assert pending.status == ClaimStatus.PENDING
    services.filing_revoke(filing=active, by=supervisor, reason="冒用他人信用代码")
    account_services.claim_reassign(claim=pending, by=supervisor, reason="核实")
    assert claims.holder_of(org) == OrganisationClaim.objects.get(pk=pending.pk)


def test_reassignment_of_an_operator_made_organisation_records_its_earlier_holder(
    supervisor, enterprise, enterprise_admin
):
    with pytest.raises(ValidationError):
        _signup("rightful", code=enterprise.code)
    pending = OrganisationClaim.objects.get(organisation=enterprise, status=ClaimStatus.PENDING)
    draft = builders.draft(enterprise_admin)
    account_services.claim_reassign(claim=pending, by=supervisor, reason="核实")
    earlier = OrganisationClaim.objects.get(organisation=enterprise, origin=ClaimOrigin.EXISTING)
    assert earlier.status == ClaimStatus.RETIRED
    draft.refresh_from_db()
    assert draft.claim == earlier and draft.status == FilingStatus.WITHDRAWN


def test_a_decision_needs_a_reason_and_a_pending_claim(client, supervisor):
    _org, _squatter, pending = _dispute()
    with pytest.raises(ValidationError):
        account_services.claim_reassign(claim=pending, by=supervisor, reason="  ")
    client.force_login(supervisor)
    client.post(f"/registration/claims/sign-ups/{pending.pk}/reassign/", {"reason": ""})
    pending.refresh_from_db()
    assert pending.status == ClaimStatus.PENDING
    account_services.claim_dismiss(claim=pending, by=supervisor, reason="申请人无法提供营业执照")
    with pytest.raises(TransitionNotAllowed):
        account_services.claim_reassign(claim=pending, by=supervisor, reason="again")
    page = client.post(
        f"/registration/claims/sign-ups/{pending.pk}/reassign/", {"reason": "again"}, follow=True
    )
    assert page.status_code == 200
    pending.refresh_from_db()
    assert pending.status == ClaimStatus.DISMISSED


def test_dismissal_keeps_the_holder_and_tells_the_claimant(supervisor, django_capture_on_commit_callbacks):
    org, squatter, pending = _dispute()
    with django_capture_on_commit_callbacks(execute=True):
        account_services.claim_dismiss(claim=pending, by=supervisor, reason="申请人无法提供营业执照")
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (ClaimStatus.DISMISSED, supervisor)
    assert claims.holder_of(org).user == squatter
    squatter.refresh_from_db()
    assert squatter.is_active
    (told,) = [m for m in mail.outbox if m.to == ["rightful@example.com"]]
    assert "申请人无法提供营业执照" in told.body
    event = AuditEvent.objects.for_object(pending).get(verb="transition")
    assert (event.from_state, event.to_state, event.actor) == ("PENDING", "DISMISSED", supervisor)


# --- data migration ----------------------------------------------------------------------------------------
def test_backfill_records_accounts_signed_up_before_claims(reviewer):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("registration.migrations.0007_backfill_claims").backfill

    class moved_apps:  # the migration predates the move of the account models to accounts (ADR 0026)
        @staticmethod
        def get_model(app_label, name):
            moved = name in ("OrganisationClaim", "OrganisationVerification")
            return apps.get_model("accounts" if moved else app_label, name)

    young, young_admin = _signup("young", code=make_uscc("91", "330782", "MA2KQT05"))
    old, old_admin = _signup("old", code=make_uscc("91", "330782", "MA2KQT06"))
    filing = builders.approved(old_admin, reviewer)
    draft = builders.draft(young_admin)
    EntityFiling.objects.update(claim=None)
    OrganisationClaim.objects.all().delete()
    OrganisationVerification.objects.all().delete()
    factories.EnterpriseFactory()  # made by the operator: no rows
    backfill(moved_apps, None)
    assert OrganisationVerification.objects.get(organisation=young).status == VerificationStatus.UNVERIFIED
    verified = OrganisationVerification.objects.get(organisation=old)
    assert (verified.status, verified.verified_filing_id) == (VerificationStatus.VERIFIED, filing.pk)
    holder = claims.holder_of(young)
    assert (holder.user_id, holder.origin) == (young_admin.pk, ClaimOrigin.SIGNUP)
    draft.refresh_from_db()
    assert draft.claim_id == holder.pk
    assert OrganisationVerification.objects.count() == 2
    backfill(moved_apps, None)  # idempotent
    assert OrganisationClaim.objects.count() == 2


def test_organisation_lookup_treats_a_legacy_code_and_its_credit_code_as_one_enterprise():
    legacy_org = factories.EnterpriseFactory(code="MA2KQT07" + oc_check_char("MA2KQT07"))
    assert claims.organisation_for_code(make_uscc("91", "330782", "MA2KQT07")) == legacy_org
    credit_org = factories.EnterpriseFactory(code=make_uscc("91", "330782", "MA2KQT08"))
    assert claims.organisation_for_code(credit_org.code[8:17]) == credit_org
    assert claims.organisation_for_code(make_uscc("91", "330782", "MA2KQT09")) is None
    assert Organisation.objects.filter(pk=legacy_org.pk).exists()


def test_the_refusal_reads_in_chinese_by_default(client, enterprise):
    response = client.post(
        "/registration/signup/",
        {
            "uscc": enterprise.code,
            "name_cn": "义乌市真实电子商务有限公司",
            "full_name": "真实 法人",
            "username": "zh_probe",
            "email": "zh_probe@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.context["form"].errors["uscc"] == [
        "该统一社会信用代码已有账户。如系贵单位代码，请联系该账户管理员邀请您加入，或与商务主管部门联系。"
    ]


# --- review follow-ups: counts under search, audits of the account's particulars and verification ---------
def test_searching_the_claims_list_does_not_multiply_its_counts(client, supervisor):
    org, _squatter, _pending = _dispute()
    with pytest.raises(ValidationError):
        _signup("another", name_cn="义乌市另一家电子商务有限公司")
    client.force_login(supervisor)
    for query in ({}, {"q": org.code}, {"q": "真实"}):
        [row] = client.get("/registration/claims/", query).context["page_obj"]
        assert (row.pending, row.claims_total) == (2, 3), query


def test_reassignment_audits_the_new_particulars_with_the_supervisor_as_actor(supervisor):
    org, _squatter, pending = _dispute()
    claims.claim_reassign(claim=pending, by=supervisor, reason="核对营业执照原件，申请人为真实企业")
    updates = AuditEvent.objects.filter(target_id=str(org.pk), verb="update", payload__after__isnull=False)
    event = updates.get()
    assert event.actor == supervisor
    assert event.payload["after"]["name_cn"] == "义乌市真实电子商务有限公司"
    assert set(event.payload["before"]) == {"code", "name_cn", "name_en", "division_code"}


def test_a_takeover_audits_the_account_back_to_unverified():
    org, _squatter = _signup("squatter")
    _age(org, 15)
    _signup("rightful", name_cn="义乌市真实电子商务有限公司")
    verification = OrganisationVerification.objects.get(organisation=org)
    assert AuditEvent.objects.filter(
        target_id=str(verification.pk), verb="transition", to_state=VerificationStatus.UNVERIFIED
    ).exists()
