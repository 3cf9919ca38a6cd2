"""Issuing and revoking API tokens."""

from django.db import transaction
from django.utils import timezone

from portal.choices import AuditVerb, TokenRevokedBecause
from portal.models import ApiToken
from portal.models.token import TOKEN_PREFIX_LEN
from portal.services.audit import audit


@transaction.atomic
def token_create(*, user, name: str = "") -> tuple[ApiToken, str]:
    """Create a token and return it with the raw key; the key is never stored or shown again."""
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=raw[:TOKEN_PREFIX_LEN], key_hash=ApiToken.hash_key(raw)
    )
    audit(verb=AuditVerb.TOKEN_CREATE, actor=user, target=user, payload={"token": token.prefix, "name": name})
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_reason = timezone.now(), TokenRevokedBecause.MANUAL
        token.save(update_fields=["revoked_at", "revoked_reason"])
        audit(
            verb=AuditVerb.TOKEN_REVOKE,
            actor=by,
            target=token.user,
            payload={"token": token.prefix, "reason": TokenRevokedBecause.MANUAL.value},
        )
    return token


@transaction.atomic
def tokens_revoke_all(*, user, by, reason: TokenRevokedBecause, created_before=None) -> list[ApiToken]:
    """Revoke every unrevoked token of ``user`` (a new password; only those obtained before
    ``created_before`` if given); one audit event per token. Returns them."""
    live = ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if created_before is not None:
        live = live.filter(created_at__lt=created_before)
    live = list(live)
    now = timezone.now()
    for token in live:
        token.revoked_at, token.revoked_reason = now, reason
        token.save(update_fields=["revoked_at", "revoked_reason"])
        audit(
            verb=AuditVerb.TOKEN_REVOKE,
            actor=by,
            target=user,
            payload={"token": token.prefix, "name": token.name, "reason": str(reason.value)},
        )
    return live
