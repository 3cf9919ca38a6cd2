"""Forms of the commerce bureau's workbench and of the settings pages."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal.accessible import AccessibleForm
from portal.divisions import CITIES
from portal.models import User
from registration.choices import CalendarKind, EntityType
from registration.models import ReturnReason
from registration.services.review import COMMENTABLE_FIELDS

AGE_CHOICES = [
    ("", _("Any age")),
    ("overdue", _("Overdue")),
    ("due_soon", _("Due within 2 days")),
    ("3", _("Submitted over 3 days ago")),
    ("7", _("Submitted over 7 days ago")),
]
QUEUE_CHOICES = [
    ("unassigned", _("Unassigned")),
    ("mine", _("Assigned to me")),
    ("countersign", _("Awaiting countersignature")),
    ("all", _("All")),
]


class QueueFilterForm(forms.Form):
    queue = forms.ChoiceField(label=_("Queue"), choices=QUEUE_CHOICES, required=False)
    entity_type = forms.ChoiceField(
        label=_("Entity type"), choices=[("", _("Any type")), *EntityType.choices], required=False
    )
    city = forms.ChoiceField(label=_("City"), choices=[("", _("Any city")), *CITIES.items()], required=False)
    age = forms.ChoiceField(label=_("Age"), choices=AGE_CHOICES, required=False)


def form_order() -> list[str]:
    """Every field a reviewer can comment on, in the order the applicant fills them in: the filing as a
    whole and its entity type, each step's fields, then the attachments."""
    from registration.forms.filing import STEPS

    names = ["general", "entity_type"]
    for step in STEPS:
        if step.form_class is not None:
            names.extend(step.form_class.base_fields)
        elif step.slug == "attachments":
            names.append("attachments")
    return names


def field_choices(filing_model, filing=None) -> list[tuple[str, str]]:
    """The fields a reviewer can comment on, each once and in the form's order; for a given filing only
    those its role has (a comment on a field the applicant never sees would never be read)."""
    from registration.services.review import commentable_fields

    labels = {"attachments": _("Attachments"), "general": _("General"), "entity_type": _("Entity type")}
    names = set(commentable_fields(filing) if filing is not None else COMMENTABLE_FIELDS)
    order = {name: index for index, name in enumerate(form_order())}
    out = []
    for name in sorted(names, key=lambda n: (order.get(n, len(order)), n)):
        if name in labels:
            out.append((name, labels[name]))
        elif name == "legal_rep_id_no":
            out.append((name, _("ID document number")))
        else:
            out.append((name, capfirst(filing_model._meta.get_field(name).verbose_name)))
    return out


class CommentForm(AccessibleForm):
    field = forms.ChoiceField(label=_("Field"))
    text = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, filing=None, **kwargs):
        from registration.models import EntityFiling

        super().__init__(*args, **kwargs)
        self.fields["field"].choices = field_choices(EntityFiling, filing)


class NoteForm(AccessibleForm):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(AccessibleForm):
    reason_codes = forms.MultipleChoiceField(
        label=_("Reasons"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("What the applicant must correct"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    comment_field = forms.ChoiceField(label=_("Pin a comment to the field"), required=False)
    comment_text = forms.CharField(
        label=_("Comment on that field"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, filing=None, **kwargs):
        from registration.models import EntityFiling

        super().__init__(*args, **kwargs)
        self.fields["reason_codes"].choices = [
            (r.code, r.label) for r in ReturnReason.objects.filter(active=True)
        ]
        self.fields["comment_field"].choices = [
            ("", _("No field comment")),
            *field_choices(EntityFiling, filing),
        ]

    def clean(self):
        data = super().clean()
        if bool(data.get("comment_field")) != bool((data.get("comment_text") or "").strip()):
            self.add_error("comment_text", _("Choose the field and write the comment, or leave both empty."))
        return data

    def comments_given(self) -> list[dict]:
        if self.cleaned_data.get("comment_field") and self.cleaned_data.get("comment_text"):
            return [{"field": self.cleaned_data["comment_field"], "text": self.cleaned_data["comment_text"]}]
        return []


class ReasonForm(AccessibleForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CountersignForm(AccessibleForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Countersign the rejection")), ("decline", _("Decline: back to review"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(AccessibleForm):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        from portal.choices import Role

        super().__init__(*args, **kwargs)
        # The bureau's own reviewers only (a few people), never a select of every user.
        self.fields["reviewer"].queryset = (
            User.objects.filter(is_active=True, groups__name=Role.COMMERCE_REVIEWER)
            .distinct()
            .order_by("username")
        )


class CalendarDayForm(AccessibleForm):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarKind.choices)
    name = forms.CharField(label=_("Name"), max_length=60, required=False)


class ReturnReasonForm(AccessibleForm):
    code = forms.CharField(label=_("Code"), max_length=40)
    label_zh = forms.CharField(label=_("Label (Chinese)"), max_length=200)
    label_en = forms.CharField(label=_("Label (English)"), max_length=200)
