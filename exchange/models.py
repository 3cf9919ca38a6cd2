"""The outbox, its envelopes, the receipts that come back, and the state the exchange keeps per department.

Guarantees (ADR 0003):
* a ``Message`` row is written in the same transaction as the business change that causes it;
* its ``message_id`` (upper-case UUID, the CEB node ``guid``) is the idempotency key the department sees;
* an ``Envelope`` groups 1..100 pending messages of one sender and type into one HTTP request; its
  ``envelope_id`` is the CEB root ``guid``, so re-sending an envelope is idempotent at the department;
* a ``Receipt`` is stored raw once per ``receipt_id`` and applied at most once, never moving a message
  backwards (rank comparison, ``exchange.catalog``).
"""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exchange.choices import (
    MESSAGE_FINAL,
    MESSAGE_LIVE,
    Department,
    EnvelopeStatus,
    MessageStatus,
    Outcome,
    ReceiptDisposition,
)
from portal.models import ScopedQuerySet


def new_guid() -> str:
    return str(uuid.uuid4()).upper()


class MessageQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.has_perm("exchange.view_all_message"):
            return self
        org = user.organisation
        if org is None:
            return self.none()
        if org.department and user.has_perm("exchange.view_department_message"):
            return self.filter(department=org.department)
        return self.filter(sender_id=org.pk)

    def for_subject(self, obj):
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(subject_type=ct, subject_id=str(obj.pk))


class Envelope(models.Model):
    envelope_id = models.CharField(_("envelope id"), max_length=36, unique=True, default=new_guid)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices)
    message_type = models.CharField(_("message type"), max_length=40)
    sender = models.ForeignKey("portal.Organisation", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=EnvelopeStatus.choices, default=EnvelopeStatus.PENDING
    )
    content_type = models.CharField(max_length=60)
    body = models.TextField(_("body"))
    node_count = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    # When the newest delivery task is due to run, and its generation: a task carrying an older token exits,
    # so however often the envelope is re-published (busy, retry, sweeper), only one chain lives.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    dispatch_token = models.CharField(max_length=32, blank=True)
    # How often the sweeper re-published it since its last claim: each time it waits twice as long before
    # doing so again, so a long queue backlog cannot multiply tasks.
    redispatch_count = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    ack = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("envelope")
        verbose_name_plural = _("envelopes")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["department", "status"]),
        ]

    def __str__(self):
        return f"{self.message_type} {self.envelope_id} ({self.node_count})"


