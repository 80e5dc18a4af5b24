"""Turn ingested records into an RDF dataset: one named graph per report, plus the
ontology, the reference data and each report's curation file, each in its own graph so that
extraction, reference knowledge and human judgement stay apart and can be traced.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.namespace import RDF

from edugraph.build.curation import check_curation, curated_pairs, load_curation
from edugraph.build.reference import reference_graph
from edugraph.build.report import ReportGraph
from edugraph.errors import InputError
from edugraph.ingest.report import ingest
from edugraph.rdf import parse_into
from edugraph.records import Report
from edugraph.reference import load_reference
from edugraph.validate import Outcome, add_findings, load_shapes
from edugraph.validate import validate as run_validation
from edugraph.vocab import PREFIXES, Iris

ROOT = Path(__file__).resolve().parents[3]


@dataclass(frozen=True, slots=True)
class Paths:
    """Where a build reads from; every folder can be overridden for tests and deployments."""

    sources: Path = ROOT / "data" / "sources"
    reference: Path = ROOT / "data" / "reference"
    curation: Path = ROOT / "data" / "curation"
    ontology: Path = ROOT / "ontology" / "edugraph.ttl"
    shapes: Path = ROOT / "ontology" / "shapes.ttl"


@dataclass(slots=True)
class BuildResult:
    dataset: Dataset
    reports: list[Report]
    counts: Counter[str] = field(default_factory=Counter)
    outcome: Outcome | None = None  # validation, when the build ran it


def source_files(sources: Path) -> list[Path]:
    if not sources.is_dir():
        raise InputError("sources folder does not exist", source=str(sources))
    files = sorted(sources.glob("*.txt"))
    if not files:
        raise InputError("no source reports (*.txt) in the sources folder", source=str(sources))
    return files


def build(
    paths: Paths | None = None, *, iris: Iris | None = None, validate: bool = True
) -> BuildResult:
    """Ingest every report and build the dataset; with `validate`, also run the shapes and add
    each report's findings as a graph. Publishing (or refusing to) is the caller's decision."""
    paths = paths or Paths()
    iris = iris or Iris()
    shapes = load_shapes(paths.shapes) if validate else None
    reference = load_reference(paths.reference)
    reports = [ingest(path, reference) for path in source_files(paths.sources)]
    dataset = new_dataset()
    parse_into(dataset.graph(iris.graph("ontology")), paths.ontology)
    reference_graph(dataset.graph(iris.graph("reference")), reference, reports, iris)
    for report in reports:
        curation_file = paths.curation / f"{report.meta.slug}.ttl"
        curated = load_curation(curation_file, iris)
        graph = dataset.graph(iris.graph(f"report/{report.meta.slug}"))
        ReportGraph(graph, report, reference, iris).build(skip=curated_pairs(curated))
        if curated is not None:
            check_curation(curated, graph, report, iris, curation_file)
            target = dataset.graph(iris.graph(f"curation/{report.meta.slug}"))
            for triple in curated:
                target.add(triple)
    result = BuildResult(dataset, reports, count_classes(dataset))
    if shapes is not None:
        parse_into(dataset.graph(iris.graph("shapes")), paths.shapes)
        result.outcome = run_validation(dataset, shapes, iris=iris)
        add_findings(dataset, result.outcome, iris=iris)
    return result


def new_dataset() -> Dataset:
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True)
    return dataset


def count_classes(dataset: Dataset) -> Counter[str]:
    """Instances per class (instances only: IRIs under id/), as the build summary prints."""
    counts: Counter[str] = Counter()
    for s, o in {(s, o) for s, _, o, _ in dataset.quads((None, RDF.type, None, None))}:
        if isinstance(o, URIRef) and "/id/" in str(s):
            counts[dataset.namespace_manager.normalizeUri(o)] += 1
    return counts
