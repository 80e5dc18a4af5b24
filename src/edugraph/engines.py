"""Query engines behind one interface. Results are normalised to SPARQL 1.1 Query Results
JSON (as Python dicts), so every surface and every test compares the same shape whichever
engine answered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Identifier

from edugraph.errors import InputError, QueryError

Binding = dict[str, dict[str, str]]
Results = dict[
    str, Any
]  # {"head": {"vars": [...]}, "results": {"bindings": [...]}} or {"boolean": b}


class Engine(Protocol):
    name: str
    version: str  # content hash of the loaded dataset: the ETag of every response

    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Results: ...


def dataset_version(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def _format_of(path: Path) -> ox.RdfFormat:
    formats = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}
    if path.suffix not in formats:
        raise InputError("the dataset must be TriG (.trig) or N-Quads (.nq)", source=str(path))
    return formats[path.suffix]


def _require(path: Path) -> None:
    if not path.is_file():
        raise InputError("no built dataset here; run `edugraph build` first", source=str(path))


class OxigraphEngine:
    """The default: Oxigraph in memory, loaded once from the published dataset."""

    name = "oxigraph"

    def __init__(self, path: Path):
        _require(path)
        self.store = ox.Store()
        try:
            self.store.bulk_load(path=str(path), format=_format_of(path))
        except (SyntaxError, OSError) as exc:
            raise InputError(f"cannot load the dataset: {exc}", source=str(path)) from None
        self.version = dataset_version(path)

    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Results:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): _to_ox(v) for k, v in (bindings or {}).items()
        }
        try:
            result = self.store.query(
                query, use_default_graph_as_union=True, substitutions=substitutions or None
            )
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            return {"head": {}, "boolean": bool(result)}
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT or ASK query")
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row: Binding = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = _ox_json(term)
            rows.append(row)
        return {"head": {"vars": names}, "results": {"bindings": rows}}


class RdflibEngine:
    """The reference engine: slower, used in tests as the oracle for the others."""

    name = "rdflib"

    def __init__(self, path: Path):
        _require(path)
        self.dataset = Dataset(default_union=True)
        try:
            self.dataset.parse(path, format="trig" if path.suffix == ".trig" else "nquads")
        except Exception as exc:  # rdflib raises many parser-specific types
            raise InputError(f"cannot load the dataset: {exc}", source=str(path)) from None
        self.version = dataset_version(path)

    def select(self, query: str, bindings: Mapping[str, Identifier] | None = None) -> Results:
        try:
            result = self.dataset.query(query, initBindings=dict(bindings or {}))
        except Exception as exc:  # pyparsing and rdflib evaluation errors
            raise QueryError(f"SPARQL error: {exc}") from None
        if result.type == "ASK":
            return {"head": {}, "boolean": bool(result.askAnswer)}
        names = [str(v) for v in result.vars or []]
        rows = []
        for solution in result:
            row: Binding = {}
            for name, term in zip(names, solution, strict=True):  # type: ignore[arg-type]
                if term is not None:
                    row[name] = _rdflib_json(term)
            rows.append(row)
        return {"head": {"vars": names}, "results": {"bindings": rows}}


def _to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"cannot bind {term!r}")


def _ox_json(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _rdflib_json(term: object) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}


ENGINES: dict[str, type[OxigraphEngine] | type[RdflibEngine]] = {
    "oxigraph": OxigraphEngine,
    "rdflib": RdflibEngine,
}


def open_engine(name: str, path: Path) -> Engine:
    if name not in ENGINES:
        raise InputError(f"unknown engine {name!r} (known: {', '.join(ENGINES)})")
    return ENGINES[name](path)
