"""Worker tasks of the shell: notification email, bulk intake. Thin: the logic is in services."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal.intake import tasks as intake_tasks  # noqa: F401  (registers portal.intake.run and .sweep)
from portal.models import Notification

log = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    """A portal path as a link that opens from a mail client: on ``SITE_URL``, the public origin."""
    return settings.SITE_URL + url if url.startswith("/") else url


@shared_task(acks_late=True)
def send_notification_emails(ids: list[int]) -> int:
    """Email each notification once; a row is marked only after the mail server accepted it."""
    sent = 0
    for pk in ids:
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(pk=pk, email_wanted=True, emailed_at__isnull=True)
                .first()
            )
            if row is None:
                continue
            try:
                send_mail(
                    row.title, f"{row.body}\n\n{_absolute(row.url)}".strip(), None, [row.recipient.email]
                )
            except Exception:
                log.warning("email for notification %s failed; the sweep retries", pk, exc_info=True)
                continue
            row.emailed_at = timezone.now()
            row.save(update_fields=["emailed_at"])
            sent += 1
    return sent


@shared_task
def sweep_notification_emails() -> int:
    """Retry emails that did not go out (broker down at commit, SMTP refused); runs from beat."""
    cutoff = timezone.now() - timedelta(minutes=1)
    since = timezone.now() - timedelta(days=2)
    ids = list(
        Notification.objects.filter(
            email_wanted=True, emailed_at__isnull=True, created_at__lt=cutoff, created_at__gt=since
        ).values_list("pk", flat=True)[:500]
    )
    return send_notification_emails(ids) if ids else 0
