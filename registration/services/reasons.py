"""Keeping the return-reason picklist (supervisors and administrators)."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.choices import AuditVerb
from portal.services.audit import audit
from registration.models import ReturnReason

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")


@transaction.atomic
def reason_add(*, code: str, label_zh: str, label_en: str, by, order: int = 100) -> ReturnReason:
    code = code.strip().upper()
    if not _CODE.match(code):
        raise ValidationError(
            {"code": _("Use capital letters, digits and underscores, starting with a letter.")}
        )
    if ReturnReason.objects.filter(code=code).exists():
        raise ValidationError({"code": _("This code exists already.")})
    if not label_zh.strip() or not label_en.strip():
        raise ValidationError({"label_zh": _("Give the reason in both languages.")})
    try:
        with transaction.atomic():
            reason = ReturnReason.objects.create(
                code=code, label_zh=label_zh.strip(), label_en=label_en.strip(), order=order
            )
    except IntegrityError:  # added by someone else a moment ago
        raise ValidationError({"code": _("This code exists already.")}) from None
    audit(verb=AuditVerb.CREATE, target=reason, actor=by, reason=code)
    return reason


@transaction.atomic
def reason_set_active(*, reason: ReturnReason, active: bool, by) -> ReturnReason:
    reason = ReturnReason.objects.select_for_update().get(pk=reason.pk)
    if reason.active != active:
        reason.active = active
        reason.save(update_fields=["active"])
        audit(
            verb=AuditVerb.REACTIVATE if active else AuditVerb.DEACTIVATE,
            target=reason,
            actor=by,
            reason=reason.code,
        )
    return reason
