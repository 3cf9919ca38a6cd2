"""Every status-writing UPDATE of the exchange is a move its table allows (``exchange.workflows``, ADR 0027).

The exchange moves messages and envelopes with conditional UPDATEs (``filter(status=…).update(status=…)``),
not one ``transition`` per row. This test reads ``exchange/services`` with ``ast``, finds every
``.update(status=…)``, works out the model and the states the rows can be in (the ``status``/``status__in``
conditions of the queryset, followed through local variables and through ``pk__in=[m.pk for m in moved]``
to the query that selected ``moved``) and the states written (a constant, or a parameter resolved from the
calls in the module), and holds each from→to pair against the table. An UPDATE with no status condition
must be listed in ``UNCONDITIONAL`` with the state its rows are known to be in.
"""

import ast
from pathlib import Path

import pytest

from exchange import choices
from exchange.workflows import ENVELOPE, MESSAGE
from portal.workflow import check_tables

SERVICES = Path(__file__).resolve().parents[2] / "exchange" / "services"
TABLES = {"Message": MESSAGE, "Envelope": ENVELOPE}
# UPDATEs whose rows are known to be in a state without saying so in the statement: (module, function,
# model) → states. The envelope a worker is sending is the one ``_claim`` moved to SENDING (only that worker
# holds it: the claim was a conditional UPDATE).
UNCONDITIONAL = {
    ("delivery", "_record_sent", "Envelope"): {choices.EnvelopeStatus.SENDING},
    ("delivery", "_record_failure", "Envelope"): {choices.EnvelopeStatus.SENDING},
}


def _constant(node: ast.expr) -> set[str] | None:
    """States named by ``EnvelopeStatus.SENT``, ``MESSAGE_LIVE`` or a literal collection of them."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        enum = getattr(choices, node.value.id, None)
        return {str(getattr(enum, node.attr))} if enum is not None else None
    if isinstance(node, ast.Name) and isinstance(getattr(choices, node.id, None), frozenset | set):
        return {str(s) for s in getattr(choices, node.id)}
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        found = [_constant(e) for e in node.elts]
        return None if None in found else set().union(*found)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("list", "set"):
        return _constant(node.args[0]) if node.args else None
    return None


class _Function:
    def __init__(self, module: ast.Module, function: ast.FunctionDef):
        self.module, self.function = module, function
        self.assigned = {}
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                self.assigned.setdefault(node.targets[0].id, []).append(node.value)

    def query(self, node: ast.expr, seen=frozenset()) -> tuple[str | None, set[str] | None]:
        """The model of a queryset expression and the states its status conditions allow (None: any)."""
        model, states = None, None
        while True:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "list":
                node = node.args[0]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in ("filter", "get"):
                    found = self._conditions(node, seen)
                    states = found if states is None else (states & found if found is not None else states)
                node = node.func.value
            elif isinstance(node, ast.Attribute):
                if node.attr == "objects" and isinstance(node.value, ast.Name):
                    return node.value.id, states
                node = node.value
            elif isinstance(node, ast.Name) and node.id in self.assigned and node.id not in seen:
                sources = [self.query(value, seen | {node.id}) for value in self.assigned[node.id]]
                return self._merge(sources, states)
            else:
                return model, states

    @staticmethod
    def _merge(sources, states):
        model = next((m for m, _s in sources if m), None)
        unconditioned = [s for m, s in sources if m == model and s is None and m is not None]
        known = [s for _m, s in sources if s is not None]
        inner = None if unconditioned or not known else set().union(*known)
        if inner is None:
            return model, states
        return model, inner if states is None else inner & states

    def _conditions(self, call: ast.Call, seen) -> set[str] | None:
        states = None
        for keyword in call.keywords:
            if keyword.arg in ("status", "status__in"):
                found = _constant(keyword.value)
                assert found is not None, f"unreadable status condition at line {call.lineno}"
                states = found
            elif keyword.arg == "pk__in" and isinstance(keyword.value, ast.ListComp):
                source = keyword.value.generators[0].iter
                _model, found = self.query(source, seen)
                if found is not None:
                    states = found
        return states

    def written(self, value: ast.expr) -> set[str]:
        """The states an UPDATE writes: a constant, or a parameter of the function resolved at its calls."""
        found = _constant(value)
        if found is not None:
            return found
        assert isinstance(value, ast.Name), f"unreadable status at line {value.lineno}"
        params = [a.arg for a in self.function.args.args]
        position = params.index(value.id)
        states = set()
        for call in ast.walk(self.module):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == self.function.name:
                arg = call.args[position] if position < len(call.args) else None
                arg = arg or next(k.value for k in call.keywords if k.arg == value.id)
                states |= _constant(arg)
        assert states, f"{self.function.name}: no call gives {value.id}"
        return states


def status_updates():
    """``(where, model, from_states, to_states)`` of every ``.update(status=…)`` in ``exchange/services``."""
    found = []
    for path in sorted(SERVICES.glob("*.py")):
        module = ast.parse(path.read_text(encoding="utf-8"))
        for function in [n for n in ast.walk(module) if isinstance(n, ast.FunctionDef)]:
            reader = _Function(module, function)
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and getattr(call.func, "attr", None) == "update"):
                    continue
                status = next((k.value for k in call.keywords if k.arg == "status"), None)
                if status is None:
                    continue
                model, states = reader.query(call.func.value)
                key = (path.stem, function.name, model)
                where = f"{path.stem}.{function.name}:{call.lineno}"
                found.append((where, key, model, states, reader.written(status)))
    return found


def test_the_tables_are_complete():
    assert check_tables([MESSAGE, ENVELOPE]) == []
    assert MESSAGE.all_states() == set(choices.MessageStatus.values)
    assert ENVELOPE.all_states() == set(choices.EnvelopeStatus.values)


def test_the_reader_finds_the_exchanges_updates():
    where = {w.split(":")[0] for w, *_rest in status_updates()}
    assert {
        "delivery._claim",
        "delivery._record_sent",
        "delivery._record_failure",
        "delivery._schedule_retry",
        "polling._requery_envelope",
        "sweeper._recover_stale",
    } <= where


@pytest.mark.parametrize(("where", "key", "model", "sources", "targets"), status_updates())
def test_every_status_update_is_a_move_of_its_table(where, key, model, sources, targets):
    assert model in TABLES, f"{where}: cannot tell which model it updates"
    if sources is None:
        assert key in UNCONDITIONAL, f"{where}: an UPDATE of the status with no status condition"
        sources = UNCONDITIONAL[key]
    allowed = {(src, dst) for (src, _verb), dst in TABLES[model].moves.items()}
    illegal = sorted((src, dst) for src in sources for dst in targets if (src, dst) not in allowed)
    assert illegal == [], f"{where}: {model} moves not in the table: {illegal}"


def test_the_check_refuses_a_move_outside_the_table():
    source = """
def _bad(envelope):
    moved = list(Message.objects.filter(envelope=envelope, status=MessageStatus.COMPLETED))
    Message.objects.filter(pk__in=[m.pk for m in moved]).update(status=MessageStatus.PENDING)
"""
    module = ast.parse(source)
    function = module.body[0]
    reader = _Function(module, function)
    update = next(n for n in ast.walk(function) if getattr(getattr(n, "func", None), "attr", "") == "update")
    model, states = reader.query(update.func.value)
    assert (model, states) == ("Message", {choices.MessageStatus.COMPLETED})
    allowed = {(src, dst) for (src, _verb), dst in MESSAGE.moves.items()}
    assert (choices.MessageStatus.COMPLETED, choices.MessageStatus.PENDING) not in allowed