class Message(models.Model):
    """One business node to one department (an order, a list, a registration request...)."""

    message_id = models.CharField(_("message id"), max_length=36, unique=True, default=new_guid)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices, db_index=True)
    message_type = models.CharField(_("message type"), max_length=40, db_index=True)
    sender = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("sender"),
        on_delete=models.PROTECT,
        related_name="exchange_messages",
    )
    sender_dxp_id = models.CharField(max_length=30, blank=True)
    business_key = models.CharField(_("business key"), max_length=120, db_index=True)
    payload = models.JSONField(_("payload"))
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    envelope = models.ForeignKey(
        Envelope, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MessageStatus.choices,
        default=MessageStatus.PENDING,
        db_index=True,
    )
    receipt_status = models.CharField(_("last receipt status"), max_length=20, blank=True)
    receipt_rank = models.IntegerField(default=0)
    receipt_info = models.TextField(_("last receipt information"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("first receipt at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expected_by = models.DateTimeField(_("receipt expected by"), null=True, blank=True, db_index=True)
    overdue_at = models.DateTimeField(_("overdue since"), null=True, blank=True)
    requeried_at = models.DateTimeField(null=True, blank=True)
    requery_count = models.PositiveSmallIntegerField(default=0)
    replay_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    owner_field = "sender"
    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["sender", "message_type", "status"]),
        ]
        constraints = [
            # One live message per business key: a double submission cannot reach a department twice
            # (DOMAIN §9: idempotency on agency, business key and version; the version is part of the key).
            models.UniqueConstraint(
                fields=["department", "message_type", "sender", "business_key"],
                condition=Q(status__in=sorted(MESSAGE_LIVE)),
                name="one_live_message_per_business_key",
            )
        ]
        permissions = [
            ("view_all_message", _("Can view every message and the outbox health")),
            ("view_department_message", _("Can view the messages addressed to their own department")),
            ("replay_message", _("Can replay undeliverable messages")),
        ]

    def __str__(self):
        return f"{self.message_type} {self.business_key}"

    @classmethod
    def audit_state_labels(cls, payload: dict) -> dict:
        """The states a message's audit events record: its statuses, and "overdue" (no receipt in time)."""
        return {**dict(MessageStatus.choices), "overdue": _("Overdue")}

    @property
    def is_final(self) -> bool:
        return self.status in MESSAGE_FINAL

    @property
    def transport_status(self) -> str:
        """Where the message's envelope stands on the wire (pending, sending, sent, failed, dead)."""
        return self.envelope.status if self.envelope_id else EnvelopeStatus.PENDING

    @property
    def is_queued_for_unreachable(self) -> bool:
        """Waiting because the department did not answer: the page says it will be sent when reachable."""
        env = self.envelope
        return (
            self.status == MessageStatus.PENDING
            and env is not None
            and env.attempts > 0
            and bool(env.last_error)
        )


class ReceiptQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("exchange.view_all_message"):
            return self
        return self.filter(message__in=Message.objects.visible_to(user))


class Receipt(models.Model):
    """A department's answer, kept raw exactly as received, with what we made of it."""

    receipt_id = models.CharField(_("receipt id"), max_length=64, unique=True)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices)
    seq = models.BigIntegerField(_("sequence"), null=True, blank=True)
    receipt_type = models.CharField(_("receipt type"), max_length=60)
    content_type = models.CharField(max_length=60)
    raw = models.TextField(_("raw receipt"))
    node_guid = models.CharField(max_length=36, blank=True, db_index=True)
    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, null=True, blank=True, related_name="receipts"
    )
    status_code = models.CharField(_("status"), max_length=20, blank=True)
    info = models.TextField(_("information"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    rank = models.IntegerField(default=0)
    disposition = models.CharField(_("disposition"), max_length=16, choices=ReceiptDisposition.choices)
    flagged = models.BooleanField(_("flagged"), default=False, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("application attempts"), default=0)
    via = models.CharField(_("received via"), max_length=10)
    produced_at = models.DateTimeField(_("produced at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["received_at", "id"]

    def __str__(self):
        return f"{self.receipt_type} {self.status_code}"


class ReceiptCursor(models.Model):
    """How far the poller has read each department's receipt feed."""

    department = models.CharField(max_length=20, choices=Department.choices, unique=True)
    last_seq = models.BigIntegerField(default=0)
    polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return f"{self.department} @ {self.last_seq}"


class DepartmentState(models.Model):
    """Reachability of a department as seen by deliveries and polls (for the health page)."""

    department = models.CharField(max_length=20, choices=Department.choices, unique=True)
    reachable = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return f"{self.department} {'reachable' if self.reachable else 'unreachable'}"


class CallbackNonce(models.Model):
    """Signatures of accepted callbacks, kept for the replay window: the same request twice is refused."""

    signature = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.signature[:12]


class SigningKey(models.Model):
    """An organisation's signing key, held server-side (zero-install signing), and its certificate."""

    organisation = models.ForeignKey(
        "portal.Organisation", on_delete=models.PROTECT, related_name="signing_keys"
    )
    private_key = models.TextField()  # PEM, encrypted with portal.crypto
    certificate = models.TextField()  # PEM
    serial = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    not_before = models.DateTimeField()
    not_after = models.DateTimeField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(active=True), name="one_active_key_per_org"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.serial}"


class Lease(models.Model):
    """A named lease so periodic jobs (sweeper, poller) never run twice at once, whatever beat does."""

    name = models.CharField(max_length=60, unique=True)
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name
