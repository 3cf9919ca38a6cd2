"""``Authorization: Token <key>`` against hashed ``ApiToken`` rows; revoked tokens stop working at once, and
so do tokens older than their user's last new password."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from portal.choices import TokenRevokedBecause
from portal.context import acting, current
from portal.models import ApiToken
from portal.services.tokens import tokens_revoke_all


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user", "user__organisation")
            .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is not None and token.outlived:
            # The password was set outside the password pages (manage.py changepassword): revoke now, audited
            # as the system's doing (nobody is authenticated yet), under the request's id.
            ctx = current()
            with acting(None, request_id=ctx.request_id, ip=ctx.ip, via="auth"):
                tokens_revoke_all(
                    user=token.user,
                    by=None,
                    reason=TokenRevokedBecause.PASSWORD_CHANGE,
                    created_before=token.user.password_changed_at,
                )
            token = None
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
