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
    ClaimDecisionForm,
    ClaimFilterForm,
    CommentForm,
    CountersignForm,
    CreditCodeForm,
    NoteForm,
    QueueFilterForm,
    ReasonForm,
    ReturnForm,
    ReturnReasonForm,
)
from registration.forms.signup import SignupForm

__all__ = [
    "STEPS",
    "AssignForm",
    "AttachmentForm",
    "BusinessForm",
    "CalendarDayForm",
    "ClaimDecisionForm",
    "ClaimFilterForm",
    "CommentForm",
    "CountersignForm",
    "CreditCodeForm",
    "EntityForm",
    "NoteForm",
    "QueueFilterForm",
    "ReasonForm",
    "RepresentativeForm",
    "ReturnForm",
    "ReturnReasonForm",
    "SignupForm",
    "TypeForm",
    "initial_for",
    "next_step",
    "step",
]
