"""Self-service sign-up of an enterprise: its organisation (one per USCC) and first administrator."""

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal import identifiers
from portal.choices import AuditVerb, OrganisationKind, Role
from portal.models import Organisation, User
from portal.services.audit import audit
from registration.validation import fields as checks


def already_registered_error() -> ValidationError:
    return ValidationError(
        {
            "uscc": _(
                "An organisation with this credit code is already registered on the portal. Ask that "
                "organisation's administrator to invite you (Team page) instead of registering again."
            )
        },
        code="organisation_exists",
    )


def _validate(uscc: str, division_code: str, username: str, email: str, password: str) -> None:
    errors: dict[str, list[str]] = {}
    for problem in checks.uscc_problems(uscc):
        if problem.blocking:
            errors.setdefault("uscc", []).append(problem.message)
    for problem in checks.division_problems(division_code):
        if problem.blocking:
            errors.setdefault("division_code", []).append(problem.message)
    if User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(_("This username is taken."))
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        errors.setdefault("email", []).append(_("A user with this email address already exists."))
    try:
        password_validation.validate_password(password, User(username=username, email=email))
    except ValidationError as exc:
        errors.setdefault("password1", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def enterprise_signup(
    *,
    uscc: str,
    name_cn: str,
    name_en: str = "",
    division_code: str = "",
    username: str,
    full_name: str,
    email: str,
    phone: str = "",
    password: str,
) -> tuple[Organisation, User]:
    """Create the ENTERPRISE organisation and its enterprise administrator together, or nothing.

    Refuses a USCC that already has an organisation (the caller is told to ask for an invitation).
    """
    uscc = identifiers.normalise(uscc)
    division_code = (division_code or uscc[2:8]).strip()
    email = email.strip().lower()
    if Organisation.objects.filter(code=uscc).exists():
        raise already_registered_error()
    _validate(uscc, division_code, username, email, password)
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                kind=OrganisationKind.ENTERPRISE,
                code=uscc,
                name_cn=name_cn.strip(),
                name_en=name_en.strip(),
                division_code=division_code,
            )
    except IntegrityError:
        raise already_registered_error() from None
    user = User(
        username=username,
        email=email,
        full_name=full_name.strip(),
        phone=phone.strip(),
        organisation=organisation,
    )
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=Role.ENTERPRISE_ADMIN))
    audit(verb=AuditVerb.CREATE, actor=user, target=organisation, payload={"signup": True})
    audit(
        verb=AuditVerb.CREATE,
        actor=user,
        target=user,
        payload={"signup": True, "role": Role.ENTERPRISE_ADMIN},
    )
    return organisation, user
