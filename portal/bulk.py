"""Inserting many rows at once, for the bulk paths (customs batches of up to 100,000 lists, ADR 0023).

``reserve_ids(model, n)`` hands out ``n`` primary keys before anything is written (one query), so rows that
point at each other (a list and its lines, a list and its outbox message) can be written in any order
without reading anything back. ``insert_rows(model, rows)`` writes plain dicts keyed by attribute name
(``owner_id``, not ``owner``): on PostgreSQL with ``COPY … FROM STDIN`` (psycopg2 ``copy_expert``), elsewhere
with one prepared INSERT executed for every row (``executemany``; one statement in the query log). Columns a
row leaves out take the model's default, and ``auto_now``/``auto_now_add`` columns the current time, as
``save()`` would; nothing else of ``save()`` runs (no signals, no per-row stamps: pass ``created_by_id`` and
the like in the rows).

Rows with the same keys (the bulk paths') are read with one C-level getter and share one tail of defaults
worked out once; keys that are no column are ignored. A JSON column takes a value (dumped) or ``RawJSON``,
text already serialised (the CEB payloads the customs bulk path writes as text, a constant of every row),
written as it is. Rows go in in the order given: callers that may race on a unique key write in key order.

``update_rows(model, objects, fields)`` is ``bulk_update`` for the volume paths (a batch of receipts moving a
hundred messages and documents): one ``UPDATE … FROM (VALUES …)`` per 1,000 rows on PostgreSQL, one prepared
``UPDATE … WHERE pk = %s`` executed for every row elsewhere (``executemany``). Django's ``bulk_update``
builds a ``CASE WHEN pk = … THEN …`` expression per row and field and resolves each one in Python: measured
at ~0.3 ms per row and field, more than everything else a receipt batch does (ADR 0023 "Measurements").

Call these inside the caller's transaction. ``COPY`` does not go through Django's cursor wrapper, so
``django_assert_num_queries`` does not count it: each call is one statement (``copy_csv``). Its database
errors are Django's (``IntegrityError`` for a unique key), as for any statement.

``field__one_of=keys`` (the lookup ``OneOf``, registered on every field when this module is imported) looks
up any number of keys in one statement: the keys travel as one array (PostgreSQL, ``= ANY(%s::text[])``) or
one JSON text (SQLite, ``IN (SELECT value FROM json_each(%s))``), never as one parameter per key, so neither
SQLite's 32,766-parameter limit nor chunks of keys make the number of queries grow with the rows. Wrapped as
``field__one_of=Keys(keys)``, a list of thousands of keys also skips Django's resolving of each one.
"""

import csv
import gc
import io
import json
import queue
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from operator import itemgetter

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, connections, models
from django.utils import timezone

COPY_CHUNK = 20_000  # rows per COPY statement (bounds the buffer held in memory)
PIPE_CHUNK = 2_500  # … inside copies_in_background: the database takes in one while the next is built
PIPE_FIRST = 500  # … and the first of them, short, so that it starts early
UPDATE_CHUNK = 1000  # rows per UPDATE … FROM (VALUES …) statement


@contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector while a bulk path builds its hundreds of thousands of small
    objects (none of them cyclic): otherwise full collections keep re-walking them, measured at a third of
    the CPU of a 10,000-list batch (ADR 0023). Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def reserve_ids(model, count: int) -> list[int]:
    """``count`` fresh primary keys of ``model`` (PostgreSQL: its sequence; SQLite: past the highest id and
    the table's AUTOINCREMENT counter, which the write lock of the caller's transaction keeps ours)."""
    if count <= 0:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor == "sqlite":
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT MAX(COALESCE((SELECT MAX({connection.ops.quote_name(pk)}) FROM {quoted}), 0), "  # noqa: S608
                "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                [table],
            )
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))
    raise NotImplementedError(f"reserve_ids does not support {connection.vendor}")


def _columns(model, rows: Sequence[dict]) -> list:
    fields = list(model._meta.concrete_fields)
    if not any(model._meta.pk.attname in row for row in rows[:1]):
        fields = [f for f in fields if not f.primary_key]
    return fields


def _complete(fields, rows: Sequence[dict]) -> tuple[list, list]:
    """``(fields, values)``: each row as a sequence of values in the order of the returned ``fields``,
    defaults filled in. Rows with the same keys as the first (the bulk paths' rows) take a C-level getter
    for the given columns and one shared tail of defaults, worked out once."""
    now = timezone.now()
    first = rows[0]
    keys = first.keys()
    given = [f for f in fields if f.attname in first]
    missing = [f for f in fields if f.attname not in first]
    if len(given) > 1 and all(row.keys() == keys for row in rows):
        tail = tuple(now if _stamped(f) else f.get_default() for f in missing)
        getter = itemgetter(*(f.attname for f in given))
        return given + missing, [getter(row) + tail for row in rows]
    fillers = []
    for f in fields:
        if _stamped(f):
            fillers.append((f.attname, lambda: now, True))
        else:  # the model's default, or "" / None as Django's own INSERT would write
            fillers.append((f.attname, f.get_default, False))
    out = []
    for row in rows:
        values = []
        for attname, default, always in fillers:
            if always and attname not in row:
                values.append(default())
            else:
                value = row.get(attname, _MISSING)
                values.append(default() if value is _MISSING else value)
        out.append(values)
    return fields, out


