"""Validation: each report's graph, with the ontology, the reference data and its curation,
against ontology/shapes.ttl.

A report's graph only links to shared nodes (bodies, indicators, standards), never to another
report, so validating report by report gives the results one union would, and each run stays
small. Every constraint runs in bulk in Oxigraph: pySHACL evaluates each once per focus node on
rdflib, which costs seconds per report; here each constraint is one Oxigraph query over all of
its focus nodes. The SHACL-SPARQL constraints (the report's arithmetic and targets) bind `$this`
by the shape's target, as SHACL-SPARQL's pre-binding would; the core constraints are compiled to
queries by `shacl_core`. Tests check that the results equal pySHACL's own (`engine="pyshacl"`).

The results become data: an `edu:Finding` per result, in a named graph per report, so "which
figures don't add up?" is a query.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from edugraph.errors import InputError
from edugraph.graph.quads import Quads
from edugraph.rdf import from_oxigraph, parse_into
from edugraph.resources import resource
from edugraph.validate.findings import Finding
from edugraph.validate.shacl_core import core_findings, to_store
from edugraph.vocab import EDU, NIF, SH, Iris

SHAPES = resource("ontology", "shapes.ttl")
SEVERITY_NAME = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
RELATION_MEMBERS = (EDU.part, EDU.whole, EDU.share, EDU.minuend, EDU.subtrahend, EDU.difference,
                    EDU.base, EDU.current, EDU.actualObservation)  # fmt: skip


@dataclass(slots=True)
class Outcome:
    findings: dict[str, list[Finding]] = field(default_factory=dict)  # by report slug
    rules: dict[str, tuple[int, int]] = field(default_factory=dict)  # shape → (examined, held)
    seconds: float = 0.0

    def all(self) -> list[Finding]:
        return sorted((f for fs in self.findings.values() for f in fs), key=lambda f: f.key)

    def count(self, severity: URIRef) -> int:
        return sum(1 for f in self.all() if f.severity == severity)

    @property
    def conforms(self) -> bool:
        return self.count(SH.Violation) == 0


def load_shapes(path: Path = SHAPES) -> Graph:
    graph = Graph()
    parse_into(graph, path)
    if not any(graph.subjects(RDF.type, SH.NodeShape)):
        raise InputError("no sh:NodeShape in the shapes file", source=str(path))
    return graph


def report_slugs(quads: Quads, iris: Iris) -> list[str]:
    prefix = str(iris.graph("report/"))
    return sorted(name[len(prefix) :] for name in quads.names() if name.startswith(prefix))


SHARED = "reference"  # the key of findings about the shared graphs (bodies, standards …)


def data_graph(quads: Quads, iris: Iris, names: list[str] | None) -> Graph:
    """The named graphs given by short name (`report/<slug>`, `reference` …); all but derived
    graphs (findings, shapes) when `names` is None."""
    base = str(iris.graph(""))
    if names is None:
        derived = ("findings/", "shapes")
        full = [n for n in quads.names() if not n.removeprefix(base).startswith(derived)]
    else:
        full = [str(iris.graph(n)) for n in names]
    return quads.graph(full)


def _subjects(quads: Quads, iris: Iris, names: list[str]) -> set[Node]:
    subjects: set[Node] = set()
    for name in names:
        for line in quads.graphs.get(str(iris.graph(name)), ()):
            head = line.split(" ", 1)[0]
            if head.startswith("<"):
                subjects.add(URIRef(head[1:-1]))
    return subjects


def validate(
    dataset: Quads,
    shapes: Graph,
    *,
    iris: Iris | None = None,
    per_report: bool = True,
    engine: str = "oxigraph",
) -> Outcome:
    """Validate the shared graphs once and then every report with them, each report's own
    nodes as the focus; `per_report=False` validates the union in one run instead, and
    `engine="pyshacl"` runs every constraint in pySHACL (the reference for the other two)."""
    iris = iris or Iris()
    outcome = Outcome()
    started = time.perf_counter()
    slugs = report_slugs(dataset, iris)
    if not per_report:
        graph = data_graph(dataset, iris, None)
        results = _run(graph, shapes, engine=engine)
        for slug in slugs:
            outcome.findings[slug] = [f for f in results if _belongs(f, graph, iris, slug)]
        assigned = {f for fs in outcome.findings.values() for f in fs}
        outcome.findings[SHARED] = [f for f in results if f not in assigned]
        _count_rules(outcome, graph, shapes, results, None)
    else:
        runs = [(SHARED, ["ontology", "reference", "shared"], ["reference", "shared"])]
        runs += [
            (slug, ["ontology", REGIONAL, "shared", f"report/{slug}", f"curation/{slug}"],
             [f"report/{slug}", f"curation/{slug}"])
            for slug in slugs
        ]  # fmt: skip
        for key, results, rules in _parallel(dataset, shapes, iris, runs, engine):
            outcome.findings[key] = results
            for name, (examined, held) in rules.items():
                before = outcome.rules.get(name, (0, 0))
                outcome.rules[name] = (before[0] + examined, before[1] + held)
    if not outcome.findings.get(SHARED):
        outcome.findings.pop(SHARED, None)
    outcome.seconds = time.perf_counter() - started
    return outcome


Run = tuple[str, list[str], list[str]]  # key, graphs to load, graphs whose nodes are the focus
_JOB: dict[str, object] = {}  # what forked workers read: set before the pool starts
REGIONAL = "reference, this report's region only"
SPATIAL = f"<{DCTERMS.spatial}>"


def regions(quads: Quads, iris: Iris) -> tuple[list[str], dict[str, list[str]]]:
    """The reference graph split into what every report needs and what one region's reports
    need (its bodies such as 市委, 市政府 and the region itself): a report is validated with the
    first and its own region's part, so a run costs the same however many regions there are."""
    lines = quads.graphs.get(str(iris.graph("reference")), set())
    region_of: dict[str, str] = {}
    for line in lines:
        subject, predicate, rest = line.split(" ", 2)
        if predicate == SPATIAL:
            region_of[subject] = rest[: rest.rindex(" .")]
    for region in set(region_of.values()):
        region_of[region] = region
    common: list[str] = []
    local: dict[str, list[str]] = {}
    for line in sorted(lines):
        subject = line.split(" ", 1)[0]
        if subject in region_of:
            local.setdefault(region_of[subject], []).append(line)
        else:
            common.append(line)
    return common, local


