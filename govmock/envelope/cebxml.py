"""Safe XML parsing and CEB envelope extraction.

Guarantees: XML is parsed only by defusedxml's expat parser with DTDs, entity declarations and
external references forbidden; processing instructions (other than the XML declaration, which expat
does not report as one) are refused too. Every refusal is ``xml_forbidden``; anything else that does
not parse is ``malformed``.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from govmock.ceb.spec import BASE_TRANSFER, ENVELOPE_EXTRAS, MAX_NODES, NS, SPECS, MessageSpec
from govmock.ceb.validate import check_fields
from govmock.envelope import Envelope, EnvelopeError, check_node_guids


class _ProcessingInstructionForbidden(ValueError):
    pass


def _refuse_pi(target: str, data: str) -> None:
    raise _ProcessingInstructionForbidden(target)


def parse_xml(body: bytes) -> Element:
    parser = DefusedXMLParser(
        target=TreeBuilder(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    # The pure-Python parser defusedxml wraps exposes expat; without a handler PIs are silently dropped.
    parser.parser.ProcessingInstructionHandler = _refuse_pi
    try:
        parser.feed(body)
        return parser.close()
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise EnvelopeError(
            "xml_forbidden", f"DTDs and entities are not allowed ({type(exc).__name__})"
        ) from exc
    except _ProcessingInstructionForbidden as exc:
        raise EnvelopeError("xml_forbidden", f"processing instruction <?{exc}?> is not allowed") from exc
    except (ParseError, UnicodeError, ValueError) as exc:
        raise EnvelopeError("malformed", f"XML does not parse: {exc}") from exc


def split_tag(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def parse_ceb(body: bytes, message_type: str) -> Envelope:
    """Parse a CEB message whose ``X-Message-Type`` is ``message_type`` (one of :data:`SPECS`)."""
    root = parse_xml(body)
    ns, local = split_tag(root.tag)
    if ns != NS:
        raise EnvelopeError("malformed", f"root element must be in the namespace {NS}")
    if local != message_type:
        raise EnvelopeError("type_mismatch", f"root element is {local}, X-Message-Type is {message_type}")
    if root.get("version") != "1.0":
        raise EnvelopeError("malformed", 'root element must carry version="1.0"')
    spec = SPECS[message_type]
    node_elements, base_transfer = _root_children(root, spec)
    if not 1 <= len(node_elements) <= MAX_NODES:
        raise EnvelopeError("malformed", f"a message holds 1..{MAX_NODES} {spec.node} nodes")
    base_problems = _base_transfer_problems(base_transfer)
    nodes = [_node(el, spec, i, base_problems) for i, el in enumerate(node_elements, start=1)]
    check_node_guids([n["guid"] for n in nodes])
    return Envelope(message_id=root.get("guid") or "", message_type=message_type, nodes=nodes)


def _root_children(root: Element, spec: MessageSpec) -> tuple[list[Element], Element | None]:
    nodes: list[Element] = []
    base_transfer = None
    for child in root:
        ns, local = split_tag(child.tag)
        if ns == NS and local == spec.node:
            nodes.append(child)
        elif ns == NS and local == "BaseTransfer" and base_transfer is None:
            base_transfer = child
        elif ns == NS and local in ENVELOPE_EXTRAS and local != "BaseTransfer":
            continue  # BaseSubscribe, Signature, ExtendMessage: accepted, not used by the mock
        else:
            raise EnvelopeError("malformed", f"unexpected element <{local}> in {spec.message_type}")
    return nodes, base_transfer


def _base_transfer_problems(element: Element | None) -> list[str]:
    if element is None:
        return ["BaseTransfer: required node missing"]
    fields, problems = _leaf_fields(element, "BaseTransfer")
    return problems + check_fields("BaseTransfer", fields, BASE_TRANSFER)


def _node(element: Element, spec: MessageSpec, position: int, base_problems: list[str]) -> dict[str, Any]:
    if spec.head is None:
        head, problems = _leaf_fields(element, spec.node)
        rows: list[dict[str, str]] = []
    else:
        head, rows, problems = _structured(element, spec)
    return {
        "guid": head.get("guid", ""),
        "position": position,
        "head": head,
        "rows": rows,
        "problems": problems,
        "base_problems": base_problems,
    }


def _structured(
    element: Element, spec: MessageSpec
) -> tuple[dict[str, str], list[dict[str, str]], list[str]]:
    head: dict[str, str] | None = None
    rows: list[dict[str, str]] = []
    problems: list[str] = []
    for child in element:
        ns, local = split_tag(child.tag)
        if ns == NS and local == spec.head and head is None:
            head, found = _leaf_fields(child, spec.head)
            problems += found
        elif ns == NS and local == spec.row:
            row, found = _leaf_fields(child, f"{spec.row}[{len(rows) + 1}]")
            rows.append(row)
            problems += found
        else:
            problems.append(f"{spec.node}/{local}: unexpected element")
    if head is None:
        problems.append(f"{spec.head}: required element missing")
        head = {}
    return head, rows, problems


def _leaf_fields(element: Element, label: str) -> tuple[dict[str, str], list[str]]:
    """Child elements as {local name: text}; namespace, nesting and repetition errors as problems."""
    fields: dict[str, str] = {}
    problems: list[str] = []
    for child in element:
        ns, local = split_tag(child.tag)
        if ns != NS:
            problems.append(f"{label}/{local}: element not in the CEB namespace")
        elif len(child):
            problems.append(f"{label}/{local}: must not have child elements")
        elif local in fields:
            problems.append(f"{label}/{local}: repeated")
        else:
            fields[local] = (child.text or "").strip()
    return fields, problems
