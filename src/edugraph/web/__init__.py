"""Stage 7, web: the Flask application: `create_app(settings=None)`; nothing runs at import.

The dataset is loaded once, in `create_app`; the query workers are forked from this process
right after, so they share the loaded store. Call `close(app)` (or let the process exit) to
stop them.
"""

from __future__ import annotations

import atexit
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from edugraph import __version__
from edugraph.errors import InputError
from edugraph.query.admission import Admission
from edugraph.query.engines import Engine
from edugraph.query.queries import SavedQuery, load_queries
from edugraph.query.service import Limits, QueryService
from edugraph.settings import resolve
from edugraph.stores import open_engine
from edugraph.web import api, http, linked, pages, sparql
from edugraph.web.live import Live
from edugraph.web.published import Published
from edugraph.web.service import Service

SERVICE = "edugraph"


def create_app(settings: Mapping[str, Any] | None = None, *, engine: Engine | None = None) -> Flask:
    """Build the app; the dataset is loaded here, never per request (and again, beside the
    old version, when its file changes: `edugraph.web.live`)."""
    config = resolve(settings)
    app = Flask(__name__)
    app.config["EDUGRAPH"] = config
    app.config["MAX_CONTENT_LENGTH"] = config["max_request_bytes"]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    queries = load_queries(Path(config["queries"]))
    admission = Admission(
        slots=config["query_workers"],
        per_client=config["client_queries"],
        queue=config["query_queue"],
        wait=config["queue_wait"],
    )

    def load(engine: Engine | None = None) -> Service:
        return load_service(config, queries, admission, engine)

    first = load(engine)
    local = first.engine.name != "remote"
    live = Live(
        first,
        path=Path(config["graph"]) if local else None,
        load=load,
        grace=config["query_timeout"] + 1,
    )
    atexit.register(live.close)
    app.extensions[SERVICE] = live
    http.install(app, seed=etag_seed(config, queries))
    for blueprint in (pages.bp, linked.bp, sparql.bp, api.bp):
        app.register_blueprint(blueprint)
    return app


def load_service(
    config: Mapping[str, Any],
    queries: Mapping[str, SavedQuery],
    admission: Admission,
    engine: Engine | None = None,
) -> Service:
    """One version of the dataset, loaded, with its own workers."""
    disk = config["disk_store"]
    engine = engine or open_engine(config["engine"], Path(config["graph"]), disk=disk)
    limits = Limits.from_settings(config)
    workers = config["query_workers"]
    runner = QueryService(
        engine,
        queries=queries,
        limits=limits,
        workers=workers,
        admission=admission,
        page_size=config["page_size"],
        cache_bytes=config["result_cache_bytes"],
    )
    if not runner.graphs and engine.name != "remote":
        runner.close()
        raise InputError(
            "the dataset holds no named graph: nothing to serve (run `edugraph build`)",
            source=str(config["graph"]),
        )
    return Service(runner, config["base_iri"], publication(config, engine))


def publication(config: Mapping[str, Any], engine: Engine) -> Published:
    """Dumps and the VoID description come from the dataset file the store loaded; a remote
    store has no such file here."""
    path = None if engine.name == "remote" else Path(config["graph"])
    return Published(path, engine.version)


def etag_seed(config: Mapping[str, Any], queries: Mapping[str, SavedQuery]) -> str:
    """What, beside the request and the graph, a response depends on: code, settings and
    saved queries."""
    parts = [__version__, config["base_iri"], str(config["max_rows"])]
    parts += [str(config["max_response_bytes"]), str(config["page_size"])]
    parts += [repr(q) for _, q in sorted(queries.items())]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def current(app: Flask) -> Service:
    """The service of the dataset version the app serves now."""
    live: Live = app.extensions[SERVICE]
    return live.latest


def close(app: Flask) -> None:
    """Stop the app's query workers."""
    live: Live = app.extensions[SERVICE]
    live.close()
