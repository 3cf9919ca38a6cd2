"""Self-service sign-up of an enterprise: its organisation (one per enterprise identity) and first
administrator, or the takeover of an unverified account that was left without a filing (ADR 0017, ADR 0026).

An enterprise signs up with its unified social credit code, or, if it was registered before the credit-code
reform and has none yet, with its organisation code (a legacy organisation, ADR 0018).
"""

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.hooks import Refused
from accounts.models import ClaimOrigin, OrganisationVerification
from accounts.services import claims
from portal import accounts, identifiers
from portal.choices import AuditVerb, OrganisationKind, Role
from portal.models import Organisation, User
from portal.services.audit import audit
from portal.services.users import save_new_account


def already_registered_error() -> ValidationError:
    """The one answer to a sign-up for a code that has an account, whatever the state of that account: it
    says nothing about who holds it, whether it is verified or when it could be claimed."""
    return ValidationError(
        {
            "uscc": ValidationError(
                _(
                    "This credit code already has an account. If it is yours, ask its administrator for an "
                    "invitation or contact the commerce bureau."
                ),
                code="organisation_exists",
            )
        }
    )


def _validate(
    *, uscc: str, org_code: str, division_code: str, username: str, email: str, password: str
) -> None:
    errors: dict[str, list[str]] = {}
    _code_errors(errors, uscc=uscc, org_code=org_code, division_code=division_code)
    _account_errors(errors, username=username, email=email, password=password)
    if errors:
        raise ValidationError(errors)


def _blocking(errors: dict[str, list[str]], field: str, problems) -> None:
    for problem in problems:
        if problem.blocking:
            errors.setdefault(field, []).append(problem.message)


def _code_errors(errors: dict[str, list[str]], *, uscc: str, org_code: str, division_code: str) -> None:
    """The enterprise's identity: a credit code, or (before it has one) an organisation code and division."""
    if uscc and org_code:
        errors.setdefault("org_code", []).append(
            _(
                "The organisation code is characters 9–17 of the credit code and is not entered "
                "separately. Give the organisation code only if your enterprise has no credit code yet."
            )
        )
    elif uscc:
        _blocking(errors, "uscc", identifiers.enterprise_uscc_problems(uscc))
    elif org_code:
        _blocking(errors, "org_code", identifiers.org_code_problems(org_code))
        if not division_code:
            errors.setdefault("division_code", []).append(
                _(
                    "Give the division code of the registered address: an organisation code does not "
                    "contain it."
                )
            )
    else:
        errors.setdefault("uscc", []).append(_("Give the unified social credit code."))
    if division_code:
        _blocking(errors, "division_code", identifiers.division_problems(division_code))


def _account_errors(errors: dict[str, list[str]], *, username: str, email: str, password: str) -> None:
    """The first administrator's username, email and password."""
    errors_of_username = accounts.username_problems(username)
    if errors_of_username:
        errors.setdefault("username", []).extend(errors_of_username)
    if accounts.email_in_use(email):
        errors.setdefault("email", []).append(str(accounts.email_unusable_message()))
    try:
        password_validation.validate_password(password, User(username=username, email=email))
    except ValidationError as exc:
        errors.setdefault("password1", []).extend(exc.messages)


def enterprise_signup(
    *,
    uscc: str = "",
    org_code: str = "",
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

    Everything typed is checked first. A code whose enterprise already has an account is refused with
    ``already_registered_error`` and the attempt is kept for the commerce bureau — unless that account is
    claimable (unverified, and no filing submitted for ``REGISTRATION_CLAIM_AFTER_DAYS``): then this
    sign-up takes it over.
    """
    uscc, org_code = identifiers.normalise(uscc), identifiers.normalise(org_code)
    code = uscc or org_code
    division_code = (division_code or (uscc[2:8] if uscc else "")).strip()
    username, email = accounts.normalise_username(username), accounts.normalise_email(email)
    _validate(
        uscc=uscc,
        org_code=org_code,
        division_code=division_code,
        username=username,
        email=email,
        password=password,
    )
    details = {
        "code": code,
        "name_cn": name_cn.strip(),
        "name_en": name_en.strip(),
        "division_code": division_code,
        "username": username,
        "full_name": full_name.strip(),
        "email": email,
        "phone": phone.strip(),
    }
    try:
        with transaction.atomic():
            return _signup(details, password)
    except Refused as refused:
        claims.record_refusal(refused.organisation, details)
        raise already_registered_error() from None


def _signup(details: dict, password: str) -> tuple[Organisation, User]:
    now = timezone.now()
    existing = claims.organisation_for_code(details["code"])
    if existing is not None:
        if claims.lock_verification(existing.pk) is None or not claims.claimable(existing, now=now):
            raise Refused(existing)
        claims.take_over(existing, details=details, now=now)
        user = _administrator(existing, details, password)
        claims.start_holding(existing, details=details, user=user, origin=ClaimOrigin.TAKEOVER, now=now)
        claims.welcome_taker(existing, user)
        return existing, user
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                kind=OrganisationKind.ENTERPRISE,
                code=details["code"],
                name_cn=details["name_cn"],
                name_en=details["name_en"],
                division_code=details["division_code"],
            )
    except IntegrityError:
        # Another sign-up for the same code committed a moment ago.
        raise Refused(Organisation.objects.get(code=details["code"])) from None
    OrganisationVerification.objects.create(organisation=organisation)
    user = _administrator(organisation, details, password)
    audit(
        verb=AuditVerb.CREATE,
        actor=user,
        target=organisation,
        payload={"signup": True, "legacy": len(details["code"]) == 9},
    )
    claims.start_holding(organisation, details=details, user=user, origin=ClaimOrigin.SIGNUP, now=now)
    return organisation, user


def _administrator(organisation, details: dict, password: str) -> User:
    user = User(
        username=details["username"],
        email=details["email"],
        full_name=details["full_name"],
        phone=details["phone"],
        organisation=organisation,
    )
    user.set_password(password)
    save_new_account(user)
    user.groups.add(Group.objects.get(name=Role.ENTERPRISE_ADMIN))
    audit(
        verb=AuditVerb.CREATE,
        actor=user,
        target=user,
        payload={"signup": True, "role": Role.ENTERPRISE_ADMIN},
    )
    return user
