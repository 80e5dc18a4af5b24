"""Validation: each report's graph, with the ontology, the reference data and its curation,
against ontology/shapes.ttl.

A report's graph only links to shared nodes (bodies, indicators, standards), never to another
report, so validating report by report gives the results one union would, and each run stays
small. Every constraint runs in bulk in Oxigraph: pySHACL evaluates each once per focus node on
rdflib, which costs seconds per report; here each constraint is one Oxigraph query over all of
its focus nodes: the core constraints compiled to queries by `shacl_core`, the SHACL-SPARQL
ones run by `sparql_rules`. A long report is validated in pieces of its nodes, each in a
small store (`pieces`), so that its cost grows with its length and no faster. Tests check that
the results equal pySHACL's own (`engine="pyshacl"`). The results become data in `results`.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from itertools import chain, islice
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from edugraph.errors import InputError
from edugraph.formats import NTRIPLES
from edugraph.graph.quads import Quads, graph_lines
from edugraph.rdf import parse_into
from edugraph.resources import resource
from edugraph.validate.findings import SHARED, Finding, short_name
from edugraph.validate.findings import Outcome as Outcome
from edugraph.validate.paths import NotAPath, read_path
from edugraph.validate.paths import Path as ShaclPath
from edugraph.validate.pieces import split_queries, validate_in_pieces
from edugraph.validate.results import add_findings as add_findings
from edugraph.validate.results import render as render
from edugraph.validate.results import report_graph as report_graph
from edugraph.validate.shacl_core import core_findings, to_store
from edugraph.validate.slices import Cached, ResultCache, SharedIndex, digest, lines_digest
from edugraph.validate.sparql_rules import rule_targets, sparql_findings
from edugraph.validate.spellings import as_written
from edugraph.vocab import EDU, SH, Iris

SHAPES = resource("ontology", "shapes.ttl")


def load_shapes(path: Path = SHAPES) -> Graph:
    graph = Graph()
    parse_into(graph, path)
    if not any(graph.subjects(RDF.type, SH.NodeShape)):
        raise InputError("no sh:NodeShape in the shapes file", source=str(path))
    return graph


def report_slugs(quads: Quads, iris: Iris) -> list[str]:
    prefix = str(iris.graph("report/"))
    return sorted(name[len(prefix) :] for name in quads.names() if name.startswith(prefix))


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
    """The IRIs that are subjects of the graphs' lines."""
    heads = {line[: line.index(" ")] for n in names for line in quads.lines(str(iris.graph(n)))}
    return {URIRef(head[1:-1]) for head in heads if head.startswith("<")}


def validate(
    dataset: Quads,
    shapes: Graph,
    *,
    iris: Iris | None = None,
    per_report: bool = True,
    engine: str = "oxigraph",
    cache: ResultCache | None = None,
    keys: Mapping[str, str] | None = None,
) -> Outcome:
    """Validate the shared graphs once and then every report with its slice of them
    (`slices`), each report's own nodes as the focus; `per_report=False` validates the union
    in one run instead, and `engine="pyshacl"` runs every constraint in pySHACL (the reference
    for the other two). With a `cache`, a run whose input is unchanged is read back: `keys`
    (by slug, and `SHARED`) name what the run's own graphs, the ontology and the shapes come
    from (a build's input hashes); without them, those graphs' lines are hashed."""
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
        _count_rules(outcome, rule_targets(graph, shapes), shapes, results)
    else:
        runs = [(SHARED, ["ontology", "reference", "shared"], ["reference", "shared"])]
        runs += [
            (slug, ["ontology", REGIONAL, SLICE, f"report/{slug}", f"curation/{slug}"],
             [f"report/{slug}", f"curation/{slug}"])
            for slug in slugs
        ]  # fmt: skip
        _prepare(dataset, shapes, iris, engine, slugs)
        found = _run_keys(runs, keys, shapes) if cache is not None else None
        outcome.keys = dict(zip((run[0] for run in runs), found or (), strict=False))
        todo = Cached(cache, found)
        for key, results, rules in todo.merged(runs, lambda missing: _parallel(missing)):
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
RunResult = tuple[str, list[Finding], dict[str, tuple[int, int]]]  # key, findings, rule counts
REGIONAL = "reference, this report's region only"
SLICE = "shared, what this report reaches"
SPATIAL = f"<{DCTERMS.spatial}>"


