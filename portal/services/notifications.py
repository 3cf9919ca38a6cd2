"""``notify(...)``: the single way the domain apps tell people something happened.

Each recipient gets an inbox row that keeps the message and its parameters and is rendered in the reader's
current language when read (pages, API, email; ADR 0025); email follows after commit through the worker,
and a beat sweep retries anything that did not go out (broker down, SMTP refused).

The policy (docs/ARCHITECTURE.md): one notification per business event of a filing (submitted, returned,
approved, active...); a burst of like events about one object (each qualification a department registers
after an approval) is gathered into one *digest* row, "3 qualifications registered", which is emailed once
the burst has been quiet for ``NOTIFICATION_DIGEST_QUIET_SECONDS``.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from portal import texts
from portal.choices import Role
from portal.models import Notification, User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Digest:
    """Gather like events about one object: ``key`` names the object and the kind of event, ``title`` is
    shown when there are several (``%(count)d`` and the notification's parameters), ``line`` describes
    each event in the list (the notification's parameters)."""

    key: str
    title: object
    line: object


def _rendered(kept: dict) -> str:
    return texts.render(kept) if kept else ""


def _quiet() -> timedelta:
    return timedelta(seconds=getattr(settings, "NOTIFICATION_DIGEST_QUIET_SECONDS", 60))


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
    digest: Digest | None = None,
) -> list[Notification]:
    """One notification per active recipient (or, with ``digest``, one more line on the recipient's unread
    digest of the same key). ``title``/``body`` and the values of ``params`` may be lazy translations: they
    are kept as source and parameters and rendered in each reader's language when read."""
    target_type = (
        ContentType.objects.get_for_model(target, for_concrete_model=False) if target is not None else None
    )
    title_source = texts.keep(title, params)
    body_source = texts.keep(body, params) if body else {}
    rows, merged = [], []
    seen = set()
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if digest is not None:
            row = _merge_into_digest(user, digest, params)
            if row is not None:
                merged.append(row)
                continue
        row = Notification(
            recipient=user,
            verb=verb,
            title_source=title_source,
            body_source=body_source,
            url=url,
            target_type=target_type,
            target_id=str(target.pk) if target is not None else "",
            email_wanted=email and bool(user.email),
        )
        if digest is not None:
            row.digest_key = digest.key
            row.digest_title = texts.keep(digest.title, params)
            row.digest_lines = [texts.keep(digest.line, params)]
            row.email_due_at = timezone.now() + _quiet()
        _stamp(row, user)
        rows.append(row)
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.email_wanted and n.pk is not None and n.email_due_at is None]
    if ids:
        transaction.on_commit(lambda: _enqueue_emails(ids))
    return created + merged


def _stamp(row: Notification, user: User) -> None:
    """The rendering in the recipient's language at the time (kept for search, admin and old readers)."""
    with translation.override(user.language or None):
        row.title = row.shown_title[:200]
        row.body = row.shown_body


def _merge_into_digest(user: User, digest: Digest, params: dict | None) -> Notification | None:
    """Add one line to the user's open digest of ``digest.key`` (unread, not yet emailed), if any."""
    row = (
        Notification.objects.select_for_update()
        .filter(recipient=user, digest_key=digest.key, read_at__isnull=True, emailed_at__isnull=True)
        .order_by("-id")
        .first()
    )
    if row is None:
        return None
    row.digest_lines = [*row.digest_lines, texts.keep(digest.line, params)]
    row.created_at = timezone.now()  # a digest stands where its latest event would
    row.email_due_at = timezone.now() + _quiet()
    _stamp(row, user)
    row.save(update_fields=["digest_lines", "created_at", "email_due_at", "title", "body"])
    return row


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