def _stamped(f) -> bool:
    return getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)


_MISSING = object()


class Keys:
    """Many keys for ``field__one_of`` (``field__one_of=Keys(keys)``), handed to the lookup as they are:
    Django resolves each value of a list or tuple as a possible expression first, ≈ 5 µs a key, a tenth of
    a second for the 10,000 keys of a batch's look-ups."""

    __slots__ = ("values",)

    def __init__(self, values):
        self.values = list(values)


@models.Field.register_lookup
class OneOf(models.Lookup):
    """``field__one_of=keys``: any number of keys in one statement, as one parameter (module docstring).

    PostgreSQL: ``field = ANY(%s::type[])`` — an index scan over the sorted keys or, as a filter, a hashed
    lookup (PostgreSQL 14+), never a nested loop over the keys. SQLite: ``IN (SELECT value FROM
    json_each(%s))``. Other backends: ``IN (%s, …)``. The keys are converted as ``__in`` converts them."""

    lookup_name = "one_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        field = self.lhs.output_field
        values = self.rhs.values if isinstance(self.rhs, Keys) else self.rhs
        if isinstance(field, models.CharField | models.TextField) and all(v.__class__ is str for v in values):
            return list(values)  # what get_prep_value would return, without a call per key
        return [None if v is None else field.get_prep_value(v) for v in values]

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        values = self.rhs
        if connection.vendor == "postgresql":
            db_type = self.lhs.output_field.db_type(connection) or "text"
            if db_type.startswith(("varchar", "char", "text")):
                db_type = "text"  # never ``varchar(n)[]``: that cast would cut longer keys down to a match
            return f"{lhs} = ANY(%s::{db_type}[])", [*params, values]
        if connection.vendor == "sqlite":
            sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608 (lhs: a column, quoted by Django)
            return sql, [*params, json.dumps(values, default=str)]
        if not values:
            return "1 = 0", []
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*params, *values]


# Foreign keys take their lookups from ForeignObject and its subclasses only, not from Field.
models.ForeignObject.register_lookup(OneOf)


class _Null(float):
    """NULL for ``csv.writer``: a number (so ``QUOTE_NONNUMERIC`` leaves it unquoted) written as nothing.
    In COPY's CSV format an unquoted empty field is NULL and a quoted one ``""`` the empty string."""

    def __repr__(self) -> str:
        return ""

    __str__ = __repr__


NULL = _Null()


class RawJSON(str):
    """JSON text already serialised (a payload built as text, a constant): written into a JSON column as it
    is, instead of ``json.dumps`` of a value."""


def raw_json(model, name: str, value) -> RawJSON:
    """``value`` serialised once as ``model``'s JSON column ``name`` stores it (a constant of many rows)."""
    return RawJSON(_json_text(value, model._meta.get_field(name).encoder or DjangoJSONEncoder))


def _json_text(value, encoder) -> str:
    if value.__class__ is RawJSON:
        return value
    return json.dumps(value, cls=encoder, ensure_ascii=False)


