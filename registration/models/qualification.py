"""Qualification tasks: one per applicable cell of the DOMAIN §1.4 matrix, driven by department receipts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import texts
from portal.models import ScopedQuerySet, TimeStampedModel
from registration.choices import Qualification, TaskStatus


class QualificationTask(TimeStampedModel):
    """One qualification of one filing version.

    Guarantees: one row per (filing, code); ``message`` is the latest exchange message sent for it
    (every earlier one stays linked through ``Message.subject``); ``identifier`` is filled only from a
    department's REGISTERED receipt; a task DONE never goes back.
    """

    filing = models.ForeignKey(
        "registration.EntityFiling",
        verbose_name=_("filing"),
        on_delete=models.PROTECT,
        related_name="qualifications",
    )
    code = models.CharField(_("qualification"), max_length=24, choices=Qualification.choices)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.PENDING, db_index=True
    )
    identifier = models.CharField(_("identifier"), max_length=40, blank=True)
    result = models.JSONField(_("department data"), default=dict, blank=True)
    reason = models.TextField(_("department's reason"), blank=True)
    # A reason the portal wrote itself (an unusable answer, a message not taken), kept as message and
    # parameters for each reader's language (ADR 0025); ``reason`` keeps the record (the department's own
    # words, or the transport error). Empty when the department's words are the reason.
    reason_text = models.JSONField(default=dict, blank=True, editable=False)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    message = models.ForeignKey(
        "exchange.Message",
        verbose_name=_("latest message"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    owner_field = "filing__owner"
    view_all_permission = "registration.view_all_entityfiling"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["filing_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "code"], name="registration_one_task_per_code")
        ]

    def __str__(self):
        return f"{self.filing.filing_no} {self.code}"

    @staticmethod
    def scope_for_officer(qs, user):
        from registration.models.filing import officer_scope

        return qs.filter(officer_scope("filing__", user))

    @property
    def shown_reason(self) -> str:
        """Why the task stopped, in the reader's language: the portal's own words, else the department's."""
        return texts.render(self.reason_text) if self.reason_text else self.reason
