"""Stage 8, cli: what is done with a built dataset besides querying it: `edugraph validate`,
`edugraph export` (dumps) and `edugraph push` (to a remote SPARQL store)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from edugraph.cli.options import graph_option
from edugraph.errors import ConfigError, ValidationFailed
from edugraph.formats import TURTLE
from edugraph.graph.quads import Quads
from edugraph.publish.build import Paths
from edugraph.publish.write import write_bytes
from edugraph.settings import resolve
from edugraph.validate.shapes import load_shapes
from edugraph.validate.shapes import render as render_validation
from edugraph.validate.shapes import report_graph as validation_report
from edugraph.validate.shapes import validate as run_validation
from edugraph.vocab import SH


@click.command("validate")
@graph_option
@click.option(
    "--shapes", type=click.Path(path_type=Path), default=Paths().shapes, show_default=True
)
@click.option(
    "--report",
    "report_out",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write the SHACL validation report as Turtle.",
)
@click.option(
    "--union", is_flag=True, help="Validate all reports as one graph (slower; same results)."
)
@click.option(
    "--engine",
    "shacl_engine",
    type=click.Choice(["oxigraph", "bulk", "pyshacl"]),
    default="oxigraph",
    show_default=True,
    help="oxigraph: all constraints in Oxigraph; bulk: core SHACL in pySHACL; pyshacl: all there.",
)
def validate_command(
    graph: Path | None, shapes: Path, report_out: Path | None, union: bool, shacl_engine: str
) -> None:
    """Validate the built dataset; exit 0 if it conforms, 1 on Violations, 2 on errors."""
    path = graph or Path(resolve()["graph"])
    dataset = Quads.load(path)
    outcome = run_validation(
        dataset, load_shapes(shapes), per_report=not union, engine=shacl_engine
    )
    click.echo(render_validation(outcome, dataset), nl=False)
    if report_out is not None:
        write_bytes(report_out, validation_report(outcome).serialize(format=TURTLE.rdflib).encode())
    if not outcome.conforms:
        raise ValidationFailed(f"{outcome.count(SH.Violation)} violation(s)", source=str(path))


@click.command("push")
@click.option("--store", required=True, metavar="URL", help="The store's SPARQL query endpoint.")
@click.option(
    "--update-url", default=None, metavar="URL", help="SPARQL Update endpoint [default: --store]."
)
@click.option(
    "--graph-store",
    default=None,
    metavar="URL",
    help="Graph Store HTTP Protocol endpoint, used instead of SPARQL Update.",
)
@click.option("--replace", is_flag=True, help="Replace each graph instead of adding to it.")
@graph_option
@click.option(
    "--chunk",
    type=int,
    default=None,
    help="Triples per request [default: 10000 by Graph Store, 500 by SPARQL Update].",
)
@click.option("--timeout", default=60.0, show_default=True, help="Seconds to wait per request.")
def push_command(
    store: str,
    update_url: str | None,
    graph_store: str | None,
    replace: bool,
    graph: Path | None,
    chunk: int | None,
    timeout: float,
) -> None:
    """Load the built dataset into a SPARQL store, named graph by named graph.

    Credentials go in the URL (http://user:password@host/…); Basic and Digest are answered.
    """
    from edugraph.stores.push import Progress, push

    if update_url and graph_store:
        raise ConfigError("give --update-url or --graph-store, not both")
    path = graph or Path(resolve()["graph"])
    result = push(
        path,
        store=store,
        update_url=update_url,
        graph_store=graph_store,
        replace=replace,
        chunk=chunk,
        timeout=timeout,
        progress=Progress(sys.stderr),
    )
    click.echo(
        f"pushed {len(result.graphs)} graph(s), {result.triples} triples in "
        f"{result.seconds:.1f} s by {result.protocol}{' (replace)' if replace else ''}"
    )


@click.command("export")
@click.option(
    "--format",
    "fmt",
    default=None,
    metavar="ttl|nt|nq|trig|jsonld|rdfxml",
    help="Syntax [default: from --out's extension, else trig].",
)
@click.option(
    "--graph",
    "graph_name",
    default=None,
    metavar="NAME",
    help="One graph: report/<slug>, curation/<slug>, ontology, reference … or its IRI "
    "[default: all; ttl, nt and rdfxml then hold their union].",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write atomically [default: standard output].",
)
@click.option(
    "--dataset",
    type=click.Path(path_type=Path),
    default=None,
    help="Built dataset [default: build/edugraph.trig].",
)
def export_command(
    fmt: str | None, graph_name: str | None, out: Path | None, dataset: Path | None
) -> None:
    """Dump the dataset, or one of its graphs, as Turtle, N-Triples, N-Quads, TriG, JSON-LD
    or RDF/XML; the same bytes for the same dataset."""
    from edugraph.publish import export

    fmt = export.check_format(fmt or (export.format_of(out) if out else "trig"))
    data = export.dump(dataset or Path(resolve()["graph"]), fmt=fmt, graph=graph_name)
    if out is None:
        click.echo(data, nl=False)
        return
    export.write_dump(out, data)
    click.echo(f"exported {graph_name or 'all graphs'} as {fmt}, {len(data)} bytes -> {out}")
