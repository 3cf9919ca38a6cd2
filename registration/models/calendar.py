"""The statutory working-day calendar: holidays and make-up working days (调休) as data, not code."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from registration.choices import CalendarKind


class HolidayCalendar(models.Model):
    """One exceptional day. A HOLIDAY is a day off even on a weekday; a MAKEUP_WORKDAY is a working
    Saturday or Sunday. Every other day is a working day when it is Monday to Friday.

    Seeded from the ``chinesecalendar`` library (``registration_seed_holidays``); administrators add the
    next year's State Council notice here when it is published before the library catches up.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarKind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=40, default="manual")

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.kind}"

    @classmethod
    def audit_state_labels(cls, payload: dict) -> dict:
        """Its audit events record the kind of day."""
        return dict(CalendarKind.choices)
