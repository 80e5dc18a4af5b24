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
from edugraph.query.engines import Engine
from edugraph.query.queries import SavedQuery, load_queries
from edugraph.query.workers import QueryPool
from edugraph.settings import resolve
from edugraph.stores import open_engine
from edugraph.web import api, http, linked, pages, sparql
from edugraph.web.published import Published
from edugraph.web.service import Service, graph_names

SERVICE = "edugraph"


def create_app(settings: Mapping[str, Any] | None = None, *, engine: Engine | None = None) -> Flask:
    """Build the app; the dataset is loaded once here, never per request."""
    config = resolve(settings)
    app = Flask(__name__)
    app.config["EDUGRAPH"] = config
    app.config["MAX_CONTENT_LENGTH"] = config["max_request_bytes"]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    queries = load_queries(Path(config["queries"]))
    engine = engine or open_engine(config["engine"], Path(config["graph"]))
    graphs = graph_names(engine)  # before the workers exist: the store is idle when forked
    pool = QueryPool(engine, size=config["query_workers"], memory_mb=config["query_memory"])
    atexit.register(pool.close)
    app.extensions[SERVICE] = Service(
        engine=engine,
        pool=pool,
        queries=queries,
        graphs=graphs,
        base_iri=config["base_iri"],
        timeout=config["query_timeout"],
        max_rows=config["max_rows"],
        published=publication(config, engine),
    )
    http.install(app, seed=etag_seed(config, queries))
    for blueprint in (pages.bp, linked.bp, sparql.bp, api.bp):
        app.register_blueprint(blueprint)
    return app


def publication(config: Mapping[str, Any], engine: Engine) -> Published:
    """Dumps and the VoID description come from the dataset file the store loaded; a remote
    store has no such file here."""
    path = None if engine.name == "remote" else Path(config["graph"])
    return Published(path, engine.version)


def etag_seed(config: Mapping[str, Any], queries: Mapping[str, SavedQuery]) -> str:
    """What, beside the request and the graph, a response depends on: code, settings and
    saved queries."""
    parts = [__version__, config["base_iri"], str(config["max_rows"])]
    parts += [repr(q) for _, q in sorted(queries.items())]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def close(app: Flask) -> None:
    """Stop the app's query workers."""
    found: Service = app.extensions[SERVICE]
    found.pool.close()
