"""The formats the project reads and writes, in two tables (RDF syntaxes, SPARQL result
formats): export, the dumps, content negotiation, the remote store client and the command line
all read them, so that a format is added in one place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pyoxigraph as ox

from edugraph.errors import ConfigError, InputError


@dataclass(frozen=True, slots=True)
class Format:
    """One RDF syntax: its key (`ttl`), name, file extension, media type and the names it goes
    by elsewhere; `quads` when it keeps graph names."""

    key: str
    name: str
    extension: str
    media_type: str
    rdflib: str  # the name rdflib's parsers and serializers know it by
    oxigraph: ox.RdfFormat | None  # None: written by edugraph.publish, not by Oxigraph
    quads: bool = False
    media_aliases: tuple[str, ...] = ()  # other media types clients send for it in Accept
    aliases: tuple[str, ...] = ()  # other names for it in `?format=`

    @property
    def parser(self) -> ox.RdfFormat:
        """Oxigraph's name for it; only the formats Oxigraph reads and writes have one."""
        if self.oxigraph is None:
            raise ConfigError(f"{self.name} is not read or written by Oxigraph here")
        return self.oxigraph

    @property
    def iri(self) -> str:
        """Its IRI in the W3C's register of formats (http://www.w3.org/ns/formats/)."""
        return f"http://www.w3.org/ns/formats/{self.name.replace('/', '_')}"


TURTLE = Format(
    "ttl", "Turtle", "ttl", "text/turtle", "turtle", ox.RdfFormat.TURTLE,
    media_aliases=("application/x-turtle",), aliases=("turtle", "n3"),
)  # fmt: skip
NTRIPLES = Format(
    "nt", "N-Triples", "nt", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES,
    aliases=("ntriples", "n-triples"),
)  # fmt: skip
NQUADS = Format(
    "nq", "N-Quads", "nq", "application/n-quads", "nquads", ox.RdfFormat.N_QUADS, quads=True
)
TRIG = Format("trig", "TriG", "trig", "application/trig", "trig", ox.RdfFormat.TRIG, quads=True)
JSONLD = Format(
    "jsonld", "JSON-LD", "jsonld", "application/ld+json", "json-ld", None, quads=True,
    media_aliases=("application/json",), aliases=("json-ld", "json"),
)  # fmt: skip
RDFXML = Format(
    "rdfxml", "RDF/XML", "rdf", "application/rdf+xml", "xml", None,
    media_aliases=("application/xml", "text/xml"), aliases=("xml", "rdf", "rdf+xml"),
)  # fmt: skip

ALL: tuple[Format, ...] = (TURTLE, NTRIPLES, NQUADS, TRIG, JSONLD, RDFXML)
BY_KEY: Mapping[str, Format] = MappingProxyType({f.key: f for f in ALL})
KEYS: tuple[str, ...] = tuple(BY_KEY)
DATASET_FORMATS: tuple[Format, ...] = (TRIG, NQUADS)  # what a built dataset file may be


def get(key: str) -> Format:
    """The format named `key` (`ttl`, `nq` …); an unknown name is a ConfigError naming them."""
    if key not in BY_KEY:
        raise ConfigError(f"unknown format {key!r} (known: {', '.join(KEYS)})")
    return BY_KEY[key]


def by_extension(extension: str) -> Format | None:
    return next((f for f in ALL if f.extension == extension), None)


def of_path(path: str | Path) -> Format:
    """The format a file name's extension stands for (edugraph.rdf → RDF/XML)."""
    suffix = Path(path).suffix.lstrip(".")
    found = by_extension(suffix)
    if found is None:
        known = ", ".join(f".{f.extension}" for f in ALL)
        raise ConfigError(f"unknown file extension {suffix!r} (known: {known})")
    return found


def dataset_format(path: Path) -> Format | None:
    """The format of a built dataset file (TriG or N-Quads) by its suffix; None otherwise."""
    return next((f for f in DATASET_FORMATS if path.suffix == f".{f.extension}"), None)


def dataset_format_of(path: Path) -> Format:
    """`dataset_format`, refusing any other file: an InputError naming it."""
    found = dataset_format(path)
    if found is None:
        raise InputError("the dataset must be TriG (.trig) or N-Quads (.nq)", source=str(path))
    return found


def graph_formats() -> tuple[Format, ...]:
    """What a graph (a CONSTRUCT, a resource's description) is offered in: triples only."""
    return tuple(f for f in ALL if not f.quads or f is JSONLD)


@dataclass(frozen=True, slots=True)
class ResultsFormat:
    """One SPARQL 1.1 result format for SELECT and ASK: its key (`?format=`, `--format`),
    media type, and whether it can carry ASK's boolean (CSV and TSV cannot)."""

    key: str
    media_type: str
    boolean: bool
    media_aliases: tuple[str, ...] = ()  # other media types clients send for it in Accept
    aliases: tuple[str, ...] = ()  # other names for it in `?format=` (SPARQLWrapper's)


RESULTS_JSON = ResultsFormat(
    "json", "application/sparql-results+json", True, ("application/json",), ("srj",)
)
RESULTS_XML = ResultsFormat(
    "xml", "application/sparql-results+xml", True, ("application/xml", "text/xml"), ("srx",)
)
RESULTS_CSV = ResultsFormat("csv", "text/csv", False)
RESULTS_TSV = ResultsFormat("tsv", "text/tab-separated-values", False)
RESULTS: tuple[ResultsFormat, ...] = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)
