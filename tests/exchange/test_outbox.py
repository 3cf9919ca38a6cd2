"""The outbox: written with the business change, batched after commit, delivered idempotently, retried."""

import json
from datetime import timedelta

import pytest
from defusedxml import ElementTree
from django.db import transaction
from django.utils import timezone

from exchange import services
from exchange.choices import EnvelopeStatus, MessageStatus
from exchange.models import Envelope, Message
from exchange.services import messages_flush, outbox_sweep
from exchange.services.delivery import backoff_seconds
from portal.models import AuditEvent
from tests.exchange.helpers import ORDER_PAYLOAD, enqueue

pytestmark = pytest.mark.django_db
CEB = "{http://www.chinaport.gov.cn/ceb}"


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_is_refused(enterprise):
    with pytest.raises(RuntimeError, match="inside the business transaction"):
        services.message_enqueue(
            message_type="customs.registration", sender=enterprise, business_key="k", payload={}
        )


def test_unknown_message_type_is_refused(enterprise):
    with pytest.raises(ValueError, match="unknown message type"), transaction.atomic():
        services.message_enqueue(
            message_type="customs.nonsense", sender=enterprise, business_key="k", payload={}
        )


def test_rolled_back_business_change_leaves_no_message_and_no_task(
    enterprise, django_capture_on_commit_callbacks
):
    def business_change_that_fails():
        with transaction.atomic():
            enqueue(enterprise)
            raise ZeroDivisionError  # the business change fails after the message was written

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ZeroDivisionError):
        business_change_that_fails()
    assert Message.objects.count() == 0
    assert callbacks == []


