"""Stage 8, cli: what the commands that read a dataset share: the options naming it (a file
or a remote store), the engine, the output format, settings, and the query service they open
on it, with the limits from the settings (`edugraph.query.service`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from edugraph.errors import ConfigError
from edugraph.query.engines import Engine
from edugraph.query.queries import SavedQuery
from edugraph.query.service import Limits, QueryService
from edugraph.stores import open_engine

graph_option = click.option(
    "--graph",
    type=click.Path(path_type=Path),
    default=None,
    help="Dataset to query (default: the setting graph, build/edugraph.trig).",
)
engine_option = click.option(
    "--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True
)
store_option = click.option(
    "--store",
    default=None,
    metavar="URL",
    help="Query a remote SPARQL store (its query endpoint) instead of the built graph.",
)
setting_option = click.option(
    "--setting",
    "-s",
    "settings",
    multiple=True,
    nargs=2,
    metavar="NAME VALUE",
    help="Override a setting (query_timeout, max_rows …); see `edugraph settings`.",
)


def open_engine_for(
    graph: Path | None, engine: str, store: str | None, graph_setting: str
) -> Engine:
    """The engine on `--graph` (else the setting graph), or on `--store`."""
    if store is None:
        return open_engine(engine, graph or Path(graph_setting))
    if graph is not None:
        raise ConfigError("give --graph or --store, not both")
    if not store.startswith(("http://", "https://")):
        raise ConfigError(f"--store expects the http(s) URL of a SPARQL endpoint, not {store!r}")
    return open_engine(engine, store)


def open_service(
    config: Mapping[str, Any],
    queries: Mapping[str, SavedQuery],
    *,
    graph: Path | None,
    engine: str,
    store: str | None,
) -> QueryService:
    """One query worker on the dataset, under the limits the server applies."""
    opened = open_engine_for(graph, engine, store, str(config["graph"]))
    limits = Limits.from_settings(config)
    return QueryService(opened, queries=queries, limits=limits, page_size=config["page_size"])
