"""The `edugraph` command. Errors are translated here, once: exit 1 when the graph does not
conform, 2 for bad input or usage, with one line naming the file, line or parameter."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rdflib.term import Identifier

from edugraph import __version__
from edugraph.errors import ConfigError, EdugraphError, ValidationFailed
from edugraph.graph.quads import Quads
from edugraph.graph.report import PASSAGE_KINDS
from edugraph.publish.build import BuildResult, Paths, build
from edugraph.publish.site import CURRENT, publish
from edugraph.publish.write import write_bytes
from edugraph.query.engines import Engine
from edugraph.query.queries import get_query, load_queries
from edugraph.query.results import render
from edugraph.query.safety import query_form, read_only
from edugraph.records import Report
from edugraph.resources import ROOT
from edugraph.settings import SETTINGS, resolve
from edugraph.stores import open_engine
from edugraph.validate.shapes import load_shapes
from edugraph.validate.shapes import render as render_validation
from edugraph.validate.shapes import report_graph as validation_report
from edugraph.validate.shapes import validate as run_validation
from edugraph.vocab import DEFAULT_BASE, PREFIXES, SH, Iris

F = TypeVar("F", bound=Callable[..., Any])
DEFAULTS = Paths()


def reports_errors(command: F) -> F:
    """Show an EdugraphError as one line on stderr and exit with its code (1 or 2)."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except EdugraphError as error:
            click.echo(f"Error: {error}", err=True)
            raise SystemExit(error.exit_code) from None

    return wrapper  # type: ignore[return-value]


@click.group()
@click.version_option(__version__, prog_name="edugraph")
def cli() -> None:
    """Knowledge graph of education-duty self-evaluation reports (履行教育职责自查自评报告)."""


@cli.command("build")
@click.option(
    "--sources",
    type=click.Path(path_type=Path),
    default=DEFAULTS.sources,
    show_default=True,
    help="Folder of <slug>.txt reports with <slug>.toml metadata.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=ROOT / "build" / "edugraph.trig",
    show_default=True,
    help="Dataset to write (.trig or .nq).",
)
@click.option(
    "--reference",
    type=click.Path(path_type=Path),
    default=DEFAULTS.reference,
    show_default=True,
    help="Reference data folder.",
)
@click.option(
    "--curation",
    type=click.Path(path_type=Path),
    default=DEFAULTS.curation,
    show_default=True,
    help="Curation folder (<slug>.ttl).",
)
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of instance IRIs.")
@click.option(
    "--allow-invalid", is_flag=True, help="Publish even when validation finds Violations."
)
@reports_errors
def build_command(
    sources: Path, out: Path, reference: Path, curation: Path, base: str, allow_invalid: bool
) -> None:
    """Ingest every report in SOURCES, validate, and publish the dataset atomically: the
    dataset file at OUT, and beside it every dump, the VoID description and the docs."""
    paths = Paths(sources=sources, reference=reference, curation=curation)
    result = build(paths, iris=Iris(base), progress=ProgressLine(sys.stderr))
    outcome = result.outcome
    if outcome is not None and not outcome.conforms:
        click.echo(render_validation(outcome, result.quads, iris=Iris(base)), err=True)
        if not allow_invalid:
            raise ValidationFailed(
                f"{outcome.count(SH.Violation)} violation(s): not published "
                "(fix the input, or publish anyway with --allow-invalid)",
                source=str(out),
            )
        click.echo("WARNING: publishing a graph with Violations (--allow-invalid)", err=True)
    folder = publish(result.quads, out, base=base, sources=sources)
    _summary(result, out)
    click.echo(f"published {folder.name} -> {out.parent / CURRENT}")


