from django.conf import settings
from django.db import models

from portal.models import ScopedQuerySet
from portal.workflow import Workflow


class WidgetStatus(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    SENT = "SENT", "Sent"
    DONE = "DONE", "Done"
    VOID = "VOID", "Void"


WIDGET = Workflow(
    name="kitapp.widget",
    label="widget",
    moves={
        (WidgetStatus.DRAFT, "send"): WidgetStatus.SENT,
        (WidgetStatus.SENT, "finish"): WidgetStatus.DONE,
        (WidgetStatus.DRAFT, "void"): WidgetStatus.VOID,
        (WidgetStatus.SENT, "void"): WidgetStatus.VOID,
    },
    verbs={"send": "send", "finish": "finish", "void": "void"},
    changed_at="changed_at",
    stamps={"finish": ("finished_at", "finished_by")},
    states=WidgetStatus,
)


class Widget(models.Model):
    """An enterprise-owned document with a state machine, as a domain app declares one."""

    owner = models.ForeignKey("portal.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=WidgetStatus.choices, default=WidgetStatus.DRAFT)
    changed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    owner_field = "owner"
    view_all_permission = "kitapp.view_all_widget"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        permissions = [("view_all_widget", "Can view every widget")]

    def __str__(self):
        return self.name
