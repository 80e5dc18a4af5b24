"""Stage 8, cli: `edugraph queries`, `query` and `sparql`. Queries run through the one query
path (`edugraph.query.service`), in a worker under the limits the server applies; a cut result
is said so on stderr. Tables are for people: they fit the terminal and show labels."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import click

from edugraph import formats
from edugraph.cli.options import (
    engine_option,
    graph_option,
    open_service,
    setting_option,
    store_option,
)
from edugraph.errors import ConfigError
from edugraph.query import prologue
from edugraph.query.engines import Results
from edugraph.query.paging import Page, Paged
from edugraph.query.queries import get_query, load_queries
from edugraph.query.results import render
from edugraph.query.service import Query, QueryService
from edugraph.query.tasks import Answer
from edugraph.query.terminal import Display, best_labels, label_queries, table, unlabelled
from edugraph.settings import resolve
from edugraph.vocab import PREFIXES

GRAPH_FORMATS = tuple(f.key for f in formats.graph_formats())
FORMATS = ("table", *(f.key for f in formats.RESULTS), *GRAPH_FORMATS)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output; under table a CONSTRUCT or DESCRIBE result is Turtle.",
)
folder_option = click.option(
    "--folder", type=click.Path(path_type=Path), default=None, help="Saved queries folder."
)


@click.command("queries")
@folder_option
def queries_command(folder: Path | None) -> None:
    """List the saved queries and their parameters."""
    for q in load_queries(folder or Path(resolve()["queries"])).values():
        params = ", ".join(f"{p.name}: {p.type}{'' if p.required else '?'}" for p in q.params)
        click.echo(f"{q.name}({params})  {q.summary}")


@click.command("query")
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter value; an IRI may be short (chongqing-2020/problem/2) or a label.",
)
@click.option("--page", default=None, metavar="N", help="The page to show, from 1.")
@click.option(
    "--per-page", default=None, metavar="N", help="Rows per page (default: the setting page_size)."
)
@folder_option
@format_option
@graph_option
@engine_option
@store_option
@setting_option
def query_command(
    name: str,
    pairs: tuple[str, ...],
    page: str | None,
    per_page: str | None,
    folder: Path | None,
    fmt: str,
    graph: Path | None,
    engine: str,
    store: str | None,
    settings: tuple[tuple[str, str], ...],
) -> None:
    """Run saved query NAME (see `edugraph queries`); a listing query shows one page."""
    config = resolve(dict(settings))
    queries = load_queries(folder or Path(config["queries"]))
    saved = get_query(queries, name)  # a mistyped name fails before the dataset is loaded
    values = param_pairs(pairs)
    with open_service(config, queries, graph=graph, engine=engine, store=store) as svc:
        chosen = svc.page(saved, page=page, per_page=per_page)
        values = svc.expand(saved, values, base=config["base_iri"])
        emit(svc, saved, values, fmt=fmt, config=config, page=chosen)


@click.command(
    "sparql",
    help=f"""Run an ad-hoc SPARQL query (read-only) against the built graph.

\b
Predeclared prefixes (a query may declare its own instead):
{prologue.listed().replace(", ", chr(10))}""",
)
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
@setting_option
def sparql_command(
    query: str | None,
    file: Path | None,
    fmt: str,
    graph: Path | None,
    engine: str,
    store: str | None,
    settings: tuple[tuple[str, str], ...],
) -> None:
    if (query is None) == (file is None):
        raise ConfigError("give a query or --file, not both")
    if file is not None:
        try:
            query = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read {file}: {exc.strerror}") from None
    assert query is not None
    config = resolve(dict(settings))
    with open_service(config, {}, graph=graph, engine=engine, store=store) as svc:
        emit(svc, prologue.predeclare(query), None, fmt=fmt, config=config)


def param_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ConfigError(f"--param expects NAME=VALUE, got {pair!r}")
        values[name] = value
    return values


def emit(
    svc: QueryService,
    query: Query,
    values: dict[str, str] | None,
    *,
    fmt: str,
    config: dict[str, Any],
    page: Page | None = None,
) -> None:
    """Run the query (one `page` of it) and write its result in `fmt`; a cut result, and
    where a page sits among several, are said on stderr."""
    if svc.form(query) == "graph":
        out = "ttl" if fmt == "table" else fmt
        if out not in GRAPH_FORMATS:
            raise ConfigError(f"a graph result needs --format {'|'.join(GRAPH_FORMATS)}")
        answer = svc.run(query, values, fmt=out)
        click.echo(answer.data.decode("utf-8"), nl=False)
    else:
        if fmt in GRAPH_FORMATS:
            raise ConfigError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries")
        answer = svc.run(query, values, page=page)
        assert answer.results is not None
        click.echo(_text(svc, answer.results, fmt, base=config["base_iri"]), nl=False)
    if answer.truncated:
        click.echo(_cut_note(answer, svc), err=True)
    if answer.paged is not None and (answer.paged.last > 1 or answer.paged.page.number > 1):
        click.echo(page_note(answer.paged), err=True)


def page_note(paged: Paged) -> str:
    """Rows 1–100 of 21,755 (page 1 of 218; the next: --page 2)."""
    where = f"rows {paged.span()} (page {paged.page.number} of {paged.last:,}"
    return where + (f"; the next: --page {paged.page.number + 1})" if paged.has_next else ")")


def _text(svc: QueryService, results: Results, fmt: str, *, base: str) -> str:
    if fmt != "table":
        return render(results, fmt)
    iris = unlabelled(results)
    labels = best_labels(svc.results(text) for text in label_queries(iris))
    display = Display(base, {p: str(n) for p, n in PREFIXES.items()}, labels)
    return table(results, display, columns=shutil.get_terminal_size().columns)


def _cut_note(answer: Answer, svc: QueryService) -> str:
    limits = svc.limits
    count = len(answer.results["results"]["bindings"]) if answer.results else None
    if count is not None and count >= limits.max_rows:
        cap = f"max_rows = {limits.max_rows} rows"
        change = f"-s max_rows {limits.max_rows * 10}"
    else:
        cap = f"max_rows = {limits.max_rows} or max_response_bytes = {limits.max_bytes}"
        change = "-s max_rows N or -s max_response_bytes N"
    return f"note: the result was cut at {cap}; to see more, page with LIMIT/OFFSET or {change}"
