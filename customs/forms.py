from django import forms
from django.utils.translation import gettext_lazy as _


class ReferenceSearchForm(forms.Form):
    """Search a code list: by code prefix or part of a name, as it stood on a day."""

    q = forms.CharField(label=_("Code or name"), required=False, max_length=100)
    on = forms.DateField(
        label=_("Valid on"),
        required=False,
        help_text=_("Leave empty for today; YYYY-MM-DD."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
