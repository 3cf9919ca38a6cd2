"""Writing messages in the business transaction, and scheduling their batching after commit."""

from collections.abc import Sequence
from operator import itemgetter

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from exchange import catalog
from exchange.choices import MESSAGE_LIVE, MessageStatus
from exchange.models import Message, new_guid
from exchange.services.common import log, publish, queue_for, task_named
from portal.bulk import Keys, chunks, insert_rows, reserve_ids


def message_enqueue(
    *, message_type: str, sender, business_key: str, payload: dict, subject=None, sender_dxp_id: str = ""
) -> Message:
    """Write one message in the caller's transaction; it is batched and sent after commit.

    Must be called inside ``transaction.atomic()`` together with the business change it reports. A live
    message (not yet final) with the same department, type, sender and business key is returned instead of
    a second one: a double submission never reaches the department twice. Put a version in the business key
    when a new message for the same business object is meant (a change, a retry after a rejection).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("message_enqueue must run inside the business transaction")
    spec = catalog.message_type(message_type)
    if spec.fmt == "ceb" and not sender_dxp_id:
        raise ValueError("CEB messages need the sender's China E-Port DXP id (BaseTransfer.dxpId)")
    key = business_key[:120]
    live = Message.objects.filter(
        department=spec.department,
        message_type=spec.code,
        sender=sender,
        business_key=key,
        status__in=MESSAGE_LIVE,
    )
    try:  # the unique constraint on live business keys decides; no read before the write
        with transaction.atomic():
            message = Message.objects.create(
                department=spec.department,
                message_type=spec.code,
                sender=sender,
                sender_dxp_id=sender_dxp_id,
                business_key=key,
                payload=payload,
                subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=False)
                if subject is not None
                else None,
                subject_id=str(subject.pk) if subject is not None else "",
            )
    except IntegrityError:
        existing = live.first()  # a live message with this key exists (a double submission): that one stands
        if existing is None:
            raise
        return existing
    flush_after_commit(spec, sender.pk)
    return message


def messages_enqueue_bulk(
    *,
    message_type: str,
    sender,
    entries: Sequence[tuple[str, dict, object]],
    subject_model=None,
    sender_dxp_id: str = "",
) -> list[int]:
    """Write many messages of one type and sender in the caller's transaction, for the bulk paths.

    ``entries``: ``(business_key, payload, subject_pk)`` (``subject_pk`` None without a subject), about rows
    of ``subject_model``; ``payload`` may be a function of no arguments returning it, called when its chunk
    of rows is written, so that inside ``portal.bulk.copies_in_background`` the payloads of one chunk are
    built while the database takes in the previous one. Returns the messages' primary keys in the order of
    ``entries``. Like ``message_enqueue``, a live message with the same business key stands instead of a
    new one (its key is returned); unlike it, nothing is written row by row: one query finds the live keys
    (however many), one reserves the ids, and the rows go in with ``COPY`` on PostgreSQL (multi-row INSERTs
    elsewhere). One flush per (type, sender) is scheduled after commit. Two entries with the same key are a
    caller's bug (``ValueError``). ``BulkOutbox`` does the same in two steps.
    """
    outbox = BulkOutbox(
        message_type=message_type,
        sender=sender,
        keys=[key for key, _payload, _subject in entries],
        subject_model=subject_model,
        sender_dxp_id=sender_dxp_id,
    )
    return outbox.write(entries)


class BulkOutbox:
    """``messages_enqueue_bulk`` in two steps, for a bulk path that writes its rows part by part: made with
    all the business keys, it finds the live ones and reserves ids for the others (two queries, however
    many keys); ``write(entries)`` then writes some of them (no query) and returns their primary keys. Each
    key is written once; across calls the caller writes the keys in ascending order, as one call would
    (two transactions sharing keys then wait for each other instead of deadlocking)."""

    def __init__(
        self, *, message_type: str, sender, keys: Sequence[str], subject_model=None, sender_dxp_id=""
    ):
        if not connection.in_atomic_block:
            raise RuntimeError("messages_enqueue_bulk must run inside the business transaction")
        self.spec = catalog.message_type(message_type)
        if self.spec.fmt == "ceb" and not sender_dxp_id:
            raise ValueError("CEB messages need the sender's China E-Port DXP id (BaseTransfer.dxpId)")
        keys = [key[:120] for key in keys]
        if len(set(keys)) != len(keys):
            raise ValueError("two messages of one batch have the same business key")
        self.sender, self.sender_dxp_id = sender, sender_dxp_id
        self.live: dict[str, int] = {}
        if keys:
            self.live.update(
                Message.objects.filter(
                    department=self.spec.department,
                    message_type=self.spec.code,
                    sender=sender,
                    business_key__one_of=Keys(keys),
                    status__in=MESSAGE_LIVE,
                ).values_list("business_key", "pk")
            )
        fresh = [key for key in keys if key not in self.live]
        self.ids = dict(zip(fresh, reserve_ids(Message, len(fresh)), strict=True))
        self.subject_type_id = (
            ContentType.objects.get_for_model(subject_model, for_concrete_model=False).pk
            if subject_model
            else None
        )
        self.now = timezone.now()

    def write(self, entries: Sequence[tuple[str, object, object]]) -> list[int]:
        """Write ``entries`` (as ``messages_enqueue_bulk`` takes them; their keys among those given when the
        outbox was made, not written before); their primary keys in the order of ``entries``."""
        rows, pks = [], []
        for key, payload, subject_pk in entries:
            key = key[:120]
            if key in self.live:
                pks.append(self.live[key])
                continue
            pk = self.ids.pop(key)
            pks.append(pk)
            rows.append(self._row(pk, key, payload, subject_pk))
        # By business key: two transactions writing overlapping keys of one sender wait for each other in
        # the same order on the live-key unique index (one waits, then fails and retries), never deadlock.
        rows.sort(key=_by_business_key)
        _insert_in_chunks(rows)
        if rows:
            flush_after_commit(self.spec, self.sender.pk)
        return pks

    def _row(self, pk: int, key: str, payload, subject_pk) -> dict:
        return {
            "id": pk,
            "message_id": new_guid(),
            "department": self.spec.department,
            "message_type": self.spec.code,
            "sender_id": self.sender.pk,
            "sender_dxp_id": self.sender_dxp_id,
            "business_key": key,
            "payload": payload,
            "subject_type_id": self.subject_type_id if subject_pk is not None else None,
            "subject_id": "" if subject_pk is None else str(subject_pk),
            "status": MessageStatus.PENDING,
            "created_at": self.now,
        }


_by_business_key = itemgetter("business_key")


def _insert_in_chunks(rows: list[dict]) -> None:
    """The payloads of one chunk built (where given as functions) just before it is written."""
    for start, end in chunks(len(rows)):
        part = rows[start:end]
        for row in part:
            if callable(row["payload"]):
                row["payload"] = row["payload"]()
        insert_rows(Message, part, chunk=len(part))


def flush_after_commit(spec: catalog.MessageType, sender_id: int) -> None:
    """One flush per (type, sender) per transaction, however many messages it writes."""
    key = (spec.code, sender_id)
    for entry in connection.run_on_commit:
        if getattr(entry[1], "exchange_flush_key", None) == key:
            return

    def fire():
        if settings.EXCHANGE_BATCH_WINDOW_SECONDS <= 0:
            from exchange.services.batching import messages_flush

            # No window to wait for: batch what this transaction wrote right away, saving a task hop.
            try:
                messages_flush(message_type=spec.code, sender_id=sender_id)
            except Exception:
                log.warning("inline flush failed; the sweeper will batch these messages", exc_info=True)
            return
        publish(
            task_named("exchange.flush"),
            args=[spec.code, sender_id],
            queue=queue_for(spec.department),
            countdown=settings.EXCHANGE_BATCH_WINDOW_SECONDS,
        )

    fire.exchange_flush_key = key
    transaction.on_commit(fire)