def _copy(model, fields, values: list) -> None:
    """One ``COPY … FROM STDIN (FORMAT csv)``, the rows written by the C ``csv`` writer: text is quoted,
    numbers and NULLs are not; JSON columns are dumped first (``RawJSON`` taken as it is)."""
    json_columns = [
        (i, f.encoder or DjangoJSONEncoder) for i, f in enumerate(fields) if isinstance(f, models.JSONField)
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    for row in values:
        if json_columns:
            row = list(row)
            for index, encoder in json_columns:
                if row[index] is not None:
                    row[index] = _json_text(row[index], encoder)
        writer.writerow([NULL if v is None else v for v in row])
    copy_csv(model._meta.db_table, [f.column for f in fields], buffer.getvalue())


def copy_csv(table: str, columns: list[str], text: str) -> None:
    """Send one COPY stream (CSV text) into ``table``'s ``columns`` (the benches wrap this to keep the
    streams for their floor); inside ``copies_in_background`` it is handed to the writer thread."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    sql = f"COPY {quote(table)} ({names}) FROM STDIN WITH (FORMAT csv)"
    pipe = _pipe.get()
    if pipe is not None:
        pipe.put(sql, text)
        return
    # The raw cursor's errors are wrapped as Django's (IntegrityError for a unique key another transaction
    # wrote first), so callers can catch them as for any other statement.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.cursor.copy_expert(sql, io.StringIO(text))


class _CopyPipe:
    """The writer thread of ``copies_in_background``: runs the COPY statements it is handed, in order, on
    the caller's connection, and keeps the first error (the statements after it are skipped). It also runs
    functions handed to it (``reads_in_background``) with the caller's Django connection as its own."""

    def __init__(self, raw_connection, django_connection):
        self.raw, self.queue, self.error = raw_connection, queue.SimpleQueue(), None
        self.django = django_connection
        self.thread = threading.Thread(target=self._run, name="copy-pipe", daemon=True)
        self.thread.start()

    def put(self, sql: str, text: str) -> None:
        if self.error is None:
            self.queue.put((sql, text))

    def call(self, fn) -> Future:
        future: Future = Future()
        self.queue.put(_Call(fn, future))
        return future

    def _run(self) -> None:
        connections[self.django.alias] = self.django  # this thread's queries go to the caller's connection
        while (job := self.queue.get()) is not None:
            if isinstance(job, threading.Event):  # drain(): all before it have run
                job.set()
                continue
            if isinstance(job, _Call):
                job.run(self.error)
                continue
            if self.error is not None:
                continue
            sql, text = job
            try:
                with self.raw.cursor() as cursor:  # read in one go: each read needs the GIL back
                    cursor.copy_expert(sql, io.StringIO(text), size=len(text) + 1)
            except Exception as exc:
                self.error = exc

    def drain(self) -> None:
        """Wait until every COPY handed over so far has run; raise its error as Django's."""
        if self.thread.is_alive():
            done = threading.Event()
            self.queue.put(done)
            done.wait()
        self.raise_error()

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()

    def raise_error(self) -> None:
        if self.error is not None:
            with connection.wrap_database_errors:
                raise self.error


class _Call:
    def __init__(self, fn, future: Future):
        self.fn, self.future = fn, future

    def run(self, error) -> None:
        if not self.future.set_running_or_notify_cancel():
            return
        if error is not None:  # a COPY before it failed: the transaction is aborted
            self.future.set_exception(error)
            return
        try:
            self.future.set_result(self.fn())
        except BaseException as exc:  # handed to the caller by future.result()
            self.future.set_exception(exc)


_pipe: ContextVar["_CopyPipe | None"] = ContextVar("copy_pipe", default=None)
_handoff = {"lock": threading.Lock(), "users": 0, "saved": 0.005}
HANDOFF_INTERVAL = 0.001  # seconds; Python's default is 0.005


@contextmanager
def _quick_handoff():
    """A shorter switch interval while a pipe runs: the writer thread, woken by the server, waits for the
    GIL up to this long each time before it can send the next chunk (measured: 5 ms waits cost a 10,000-list
    batch ≈ 15 % of its wall time, ADR 0023). Process-wide, so restored when the last pipe closes."""
    with _handoff["lock"]:
        if _handoff["users"] == 0:
            _handoff["saved"] = sys.getswitchinterval()
            sys.setswitchinterval(min(HANDOFF_INTERVAL, _handoff["saved"]))
        _handoff["users"] += 1
    try:
        yield
    finally:
        with _handoff["lock"]:
            _handoff["users"] -= 1
            if _handoff["users"] == 0:
                sys.setswitchinterval(_handoff["saved"])


def writes_in_background() -> bool:
    """Inside ``copies_in_background`` on PostgreSQL: ``insert_rows`` returns before its rows are in."""
    return _pipe.get() is not None


@contextmanager
def copies_in_background():
    """On PostgreSQL, send the COPY statements of ``insert_rows`` inside this block from a second thread,
    so the database takes in one chunk while this thread builds the next (psycopg2 lets go of the GIL
    while it waits for the server; ADR 0023 has the figures). The statements run in the order given, on
    this thread's connection and in its transaction; any other statement of this thread first waits for
    them (an ``execute_wrapper``), and leaving the block waits for all of them and raises the first error
    as Django's (``IntegrityError`` for a unique key). Inside the block the foreign keys are checked
    statement by statement (``SET CONSTRAINTS ALL IMMEDIATE``), so that their checks too run while the
    next chunk is built rather than all at commit: write rows after the rows they point at. Django's
    deferred checks are back after it. Elsewhere (SQLite) the block changes nothing."""
    if connection.vendor != "postgresql" or _pipe.get() is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("copies_in_background must run inside the caller's transaction")
    connection.ensure_connection()
    caller = connections[connection.alias]
    caller.inc_thread_sharing()  # the writer thread runs reads_in_background's queries on it
    pipe = _CopyPipe(connection.connection, caller)
    token = _pipe.set(pipe)

    def drain_first(execute, sql, params, many, context):
        if threading.current_thread() is not pipe.thread:
            pipe.drain()
        return execute(sql, params, many, context)

    try:
        with _quick_handoff(), connection.execute_wrapper(drain_first):
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            yield
            pipe.drain()
    finally:
        _pipe.reset(token)
        pipe.close()
        caller.dec_thread_sharing()
        if pipe.error is None:  # Django's deferred checks back for the rest of the transaction (after a
            with suppress(DatabaseError), connection.cursor() as cursor:  # database error it is aborted)
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def reads_in_background(fn):
    """Run ``fn`` — queries through Django, nothing else of the caller's state — on the writer thread of
    ``copies_in_background``, after the statements handed over before it, while this thread goes on; the
    answer is a ``Future`` (``done()``, ``result()`` raising ``fn``'s error). Its queries run on the
    caller's connection and in its transaction, so the caller's own queries wait for it as for a COPY.
    Elsewhere (SQLite, or outside the block) ``fn`` runs at once and the future is already done."""
    pipe = _pipe.get()
    if pipe is not None:
        return pipe.call(fn)
    future: Future = Future()
    future.set_result(fn())
    return future


def chunks(total: int, size: int | None = None):
    """``(start, end)`` of the chunks of ``total`` rows that ``insert_rows`` sends as one COPY each: of
    ``size`` rows when given; else inside ``copies_in_background`` ``PIPE_CHUNK`` rows (the database takes in
    one while the next is built), the first of more than one short (so that it starts early); else
    ``COPY_CHUNK``."""
    if not size:
        size = PIPE_CHUNK if writes_in_background() else COPY_CHUNK
        first = PIPE_FIRST if writes_in_background() and total > size else size
    else:
        first = size
    start = 0
    while start < total:
        end = min(total, start + (first if start == 0 else size))
        yield start, end
        start = end


def insert_rows(model, rows: Sequence[dict], *, chunk: int | None = None) -> int:
    """Write ``rows`` (dicts of attribute → value) into ``model``'s table; returns how many."""
    if not rows:
        return 0
    if not connection.in_atomic_block:
        raise RuntimeError("insert_rows must run inside the caller's transaction")
    fields, values = _complete(_columns(model, rows), rows)
    if connection.vendor == "postgresql":
        for start, end in chunks(len(values), chunk):
            _copy(model, fields, values[start:end])
        return len(values)
    _execute_many(model, fields, values)
    return len(values)


def _execute_many(model, fields, values: list[list]) -> None:
    """One prepared INSERT run for every row (``executemany``): one statement for Django's query log,
    whatever the number of rows, where ``bulk_create`` on SQLite would need one per 999 parameters."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608

    def prepare(value, f):
        if isinstance(f, models.JSONField) and value is not None:  # as the COPY path encodes JSON
            return _json_text(value, f.encoder or DjangoJSONEncoder)
        return f.get_db_prep_save(value, connection)

    prepared = [[prepare(v, f) for v, f in zip(row, fields, strict=True)] for row in values]
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)


def update_rows(model, objects: Sequence, fields: Sequence[str], *, chunk: int = UPDATE_CHUNK) -> int:
    """Write ``fields`` (attribute or field names) of ``objects`` — saved instances of ``model`` — back to
    their rows, as ``model._base_manager.bulk_update(objects, fields)`` would, without its per-row ``CASE``
    expressions. Nothing of ``save()`` runs (no signals, no ``auto_now``). Returns how many rows were
    given."""
    if not objects:
        return 0
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    pk = meta.pk
    rows = [
        [pk.get_db_prep_save(obj.pk, connection)]
        + [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns]
        for obj in objects
    ]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VALUES of parameters are text to PostgreSQL: each is cast to its column's base type (no length:
            # assigning to varchar(n) then refuses a longer value, as an UPDATE of that value would).
            names = ", ".join(["pk", *(f"c{i}" for i in range(len(columns)))])
            sets = ", ".join(f"{quote(f.column)} = v.c{i}::{_base_type(f)}" for i, f in enumerate(columns))
            where = f"{table}.{quote(pk.column)} = v.pk::{_base_type(pk)}"
            row_marks = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
            for start in range(0, len(rows), chunk):
                part = rows[start : start + chunk]
                sql = (
                    f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row_marks] * len(part))}) "  # noqa: S608
                    f"AS v({names}) WHERE {where}"
                )
                cursor.execute(sql, [value for row in part for value in row])
            return len(rows)
        sets = ", ".join(f"{quote(f.column)} = %s" for f in columns)
        sql = f"UPDATE {table} SET {sets} WHERE {quote(pk.column)} = %s"  # noqa: S608
        cursor.executemany(sql, [row[1:] + row[:1] for row in rows])
    return len(rows)


def _base_type(field) -> str:
    return field.db_type(connection).split("(")[0].split(" CHECK")[0]