def regions(quads: Quads, iris: Iris) -> tuple[list[str], dict[str, list[str]]]:
    """The reference graph split into what every report needs and what one region's reports
    need (its bodies such as 市委, 市政府 and the region itself): a report is validated with the
    first and its own region's part, so a run costs the same however many regions there are."""
    lines = list(quads.lines(str(iris.graph("reference"))))
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
    """The report's region (dcterms:spatial), found once per validation (`_JOB`)."""
    known = cast(dict[str, str], _JOB.setdefault("region_of", {}))
    if slug not in known:
        report = f"<{iris.report(slug)}> {SPATIAL} "
        lines = quads.lines(str(iris.graph(f"report/{slug}")))
        found = (line[len(report) : line.rindex(" .")] for line in lines if line.startswith(report))
        known[slug] = next(found, "")
    return known[slug]


def _lines(quads: Quads, iris: Iris, names: list[str], slug: str) -> Iterator[str]:
    """The N-Triples lines of a run's graphs, the regional reference cut to the report's
    region, read from the dataset as they are: never joined into one text (chained, not
    yielded: a long report is read several times, a million lines each)."""
    parts: list[Iterable[str]] = []
    for name in names:
        if name == REGIONAL:
            common: list[str]
            local: dict[str, list[str]]
            common, local = _JOB["regions"]  # type: ignore[misc]
            parts += [common, local.get(_region_of(quads, iris, slug), ())]
        elif name == SLICE:
            found = cast(dict[str, list[str] | None], _JOB["slices"]).get(slug)
            parts.append(quads.lines(str(iris.graph("shared"))) if found is None else found)
        else:
            parts.append(quads.lines(str(iris.graph(name))))
    return chain.from_iterable(parts)


def _chunks(lines: Iterable[str], size: int = 20_000) -> Iterator[bytes]:
    """The lines as N-Triples in pieces: a long report is never held twice as one text."""
    batch = list(islice(lines, size))
    while batch:
        yield "".join(batch).encode("utf-8")
        batch = list(islice(lines, size))


def _one(run: Run) -> RunResult:
    dataset, shapes = cast(Quads, _JOB["dataset"]), cast(Graph, _JOB["shapes"])
    iris, engine = cast(Iris, _JOB["iris"]), str(_JOB["engine"])
    key, names, own = run

    def lines(among: list[str] = names) -> Iterator[str]:
        return _lines(dataset, iris, among, key)

    counts = Outcome()
    if engine == "oxigraph" and key != SHARED:  # a long report: in pieces
        context = [name for name in names if name not in own]
        done = validate_in_pieces(lambda: lines(context), lambda: lines(own), shapes)
        if done is not None:
            results = sorted(set(as_written(done.findings, lines)), key=lambda f: f.key)
            _count_rules(counts, done.targets, shapes, results)
            return key, results, counts.rules
    focus = _subjects(dataset, iris, own)
    graph: Graph | ox.Store
    if engine == "oxigraph":  # straight from the lines into Oxigraph: no rdflib graph at all
        graph = to_store(_chunks(lines()))
    else:
        graph = Graph().parse(data="".join(lines()), format=NTRIPLES.rdflib)
    results = _run(graph, shapes, engine=engine, focus=focus, source=lines)
    _count_rules(counts, rule_targets(graph, shapes), shapes, results)
    return key, results, counts.rules


def _prepare(dataset: Quads, shapes: Graph, iris: Iris, engine: str, slugs: list[str]) -> None:
    """What the runs read, set before the workers fork: the reference split by region and
    each report's slice of the shared graph (None: the whole, see `slices`)."""
    _JOB.update(
        dataset=dataset, shapes=shapes, iris=iris, engine=engine, regions=regions(dataset, iris)
    )
    _JOB["region_of"] = {}
    wide = split_queries(shapes).wide_predicates  # what the queries that read backwards read
    index = SharedIndex(dataset.lines(str(iris.graph("shared"))), wide=wide)
    own = ("report/{}", "curation/{}")
    _JOB["slices"] = {
        slug: index.slice([dataset.lines(str(iris.graph(n.format(slug)))) for n in own])
        for slug in slugs
    }


