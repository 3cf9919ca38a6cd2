"""Account claims and verification run on declared transition tables (``registration.transitions.CLAIM`` and
``VERIFICATION``, ADR 0027): the services change those states only through ``portal.workflow.transition``, a
move outside the table is refused, and each move is audited with the table's states."""

import ast
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import translation

from accounts import services as account_services
from accounts.models import ClaimStatus, OrganisationClaim, OrganisationVerification, VerificationStatus
from accounts.transitions import CLAIM, VERIFICATION
from portal import workflow
from portal.models import AuditEvent
from portal.statemachine import TransitionNotAllowed
from registration.transitions import FILING, TASK
from tests.registration.test_claims import _age, _dispute, _signup

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "registration" / "services"


def _status_writes(path: Path) -> list[int]:
    """Lines of ``<x>.status = …`` (or ``<x>.status, … = …``) in a module."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets for t in getattr(target, "elts", [target])]
            if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets):
                lines.append(node.lineno)
    return lines


def test_account_states_change_only_through_the_workflow():
    assert _status_writes(ROOT / "accounts" / "services" / "claims.py") == []
    assert _status_writes(SERVICES / "_common.py") == []


def test_the_tables_are_complete():
    assert workflow.check_tables([FILING, TASK, CLAIM, VERIFICATION]) == []
    assert CLAIM.all_states() == set(ClaimStatus.values)
    assert VERIFICATION.all_states() == set(VerificationStatus.values)


def test_reassignment_moves_the_claim_the_holder_and_the_account_by_the_tables(supervisor):
    _org, squatter, pending = _dispute()
    account_services.claim_reassign(claim=pending, by=supervisor, reason="核对营业执照原件")
    moves = {
        (e.payload["action"], e.from_state, e.to_state)
        for e in AuditEvent.objects.filter(verb="transition", actor=supervisor)
        .exclude(target_type__model="entityfiling")
        .filter(payload__action__in=["reassign", "retire", "verify"])
    }
    assert moves == {
        ("reassign", ClaimStatus.PENDING, ClaimStatus.HOLDER),
        ("retire", ClaimStatus.HOLDER, ClaimStatus.RETIRED),
        ("verify", VerificationStatus.UNVERIFIED, VerificationStatus.VERIFIED),
    }
    retired = OrganisationClaim.objects.get(user=squatter)
    assert retired.retired_users == [squatter.username]


def test_a_retired_claim_cannot_move_again(supervisor):
    _org, squatter, pending = _dispute()
    account_services.claim_reassign(claim=pending, by=supervisor, reason="核实")
    retired = OrganisationClaim.objects.get(user=squatter)
    with translation.override("en"), transaction.atomic(), pytest.raises(TransitionNotAllowed) as info:
        workflow.transition(retired, "retire", by=supervisor, workflow=CLAIM)
    assert "sign-up" in str(info.value) and "Retired" in str(info.value)


def test_a_takeover_is_a_move_of_the_verification_table():
    org, _squatter = _signup("squatter")
    _age(org, 15)
    _signup("rightful", name_cn="义乌市真实电子商务有限公司")
    verification = OrganisationVerification.objects.get(organisation=org)
    event = AuditEvent.objects.for_object(verification).get(payload__action="take_over")
    unverified = VerificationStatus.UNVERIFIED
    assert (event.from_state, event.to_state) == (unverified, unverified)
    OrganisationVerification.objects.filter(pk=verification.pk).update(status=VerificationStatus.VERIFIED)
    with transaction.atomic(), pytest.raises(TransitionNotAllowed):
        workflow.transition(verification, "take_over", workflow=VERIFICATION)
