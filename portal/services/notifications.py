"""``notify(...)``: the single way the domain apps tell people something happened.

Each recipient gets an inbox row rendered in their own language; email follows after commit through the
worker, and a beat sweep retries anything that did not go out (broker down, SMTP refused).
"""

import logging
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from portal.choices import Role
from portal.models import Notification, User

log = logging.getLogger(__name__)


def _render(text, params: dict | None) -> str:
    rendered = str(text)
    return rendered % params if params else rendered


def notify(
    *,
    recipients: Iterable[User],
    verb: str,
    title,
    body="",
    params: dict | None = None,
    target=None,
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Create one notification per active recipient; ``title``/``body`` may be lazy translations."""
    target_type = (
        ContentType.objects.get_for_model(target, for_concrete_model=False) if target is not None else None
    )
    rows = []
    seen = set()
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.language or None):
            rows.append(
                Notification(
                    recipient=user,
                    verb=verb,
                    title=_render(title, params)[:200],
                    body=_render(body, params),
                    url=url,
                    target_type=target_type,
                    target_id=str(target.pk) if target is not None else "",
                    email_wanted=email and bool(user.email),
                )
            )
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.email_wanted and n.pk is not None]
    if ids:
        transaction.on_commit(lambda: _enqueue_emails(ids))
    return created


def _enqueue_emails(ids: list[int]) -> None:
    from portal.tasks import send_notification_emails

    try:
        send_notification_emails.apply_async(args=[ids], retry=False)
    except Exception:  # the broker may be down; the beat sweep sends these later
        log.warning("could not enqueue %d notification emails; the sweep will retry", len(ids), exc_info=True)


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    from django.utils import timezone

    qs = Notification.objects.visible_to(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def users_with_role(role: Role | str, *, organisation=None):
    qs = User.objects.filter(is_active=True, groups__name=str(role))
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.distinct()


def enterprise_staff(organisation):
    """Everyone of an enterprise who acts on its filings (admins and operators)."""
    return User.objects.filter(
        Q(groups__name=Role.ENTERPRISE_ADMIN) | Q(groups__name=Role.ENTERPRISE_OPERATOR),
        organisation=organisation,
        is_active=True,
    ).distinct()
