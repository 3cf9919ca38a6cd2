"""Forms of the shell. Labels and help texts are translatable; errors render next to their field."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from portal import accounts
from portal.choices import ROLES_OF_KIND, Role
from portal.models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        # One message for a wrong password and an unknown user: no user enumeration.
        "invalid_login": _("The username or password is not correct. Note that both are case-sensitive."),
        "inactive": _("The username or password is not correct. Note that both are case-sensitive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].label = _("Password")


class SiteUrlPasswordResetForm(PasswordResetForm):
    """The mailed link is built on ``SITE_URL``, never on the Host header (which a caller can forge)."""

    def save(self, **kwargs):
        site = urlsplit(settings.SITE_URL)
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        kwargs["extra_email_context"] = {
            **(kwargs.get("extra_email_context") or {}),
            "site_url": settings.SITE_URL,
        }
        return super().save(**kwargs)


class UsernameField(forms.CharField):
    """A new username: stored NFKC-normalised (full-width letters become ASCII), checked against the policy
    of ``portal.accounts`` (ASCII letters, digits and . _ - @ +; not a look-alike of an existing name)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Username"))
        kwargs.setdefault("max_length", accounts.USERNAME_MAX)
        kwargs.setdefault("help_text", _("Latin letters a–z, digits and . _ - @ + only."))
        super().__init__(**kwargs)

    def to_python(self, value):
        return accounts.normalise_username(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        problems = accounts.username_problems(value)
        if problems:
            raise forms.ValidationError(problems, code="username")


class ProfileForm(forms.ModelForm):
    """Details and language; a new email address needs the current password, and may not be another
    account's (ADR 0022)."""

    current_password = forms.CharField(
        label=_("Current password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Needed only to change the email address."),
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "language"]

    def clean_email(self):
        email = accounts.normalise_email(self.cleaned_data.get("email"))
        if email != accounts.normalise_email(self.initial.get("email")) and accounts.email_in_use(
            email, exclude_pk=self.instance.pk
        ):
            raise forms.ValidationError(accounts.email_unusable_message(), code="email_unusable")
        return email

    @property
    def email_changed(self) -> bool:
        return accounts.normalise_email(self.cleaned_data.get("email")) != accounts.normalise_email(
            self.initial.get("email")
        )

    def clean(self):
        data = super().clean()
        if "email" in data and self.email_changed:
            password = data.get("current_password") or ""
            if not password:
                self.add_error(
                    "current_password", _("Give your current password to change the email address.")
                )
            elif not self.instance.check_password(password):
                self.add_error("current_password", _("The password is not correct."))
        return data


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("For example the name of the system that will use it."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)  # the model column's length
    full_name = forms.CharField(label=_("Full name"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        roles = ROLES_OF_KIND.get(organisation.kind, set())
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in roles]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        roles = ROLES_OF_KIND.get(organisation.kind, set())
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in roles]


class AcceptInvitationForm(forms.Form):
    username = UsernameField()
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords do not match."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(
                    data["password1"], User(username=data.get("username", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class AuditSearchForm(forms.Form):
    q = forms.CharField(label=_("Object or actor contains"), required=False, max_length=100)
    verb = forms.ChoiceField(label=_("Action"), required=False)
    request_id = forms.CharField(label=_("Request id"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from portal.choices import AuditVerb

        super().__init__(*args, **kwargs)
        self.fields["verb"].choices = [("", _("Any")), *AuditVerb.choices]