def _region_of(quads: Quads, iris: Iris, slug: str) -> str:
    report = f"<{iris.report(slug)}> {SPATIAL} "
    for line in quads.graphs.get(str(iris.graph(f"report/{slug}")), ()):
        if line.startswith(report):
            return line[len(report) : line.rindex(" .")]
    return ""


def _text(quads: Quads, iris: Iris, names: list[str], slug: str) -> bytes:
    """The N-Triples of a run's graphs, the regional reference cut to the report's region."""
    parts = []
    for name in names:
        if name == REGIONAL:
            common: list[str]
            local: dict[str, list[str]]
            common, local = _JOB["regions"]  # type: ignore[misc]
            parts.append("".join(common) + "".join(local.get(_region_of(quads, iris, slug), ())))
        else:
            parts.append(quads.text([str(iris.graph(name))]).decode("utf-8"))
    return "".join(parts).encode("utf-8")


def _one(run: Run) -> tuple[str, list[Finding], dict[str, tuple[int, int]]]:
    dataset, shapes, iris, engine = (_JOB[k] for k in ("dataset", "shapes", "iris", "engine"))
    key, names, own = run
    graph: Graph | ox.Store
    if engine == "oxigraph":  # straight from the lines into Oxigraph: no rdflib graph at all
        graph = to_store(_text(dataset, iris, names, key))  # type: ignore[arg-type]
    else:
        graph = Graph().parse(data=_text(dataset, iris, names, key).decode("utf-8"), format="nt")  # type: ignore[arg-type]
    focus = _subjects(dataset, iris, own)  # type: ignore[arg-type]
    results = _run(graph, shapes, engine=str(engine), focus=focus)  # type: ignore[arg-type]
    counts = Outcome()
    _count_rules(counts, graph, shapes, results, focus)  # type: ignore[arg-type]
    return key, results, counts.rules