def _run_keys(runs: list[Run], keys: Mapping[str, str] | None, shapes: Graph) -> list[str]:
    """Each run's cache key: its own input (`keys`, else its graphs' lines with the ontology
    and the shapes), the reference it reads (common, and its region's) and its shared slice."""
    dataset, iris = cast(Quads, _JOB["dataset"]), cast(Iris, _JOB["iris"])
    graphs = dataset.lines

    def names(short: list[str]) -> list[str]:
        return [str(iris.graph(n)) for n in short]

    common, local = cast(tuple[list[str], dict[str, list[str]]], _JOB["regions"])
    slices = cast(dict[str, list[str] | None], _JOB["slices"])
    base = digest(str(_JOB["engine"]), common)
    rules = (
        ""
        if keys
        else digest(sorted(graph_lines(shapes)), lines_digest(graphs, names(["ontology"])))
    )
    out = []
    for key, _, own in runs:
        given = (keys or {}).get(key) or digest(rules, lines_digest(graphs, names(own)))
        if key == SHARED:
            out.append(digest(base, given, lines_digest(graphs, names(own))))
            continue
        part = slices.get(key)
        shared = lines_digest(graphs, names(["shared"])) if part is None else digest(part)
        region = local.get(_region_of(dataset, iris, key), [])
        out.append(digest(base, given, region, shared))
    return out


def _parallel(runs: list[Run]) -> list[RunResult]:
    """Reports are independent: validate them on every core (forked workers share the
    dataset's memory). One run, or a platform without fork, stays in this process."""
    workers = min(len(runs), os.cpu_count() or 1)
    if workers < 2 or "fork" not in mp.get_all_start_methods():
        return [_one(run) for run in runs]
    # a worker's collector leaves alone what it inherited: it would otherwise walk, and so
    # copy, every page of the build's objects (gc.freeze, as Python's documentation advises)
    context = mp.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=gc.freeze) as pool:
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
    source: Callable[[], Iterable[str]] | None = None,
) -> list[Finding]:
    """`oxigraph`: every constraint in Oxigraph (core SHACL compiled by shacl_core) on one
    store; `bulk`: core SHACL in pySHACL, SPARQL constraints in Oxigraph; `pyshacl`: all in
    pySHACL. With `focus`, only the results about those nodes are kept (pySHACL's own
    focus-node option turned out slower than validating everything and filtering). A store's
    `source`, the N-Triples lines it was loaded from, gives the values as the data wrote them."""
    if engine == "oxigraph":
        if isinstance(graph, Graph):
            text = graph.serialize(format=NTRIPLES.rdflib, encoding="utf-8")
            graph = to_store(text)
            source = text.decode("utf-8").splitlines
        findings = core_findings(graph, shapes) + sparql_findings(graph, shapes)
        kept = [f for f in findings if focus is None or f.focus in focus]
        if source is not None:
            kept = as_written(kept, source)
        return sorted(set(kept), key=lambda f: f.key)
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
        path=None if path is None else _path(report, path),
        value=report.value(node, SH.value),
        messages=tuple(messages),
        component=report.value(node, SH.sourceConstraintComponent),  # type: ignore[arg-type]
    )


def _path(report: Graph, node: Node) -> ShaclPath | None:
    try:
        return read_path(report, node)
    except NotAPath:
        return None


def _language(text: str, templates: list[Node]) -> str:
    """pySHACL drops the language of a message: find the template it was filled from. A
    message of pySHACL's own (no template) is English."""
    for template in templates:
        parts = re.split(r"\{[?$]\w+\}", str(template))
        if re.fullmatch(".*?".join(re.escape(p) for p in parts), text, re.S):
            return getattr(template, "language", None) or "en"
    return "en"


def _count_rules(
    outcome: Outcome, targets: dict[Node, set[Node]], shapes: Graph, results: list[Finding]
) -> None:
    """For each SPARQL rule: how many nodes it examined (`targets`) and how many held."""
    failing = Counter((str(f.shape), str(f.focus)) for f in results)
    for shape, nodes in targets.items():
        failed = sum(1 for t in nodes if (str(shape), str(t)) in failing)
        name = short_name(shape)
        examined, held = outcome.rules.get(name, (0, 0))
        outcome.rules[name] = (examined + len(nodes), held + len(nodes) - failed)
