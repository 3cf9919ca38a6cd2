"""Models of entity filing; see each module's docstrings for what they guarantee."""

from registration.models.attachment import FilingAttachment, private_storage
from registration.models.calendar import HolidayCalendar
from registration.models.filing import DATA_FIELDS, EntityFiling, FilingCounter
from registration.models.history import FilingSubmission
from registration.models.qualification import QualificationTask
from registration.models.review import FieldComment, ReturnReason

__all__ = [
    "DATA_FIELDS",
    "EntityFiling",
    "FieldComment",
    "FilingAttachment",
    "FilingCounter",
    "FilingSubmission",
    "HolidayCalendar",
    "QualificationTask",
    "ReturnReason",
    "private_storage",
]