def _parallel(
    dataset: Quads, shapes: Graph, iris: Iris, runs: list[Run], engine: str
) -> list[tuple[str, list[Finding], dict[str, tuple[int, int]]]]:
    """Reports are independent: validate them on every core (forked workers share the
    dataset's memory). One run, or a platform without fork, stays in this process."""
    _JOB.update(
        dataset=dataset, shapes=shapes, iris=iris, engine=engine, regions=regions(dataset, iris)
    )
    workers = min(len(runs), os.cpu_count() or 1)
    if workers < 2 or "fork" not in mp.get_all_start_methods():
        return [_one(run) for run in runs]
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        return list(pool.map(_one, runs))


def _belongs(finding: Finding, graph: Graph, iris: Iris, slug: str) -> bool:
    report = iris.report(slug)
    for node in (finding.focus, finding.value):  # a shared node's finding is about a figure
        if node is not None and (
            str(node).startswith(f"{report}/") or (node, EDU.inReport, report) in graph
        ):
            return True
    return False


def _run(
    graph: Graph | ox.Store,
    shapes: Graph,
    *,
    engine: str = "oxigraph",
    focus: set[Node] | None = None,
) -> list[Finding]:
    """`oxigraph`: every constraint in Oxigraph (core SHACL compiled by shacl_core) on one
    store; `bulk`: core SHACL in pySHACL, SPARQL constraints in Oxigraph; `pyshacl`: all in
    pySHACL. With `focus`, only the results about those nodes are kept (pySHACL's own
    focus-node option turned out slower than validating everything and filtering)."""
    if engine == "oxigraph":
        store = graph if isinstance(graph, ox.Store) else to_store(graph)
        findings = core_findings(store, shapes) + sparql_findings(store, shapes)
        kept = {f for f in findings if focus is None or f.focus in focus}
        return sorted(kept, key=lambda f: f.key)
    assert isinstance(graph, Graph), "only the oxigraph engine validates a store"
    core = shapes if engine == "pyshacl" else without_sparql(shapes)
    _, report, _ = shacl_validate(graph, shacl_graph=core, inference="none", allow_warnings=True)
    results = report.subjects(RDF.type, SH.ValidationResult)
    findings = [_finding(report, node, core) for node in results]
    if focus is not None:  # the shared nodes were validated in their own run
        findings = [f for f in findings if f.focus in focus]
    if engine == "bulk":
        findings += [f for f in sparql_findings(graph, shapes) if focus is None or f.focus in focus]
    return sorted(set(findings), key=lambda f: f.key)


def without_sparql(shapes: Graph) -> Graph:
    core = Graph()
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    return core


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _target_pattern(shapes: Graph, shape: Node) -> str:
    """The shape's targets as a graph pattern binding ?this (sh:targetClass with subclasses,
    sh:targetSubjectsOf, sh:targetNode)."""
    parts = [
        f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* <{c}> }}"
        for c in shapes.objects(shape, SH.targetClass)
    ]
    parts += [
        f"{{ ?this <{p}> ?target_object }}" for p in shapes.objects(shape, SH.targetSubjectsOf)
    ]
    parts += [f"{{ VALUES ?this {{ <{n}> }} }}" for n in shapes.objects(shape, SH.targetNode)]
    return " UNION ".join(parts)


