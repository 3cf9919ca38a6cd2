"""Domain apps plug into the exchange here; the exchange imports none of them (ARCHITECTURE.md, layers).

From an app's ``AppConfig.ready()``:

* ``register_message_type(MessageType(...))``: the types the app sends (the exchange's catalogue keeps only
  the protocol: departments, formats, receipt statuses and their ranks);
* ``register_handlers(message_type, subject=Model, on_receipt=..., on_receipts=..., on_failure=...)``: what to
  do with a receipt or a failure of a message *about a ``Model`` row* (the ``subject`` given to
  ``message_enqueue``). The exchange finds the subject, locks it (``SELECT … FOR UPDATE``, primary-key order;
  or the binding's own ``locker``, for apps that lock a parent first) and calls

  - ``on_receipt(subject, message, receipt)`` once per receipt that moves the message forward (at most once
    per status; duplicates and late receipts never reach it), or, when given, ``on_receipts(batch)`` once per
    batch of receipts with ``batch`` a list of ``(subject, message, receipt)`` — the volume form, so that an
    app moving thousands of inventory lists can do it with bulk statements;
  - ``on_failure(subject, message)`` when the department refused the message outright or it became
    undeliverable.

  A message about another model, or about nothing, is not this binding's business: it is skipped. Bindings
  without ``subject`` are observers: ``on_receipt(message, receipt)`` / ``on_failure(message)``.

* ``register_subject(Model)``: messages are sent about ``Model`` rows but nothing handles their receipts.
  The exchange's timeline source (``portal.ui.register_timeline_source``) is asked only for the models
  bound or declared as subjects: a model's timeline shows its messages once one of the two says so.

Handlers run inside the transaction that applies the receipt. A handler that raises rolls its effects back;
the receipt is kept as ``handler_error`` (flagged) and the sweeper applies it again later.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class Binding:
    subject: type | None = None
    on_receipt: Callable | None = None
    on_receipts: Callable | None = None
    on_failure: Callable | None = None
    locker: Callable | None = None  # locker(pks) -> {pk: subject}, called inside the transaction

    def subject_pk(self, message):
        """The subject's primary key when the message is about this binding's model, else None."""
        if self.subject is None or not message.subject_id:
            return None
        if message.subject_type_id != ContentType.objects.get_for_model(self.subject).pk:
            return None
        field = self.subject._meta.pk
        try:
            return field.to_python(message.subject_id)
        except Exception:
            return None

    def lock_subjects(self, pks) -> dict:
        """``{pk: subject}`` of the rows that still exist, locked in primary-key order."""
        pks = sorted(set(pks))
        if not pks:
            return {}
        if self.locker is not None:
            return self.locker(pks)
        rows = self.subject._base_manager.select_for_update().filter(pk__in=pks).order_by("pk")
        return {row.pk: row for row in rows}


_bindings: dict[str, list[Binding]] = {}
_message_types: dict[str, object] = {}


def register_message_type(spec) -> None:
    """Declare a message type (``exchange.catalog.MessageType``) the app sends; once per code."""
    existing = _message_types.get(spec.code)
    if existing is not None and existing != spec:
        raise ValueError(f"message type {spec.code!r} is declared twice, differently")
    _message_types[spec.code] = spec


def message_types() -> dict[str, object]:
    return _message_types


def register_handlers(
    message_type: str,
    *,
    subject: type | None = None,
    on_receipt: Callable | None = None,
    on_receipts: Callable | None = None,
    on_failure: Callable | None = None,
    locker: Callable | None = None,
) -> None:
    """Bind handlers to a message type; several apps may bind one type, called in registration order."""
    if subject is None and (on_receipts is not None or locker is not None):
        raise ValueError("on_receipts and locker need a subject model")
    binding = Binding(subject, on_receipt, on_receipts, on_failure, locker)
    registered = _bindings.setdefault(message_type, [])
    if binding not in registered and (on_receipt or on_receipts or on_failure):
        registered.append(binding)


_subjects: set[type] = set()


def register_subject(model: type) -> None:
    """Declare that messages are sent about ``model`` rows without binding handlers to them (a binding with
    ``subject=`` declares its model already): their timeline then shows those messages."""
    _subjects.add(model)


def subject_models() -> set[type]:
    """The models messages are about (bound or declared): the exchange's timeline source is for these."""
    bound = {b.subject for bindings in _bindings.values() for b in bindings if b.subject is not None}
    return bound | _subjects


def bindings_for(message_type: str) -> list[Binding]:
    return _bindings.get(message_type, [])


def _call_receipts(binding: Binding, items) -> None:
    """``items``: ``[(message, receipt)]`` of one message type, in order; the subject-bound handler runs with
    the subjects locked, the observer once per item."""
    if binding.subject is None:
        for message, receipt in items:
            binding.on_receipt(message, receipt)
        return
    wanted = [(binding.subject_pk(m), m, r) for m, r in items]
    wanted = [(pk, m, r) for pk, m, r in wanted if pk is not None]
    if not wanted:
        return
    subjects = binding.lock_subjects(pk for pk, _m, _r in wanted)
    batch = [(subjects[pk], m, r) for pk, m, r in wanted if pk in subjects]
    if not batch:
        return
    if binding.on_receipts is not None:
        binding.on_receipts(batch)
    elif binding.on_receipt is not None:
        for subject, message, receipt in batch:
            binding.on_receipt(subject, message, receipt)


def dispatch_receipts(message_type: str, items) -> None:
    """Run every binding of ``message_type`` for ``[(message, receipt)]`` (receipts that moved a message)."""
    for binding in bindings_for(message_type):
        if binding.on_receipt is not None or binding.on_receipts is not None:
            _call_receipts(binding, items)


def dispatch_failure(message) -> None:
    """Run every binding's ``on_failure`` for a message that failed or died."""
    for binding in bindings_for(message.message_type):
        if binding.on_failure is None:
            continue
        if binding.subject is None:
            binding.on_failure(message)
            continue
        pk = binding.subject_pk(message)
        if pk is None:
            continue
        subject = binding.lock_subjects([pk]).get(pk)
        if subject is not None:
            binding.on_failure(subject, message)


_subject_links: dict[type, Callable] = {}


def register_subject_link(subject: type, link: Callable) -> None:
    """Say where an officer reads what messages about ``subject`` rows concern (read-only pages).

    ``link(pks, user)`` (primary keys as strings) returns ``{str(pk): (label, url)}`` for the rows ``user``
    may open; rows left out get no
    link (the desk then points to the sending enterprise only). One call per page, whatever its length.
    """
    _subject_links[subject] = link


def subject_link_of(subject_type_id: int) -> Callable | None:
    """The link function registered for the model of this content type, if any."""
    for model, link in _subject_links.items():
        if ContentType.objects.get_for_model(model).pk == subject_type_id:
            return link
    return None
