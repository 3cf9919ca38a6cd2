"""Audit of authentication events (login, logout, failed login) via Django's auth signals."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from portal.choices import AuditVerb
from portal.services.audit import audit


@receiver(user_logged_in, dispatch_uid="portal.audit_login")
def _audit_login(sender, request, user, **_kwargs):
    audit(verb=AuditVerb.LOGIN, actor=user, target=user)


@receiver(user_logged_out, dispatch_uid="portal.audit_logout")
def _audit_logout(sender, request, user, **_kwargs):
    if user is not None:
        audit(verb=AuditVerb.LOGOUT, actor=user, target=user)


@receiver(user_login_failed, dispatch_uid="portal.audit_login_failed")
def _audit_login_failed(sender, credentials, request=None, **_kwargs):
    # The username is recorded as typed, never the password; no user row is looked up (no enumeration).
    username = str(credentials.get("username", ""))[:150]
    audit(verb=AuditVerb.LOGIN_FAILED, target_repr=username, payload={"username": username})
