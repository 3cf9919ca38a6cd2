"""No import cycles between the project's own modules (issue 9).

The graph is built from the source with ``ast``: an edge for every module-level ``import``/``from … import``
(not those inside functions, which run later, nor those under ``if TYPE_CHECKING:``) to the most specific
first-party module it names — ``from exchange import catalog`` is an edge to ``exchange.catalog``,
``from exchange.services import message_enqueue`` one to the package ``exchange.services``. A package's
``__init__`` importing its own submodules and a submodule importing a sibling are the ordinary package
pattern; an edge back to an ancestor package is not counted for the module's own package (Python has that
package half-initialised on purpose). Any other cycle fails, with its modules listed.

An import inside a function is often a cycle dodged rather than removed (the exchange's services imported
their Celery tasks that way, ``registration.history`` the presenters). A second test counts those too and
allows only the cycles listed in ``DEFERRED_LEFT``, each with why; the list only shrinks.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "portal",
    "exchange",
    "registration",
    "customs",
    "inspection",
    "forex",
    "tax_refund",
    "trade_statistics",
    "govmock",
)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).with_suffix("")
            if "migrations" in rel.parts:
                continue
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


# Cycles closed only by an import inside a function, left for now (none: issue 9 named the exchange's and
# registration's; the shell's own two went with them).
DEFERRED_LEFT: list[list[str]] = []


def _every_import(body: list[ast.stmt]):
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node


def _module_level(body: list[ast.stmt]):
    """Import statements run when the module is imported (descending into if/try/with, not functions)."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node):
                yield from _module_level(node.body)
            yield from _module_level(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _module_level(block)
        elif isinstance(node, ast.With):
            yield from _module_level(node.body)


def _base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _targets(module: str, path: Path, modules: dict[str, Path], *, deferred: bool) -> set[str]:
    is_package = path.name == "__init__.py"
    targets = set()
    body = ast.parse(path.read_text(encoding="utf-8")).body
    for node in _every_import(body) if deferred else _module_level(body):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            base = _base(module, is_package, node)
            names = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
            names = names or [base]
        for name in names:
            while name and name not in modules:  # the most specific first-party module named
                name = name.rpartition(".")[0]
            own_package = module.startswith(f"{name}.")
            if name and name != module and not own_package:
                targets.add(name)
    return targets


def import_graph(*, deferred: bool = False) -> dict[str, set[str]]:
    """``{module: modules it imports}``; ``deferred``: imports inside functions count too."""
    modules = _modules()
    return {module: _targets(module, path, modules, deferred=deferred) for module, path in modules.items()}


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for child in graph.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module: modules that reach one another."""
    reach = {module: _reachable(graph, module) for module in graph}
    found, placed = [], set()
    for module in sorted(graph):
        if module in placed or module not in reach[module]:
            continue
        component = sorted(other for other in reach[module] if module in reach.get(other, ()))
        placed.update(component)
        if len(component) > 1:
            found.append(component)
    return found


def test_first_party_modules_import_without_cycles():
    found = cycles(import_graph())
    assert found == [], "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in found)


def test_no_cycle_is_dodged_by_an_import_inside_a_function():
    found = cycles(import_graph(deferred=True))
    assert sorted(found) == sorted(DEFERRED_LEFT), "cycles through imports inside functions:\n" + "\n".join(
        " ↔ ".join(c) for c in found
    )
    named = {"exchange.tasks", "exchange.services", "registration.history", "registration.presenters"}
    assert not named & {module for cycle in found for module in cycle}


def test_the_check_sees_a_cycle():
    graph = {"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "b": {"a.x"}}
    assert cycles(graph) == [["a.x", "a.y", "a.z"]]
    assert cycles({"a.x": {"a.y"}, "a.y": set()}) == []


def test_the_graph_reads_relative_and_submodule_imports():
    graph = import_graph()
    assert "exchange.catalog" in graph["registration.services.qualifications"]  # from exchange import catalog
    assert "portal.workflow" in graph["registration.transitions"]
    assert "exchange.services.common" in graph["exchange.services.batching"]
    assert "exchange.tasks" not in graph["exchange.services.batching"]
    assert "exchange.tasks" in import_graph(deferred=True)["exchange.apps"]  # ready() registers the tasks
    assert all(not target.startswith("tests") for targets in graph.values() for target in targets)