def test_one_flush_per_type_and_sender_per_transaction(
    enterprise, other_enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        enqueue(enterprise, 30)
        enqueue(other_enterprise, 5)
        enqueue(enterprise, 3, message_type="eport.card")
    assert Message.objects.count() == 38
    assert len(callbacks) == 3


def test_flush_batches_ceb_nodes_by_100_with_guids(enterprise):
    messages = enqueue(enterprise, 250, message_type="CEB303Message", payload=ORDER_PAYLOAD)
    created = messages_flush(message_type="CEB303Message", sender_id=enterprise.pk)
    envelopes = list(Envelope.objects.filter(pk__in=created).order_by("pk"))
    assert [e.node_count for e in envelopes] == [100, 100, 50]
    root = ElementTree.fromstring(envelopes[0].body.encode())
    assert root.tag == f"{CEB}CEB303Message"
    assert root.get("guid") == envelopes[0].envelope_id
    orders = root.findall(f"{CEB}Order")
    assert len(orders) == 100
    head = orders[0].find(f"{CEB}OrderHead")
    assert [child.tag.removeprefix(CEB) for child in head][:3] == ["guid", "appType", "appTime"]
    assert head.find(f"{CEB}guid").text == messages[0].message_id
    assert root.find(f"{CEB}BaseTransfer/{CEB}copCode").text == enterprise.code
    assert messages_flush(message_type="CEB303Message", sender_id=enterprise.pk) == []


def test_json_envelope_carries_nodes(enterprise):
    messages = enqueue(enterprise, 2)
    [pk] = messages_flush(message_type="customs.registration", sender_id=enterprise.pk)
    body = json.loads(Envelope.objects.get(pk=pk).body)
    assert body["message_type"] == "customs.registration"
    assert body["sender"]["code"] == enterprise.code
    assert [n["guid"] for n in body["nodes"]] == [m.message_id for m in messages]
    assert body["nodes"][0]["uscc"] == enterprise.code


def _flushed_envelope(enterprise, n=1):
    enqueue(enterprise, n)
    [pk] = messages_flush(message_type="customs.registration", sender_id=enterprise.pk)
    return Envelope.objects.get(pk=pk)


def test_delivery_signs_and_marks_sent(enterprise, department):
    envelope = _flushed_envelope(enterprise, 2)
    assert services.envelope_deliver(envelope.pk) == "sent"
    request = department.requests[0]
    assert request["path"] == "/customs/messages"
    assert request["headers"]["X-Message-Id"] == envelope.envelope_id
    assert request["headers"]["X-Sender-Code"] == enterprise.code
    assert request["headers"]["X-Signature-Algorithm"] == "RSA-SHA256"
    assert {m.status for m in Message.objects.all()} == {MessageStatus.SENT}
    assert Envelope.objects.get(pk=envelope.pk).status == EnvelopeStatus.SENT
    assert all(m.expected_by for m in Message.objects.all())
    assert AuditEvent.objects.filter(verb="message", to_state="sent").count() == 2


def test_signature_verifies_against_the_certificate(enterprise, department):
    import base64

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.x509.oid import NameOID

    from exchange.signing import certificate_authority

    envelope = _flushed_envelope(enterprise)
    services.envelope_deliver(envelope.pk)
    request = department.requests[0]
    cert = x509.load_der_x509_certificate(base64.b64decode(request["headers"]["X-Certificate"]))
    cert.public_key().verify(
        base64.b64decode(request["headers"]["X-Signature"]),
        request["body"],
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    assert cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == enterprise.code
    ca_cert = certificate_authority()[1]
    cert.verify_directly_issued_by(ca_cert)


def test_transient_failure_schedules_a_retry_with_backoff(enterprise, department, clock):
    department.answer((503, {"error": "busy"}, 0))
    envelope = _flushed_envelope(enterprise)
    before = timezone.now()
    assert services.envelope_deliver(envelope.pk) == "retry"
    envelope.refresh_from_db()
    assert envelope.status == EnvelopeStatus.PENDING
    assert envelope.attempts == 1
    assert "503" in envelope.last_error
    assert envelope.next_attempt_at > before
    message = Message.objects.get()
    assert message.status == MessageStatus.PENDING
    assert message.is_queued_for_unreachable
    # Not due yet: a second delivery attempt just before the backoff ends does nothing (the clock is set so
    # that a slow machine cannot let the backoff run out between the two calls).
    clock(envelope.next_attempt_at - timezone.timedelta(milliseconds=1))
    assert services.envelope_deliver(envelope.pk) == "skipped"


def test_timeout_is_transient(enterprise, department):
    department.answer((202, None, 1.5))
    envelope = _flushed_envelope(enterprise)
    assert services.envelope_deliver(envelope.pk) == "retry"
    assert "Timeout" in Envelope.objects.get(pk=envelope.pk).last_error


def test_refusal_is_permanent_and_calls_the_failure_handler(enterprise, department):
    from exchange.registry import register_handlers

    failed = []
    register_handlers("eport.card", on_failure=failed.append)
    department.answer((401, {"error": "bad_signature"}, 0))
    enqueue(enterprise, message_type="eport.card")
    [pk] = messages_flush(message_type="eport.card", sender_id=enterprise.pk)
    assert services.envelope_deliver(pk) == "failed"
    message = Message.objects.get()
    assert message.status == MessageStatus.FAILED
    assert "401" in message.last_error
    assert failed == [message]
    register_handlers("eport.card")


def test_past_the_maximum_age_a_message_goes_dead(enterprise, department, settings):
    settings.EXCHANGE_MAX_AGE_HOURS = 1
    department.answer((503, None, 0))
    envelope = _flushed_envelope(enterprise)
    Envelope.objects.filter(pk=envelope.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert services.envelope_deliver(envelope.pk) == "dead"
    assert Message.objects.get().status == MessageStatus.DEAD


def test_backoff_grows_and_is_capped():
    assert 1 <= backoff_seconds(1) <= 2
    assert 8 <= backoff_seconds(4) <= 16
    assert 150 <= backoff_seconds(30) <= 300


def test_sweeper_recovers_an_envelope_left_sending_by_a_dead_worker(enterprise):
    envelope = _flushed_envelope(enterprise)
    Envelope.objects.filter(pk=envelope.pk).update(
        status=EnvelopeStatus.SENDING, sending_started_at=timezone.now() - timedelta(minutes=5)
    )
    result = outbox_sweep()
    assert result["recovered"] == 1
    envelope.refresh_from_db()
    assert envelope.status == EnvelopeStatus.PENDING
    assert Message.objects.get().status == MessageStatus.PENDING


def test_sweeper_flushes_messages_whose_flush_never_ran(enterprise):
    enqueue(enterprise, 3)
    Message.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert outbox_sweep()["flushed"] == 1
    assert Message.objects.filter(envelope__isnull=False).count() == 3


def test_sweeper_does_not_multiply_enqueues(enterprise):
    envelope = _flushed_envelope(enterprise)
    Envelope.objects.filter(pk=envelope.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5), enqueued_at=None
    )
    first = outbox_sweep()["enqueued"]
    second = outbox_sweep()["enqueued"]
    assert (first, second) == (1, 0)


def test_a_second_sweeper_at_the_same_time_does_nothing(enterprise):
    from exchange.services.leases import lease

    with lease("exchange.sweep", seconds=60) as held:
        assert held
        assert outbox_sweep() == {"skipped": True}


def test_department_slots_bound_concurrent_sends(enterprise, settings, django_capture_on_commit_callbacks):
    from exchange.services.delivery import department_slot as _department_slot

    settings.EXCHANGE_DEPARTMENT_SLOTS = 1
    envelope = _flushed_envelope(enterprise)
    slot = _department_slot("customs")
    assert slot.acquire(blocking=False)  # another send to customs is on the wire in this worker
    try:
        assert services.envelope_deliver(envelope.pk, "customs") == "busy"
    finally:
        slot.release()
    envelope.refresh_from_db()
    assert envelope.attempts == 0
    assert envelope.status == EnvelopeStatus.PENDING


def test_a_claimed_envelope_cannot_be_claimed_twice(enterprise):
    from exchange.services.delivery import _claim

    envelope = _flushed_envelope(enterprise)
    assert _claim(envelope.pk, None) is not None
    assert _claim(envelope.pk, None) is None
    assert Envelope.objects.get(pk=envelope.pk).attempts == 1


def test_replay_of_a_dead_message_keeps_its_id(enterprise, system_admin):
    [message] = enqueue(enterprise)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.DEAD)
    services.message_replay(message=message, by=system_admin)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.envelope is None
    assert AuditEvent.objects.filter(verb="replay", target_id=str(message.pk)).exists()


def test_replay_of_a_live_message_is_refused(enterprise, system_admin):
    from portal.statemachine import TransitionNotAllowed

    [message] = enqueue(enterprise)
    with pytest.raises(TransitionNotAllowed):
        services.message_replay(message=message, by=system_admin)


def test_the_sweeper_backs_off_per_envelope_and_keeps_queued_tasks_valid(enterprise, settings):
    settings.EXCHANGE_REQUEUE_GRACE_SECONDS = 1
    envelope = _flushed_envelope(enterprise)
    token = envelope.dispatch_token
    past = timezone.now() - timedelta(minutes=5)
    Envelope.objects.filter(pk=envelope.pk).update(next_attempt_at=past, enqueued_at=past)

    def sweep_after(seconds_since_last_publish: float) -> int:
        Envelope.objects.filter(pk=envelope.pk).update(
            enqueued_at=timezone.now() - timedelta(seconds=seconds_since_last_publish)
        )
        return outbox_sweep()["enqueued"]

    assert sweep_after(300) == 1
    assert sweep_after(1.5) == 0, "the second copy waits twice the grace period"
    assert sweep_after(2.5) == 1
    assert sweep_after(3.5) == 0, "the third waits four times"
    assert sweep_after(4.5) == 1
    envelope.refresh_from_db()
    assert envelope.dispatch_token == token, "the task still queued keeps its right to deliver"
    assert envelope.redispatch_count == 3


def test_a_task_of_an_older_dispatch_generation_does_nothing(enterprise, department):
    envelope = _flushed_envelope(enterprise)
    assert services.envelope_deliver(envelope.pk, "customs", "stale-token") == "skipped"
    assert department.requests == []
    assert services.envelope_deliver(envelope.pk, "customs", envelope.dispatch_token) == "sent"
    assert Envelope.objects.get(pk=envelope.pk).redispatch_count == 0


def test_a_signing_failure_is_retried_visibly_not_left_sending(enterprise, department, monkeypatch):
    from exchange import signing

    def broken(*args, **kwargs):
        raise ValueError("the value cannot be decrypted with the configured keys")

    monkeypatch.setattr(signing, "sign", broken)
    envelope = _flushed_envelope(enterprise)
    assert services.envelope_deliver(envelope.pk) == "retry"
    envelope.refresh_from_db()
    assert envelope.status == EnvelopeStatus.PENDING
    assert "cannot be decrypted" in envelope.last_error


def test_a_rotated_certificate_is_retried_with_a_fresh_key(enterprise, department):
    department.answer((401, {"error": "bad_certificate"}, 0), (202, None, 0))
    envelope = _flushed_envelope(enterprise)
    assert services.envelope_deliver(envelope.pk) == "retry"
    Envelope.objects.filter(pk=envelope.pk).update(next_attempt_at=timezone.now())
    assert services.envelope_deliver(envelope.pk) == "sent"
