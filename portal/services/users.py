"""Users of an organisation: invitations, roles, deactivation. Every change is audited."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import accounts
from portal.choices import ROLES_OF_KIND, AuditVerb, Role
from portal.models import Invitation, Organisation, User
from portal.services.audit import audit

INVITATION_DAYS = 7


def _check_manager(by: User, organisation: Organisation) -> None:
    if by.is_superuser:
        return
    if by.organisation_id != organisation.pk or not by.has_perm("portal.manage_own_users"):
        raise PermissionDenied


def _check_role_fits(organisation: Organisation, role: str) -> None:
    if role not in {str(r) for r in ROLES_OF_KIND.get(organisation.kind, set())}:
        raise ValidationError({"role": _("This role does not exist for this kind of organisation.")})


@transaction.atomic
def invitation_create(*, organisation: Organisation, email: str, role: str, full_name: str = "", by: User):
    """Invite a colleague; returns ``(invitation, raw_token)``. The email goes out after commit."""
    _check_manager(by, organisation)
    _check_role_fits(organisation, role)
    email = accounts.normalise_email(email)
    # Only the inviter's own organisation is checked: whether an address has an account elsewhere on the
    # portal is not theirs to learn. A clash elsewhere is caught when the invitee accepts.
    if User.objects.filter(email__iexact=email, is_active=True, organisation=organisation).exists():
        raise ValidationError({"email": _("A user of your organisation already has this email address.")})
    raw, hashed = Invitation.new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        full_name=full_name,
        role=role,
        token_hash=hashed,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    audit(verb=AuditVerb.INVITE, target=organisation, payload={"email": email, "role": role})
    link = settings.SITE_URL + reverse("portal:invitation-accept", args=[raw])
    subject = _("Invitation to the Zhejiang cross-border e-commerce portal")
    body = _(
        "%(who)s invited you to act for %(org)s. Open this link within %(days)d days to choose your "
        "username and password: %(link)s"
    ) % {"who": by.display_name, "org": organisation.name_cn, "days": INVITATION_DAYS, "link": link}
    transaction.on_commit(lambda: send_mail(subject, body, None, [email], fail_silently=True))
    return invitation, raw


def invitation_by_token(raw: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=Invitation.hash_token(raw))
        .first()
    )
    return invitation if invitation is not None and invitation.is_open else None


def save_new_account(user: User) -> User:
    """Insert a new user; a username or address that another account took a moment ago is a field error on
    the form, not a 500 (the unique indexes of ADR 0022 are the last word, the checks before are for the
    message)."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        if User.objects.filter(username_key=accounts.username_skeleton(user.username)).exists():
            raise ValidationError({"username": accounts.username_taken_message()}) from None
        if User.objects.filter(is_active=True, email__iexact=user.email).exclude(email="").exists():
            raise ValidationError({"email": accounts.email_unusable_message()}) from None
        raise
    return user


@transaction.atomic
def invitation_accept(*, invitation: Invitation, username: str, password: str, full_name: str = "") -> User:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer valid."))
    username = accounts.normalise_username(username)
    problems = accounts.username_problems(username)
    if problems:
        raise ValidationError({"username": problems})
    if accounts.email_in_use(invitation.email):
        raise ValidationError(
            _(
                "An account with this email address already exists; one address belongs to one "
                "account. Ask the inviting administrator to invite another address."
            )
        )
    user = User(
        username=username,
        email=accounts.normalise_email(invitation.email),
        full_name=full_name or invitation.full_name,
        organisation=invitation.organisation,
    )
    user.set_password(password)
    save_new_account(user)
    user.groups.add(Group.objects.get(name=invitation.role))
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit(
        verb=AuditVerb.CREATE,
        actor=user,
        target=user,
        payload={"invitation": invitation.pk, "role": invitation.role},
    )
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    _check_manager(by, invitation.organisation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit(verb=AuditVerb.DELETE, target=invitation.organisation, payload={"invitation": invitation.email})


@transaction.atomic
def user_set_role(*, user: User, role: str, by: User) -> User:
    """Give ``user`` exactly one role of their organisation's kind."""
    _check_manager(by, user.organisation)
    _check_role_fits(user.organisation, role)
    if user.pk == by.pk and role != Role.ENTERPRISE_ADMIN and user.has_role(Role.ENTERPRISE_ADMIN):
        raise ValidationError({"role": _("You cannot remove your own administrator role.")})
    before = sorted(user.role_names)
    allowed = [str(r) for r in ROLES_OF_KIND[user.organisation.kind]]
    user.groups.remove(*Group.objects.filter(name__in=allowed))
    user.groups.add(Group.objects.get(name=role))
    user._role_names = None
    audit(verb=AuditVerb.ROLE_CHANGE, target=user, from_state=",".join(before), to_state=role)
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool, by: User, reason: str = "") -> User:
    _check_manager(by, user.organisation)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    if user.is_active != active:
        user = User.objects.select_for_update().get(pk=user.pk)
        user.is_active = active
        # Back among the active accounts with an address another active account took meanwhile: it keeps
        # it, outside the unique index, and is asked to choose another (ADR 0022). The administrator is not
        # told whose the address is.
        shared = active and not user.email_shared and accounts.email_in_use(user.email, exclude_pk=user.pk)
        user.email_shared = user.email_shared or shared
        user.save(update_fields=["is_active", "email_shared"])
        audit(
            verb=AuditVerb.REACTIVATE if active else AuditVerb.DEACTIVATE,
            target=user,
            from_state=str(not active),
            to_state=str(active),
            reason=reason,
            payload={"email_shared": True} if shared else None,
        )
    return user


@transaction.atomic
def profile_update(*, user: User, form) -> User:
    """Save the user's own profile form (``portal.forms.ProfileForm``, already valid). A new email address
    (the form has checked the current password) leaves the shared-address list and is announced to the old
    address after commit, so that a stolen session cannot quietly take the account over."""
    old_email = User.objects.filter(pk=user.pk).values_list("email", flat=True).get()
    changed = form.changed_data
    user = form.save(commit=False)
    email_changed = accounts.normalise_email(old_email) != user.email
    if email_changed:
        user.email_shared = False
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError(accounts.email_unusable_message(), code="email_unusable") from None
    payload = {"fields": [f for f in changed if f != "current_password"]}
    if email_changed:
        payload["email"] = {"from": old_email, "to": user.email}
        transaction.on_commit(lambda: _tell_old_address(user, old_email))
    audit(verb=AuditVerb.UPDATE, target=user, payload=payload)
    return user


def _tell_old_address(user: User, old_email: str) -> None:
    if not old_email:
        return
    with translation.override(user.language):
        subject = _("The email address of your portal account was changed")
        body = _(
            "The email address of the account %(username)s on the Zhejiang cross-border e-commerce portal "
            "was changed from this address to %(new)s at %(when)s. If you did not do this, reset your "
            "password at once and tell your organisation's administrator."
        ) % {
            "username": user.username,
            "new": accounts.mask_email(user.email),
            "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        }
    send_mail(subject, body, None, [old_email], fail_silently=True)
