"""Worker tasks of the shell: notification email, bulk intake. Thin: the logic is in services."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from portal.intake import tasks as intake_tasks  # noqa: F401  (registers portal.intake.run and .sweep)
from portal.models import Notification

log = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    """A portal path as a link that opens from a mail client: on ``SITE_URL``, the public origin."""
    return settings.SITE_URL + url if url.startswith("/") else url


def _due():
    """Rows whose email may go now: any but a digest still gathering its burst (ADR 0025)."""
    return Q(email_due_at__isnull=True) | Q(email_due_at__lte=timezone.now())


@shared_task(acks_late=True)
def send_notification_emails(ids: list[int]) -> int:
    """Email each notification once, in the recipient's profile language; a row is marked only after the
    mail server accepted it."""
    sent = 0
    for pk in ids:
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(_due(), pk=pk, email_wanted=True, emailed_at__isnull=True)
                .first()
            )
            if row is None:
                continue
            with translation.override(row.recipient.language or settings.LANGUAGE_CODE):
                subject, body = row.shown_title, row.shown_body
            try:
                send_mail(subject, f"{body}\n\n{_absolute(row.url)}".strip(), None, [row.recipient.email])
            except Exception:
                log.warning("email for notification %s failed; the sweep retries", pk, exc_info=True)
                continue
            row.emailed_at = timezone.now()
            row.save(update_fields=["emailed_at"])
            sent += 1
    return sent


@shared_task
def sweep_notification_emails() -> int:
    """Retry emails that did not go out (broker down at commit, SMTP refused) and send digests whose burst
    has been quiet long enough; runs from beat."""
    cutoff = timezone.now() - timedelta(minutes=1)
    since = timezone.now() - timedelta(days=2)
    ids = list(
        Notification.objects.filter(
            _due(), email_wanted=True, emailed_at__isnull=True, created_at__lt=cutoff, created_at__gt=since
        ).values_list("pk", flat=True)[:500]
    )
    return send_notification_emails(ids) if ids else 0