def sparql_findings(graph: Graph | ox.Store, shapes: Graph) -> list[Finding]:
    store = graph if isinstance(graph, ox.Store) else ox.Store()
    if isinstance(graph, Graph):
        store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    findings = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        severity = shapes.value(shape, SH.severity) or SH.Violation
        select = str(shapes.value(constraint, SH.select)).replace("$this", "?this")
        query = (
            f"{_prefixes(shapes, constraint)}\nSELECT DISTINCT * WHERE {{ "
            f"{{ SELECT DISTINCT ?this WHERE {{ {_target_pattern(shapes, shape)} }} }} "
            f"{{ {select} }} }}"
        )
        templates = list(shapes.objects(constraint, SH.message))
        for values in _solutions(store, query, shapes, shape, constraint):
            messages = tuple(sorted((t.language or "en", _fill(str(t), values)) for t in templates))  # type: ignore[attr-defined]
            value = values.get("value")
            findings.append(
                Finding(
                    severity=severity,  # type: ignore[arg-type]
                    shape=shape,
                    focus=from_oxigraph(values["this"]),
                    path=None,
                    value=from_oxigraph(value) if value is not None else None,
                    messages=messages,
                )
            )
    return findings


def _solutions(
    store: ox.Store, query: str, shapes: Graph, shape: Node, constraint: Node
) -> Iterator[dict[str, object]]:
    """The query's solutions (each a variable → term map), or the same solutions computed
    without it where the query cannot be fast (`_span_solutions`)."""
    select = " ".join(str(shapes.value(constraint, SH.select)).split())
    if select == SPAN_SELECT:
        solved = _span_solutions(store, _target_pattern(shapes, shape))
        if solved is not None:
            yield from solved
            return
    solutions = store.query(query)
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    for row in solutions:  # type: ignore[union-attr]
        yield {n: row[n] for n in names if row[n] is not None}


# eds:SpanShape's rule, whitespace aside. As a query it copies the whole text of the report and
# walks it to the span's offset for every span, which makes validating a report quadratic in
# its length; `_span_solutions` finds the same solutions reading each text once.
SPAN_SELECT = (
    "SELECT $this ?anchor WHERE { $this nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf "
    "?anchor ; nif:referenceContext/nif:isString ?text . FILTER(?e < ?b || SUBSTR(?text, ?b + 1, "
    "?e - ?b) != STR(?anchor)) }"
)
_DIGITS = re.compile(r"[0-9]{1,18}")


def _span_solutions(store: ox.Store, targets: str) -> list[dict[str, object]] | None:
    """The solutions of `SPAN_SELECT` for the focus nodes `targets` binds, with each text read
    once; None when some span or text is not of the usual kinds (offsets written as
    non-negative integers, a text that is a plain string, an anchor that is a literal or an
    IRI), where only the query itself says what SPARQL makes of it."""
    texts: dict[object, list[str]] = {}
    string = ox.NamedNode(str(NIF.isString))
    for q in store.quads_for_pattern(None, string, None, ox.DefaultGraph()):
        literal = q.object
        if not isinstance(literal, ox.Literal) or literal.datatype != _STRING or literal.language:
            return None
        texts.setdefault(q.subject, []).append(literal.value)
    rows = store.query(
        f"SELECT ?this ?anchor ?b ?e ?context WHERE {{ "
        f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }} "
        f"?this <{NIF.beginIndex}> ?b ; <{NIF.endIndex}> ?e ; <{NIF.anchorOf}> ?anchor ; "
        f"<{NIF.referenceContext}> ?context . }}"
    )
    found: dict[tuple[object, object], dict[str, object]] = {}
    for row in rows:  # type: ignore[union-attr]
        this, anchor, b, e, context = (row[n] for n in ("this", "anchor", "b", "e", "context"))
        if not (_offset(b) and _offset(e) and isinstance(anchor, ox.Literal | ox.NamedNode)):
            return None
        begin, end = int(b.value), int(e.value)
        for text in texts.get(context, ()):
            if end < begin or text[begin:end] != anchor.value:
                found.setdefault((this, anchor), {"this": this, "anchor": anchor})
    return list(found.values())


_STRING = ox.NamedNode(str(XSD.string))
_INTEGER = ox.NamedNode(str(XSD.integer))


def _offset(term: object) -> bool:
    """Whether a term is a non-negative xsd:integer written plainly (as Oxigraph stores it)."""
    return (
        isinstance(term, ox.Literal)
        and term.datatype == _INTEGER
        and _DIGITS.fullmatch(term.value) is not None
    )