class ProgressLine:
    """Build progress: one line redrawn with counts and ETA on a terminal, plain lines when
    the output is a file or a pipe (CI logs)."""

    def __init__(self, stream: Any):
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.started = time.monotonic()

    def __call__(self, done: int, total: int, name: str) -> None:
        elapsed = time.monotonic() - self.started
        eta = elapsed / done * (total - done)
        text = f"[{done}/{total}] {done * 100 // total:3d}% {name}  ETA {eta:.0f}s"
        if self.tty:
            end = "\n" if done == total else ""
            self.stream.write(f"\r{text:<78}{end}")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def _summary(result: BuildResult, out: Path) -> None:
    click.echo(f"built {len(result.reports)} report(s), {len(result.quads)} triples -> {out}")
    for report in result.reports:
        kinds = ", ".join(
            f"{k} {len(report.of_kind(k))}"
            for k in ("achievement", "area", "measure", "problem", "plan")
        )
        figures = f"observations {len(report.observations)}, targets {len(report.targets)}"
        local = sum(1 for o in report.observations if o.local)
        click.echo(f"  {report.meta.slug}: {kinds}, links {len(report.links)}, {figures}")
        click.echo(f"    coverage {report.coverage:.1%} of the text in {_outline(report)}")
        for span in report.unplaced:
            click.echo(f"    not placed (line {span.line}): {span.text[:60]}")
        if local:
            click.echo(f"    {local} figure(s) with a report-local indicator, to curate")
    if result.outcome is not None:
        o = result.outcome
        click.echo(
            f"  validation: {o.count(SH.Violation)} violation(s), {o.count(SH.Warning)} "
            f"warning(s), {o.count(SH.Info)} note(s) in {o.seconds:.2f} s"
        )
    width = max(len(k) for k in result.counts)
    for name, count in sorted(result.counts.items()):
        click.echo(f"  {name:<{width}}  {count:>6}")


def _outline(report: Report) -> str:
    parts = ", ".join(f"{p.notation or '—'} {'+'.join(p.kinds)}" for p in report.parts)
    passages = sum(1 for e in report.elements if e.kind in PASSAGE_KINDS)
    return f"parts [{parts}] and {passages} other passage(s)"


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--graph",
    type=click.Path(path_type=Path),
    default=None,
    help="Dataset to serve (default: build/edugraph.trig).",
)
@click.option(
    "--setting",
    "-s",
    "pairs",
    multiple=True,
    nargs=2,
    metavar="NAME VALUE",
    help="Override a setting; see `edugraph settings`.",
)
@click.option("--threads", default=None, type=int, help="Server threads (setting threads).")
@click.option("--store", default=None, metavar="URL", help="Serve a remote SPARQL store instead.")
@reports_errors
def serve_command(
    host: str,
    port: int,
    graph: Path | None,
    pairs: tuple[tuple[str, str], ...],
    threads: int | None,
    store: str | None = None,
) -> None:
    """Serve the graph with a production WSGI server (waitress, guarded: edugraph.web.server)."""
    from edugraph.web import close, create_app, current
    from edugraph.web.server import make_server

    overrides: dict[str, object] = dict(pairs)
    if graph is not None:
        overrides["graph"] = str(graph)
    if threads is not None:
        overrides["threads"] = threads
    config = resolve(overrides)
    if not 0 < port < 65536:  # before the dataset is loaded: a typo fails fast
        raise ConfigError(f"--port must be between 1 and 65535, not {port}")
    app = create_app(overrides, engine=_engine(graph, "oxigraph", store) if store else None)
    try:
        held = current(app).admission.held
        server = make_server(app, host=host, port=port, config=config, held=held)
        click.echo(f"serving {store or config['graph']} on http://{host}:{port}/", err=True)
        server.run()
    finally:
        close(app)  # stop the query workers


FORMATS = ("table", "json", "csv", "tsv", "xml", "ttl", "nt", "jsonld", "rdfxml")
GRAPH_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def _engine(graph: Path | None, engine: str, store: str | None = None) -> Engine:
    if store is None:
        return open_engine(engine, graph or Path(resolve()["graph"]))
    if graph is not None:
        raise ConfigError("give --graph or --store, not both")
    if not store.startswith(("http://", "https://")):
        raise ConfigError(f"--store expects the http(s) URL of a SPARQL endpoint, not {store!r}")
    return open_engine(engine, store)


