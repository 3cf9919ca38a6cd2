"""API tokens for ERPs and scripts; the secret is shown once and stored only as a SHA-256 hash."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.choices import TokenRevokedBecause
from portal.models.base import ScopedQuerySet

TOKEN_PREFIX_LEN = 8


class ApiTokenQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def active(self):
        """Not revoked, and obtained after the user's last new password (a token never outlives it)."""
        return self.filter(revoked_at__isnull=True).filter(
            Q(user__password_changed_at__isnull=True) | Q(created_at__gte=F("user__password_changed_at"))
        )


class ApiToken(models.Model):
    """A bearer token (``Authorization: Token <key>``) acting as its user until revoked.

    A new password revokes every token of the user: a token must not outlive the password it was obtained
    with. The password pages revoke them at once (``portal.services.passwords``); a password set any other
    way (``manage.py changepassword``, a shell) stamps ``User.password_changed_at``, after which older tokens
    are refused and revoked on their next use (``portal.api.authentication``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=TOKEN_PREFIX_LEN)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("revoked because"), max_length=20, choices=TokenRevokedBecause.choices, blank=True
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}… ({self.name or self.user})"

    @property
    def outlived(self) -> bool:
        """Not revoked yet, but older than the user's last new password: it no longer works."""
        changed = self.user.password_changed_at
        return self.revoked_at is None and changed is not None and self.created_at < changed

    @staticmethod
    def hash_key(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_hex(20)
