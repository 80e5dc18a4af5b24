"""The `edugraph` command. Errors are translated here, once: exit 1 when the graph does not
conform, 2 for bad input or usage, with one line naming the file, line or parameter."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rdflib.term import Identifier

from edugraph import __version__
from edugraph.build import BuildResult, Paths, build
from edugraph.engines import Engine, open_engine, query_form
from edugraph.errors import ConfigError, EdugraphError
from edugraph.publish import publish
from edugraph.queries import get_query, load_queries
from edugraph.results import render
from edugraph.safety import read_only
from edugraph.settings import ROOT, SETTINGS, resolve
from edugraph.vocab import DEFAULT_BASE, PREFIXES, Iris

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
@reports_errors
def build_command(sources: Path, out: Path, reference: Path, curation: Path, base: str) -> None:
    """Ingest every report in SOURCES and publish the dataset atomically."""
    paths = Paths(
        sources=sources, reference=reference, curation=curation, ontology=DEFAULTS.ontology
    )
    result = build(paths, iris=Iris(base))
    publish(result.dataset, out)
    _summary(result, out)


def _summary(result: BuildResult, out: Path) -> None:
    click.echo(f"built {len(result.reports)} report(s), {len(result.dataset)} triples -> {out}")
    for report in result.reports:
        kinds = ", ".join(
            f"{k} {len(report.of_kind(k))}"
            for k in ("achievement", "area", "measure", "problem", "plan")
        )
        figures = f"observations {len(report.observations)}, targets {len(report.targets)}"
        local = sum(1 for o in report.observations if o.local)
        click.echo(f"  {report.meta.slug}: {kinds}, links {len(report.links)}, {figures}")
        if local:
            click.echo(f"    {local} figure(s) with a report-local indicator, to curate")
    width = max(len(k) for k in result.counts)
    for name, count in sorted(result.counts.items()):
        click.echo(f"  {name:<{width}}  {count:>6}")


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
@click.option("--threads", default=8, show_default=True, type=int)
@reports_errors
def serve_command(
    host: str, port: int, graph: Path | None, pairs: tuple[tuple[str, str], ...], threads: int
) -> None:
    """Serve the graph with a production WSGI server (waitress)."""
    import waitress

    from edugraph.web import create_app

    overrides: dict[str, object] = dict(pairs)
    if graph is not None:
        overrides["graph"] = str(graph)
    app = create_app(overrides)
    click.echo(f"serving {resolve(overrides)['graph']} on http://{host}:{port}/", err=True)
    waitress.serve(app, host=host, port=port, threads=threads, ident="edugraph")


FORMATS = ("table", "json", "csv", "tsv", "xml", "ttl", "nt", "jsonld", "rdfxml")
GRAPH_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


def _engine(graph: Path | None, engine: str) -> Engine:
    return open_engine(engine, graph or Path(resolve()["graph"]))


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
@reports_errors
def query_command(
    name: str,
    pairs: tuple[str, ...],
    folder: Path | None,
    fmt: str,
    graph: Path | None,
    engine: str,
) -> None:
    """Run saved query NAME (see `edugraph queries`)."""
    saved = get_query(load_queries(folder or Path(resolve()["queries"])), name)
    bindings = saved.bind(_param_pairs(pairs))
    _emit(_engine(graph, engine), saved.text, bindings, fmt)


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
@reports_errors
def sparql_command(
    query: str | None, file: Path | None, fmt: str, graph: Path | None, engine: str
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
    _emit(_engine(graph, engine), read_only(query), {}, fmt)


@cli.command("settings")
def settings_command() -> None:
    """List the settings with their defaults."""
    for s in SETTINGS:
        click.echo(f"{s.name}\t{s.default}\t{s.help}")


def main() -> None:
    cli(prog_name="edugraph")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())  # type: ignore[func-returns-value]
