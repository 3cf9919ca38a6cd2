"""Enterprise sign-up: the organisation (identified by its USCC) and its first administrator."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.accessible import AccessibleForm
from portal.forms import UsernameField


class SignupForm(AccessibleForm):
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=24,
        required=False,
        help_text=_("18 characters, as printed on the business licence."),
        widget=forms.TextInput(
            attrs={
                "data-validate-url": reverse_lazy("registration:validate", args=["uscc"]),
                "autocomplete": "off",
            }
        ),
    )
    legacy = forms.BooleanField(
        label=_("Registered before the credit-code reform: the enterprise has no credit code yet"),
        required=False,
        help_text=_(
            "Only for an enterprise (not an individual business) still identified by its organisation code. "
            "Give that code below instead of a credit code."
        ),
    )
    org_code = forms.CharField(
        label=_("Organisation code (legacy enterprises only)"),
        max_length=12,
        required=False,
        help_text=_("9 characters as on the organisation code certificate, e.g. 12345678-8."),
        widget=forms.TextInput(
            attrs={
                "data-validate-url": reverse_lazy("registration:validate", args=["org_code"]),
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )
    name_cn = forms.CharField(label=_("Organisation name (Chinese)"), max_length=100)
    name_en = forms.CharField(label=_("Organisation name (English)"), max_length=200, required=False)
    division_code = forms.CharField(
        label=_("Administrative division code"),
        max_length=6,
        required=False,
        help_text=_(
            "6 digits of the registered address; leave empty to take characters 3–8 of the credit code "
            "(required with an organisation code)."
        ),
        widget=forms.TextInput(
            attrs={"data-validate-url": reverse_lazy("registration:validate", args=["division_code"])}
        ),
    )
    full_name = forms.CharField(label=_("Your full name"), max_length=100)
    username = UsernameField(widget=forms.TextInput(attrs={"autocomplete": "username"}))
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords do not match."))
        if data.get("legacy") and not data.get("org_code"):
            self.add_error("org_code", _("Give the organisation code."))
        if not data.get("legacy") and not data.get("uscc"):
            self.add_error(
                "uscc",
                _(
                    "Give the unified social credit code (or, for an enterprise registered before the "
                    "reform, tick the box and give its organisation code)."
                ),
            )
        return data
