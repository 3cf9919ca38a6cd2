"""Qualifications through the exchange: receipts (raw JSON, protocol §2) fill identifiers and drive ACTIVE;
refusals show with a retry; transport failures mark the task FAILED; changes supersede the old version."""

import json

import pytest
from django.utils import translation

from exchange import transport
from exchange.models import Message
from exchange.services import envelope_deliver, messages_flush, receipts_ingest
from portal.models import Notification
from registration import services
from registration.choices import FilingStatus, TaskStatus
from registration.models import EntityFiling
from tests.registration import builders
from tests.registration.builders import receipt_item

pytestmark = pytest.mark.django_db


def _task(filing, code):
    return filing.qualifications.select_related("message").get(code=code)


def _ingest(*items):
    return receipts_ingest(list(items), via="callback")


def _status_messages(filing) -> list[dict]:
    rows = Message.objects.for_subject(filing).filter(message_type="commerce.filing_status").order_by("id")
    return [m.payload for m in rows]


def test_receipts_fill_identifiers_and_turn_the_filing_active(enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    tasks = list(filing.qualifications.exclude(message=None).select_related("message"))
    # The E-Port card waits for the customs code it must carry (sent from the customs receipt).
    assert {t.code for t in tasks} == {"FT_OPERATOR", "CUSTOMS_REG", "CIQ_FILING", "SAFE_DIRECTORY"}
    held = _task(filing, "EPORT_CARD")
    assert (held.status, held.message) == (TaskStatus.PENDING, None)
    payload = _task(filing, "CUSTOMS_REG").message.payload
    assert payload == {
        "uscc": filing.uscc,
        "name_cn": filing.name_cn,
        "division_code": filing.division_code,
        "role": "CONSIGNOR",
        "economic_type": "6",
    }
    assert _task(filing, "FT_OPERATOR").message.business_key == f"{filing.filing_no}:FT_OPERATOR"
    _ingest(*(receipt_item(t.message, "ACCEPTED") for t in tasks))
    assert set(filing.qualifications.exclude(message=None).values_list("status", flat=True)) == {
        TaskStatus.SENT
    }
    _ingest(*(receipt_item(t.message) for t in tasks))
    filing.refresh_from_db()
    assert filing.status == FilingStatus.APPROVED  # the E-Port card is still open
    assert _status_messages(filing) == []
    last = _task(filing, "EPORT_CARD")
    assert last.message.payload["customs_code"] == "3301960001"
    _ingest(receipt_item(last.message))
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACTIVE
    assert filing.activated_at
    assert (filing.customs_code, filing.ciq_code, filing.dxp_id) == (
        "3301960001",
        "3300000001",
        "DXPENT0000000001",
    )
    assert (filing.ft_record_no, filing.safe_directory_no, filing.fx_class) == (
        "33000001",
        "332026000001",
        "A",
    )
    assert _task(filing, "CUSTOMS_REG").identifier == "3301960001"
    assert _status_messages(filing) == [
        {"filing_no": filing.filing_no, "uscc": filing.uscc, "status": "ACTIVE", "reason": ""}
    ]
    assert Notification.objects.filter(recipient=enterprise_admin, verb="registration.active").exists()


def test_a_duplicate_receipt_changes_nothing(enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    item = receipt_item(_task(filing, "CIQ_FILING").message)
    assert _ingest(item)["applied"] == 1
    assert _ingest(item)["duplicates"] == 1
    assert Notification.objects.filter(verb="registration.qualification_done").count() == 1


def test_rejection_is_shown_and_the_enterprise_retries(client, enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    old = _task(filing, "CUSTOMS_REG").message
    _ingest(
        receipt_item(old, "ACCEPTED"), receipt_item(old, "REJECTED", info="非浙江省行政区划 division refused")
    )
    task = _task(filing, "CUSTOMS_REG")
    assert task.status == TaskStatus.REJECTED
    assert "division refused" in task.reason
    assert Notification.objects.filter(
        recipient=enterprise_admin, verb="registration.qualification_refused"
    ).exists()
    client.force_login(enterprise_admin)
    client.cookies["portal_language"] = "en"
    page = client.get(f"/registration/filings/{filing.pk}/").content.decode()
    assert "division refused" in page
    assert "Apply again" in page
    response = client.post(f"/registration/filings/{filing.pk}/do/retry/", {"task": task.pk})
    assert response.status_code == 302
    task = _task(filing, "CUSTOMS_REG")
    assert task.status == TaskStatus.PENDING
    assert task.attempts == 2
    assert task.message_id != old.pk
    others = [
        t for t in filing.qualifications.select_related("message") if t.message and t.code != "CUSTOMS_REG"
    ]
    _ingest(*(receipt_item(t.message) for t in others))
    # A late error about the first attempt must not override the new attempt.
    _ingest(receipt_item(old, "SCHEMA_ERROR", info="late"))
    assert _task(filing, "CUSTOMS_REG").status == TaskStatus.PENDING
    _ingest(receipt_item(task.message))
    _ingest(receipt_item(_task(filing, "EPORT_CARD").message))  # released by the customs code
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACTIVE
    assert filing.customs_code == "3301960001"


def test_retry_only_for_refused_failed_or_not_applied(enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    from portal.statemachine import TransitionNotAllowed

    with pytest.raises(TransitionNotAllowed):
        services.qualification_retry(task=_task(filing, "CUSTOMS_REG"), by=enterprise_admin)


def test_optional_qualification_applied_later(enterprise_admin, reviewer):
    filing = builders.active(enterprise_admin, reviewer)
    tax = _task(filing, "TAX_REFUND_FILING")
    assert tax.status == TaskStatus.NOT_APPLIED
    assert not tax.mandatory
    tax = services.qualification_retry(task=tax, by=enterprise_admin)
    assert tax.status == TaskStatus.PENDING
    assert tax.message.payload["is_vat_general_taxpayer"] is True
    _ingest(receipt_item(tax.message))
    filing.refresh_from_db()
    assert filing.tax_filing_no == "33202600000001"
    assert "TAX_REFUND_FILING" in filing.optional_qualifications


def test_an_unusable_identifier_fails_the_task(enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    message = _task(filing, "CUSTOMS_REG").message
    _ingest(receipt_item(message, data={"customs_code": "4403161FMD"}))
    task = _task(filing, "CUSTOMS_REG")
    assert task.status == TaskStatus.FAILED
    assert "4403161FMD" in task.reason
    filing.refresh_from_db()
    assert filing.customs_code is None


def test_refused_transport_marks_the_task_failed(enterprise_admin, reviewer, monkeypatch, settings, tmp_path):
    settings.EXCHANGE_KEY_DIR = tmp_path / "keys"
    filing = builders.approved(enterprise_admin, reviewer)
    (envelope_pk,) = messages_flush(message_type="safe.directory", sender_id=filing.owner_id)
    monkeypatch.setattr(
        transport,
        "submit",
        lambda **kw: transport.SendResult(
            ok=False,
            transient=False,
            status=401,
            body={"error": "bad_signature"},
            error="HTTP 401: bad_signature",
        ),
    )
    assert envelope_deliver(envelope_pk) == "failed"
    task = _task(filing, "SAFE_DIRECTORY")
    assert task.status == TaskStatus.FAILED
    assert "bad_signature" in task.reason
    assert services.qualification_retry(task=task, by=enterprise_admin).status == TaskStatus.PENDING


def test_suspend_reinstate_revoke_update_the_commerce_register(enterprise_admin, reviewer, supervisor):
    filing = builders.active(enterprise_admin, reviewer)
    services.filing_suspend(filing=filing, by=reviewer, reason="涉嫌侵权")
    services.filing_reinstate(filing=filing, by=reviewer, reason="已整改")
    services.filing_revoke(filing=filing, by=supervisor, reason="企业注销")
    statuses = [(p["status"], p["reason"]) for p in _status_messages(filing)]
    assert statuses == [
        ("ACTIVE", ""),
        ("SUSPENDED", "涉嫌侵权"),
        ("ACTIVE", "已整改"),
        ("REVOKED", "企业注销"),
    ]


def test_a_change_supersedes_the_old_version_when_it_becomes_active(enterprise_admin, reviewer):
    v1 = builders.active(enterprise_admin, reviewer)
    v2 = services.filing_change(filing=v1, by=enterprise_admin)
    assert v2.attachments.count() == v1.attachments.count()
    assert v2.verify_token == v1.verify_token
    services.filing_update_draft(
        filing=v2, by=enterprise_admin, data={"address": "浙江省杭州市滨江区新址路8号"}
    )
    v2 = services.filing_submit(filing=v2, by=enterprise_admin)
    assert v2.filing_no == v1.filing_no
    assert v2.version == 2
    assert EntityFiling.objects.get(pk=v1.pk).status == FilingStatus.ACTIVE  # still in force meanwhile
    services.filing_accept(filing=v2, by=reviewer)
    v2 = services.filing_approve(filing=v2, by=reviewer)
    assert v2.status == FilingStatus.ACTIVE  # every mandatory qualification carried over
    v1.refresh_from_db()
    assert v1.status == FilingStatus.SUPERSEDED
    assert v1.address != v2.address
    assert v2.customs_code == v1.customs_code
    assert not v2.qualifications.filter(carried_from=None).exclude(status=TaskStatus.NOT_APPLIED).exists()


def test_a_change_approved_while_suspended_waits_for_reinstatement(enterprise_admin, reviewer):
    v1 = builders.active(enterprise_admin, reviewer)
    v2 = services.filing_change(filing=v1, by=enterprise_admin)
    v2 = services.filing_submit(filing=v2, by=enterprise_admin)
    services.filing_accept(filing=v2, by=reviewer)
    services.filing_suspend(filing=v1, by=reviewer, reason="核查")
    v2 = services.filing_approve(filing=v2, by=reviewer)
    assert v2.status == FilingStatus.APPROVED
    services.filing_reinstate(filing=v1, by=reviewer, reason="核查完毕")
    assert EntityFiling.objects.get(pk=v2.pk).status == FilingStatus.ACTIVE
    assert EntityFiling.objects.get(pk=v1.pk).status == FilingStatus.SUPERSEDED


def test_revoking_discards_an_open_change(enterprise_admin, reviewer, supervisor):
    v1 = builders.active(enterprise_admin, reviewer)
    v2 = services.filing_submit(
        filing=services.filing_change(filing=v1, by=enterprise_admin), by=enterprise_admin
    )
    services.filing_revoke(filing=v1, by=supervisor, reason="吊销营业执照")
    assert EntityFiling.objects.get(pk=v2.pk).status == FilingStatus.WITHDRAWN


def test_filing_status_failure_tells_the_supervisors(enterprise_admin, reviewer, supervisor):
    filing = builders.active(enterprise_admin, reviewer)
    message = Message.objects.for_subject(filing).get(message_type="commerce.filing_status")
    _ingest(receipt_item(message, "SCHEMA_ERROR", info="uscc: required field missing"))
    assert Notification.objects.filter(
        recipient=supervisor, verb="registration.register_update_failed"
    ).exists()


def test_receipt_raw_is_json_as_govmock_sends_it(enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer)
    item = receipt_item(_task(filing, "CIQ_FILING").message)
    raw = json.loads(item["raw"])
    assert raw["guid"] == _task(filing, "CIQ_FILING").message.message_id
    assert raw["status"] == "REGISTERED"
    with translation.override("en"):
        _ingest(item)
    assert _task(filing, "CIQ_FILING").status == TaskStatus.DONE


# DOMAIN §1.4, transcribed independently of registration/matrix.py: (mandatory, optional).
DOMAIN_MATRIX = {
    ("SELF_PLATFORM", ""): (
        {"FT_OPERATOR", "CUSTOMS_REG", "CIQ_FILING", "SAFE_DIRECTORY", "EPORT_CARD"},
        {"TAX_REFUND_FILING"},
    ),
    ("APPLICATION", "ENTERPRISE"): (
        {"FT_OPERATOR", "CUSTOMS_REG", "CIQ_FILING", "SAFE_DIRECTORY", "EPORT_CARD"},
        {"TAX_REFUND_FILING"},
    ),
    ("SERVICE", "LOGISTICS"): ({"CUSTOMS_REG", "EPORT_CARD"}, {"CIQ_FILING"}),
    ("SERVICE", "CUSTOMS_BROKER"): ({"CUSTOMS_REG", "EPORT_CARD"}, {"CIQ_FILING"}),
    ("SERVICE", "PAYMENT"): ({"SAFE_DIRECTORY"}, {"CUSTOMS_REG", "EPORT_CARD"}),
    ("SERVICE", "COMPREHENSIVE"): (
        {"FT_OPERATOR", "CUSTOMS_REG", "CIQ_FILING", "TAX_REFUND_FILING", "SAFE_DIRECTORY", "EPORT_CARD"},
        set(),
    ),
    ("SERVICE", "PLATFORM"): ({"CUSTOMS_REG", "EPORT_CARD"}, {"CIQ_FILING"}),
}


@pytest.mark.parametrize(("role", "expected"), list(DOMAIN_MATRIX.items()))
def test_approval_creates_one_task_per_matrix_cell(enterprise_admin, reviewer, role, expected):
    entity_type, subtype = role
    filing = builders.approved(enterprise_admin, reviewer, entity_type=entity_type, subtype=subtype)
    mandatory, optional = expected
    tasks = {t.code: t for t in filing.qualifications.all()}
    assert set(tasks) == mandatory | optional
    assert {c for c, t in tasks.items() if t.mandatory} == mandatory
    assert {c for c, t in tasks.items() if t.status == TaskStatus.NOT_APPLIED} == optional
    held = 1 if {"EPORT_CARD", "CUSTOMS_REG"} <= mandatory else 0  # the card waits for the customs code
    assert (
        Message.objects.filter(subject_id__in=[str(t.pk) for t in tasks.values()]).count()
        == len(mandatory) - held
    )
    builders.answer_all(filing)
    assert all(t.message_id for t in filing.qualifications.filter(mandatory=True))


def test_individual_business_row_and_broker_role(reviewer):
    from tests import factories

    org = factories.EnterpriseFactory(code="92330106L2Q7N8R46K", division_code="330106")
    admin = factories.UserFactory(organisation=org, role="enterprise_admin")
    filing = builders.approved(
        admin, reviewer, subtype="INDIVIDUAL_BUSINESS", optional_qualifications=["SAFE_DIRECTORY"]
    )
    tasks = {t.code: t for t in filing.qualifications.select_related("message")}
    assert set(tasks) == {"FT_OPERATOR", "CUSTOMS_REG", "CIQ_FILING", "SAFE_DIRECTORY", "EPORT_CARD"}
    assert tasks["SAFE_DIRECTORY"].status == TaskStatus.PENDING
    assert not tasks["SAFE_DIRECTORY"].mandatory
    assert tasks["EPORT_CARD"].status == TaskStatus.NOT_APPLIED
    assert tasks["CUSTOMS_REG"].message.payload["economic_type"] == "7"


def test_customs_broker_registers_as_broker(enterprise_admin, reviewer):
    filing = builders.approved(enterprise_admin, reviewer, entity_type="SERVICE", subtype="CUSTOMS_BROKER")
    payload = _task(filing, "CUSTOMS_REG").message.payload
    assert payload["role"] == "BROKER"
    assert payload["economic_type"] == "8"


@pytest.mark.parametrize("message_type", ["customs.registration", "commerce.filing_status"])
def test_messages_of_the_same_types_about_other_things_are_left_alone(enterprise, message_type):
    """Other apps send these types too (with another subject, or none): our handlers must not trip on them."""
    from django.db import transaction

    from exchange.services import message_enqueue

    with transaction.atomic():
        bare = message_enqueue(message_type=message_type, sender=enterprise, business_key="X-1", payload={})
        about_org = message_enqueue(
            message_type=message_type, sender=enterprise, business_key="X-2", payload={}, subject=enterprise
        )
    counts = _ingest(receipt_item(bare, "REJECTED", info="no"), receipt_item(about_org, "REGISTERED"))
    assert counts["applied"] == 2
    assert Message.objects.get(pk=bare.pk).status == "failed"
    assert not Notification.objects.filter(verb__startswith="registration.").exists()


def test_eport_card_without_a_customs_task_goes_at_once_and_waits_again_after_a_refusal(
    enterprise_admin, reviewer
):
    filing = builders.approved(enterprise_admin, reviewer)
    customs = _task(filing, "CUSTOMS_REG")
    _ingest(receipt_item(customs.message, "REJECTED", info="refused"))
    assert _task(filing, "EPORT_CARD").message is None  # still waiting: no customs code yet
    services.qualification_retry(task=_task(filing, "CUSTOMS_REG"), by=enterprise_admin)
    _ingest(receipt_item(_task(filing, "CUSTOMS_REG").message))
    card = _task(filing, "EPORT_CARD")
    assert card.message.payload["customs_code"] == "3301960001"


def test_every_task_move_is_in_the_table_and_audited(enterprise_admin, reviewer):
    from portal.models import AuditEvent
    from portal.statemachine import TransitionNotAllowed
    from registration.services.qualifications import task_move

    filing = builders.approved(enterprise_admin, reviewer)
    ciq = _task(filing, "CIQ_FILING")
    _ingest(receipt_item(ciq.message, "ACCEPTED"))
    event = AuditEvent.objects.for_object(filing).get(payload__action="qualification_deliver")
    assert (event.from_state, event.to_state) == (TaskStatus.PENDING, TaskStatus.SENT)
    _ingest(receipt_item(ciq.message))
    done = _task(filing, "CIQ_FILING")
    assert AuditEvent.objects.for_object(filing).filter(payload__action="qualification_register").exists()
    with pytest.raises(TransitionNotAllowed):
        task_move(done, filing, "refuse")  # a DONE task never goes back
