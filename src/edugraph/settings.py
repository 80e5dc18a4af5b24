"""Settings, declared once as data: name, default and help. The CLI, the app factory and the
docs all read this table, so a setting cannot be documented in one place and missed in another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from edugraph.errors import ConfigError
from edugraph.resources import ROOT, resource
from edugraph.vocab import DEFAULT_BASE


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str

    def coerce(self, value: object) -> Any:
        kind = type(self.default)
        try:
            if kind is bool and isinstance(value, str):
                return value.lower() in ("1", "true", "yes", "on")
            return kind(value)
        except (TypeError, ValueError):
            raise ConfigError(
                f"setting {self.name!r} expects {kind.__name__}, got {value!r}"
            ) from None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "graph",
        str(ROOT / "build" / "edugraph.trig"),
        "The published dataset (TriG or N-Quads) to serve.",
    ),
    Setting(
        "base_iri",
        DEFAULT_BASE,
        "Base of every instance IRI; /id/… on this server answers for <base>id/….",
    ),
    Setting(
        "engine", "oxigraph", "Query engine: oxigraph (embedded, default) or rdflib (reference)."
    ),
    Setting(
        "disk_store",
        True,
        "Serve from the on-disk Oxigraph store the build wrote beside the dataset (opened "
        "read-only); false, or no store there: load the dataset file into memory.",
    ),
    Setting("queries", str(resource("queries")), "Folder of saved SPARQL queries (*.rq)."),
    Setting("query_timeout", 10.0, "Seconds a query may run before it is stopped."),
    Setting("max_rows", 10000, "Most rows a query returns; more are cut and flagged."),
    Setting(
        "max_response_bytes",
        20_000_000,
        "About the most bytes a query's result may take; more rows are cut and flagged.",
    ),
    Setting(
        "page_size",
        100,
        "Rows per page of a saved query that lists things, unless its `pagination` header "
        "says otherwise; a request may ask for per_page up to max_rows.",
    ),
    Setting(
        "result_cache_bytes",
        64_000_000,
        "Bytes of answers the server remembers for repeated questions (0: none); a new "
        "dataset version empties it.",
    ),
    Setting(
        "summary_min_quads",
        100_000,
        "Statements from which `edugraph build` computes each listing without parameters into "
        "a summary beside the store; a smaller dataset answers its listings live in "
        "milliseconds.",
    ),
    Setting("max_request_bytes", 1_000_000, "Largest request body accepted."),
    Setting(
        "query_workers",
        4,
        "Worker processes that run queries; one that overruns query_timeout is killed.",
    ),
    Setting(
        "query_queue",
        4,
        "Queries that may wait for a busy worker; more are refused at once (503, Retry-After).",
    ),
    Setting("queue_wait", 2.0, "Seconds a query may wait for a worker before a 503."),
    Setting(
        "client_queries",
        2,
        "Queries one client (address) may have running or waiting; more are refused (429).",
    ),
    Setting(
        "threads",
        16,
        "Server threads; more than query_workers + query_queue, so that routes that run no "
        "query always find one free.",
    ),
    Setting(
        "client_connections",
        16,
        "Open connections per client address; more are closed at once.",
    ),
    Setting("connection_limit", 512, "Open connections in all; beyond it none is accepted."),
    Setting(
        "read_timeout",
        10.0,
        "Seconds a client may take to send a whole request (headers and body); a slower one "
        "is disconnected.",
    ),
    Setting(
        "query_memory",
        1024,
        "Megabytes of memory a query may use beyond the loaded dataset (0: no cap).",
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}


def resolve(overrides: Mapping[str, object] | None = None) -> dict[str, Any]:
    """Defaults with overrides applied; an unknown name is an error, not a silent no-op."""
    values = {s.name: s.default for s in SETTINGS}
    for name, value in (overrides or {}).items():
        if name not in BY_NAME:
            known = ", ".join(BY_NAME)
            raise ConfigError(f"unknown setting {name!r} (known: {known})")
        values[name] = BY_NAME[name].coerce(value)
    return values
