"""Qualifications through the exchange: one task and one message per applicable matrix cell.

Guarantees:
* tasks and their messages are written in the approving transaction (sent after commit by the exchange);
* a receipt is applied to its task at most once per status (the exchange guarantees it), a DONE task never
  goes back, and a late error from an earlier attempt never overrides a newer attempt;
* each identifier is validated before it is stored on the task and on the filing;
* the filing becomes ACTIVE in the transaction that completes its last mandatory task.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exchange import catalog
from exchange.choices import Outcome
from exchange.services import message_enqueue
from portal import identifiers, texts, workflow
from portal.choices import AuditVerb
from portal.services.audit import audit
from portal.services.notifications import Digest
from portal.statemachine import TransitionNotAllowed
from registration import matrix, payloads
from registration.choices import RETRYABLE_TASK, FilingStatus, Qualification, TaskStatus
from registration.models import EntityFiling, QualificationTask
from registration.policies import ensure_applicant
from registration.services import lifecycle
from registration.services._common import (
    bilingual_of,
    lock,
    not_allowed,
    supervisors,
    tell_applicant,
    tell_bureau,
)
from registration.transitions import TASK

# Where each qualification's identifier lands on the filing.
FILING_FIELD = {
    Qualification.FT_OPERATOR: "ft_record_no",
    Qualification.CUSTOMS_REG: "customs_code",
    Qualification.CIQ_FILING: "ciq_code",
    Qualification.TAX_REFUND_FILING: "tax_filing_no",
    Qualification.SAFE_DIRECTORY: "safe_directory_no",
    Qualification.EPORT_CARD: "dxp_id",
}
# The moves a department's receipt makes (audited as receipts).
RECEIPT_VERBS = frozenset({"deliver", "register", "refuse", "fail"})
RETRY_FILING_STATUSES = frozenset({FilingStatus.APPROVED, FilingStatus.ACTIVE, FilingStatus.SUSPENDED})


def tasks_create(filing: EntityFiling) -> list[QualificationTask]:
    """One task per applicable cell; DONE ones of the version being changed carry over without a message."""
    row = matrix.cells(filing.entity_type, filing.subtype)
    carried = {}
    if filing.previous_id:
        carried = {t.code: t for t in filing.previous.qualifications.filter(status=TaskStatus.DONE)}
    tasks = []
    for code in sorted(row, key=lambda c: matrix.SPECS[c].order):
        mandatory = row[code] == matrix.M
        task = QualificationTask(filing=filing, code=code, mandatory=mandatory)
        if code in carried:
            old = carried[code]
            task.status, task.identifier, task.result = TaskStatus.DONE, old.identifier, old.result
            task.carried_from, task.done_at = old, old.done_at
            task.save()
        elif mandatory or code in filing.optional_qualifications:
            task.save()
            if not (held_for_credit_code(filing) or held_for_customs(task, filing)):
                send(task, filing)
        else:
            task.status = TaskStatus.NOT_APPLIED
            task.save()
        tasks.append(task)
    return tasks


def held_for_credit_code(filing: EntityFiling) -> bool:
    """A legacy record has no credit code, and every department's message is keyed by one (protocol §4):
    its tasks wait, PENDING without a message, until the organisation records its credit code
    (``accounts.services.credit_code.credit_code_record``; ``services.holding`` sends them then; ADR 0018).
    Nothing is sent with a made-up or empty code."""
    return filing.is_legacy_record


def release_for_credit_code(filing: EntityFiling) -> int:
    """Send the tasks a legacy record held, now that it has its credit code (the E-Port card still waits
    for the customs code). Returns how many were sent."""
    sent = 0
    for task in (
        filing.qualifications.select_for_update()
        .filter(status=TaskStatus.PENDING, message__isnull=True)
        .order_by("id")
    ):
        if held_for_customs(task, filing):
            continue
        send(task, filing)
        sent += 1
    return sent


def held_for_customs(task: QualificationTask, filing: EntityFiling) -> bool:
    """The E-Port card carries the customs code, so it waits until the customs registration is DONE
    (``release_held`` sends it from the customs receipt). Without a customs task it goes at once."""
    if task.code != Qualification.EPORT_CARD:
        return False
    customs = filing.qualifications.filter(code=Qualification.CUSTOMS_REG).first()
    return customs is not None and customs.status not in (TaskStatus.DONE, TaskStatus.NOT_APPLIED)


def release_held(filing: EntityFiling) -> None:
    """Send the tasks held for the customs code, now that the filing has it."""
    for task in filing.qualifications.select_for_update().filter(
        code=Qualification.EPORT_CARD, status=TaskStatus.PENDING, message__isnull=True
    ):
        send(task, filing)


def task_move(
    task: QualificationTask,
    filing: EntityFiling,
    verb: str,
    *,
    by=None,
    reason: str = "",
    quiet: bool = False,
    cause: str = "",
) -> str:
    """Move a task through ``transitions.TASK`` (else ``TransitionNotAllowed``, naming the filing's status)
    and audit a change of status on the filing with ``portal.workflow.transition``. A move that keeps the
    status (a resend, a repeated refusal) is not an event; ``quiet``: the caller audits it. Returns the status
    before; the caller saves the task."""
    before = task.status
    try:
        target = TASK.target(before, verb)
    except TransitionNotAllowed:
        raise not_allowed(filing, "retry" if verb == "send" else verb) from None
    if target == before or quiet:
        task.status = target
        return before
    return workflow.transition(
        task,
        verb,
        by=by,
        workflow=TASK,
        audit_target=filing,
        audit_verb=AuditVerb.RECEIPT if verb in RECEIPT_VERBS else AuditVerb.TRANSITION,
        reason=f"{task.get_code_display()}: {reason}"[:500] if reason else str(task.get_code_display()),
        payload={
            "action": f"qualification_{verb}",
            "qualification": task.code,
            "attempt": task.attempts,
            **({"cause": cause} if cause else {}),
        },
    )


def send(task: QualificationTask, filing: EntityFiling, *, quiet: bool = False) -> None:
    """Write the task's message in the current transaction (a new message per attempt)."""
    task_move(task, filing, "send", quiet=quiet)
    spec = matrix.SPECS[task.code]
    message = message_enqueue(
        message_type=spec.message_type,
        sender=filing.owner,
        business_key=f"{filing.filing_no}:{task.code}",
        payload=payloads.build(task.code, filing),
        subject=task,
        sender_dxp_id=filing.dxp_id or "",
    )
    task.message, task.attempts = message, task.attempts + 1
    task.sent_at, task.reason, task.reason_text = timezone.now(), "", {}
    task.save(update_fields=["message", "status", "attempts", "sent_at", "reason", "reason_text"])


@transaction.atomic
def qualification_retry(*, task, by) -> QualificationTask:
    """Apply again after a refusal or failure, or apply for an optional qualification not applied for."""
    filing = lock(task.filing)
    ensure_applicant(filing, by)
    task = QualificationTask.objects.select_for_update().get(pk=task.pk)
    if task.status not in RETRYABLE_TASK or filing.status not in RETRY_FILING_STATUSES:
        raise not_allowed(filing, "retry")
    if held_for_credit_code(filing):
        raise ValidationError(
            _(
                "The qualifications of a legacy record wait for the credit code: record it for your "
                "organisation first."
            ),
            code="legacy_held",
        )
    if task.status == TaskStatus.NOT_APPLIED:
        if matrix.condition_problem(task.code, is_vat_general_taxpayer=filing.is_vat_general_taxpayer):
            raise ValidationError(_("Only VAT general taxpayers can apply for the export tax refund filing."))
        if task.code not in filing.optional_qualifications:
            filing.optional_qualifications = [*filing.optional_qualifications, task.code]
            filing.save(update_fields=["optional_qualifications"])
    before = task.status
    if held_for_customs(task, filing):
        task_move(task, filing, "send", quiet=True)  # audited below; sent when the customs code arrives
        task.message, task.reason, task.reason_text = None, "", {}
        task.save(update_fields=["status", "message", "reason", "reason_text"])
    else:
        send(task, filing, quiet=True)
    audit(
        verb=AuditVerb.TRANSITION,
        target=filing,
        actor=by,
        from_state=before,
        to_state=task.status,
        reason=str(task.get_code_display()),
        payload={"action": "qualification_retry", "qualification": task.code, "attempt": task.attempts},
    )
    return task


# --- exchange handlers ------------------------------------------------------------------------------------
def lock_tasks(pks) -> dict[int, QualificationTask]:
    """The exchange's locker for receipts about qualification tasks: each task's filing (and the version it
    changes) first, then the task, the order every registration service takes. ``task.filing`` is the locked
    filing."""
    filing_of = dict(QualificationTask.objects.filter(pk__in=pks).values_list("pk", "filing_id"))
    filings = {fid: lock(EntityFiling(pk=fid)) for fid in sorted(set(filing_of.values()))}
    tasks = {}
    for task in workflow.lock(*(QualificationTask(pk=pk) for pk in sorted(filing_of))):
        task.filing = filings[task.filing_id]
        tasks[task.pk] = task
    return tasks


def on_receipt(task: QualificationTask, message, receipt) -> None:
    """Apply a department's receipt to its qualification task (bound to ``QualificationTask`` messages)."""
    filing = task.filing
    if task.status == TaskStatus.DONE:
        return
    meaning = catalog.meaning(message.message_type, receipt.status_code)
    latest = task.message_id == message.pk
    if meaning is not None and meaning.final and meaning.outcome == Outcome.SUCCESS:
        _done(task, filing, receipt.data or {})
    elif meaning is not None and meaning.final:
        if latest:
            _refused(task, filing, TaskStatus.REJECTED, receipt.info or receipt.status_code)
    elif latest and task.status == TaskStatus.PENDING:
        task_move(task, filing, "deliver", reason=receipt.info or receipt.status_code)
        task.save(update_fields=["status"])
    lifecycle.activate_if_ready(filing)


def on_failure(task: QualificationTask, message) -> None:
    """The department refused the message outright, or it could not be delivered."""
    filing = task.filing
    if task.status != TaskStatus.DONE and task.message_id == message.pk:
        _refused(
            task,
            filing,
            TaskStatus.FAILED,
            message.last_error or "undeliverable",
            said=texts.keep(gettext_lazy("The department did not take the message.")),
        )


def _identifier(task: QualificationTask, data: dict) -> tuple[str, dict | None]:
    """The identifier in the receipt data, and what is wrong with it (None when usable), kept for reading."""
    key = matrix.SPECS[task.code].identifier_key
    value = str(data.get(key) or "").strip()
    if not value or len(value) > 40:
        return value[:40], texts.keep(gettext_lazy("the receipt carries no usable %(key)s"), {"key": key})
    if task.code == Qualification.CUSTOMS_REG and identifiers.customs_code_problems(value):
        problem = gettext_lazy("the customs code %(code)s is not a valid Zhejiang customs code")
        return value, texts.keep(problem, {"code": value})
    if task.code == Qualification.SAFE_DIRECTORY and str(data.get("fx_class") or "") not in ("A", "B", "C"):
        return value, texts.keep(gettext_lazy("the forex class is not A, B or C"))
    return value, None


def _done(task: QualificationTask, filing: EntityFiling, data: dict) -> None:
    value, problem = _identifier(task, data)
    if problem:
        said = texts.keep(gettext_lazy("Unusable answer from the department: %(p)s."), {"p": problem})
        _refused(task, filing, TaskStatus.FAILED, bilingual_of(said), said=said, cause="unusable_answer")
        return
    task_move(task, filing, "register", reason=value)
    task.identifier, task.result, task.done_at = value, data, timezone.now()
    task.reason, task.reason_text = "", {}
    task.save(update_fields=["status", "identifier", "result", "done_at", "reason", "reason_text"])
    fields = [FILING_FIELD[task.code]]
    setattr(filing, fields[0], value)
    if task.code == Qualification.SAFE_DIRECTORY:
        filing.fx_class = data["fx_class"]
        fields.append("fx_class")
    filing.save(update_fields=fields)
    if task.code == Qualification.CUSTOMS_REG:
        release_held(filing)
    tell_applicant(
        filing,
        verb="qualification_done",
        title=gettext_lazy("%(qualification)s registered: %(identifier)s"),
        params={"qualification": Qualification(task.code).label, "identifier": value},
        # The departments answer within seconds of one another: one notification for the burst.
        digest=Digest(
            key=f"registration.qualification_done:{filing.pk}",
            title=gettext_lazy("Filing %(no)s: %(count)d qualifications registered"),
            line=gettext_lazy("%(qualification)s registered: %(identifier)s"),
        ),
    )


def _refused(
    task: QualificationTask,
    filing: EntityFiling,
    status: str,
    reason: str,
    *,
    said: dict | None = None,
    cause: str = "",
) -> None:
    """The task stopped: ``reason`` is the record (the department's words, or the transport error), ``said``
    the portal's own explanation kept for each reader's language (none when the department's words say it)."""
    verb = "refuse" if status == TaskStatus.REJECTED else "fail"
    task_move(task, filing, verb, reason=reason, cause=cause)
    task.reason, task.reason_text = reason[:2000], said or {}
    task.save(update_fields=["status", "reason", "reason_text"])
    params = {"qualification": Qualification(task.code).label, "reason": said or texts.clause(reason)}
    title = (
        gettext_lazy("%(qualification)s refused by the department")
        if status == TaskStatus.REJECTED
        else gettext_lazy("%(qualification)s could not be completed")
    )
    body = gettext_lazy("Reason: %(reason)s. You can correct the cause and apply again from the filing page.")
    tell_applicant(filing, verb="qualification_refused", title=title, body=body, params=params)
    tell_bureau(filing, verb="qualification_refused", title=title, body=body, params=params)


def filings_by_pk(pks) -> dict[int, EntityFiling]:
    """Filings about which the commerce register answered: read, not locked (the answer only tells people)."""
    return EntityFiling.objects.in_bulk(pks)


def on_status_failure(filing: EntityFiling, message) -> None:
    """The commerce register did not take a status update: tell the supervisors (it needs replaying)."""
    tell_bureau(
        filing,
        verb="register_update_failed",
        title=gettext_lazy("The commerce register did not take the status of filing %(no)s"),
        body=gettext_lazy("Error: %(error)s. A system administrator can replay the message."),
        params={"error": message.last_error or message.receipt_info},
        recipients=supervisors(),
    )


def on_status_receipt(filing: EntityFiling, message, receipt) -> None:
    meaning = catalog.meaning(message.message_type, receipt.status_code)
    if meaning is not None and meaning.final and meaning.outcome != Outcome.SUCCESS:
        on_status_failure(filing, message)