def _fill(template: str, values: dict[str, object]) -> str:
    """SHACL message templates: {?var} and {$this} take the solution's values."""

    def value(m: re.Match[str]) -> str:
        term = values.get(m.group(1))
        return "" if term is None else str(getattr(term, "value", term))

    return re.sub(r"\{[?$](\w+)\}", value, template)


def _finding(report: Graph, node: Node, shapes: Graph) -> Finding:
    templates = list(shapes.objects(report.value(node, SH.sourceShape), SH.message))
    templates += report.objects(report.value(node, SH.sourceConstraint), SH.message)
    texts = {str(m) for m in report.objects(node, SH.resultMessage)}
    messages = sorted({(_language(text, templates), text) for text in texts})
    path = report.value(node, SH.resultPath)
    shape = report.value(node, SH.sourceShape)
    if isinstance(shape, BNode):  # a blank property shape: name the node shape that holds it
        shape = shapes.value(predicate=SH.property, object=shape) or shape
    return Finding(
        severity=report.value(node, SH.resultSeverity),  # type: ignore[arg-type]
        shape=shape,  # type: ignore[arg-type]
        focus=report.value(node, SH.focusNode),  # type: ignore[arg-type]
        path=None if isinstance(path, BNode) else path,
        value=report.value(node, SH.value),
        messages=tuple(messages),
    )


def _language(text: str, templates: list[Node]) -> str:
    """pySHACL drops the language of a message: find the template it was filled from. A
    message of pySHACL's own (no template) is English."""
    for template in templates:
        parts = re.split(r"\{[?$]\w+\}", str(template))
        if re.fullmatch(".*?".join(re.escape(p) for p in parts), text, re.S):
            return getattr(template, "language", None) or "en"
    return "en"


def _count_rules(
    outcome: Outcome,
    graph: Graph | ox.Store,
    shapes: Graph,
    results: list[Finding],
    focus: set[Node] | None,
) -> None:
    """For each SPARQL rule: how many nodes it examined and how many held."""
    failing = Counter((str(f.shape), str(f.focus)) for f in results)
    for shape in shapes.subjects(SH.sparql, None):
        if not isinstance(shape, URIRef) or (shape, SH.severity, SH.Info) in shapes:
            continue  # a note is not a rule that holds or fails
        targets = {
            s for c in shapes.objects(shape, SH.targetClass) for s in _with(graph, RDF.type, c)
        }
        targets |= {
            s for p in shapes.objects(shape, SH.targetSubjectsOf) for s in _with(graph, p, None)
        }
        failed = sum(1 for t in targets if (str(shape), str(t)) in failing)
        name = short_name(shape)
        examined, held = outcome.rules.get(name, (0, 0))
        outcome.rules[name] = (examined + len(targets), held + len(targets) - failed)


def _with(data: Graph | ox.Store, predicate: Node, value: Node | None) -> set[Node]:
    """The subjects of `predicate` (with `value`) in an rdflib graph or a store's default graph."""
    if isinstance(data, Graph):
        return set(data.subjects(predicate, value))
    o = None if value is None else ox.NamedNode(str(value))
    quads = data.quads_for_pattern(None, ox.NamedNode(str(predicate)), o, ox.DefaultGraph())
    return {from_oxigraph(q.subject) for q in quads}


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
        if f.value is not None and not isinstance(f.value, BNode):
            graph.add((node, SH.value, f.value))
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
    for line in quads.graphs.get(name, ()):
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


EDS = "https://w3id.org/edugraph/shapes#"


def short_name(shape: Node) -> str:
    text = str(shape)
    return f"eds:{text[len(EDS) :]}" if text.startswith(EDS) else text


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
    """What a finding and a SHACL validation result both say: severity, focus, shape, path."""
    graph.add((node, RDF.type, SH.ValidationResult))
    graph.add((node, SH.resultSeverity, f.severity))
    graph.add((node, SH.focusNode, f.focus))
    if isinstance(f.shape, URIRef):
        graph.add((node, SH.sourceShape, f.shape))
    if f.path is not None:
        graph.add((node, SH.resultPath, f.path))
