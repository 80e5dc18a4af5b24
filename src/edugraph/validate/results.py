"""The findings as data and as text: an `edu:Finding` per result in a named graph per report
(so "which figures don't add up?" is a query), the SHACL validation report that
`edugraph validate --report` writes, and the readable summary it prints.

A finding and a SHACL result say the same things the same way (`_result`): the value as the
data wrote it, the constraint component, and the path, a path node for any path other than a
predicate.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.term import Node

from edugraph.graph.quads import Quads
from edugraph.validate.findings import SEVERITY_NAME, SHARED, Finding, Outcome, short_name
from edugraph.validate.paths import write_path
from edugraph.vocab import EDU, NIF, SH, Iris

RELATION_MEMBERS = (EDU.part, EDU.whole, EDU.share, EDU.minuend, EDU.subtrahend, EDU.difference,
                    EDU.base, EDU.current, EDU.actualObservation)  # fmt: skip


def findings_graph(
    findings: list[Finding], *, slug: str, members: dict[Node, list[Node]], iris: Iris
) -> Graph:
    """The findings of one report as data: edu:Finding nodes linked to what they concern."""
    graph = Graph()
    for n, f in enumerate(sorted(findings, key=lambda f: f.key), start=1):
        node = iris.report(slug, "finding", n)
        graph.add((node, RDF.type, EDU.Finding))
        _result(graph, node, f)
        graph.add((node, EDU.inReport, iris.report(slug)))
        graph.add((node, EDU.concerns, f.focus))
        if isinstance(f.value, URIRef):
            graph.add((node, EDU.concerns, f.value))
        for language, text in f.messages:
            graph.add((node, SH.resultMessage, Literal(text, lang=language)))
        for figure in members.get(f.focus, ()):
            graph.add((node, EDU.concerns, figure))
    return graph


def relation_members(quads: Quads, name: str, focus: set[Node]) -> dict[Node, list[Node]]:
    """The figures each focus node relates (a relation's part and whole, a target's actual
    figure), read from the report's lines without building a graph."""
    wanted = {f"<{f}>": f for f in focus if isinstance(f, URIRef)}
    predicates = {f"<{p}>" for p in RELATION_MEMBERS}
    out: dict[Node, list[Node]] = {}
    for line in quads.lines(name):
        subject, predicate, rest = line.split(" ", 2)
        if subject in wanted and predicate in predicates and rest.startswith("<"):
            out.setdefault(wanted[subject], []).append(URIRef(rest[1 : rest.index(">")]))
    return out


def add_findings(quads: Quads, outcome: Outcome, *, iris: Iris | None = None) -> None:
    iris = iris or Iris()
    for slug, findings in outcome.findings.items():
        if slug == SHARED:
            continue  # shared nodes have no report to file them under; they stay in the outcome
        name = str(iris.graph(f"report/{slug}"))
        members = relation_members(quads, name, {f.focus for f in findings})
        graph = findings_graph(findings, slug=slug, members=members, iris=iris)
        quads.add_graph(iris.graph(f"findings/{slug}"), graph)


def describe(focus: Node, store: ox.Store) -> tuple[str, str]:
    """A focus node's Chinese label and source sentence, for the printed report."""
    if not isinstance(focus, URIRef):
        return "", ""
    node = ox.NamedNode(str(focus))
    label = next(
        (
            q.object.value
            for q in store.quads_for_pattern(node, ox.NamedNode(str(RDFS.label)), None)
            if isinstance(q.object, ox.Literal) and (q.object.language or "").lower() == "zh-hans"
        ),
        "",
    )
    sentence = ""
    for q in store.quads_for_pattern(node, ox.NamedNode(str(PROV.wasDerivedFrom)), None):
        span = q.object
        if not isinstance(span, ox.NamedNode):
            continue
        sentences = store.quads_for_pattern(span, ox.NamedNode(str(NIF.sentence)), None)
        holders = [s.object for s in sentences if isinstance(s.object, ox.NamedNode)]
        for holder in holders or [span]:
            for a in store.quads_for_pattern(holder, ox.NamedNode(str(NIF.anchorOf)), None):
                sentence = a.object.value  # type: ignore[union-attr]
        break
    return label, sentence


def render(outcome: Outcome, quads: Quads, *, iris: Iris | None = None, limit: int = 80) -> str:
    """A readable report: counts, the arithmetic rules, then findings by severity and shape."""
    iris = iris or Iris()
    store = quads.store()
    lines = [
        f"{outcome.count(SH.Violation)} violation(s), {outcome.count(SH.Warning)} warning(s), "
        f"{outcome.count(SH.Info)} note(s) in {len(outcome.findings)} report(s) "
        f"({outcome.seconds:.1f} s)",
        "",
        "rules (nodes examined / held):",
    ]
    lines += [
        f"  {name:<40} {examined:>4} / {held:<4}"
        for name, (examined, held) in sorted(outcome.rules.items())
    ]
    current: tuple[URIRef, Node] | None = None
    for f in outcome.all():
        if (f.severity, f.shape) != current:
            current = (f.severity, f.shape)
            shape = short_name(f.shape)
            lines += ["", f"{SEVERITY_NAME.get(f.severity, str(f.severity))}: {shape}"]
        label, sentence = describe(f.focus, store)
        lines.append(f"  - {f.focus}{f' ({label})' if label else ''}")
        for text in dict.fromkeys((f.message("zh-Hans"), f.message("en"))):
            lines.append(f"    {text}")
        if sentence:
            cut = sentence if len(sentence) <= limit else sentence[:limit] + "…"
            lines.append(f"    source: {cut}")
    return "\n".join(lines) + "\n"


def report_graph(outcome: Outcome) -> Graph:
    """The results as a SHACL validation report (for `edugraph validate --report FILE`)."""
    graph = Graph()
    graph.bind("sh", SH)
    node = URIRef("urn:edugraph:validation-report")
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(outcome.conforms)))
    for n, f in enumerate(outcome.all(), start=1):
        result = URIRef(f"urn:edugraph:validation-result:{n}")
        graph.add((node, SH.result, result))
        _result(graph, result, f)
        for language, text in f.messages:
            graph.add((result, SH.resultMessage, Literal(text, lang=language)))
    return graph


def _result(graph: Graph, node: URIRef, f: Finding) -> None:
    """What a finding and a SHACL validation result both say: severity, focus, shape, value,
    constraint component, path."""
    graph.add((node, RDF.type, SH.ValidationResult))
    graph.add((node, SH.resultSeverity, f.severity))
    graph.add((node, SH.focusNode, f.focus))
    if isinstance(f.shape, URIRef):
        graph.add((node, SH.sourceShape, f.shape))
    if f.value is not None and not isinstance(f.value, BNode):  # a blank node is the run's own
        graph.add((node, SH.value, f.value))
    if f.component is not None:
        graph.add((node, SH.sourceConstraintComponent, f.component))
    if f.path is not None:
        stem = hashlib.sha1(str(node).encode("utf-8")).hexdigest()[:16]
        graph.add((node, SH.resultPath, write_path(graph, f.path, stem=stem)))
