"""Statuses of the exchange. Ranks make "never backwards" a comparison of integers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.TextChoices):
    CUSTOMS = "customs", _("Customs")
    CIQ = "ciq", _("Inspection and quarantine")
    SAFE = "safe", _("Foreign exchange administration (SAFE)")
    TAX = "tax", _("Tax bureau")
    COMMERCE = "commerce", _("Commerce department")


class MessageStatus(models.TextChoices):
    """Where one business node stands on its way to the department and back.

    pending: written with the business change, waiting for its envelope to be sent (the envelope's own
    status says whether it is on the wire right now); sent: the department acknowledged the envelope;
    acknowledged: a first business receipt came back; completed: a final success receipt came back;
    failed: a final error receipt came back, or the department refused the envelope outright;
    dead: transient failures went on past the maximum age; an administrator may replay it.
    """

    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent, awaiting receipt")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    DEAD = "dead", _("Undeliverable")


MESSAGE_FINAL = frozenset({MessageStatus.COMPLETED, MessageStatus.FAILED, MessageStatus.DEAD})
MESSAGE_IN_FLIGHT = frozenset({MessageStatus.SENT, MessageStatus.ACKNOWLEDGED})
MESSAGE_LIVE = frozenset({MessageStatus.PENDING, MessageStatus.SENT, MessageStatus.ACKNOWLEDGED})


class EnvelopeStatus(models.TextChoices):
    """Transport state of one HTTP message (1..100 nodes of one type from one sender)."""

    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Delivered")
    FAILED = "failed", _("Refused by the department")
    DEAD = "dead", _("Undeliverable")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Success")
    ERROR = "error", _("Error")
    NEEDS_ACTION = "needs_action", _("Needs action")


class ReceiptDisposition(models.TextChoices):
    APPLIED = "applied", _("Applied")
    STALE = "stale", _("Arrived late; the status had already moved on")
    UNMATCHED = "unmatched", _("No message of ours matches it")
    UNPARSEABLE = "unparseable", _("Could not be read")
    UNKNOWN_STATUS = "unknown_status", _("Unknown status code")
    HANDLER_ERROR = "handler_error", _("Could not be applied yet; it is retried")
