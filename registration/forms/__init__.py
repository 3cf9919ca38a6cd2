"""Forms of the registration pages (labels and help translatable; errors tied to their inputs)."""

from registration.forms.filing import (
    STEPS,
    AttachmentForm,
    BusinessForm,
    EntityForm,
    RepresentativeForm,
    TypeForm,
    initial_for,
    next_step,
    step,
)
from registration.forms.review import (
    AssignForm,
    CalendarDayForm,
    CommentForm,
    CountersignForm,
    NoteForm,
    QueueFilterForm,
    ReasonForm,
    ReturnForm,
    ReturnReasonForm,
)

__all__ = [
    "STEPS",
    "AssignForm",
    "AttachmentForm",
    "BusinessForm",
    "CalendarDayForm",
    "CommentForm",
    "CountersignForm",
    "EntityForm",
    "NoteForm",
    "QueueFilterForm",
    "ReasonForm",
    "RepresentativeForm",
    "ReturnForm",
    "ReturnReasonForm",
    "TypeForm",
    "initial_for",
    "next_step",
    "step",
]
