"""Round-by-round history of a filing: the snapshot taken at each submission and the differences between
consecutive rounds (ADR 0016).

A snapshot holds the non-secret fields as stored (``SNAPSHOT_FIELDS``), the ID document number masked, a
keyed fingerprint of it (so a changed number shows as changed even when its last four characters agree) and
the current attachments with their hashes. The first round of a change version is compared with the version
it changes as that version stands, so the bureau sees exactly what the change alters.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.crypto import salted_hmac
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from registration import values
from registration.models.filing import DATA_FIELDS, EntityFiling

SNAPSHOT_FIELDS = ("entity_type", "subtype", *DATA_FIELDS)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def id_fingerprint(filing) -> str:
    if not filing.legal_rep_id_no_encrypted:
        return ""
    raw = f"{filing.legal_rep_id_type}:{filing.legal_rep_id_no}"
    return salted_hmac("registration.submission-id", raw, algorithm="sha256").hexdigest()


def snapshot_values(filing) -> dict:
    values = {name: _plain(getattr(filing, name)) for name in SNAPSHOT_FIELDS if name != "legal_rep_id_no"}
    values["legal_rep_id_no"] = filing.legal_rep_id_masked
    return values


def snapshot_attachments(filing) -> list[dict]:
    return [
        {"id": a.pk, "kind": a.kind, "name": a.original_name, "size": a.size, "sha256": a.sha256}
        for a in filing.attachments.current().order_by("kind", "id")
    ]


def record_submission(filing, *, by, at):
    """Write the snapshot of the round just opened (call inside the submitting transaction)."""
    from registration.models import FilingSubmission

    return FilingSubmission.objects.create(
        filing=filing,
        review_round=filing.review_round,
        submitted_at=at,
        submitted_by=by,
        values=snapshot_values(filing),
        id_fingerprint=id_fingerprint(filing),
        attachments=snapshot_attachments(filing),
    )


def in_force_snapshot(version):
    """An unsaved snapshot of a version as it stands now (the version a change is compared with: its values
    include the identifiers its qualifications brought, which the change copied)."""
    from registration.models import FilingSubmission

    return FilingSubmission(
        filing=version,
        review_round=version.review_round,
        submitted_at=version.activated_at or version.updated_at,
        values=snapshot_values(version),
        id_fingerprint=id_fingerprint(version),
        attachments=snapshot_attachments(version),
    )


@dataclass
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass
class Round:
    submission: object
    changes: list = field(default_factory=list)
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    compared_with: object = None

    @property
    def first(self) -> bool:
        return self.compared_with is None


def label_of(name: str) -> str:
    if name == "legal_rep_id_no":
        return capfirst(_("ID document number"))
    return capfirst(str(EntityFiling._meta.get_field(name).verbose_name))


def display(name: str, value) -> str:
    """A stored value in plain language (choices by label, lists one per line), as the detail page has it."""
    if name == "legal_rep_id_no":
        return value or ""
    probe = EntityFiling()
    setattr(probe, name, value)
    return values.plain_value(probe, name)


def _changes(before, after) -> list[Change]:
    out = []
    for name in SNAPSHOT_FIELDS:
        old, new = before.values.get(name), after.values.get(name)
        if name == "legal_rep_id_no":
            prints = before.id_fingerprint and after.id_fingerprint
            if old == new and (not prints or before.id_fingerprint == after.id_fingerprint):
                continue
        elif old == new or (old in (None, "", []) and new in (None, "", [])):
            continue
        out.append(Change(name, label_of(name), display(name, old), display(name, new)))
    return out


def _files(before, after) -> tuple[list, list]:
    old = {a["sha256"]: a for a in before.attachments}
    new = {a["sha256"]: a for a in after.attachments}
    return [a for h, a in new.items() if h not in old], [a for h, a in old.items() if h not in new]


def rounds(filing, submissions=None) -> list[Round]:
    """Every submission of the filing, newest first, each with what changed since the one before."""
    from registration.models import FilingSubmission

    if submissions is None:
        submissions = list(
            FilingSubmission.objects.filter(filing=filing)
            .select_related("submitted_by")
            .order_by("review_round")
        )
    before = None
    if filing.previous_id:
        before = in_force_snapshot(filing.previous)
    out = []
    for submission in submissions:
        entry = Round(submission, compared_with=before)
        if before is not None:
            entry.changes = _changes(before, submission)
            entry.added, entry.removed = _files(before, submission)
        out.append(entry)
        before = submission
    return list(reversed(out))
