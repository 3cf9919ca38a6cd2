"""Accessible forms for every app: each input names its help text, its errors and any reviewer comment in
``aria-describedby``, and a service's ``ValidationError`` lands next to the fields it names."""

from django import forms
from django.core.exceptions import ValidationError


class AccessibleForm(forms.Form):
    """Every input names its help text, its errors and any reviewer comment in ``aria-describedby``."""

    comment_ids: dict[str, str] = {}
    comments: dict = {}

    def full_clean(self):
        super().full_clean()
        self.describe_inputs()

    def attach_comments(self, grouped: dict) -> None:
        self.comment_ids = {name: f"comment-{name}" for name in self.fields if grouped.get(name)}
        self.comments = grouped
        self.describe_inputs()

    def describe_inputs(self) -> None:
        errors = self._errors or {}
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if name in errors:
                ids.append(f"{bound.auto_id}_error")
            if name in self.comment_ids:
                ids.append(self.comment_ids[name])
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def apply_service_errors(self, exc: ValidationError) -> None:
        """Put a service's ``ValidationError`` next to the fields it names (others on top of the form)."""
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                target = name if name in self.fields else None
                for error in errors:
                    self.add_error(target, error.messages if hasattr(error, "messages") else error)
        else:
            self.add_error(None, exc)
        self.describe_inputs()