def _param_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ConfigError(f"--param expects NAME=VALUE, got {pair!r}")
        values[name] = value
    return values


def _emit(engine: Engine, query: str, bindings: dict[str, Identifier], fmt: str) -> None:
    if query_form(query) in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in GRAPH_FORMATS:
            raise ConfigError(f"a graph result needs --format {'|'.join(GRAPH_FORMATS)}")
        graph = engine.graph(query, bindings)
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        click.echo(graph.serialize(format=GRAPH_FORMATS[fmt]), nl=False)
        return
    if fmt in GRAPH_FORMATS:
        raise ConfigError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries")
    results = engine.select(query, bindings)
    click.echo(render(results, fmt, {p: str(n) for p, n in PREFIXES.items()}), nl=False)


graph_option = click.option(
    "--graph",
    type=click.Path(path_type=Path),
    default=None,
    help="Dataset to query (default: build/edugraph.trig).",
)
engine_option = click.option(
    "--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True
)
store_option = click.option(
    "--store",
    default=None,
    metavar="URL",
    help="Query a remote SPARQL store (its query endpoint) instead of the built graph.",
)


@cli.command("queries")
@click.option(
    "--folder", type=click.Path(path_type=Path), default=None, help="Saved queries folder."
)
@reports_errors
def queries_command(folder: Path | None) -> None:
    """List the saved queries and their parameters."""
    for q in load_queries(folder or Path(resolve()["queries"])).values():
        params = ", ".join(f"{p.name}: {p.type}{'' if p.required else '?'}" for p in q.params)
        click.echo(f"{q.name}({params})  {q.summary}")


@cli.command("query")
@click.argument("name")
@click.option(
    "--param", "-p", "pairs", multiple=True, metavar="NAME=VALUE", help="A parameter value."
)
@click.option(
    "--folder", type=click.Path(path_type=Path), default=None, help="Saved queries folder."
)
@format_option
@graph_option
@engine_option
@store_option
@reports_errors
def query_command(
    name: str,
    pairs: tuple[str, ...],
    folder: Path | None,
    fmt: str,
    graph: Path | None,
    engine: str,
    store: str | None = None,
) -> None:
    """Run saved query NAME (see `edugraph queries`)."""
    saved = get_query(load_queries(folder or Path(resolve()["queries"])), name)
    bindings = saved.bind(_param_pairs(pairs))
    _emit(_engine(graph, engine, store), saved.text, bindings, fmt)


@cli.command("sparql")
@click.argument("query", required=False)
@click.option(
    "--file",
    "file",
    type=click.Path(path_type=Path),
    default=None,
    help="Read the query from a file.",
)
@format_option
@graph_option
@engine_option
@store_option
@reports_errors
def sparql_command(
    query: str | None,
    file: Path | None,
    fmt: str,
    graph: Path | None,
    engine: str,
    store: str | None = None,
) -> None:
    """Run an ad-hoc SPARQL query (read-only) against the built graph."""
    if (query is None) == (file is None):
        raise ConfigError("give a query or --file, not both")
    if file is not None:
        try:
            query = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read {file}: {exc.strerror}") from None
    assert query is not None
    _emit(_engine(graph, engine, store), read_only(query), {}, fmt)


@cli.command("validate")
@graph_option
@click.option(
    "--shapes", type=click.Path(path_type=Path), default=DEFAULTS.shapes, show_default=True
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
@reports_errors
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
        write_bytes(report_out, validation_report(outcome).serialize(format="turtle").encode())
    if not outcome.conforms:
        raise ValidationFailed(f"{outcome.count(SH.Violation)} violation(s)", source=str(path))


@cli.command("push")
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
@reports_errors
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


@cli.command("export")
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
@reports_errors
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


@cli.command("settings")
def settings_command() -> None:
    """List the settings with their defaults."""
    for s in SETTINGS:
        click.echo(f"{s.name}\t{s.default}\t{s.help}")


def main() -> None:
    cli(prog_name="edugraph")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())  # type: ignore[func-returns-value]
