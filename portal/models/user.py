"""Users belong to one organisation; what they may do comes from their role groups."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import username_skeleton
from portal.choices import Role
from portal.models.base import ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("portal.view_all_user"):
            return self
        if user.organisation_id is None:
            return self.filter(pk=user.pk)
        return self.filter(organisation_id=user.organisation_id)


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person using the portal: enterprise staff, a reviewer, an officer, an official or an administrator.

    Users are never deleted (audit events point at them); they are deactivated.
    """

    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    password_changed_at = models.DateTimeField(
        _("password changed at"), null=True, blank=True, editable=False
    )
    # The username's look-alike skeleton (portal.accounts.username_skeleton), unique: no two usernames read
    # the same. Rows that already collided when the rule came in keep "<skeleton>#<pk>" (ADR 0022).
    username_key = models.CharField(max_length=160, editable=False, default="")
    # Set on the accounts that shared an active address with an older account when addresses became unique
    # (migration 0006): they keep it, outside the unique index, until they choose another (ADR 0022).
    email_shared = models.BooleanField(_("email address shared with another account"), default=False)

    objects = PortalUserManager()
    owner_field = "organisation"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("view_all_user", _("Can view all users"))]
        constraints = [
            models.UniqueConstraint(fields=["username_key"], name="portal_user_username_key_unique"),
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(is_active=True, email_shared=False) & ~models.Q(email=""),
                name="portal_user_active_email_ci_unique",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # Derived columns are kept here, so that every path that writes a user (pages, API, manage.py, a
        # shell) keeps them true; the checks that explain a refusal to people are in portal.accounts.
        derived = []
        if self._password is not None:
            # A new password was set (``set_password``; a hasher upgrade at login is not one): the API tokens
            # obtained before it stop working (``ApiToken.objects.active()``).
            self.password_changed_at = timezone.now()
            derived.append(("password", "password_changed_at"))
        key = username_skeleton(self.username)
        if self.username_key.split("#", 1)[0] != key:
            self.username_key = key
            derived.append(("username", "username_key"))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {to for source, to in derived if source in update_fields}
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def role_names(self) -> set[str]:
        cached = getattr(self, "_role_names", None)
        if cached is None:
            cached = set(self.groups.values_list("name", flat=True)) if self.pk else set()
            self._role_names = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names & {str(r) for r in roles})

    @property
    def roles(self) -> list[Role]:
        return [Role(name) for name in sorted(self.role_names) if name in Role.values]

    @classmethod
    def audit_state_labels(cls, payload: dict) -> dict:
        """A user's audit events record whether the account is active, or its roles."""
        return {"True": _("active"), "False": _("inactive"), **dict(Role.choices)}

    @property
    def is_enterprise_user(self) -> bool:
        return self.has_role(Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Invitation(models.Model):
    """An enterprise admin's invitation to a colleague; the link carries a secret we only store hashed."""

    organisation = models.ForeignKey(
        "portal.Organisation",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("email"))
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    owner_field = "organisation"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, _hash_token(raw)

    @staticmethod
    def hash_token(raw: str) -> str:
        return _hash_token(raw)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
