"""Saved queries: `queries/<name>.rq`, a SPARQL query under a `#+` YAML header.

The header is compatible with grlc's decorators (summary, description, tags, defaults,
enumerate, pagination, method) and adds typed parameters:

    #+ params:
    #+   problem: {type: iri, class: edu:Problem, required: true}

grlc's variable naming (`?_name`, `?_name_iri`, `?__name` for an optional one) declares
parameters too. Values are parsed into RDF terms and bound by the engine, never pasted into
the query text, so no value can change a query's shape.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Identifier

from edugraph.errors import NotFound, QueryError
from edugraph.rdf import is_iri

NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TYPES = ("iri", "string", "integer", "decimal", "date", "boolean")
KEYS = {"summary", "description", "tags", "defaults", "enumerate", "pagination", "method", "params"}
PARAM_KEYS = {"type", "class", "required", "default", "enum", "description"}
GRLC_VARIABLE = re.compile(
    r"\?(__?)([A-Za-z][A-Za-z0-9]*?)(?:_(iri|integer|decimal|number|date|boolean|string|literal))?\b"
)
MAX_VALUE = 2000  # characters: a longer parameter value is refused


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str = "string"
    required: bool = False
    default: str | None = None
    enum: tuple[str, ...] = ()
    cls: str | None = None
    description: str = ""
    variable: str = ""  # the query variable it binds (name, or grlc's _name_iri form)


@dataclass(frozen=True, slots=True)
class SavedQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    method: str = "GET"
    pagination: int | None = None
    variables: tuple[str, ...] = field(default=())

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise QueryError(f"query {self.name!r} has no parameter {name!r}")

    def bind(self, values: Mapping[str, str]) -> dict[str, Identifier]:
        """Parse the given values (strings, as from a URL or a command line) into RDF terms."""
        known = {p.name for p in self.params}
        unknown = sorted(set(values) - known)
        if unknown:
            listed = ", ".join(sorted(known)) or "none"
            raise QueryError(f"unknown parameter(s) {', '.join(unknown)} (parameters: {listed})")
        bound: dict[str, Identifier] = {}
        for p in self.params:
            raw = values.get(p.name)
            if raw is None or raw == "":
                raw = p.default
            if raw is None:
                if p.required:
                    raise QueryError(f"missing required parameter {p.name!r}")
                continue
            bound[p.variable or p.name] = parse_value(p, raw)
        return bound


def parse_value(p: Param, raw: str) -> Identifier:
    """One parameter value as an RDF term, or a QueryError naming the parameter."""
    if len(raw) > MAX_VALUE:
        raise QueryError(f"parameter {p.name!r} is longer than {MAX_VALUE} characters")
    if p.enum and raw not in p.enum:
        raise QueryError(f"parameter {p.name!r} must be one of: {', '.join(p.enum)}")
    try:
        term: Identifier = _PARSERS[p.type](raw)
        return term
    except (ValueError, InvalidOperation):
        raise QueryError(f"parameter {p.name!r} is not a valid {p.type}: {raw!r}") from None


def _iri(raw: str) -> URIRef:
    if not is_iri(raw):
        raise ValueError(raw)
    return URIRef(raw)


def _boolean(raw: str) -> Literal:
    if raw.lower() not in ("true", "false", "1", "0"):
        raise ValueError(raw)
    return Literal(raw.lower() in ("true", "1"))


_PARSERS: dict[str, Any] = {
    "iri": _iri,
    "string": lambda raw: Literal(raw),
    "integer": lambda raw: Literal(int(raw), datatype=XSD.integer),
    "decimal": lambda raw: Literal(Decimal(raw), datatype=XSD.decimal),
    "date": lambda raw: Literal(dt.date.fromisoformat(raw), datatype=XSD.date),
    "boolean": _boolean,
}


def split_header(text: str) -> tuple[str, str]:
    """The `#+` lines (without their marker) and the query."""
    header: list[str] = []
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("#+"):
            header.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip():
            return "".join(header), "".join(lines[i:])
    return "".join(header), ""


def parse_query(path: Path) -> SavedQuery:
    name = path.stem
    if not NAME.match(name):
        raise QueryError(
            f"query name {name!r} must be lower-case words joined by hyphens", source=str(path)
        )
    text = path.read_text(encoding="utf-8")
    header_text, body = split_header(text)
    try:
        header = yaml.safe_load(header_text) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise QueryError(
            f"malformed #+ header: {_first_line(exc)}",
            source=str(path),
            line=line + 1 if line is not None else None,
        ) from None
    if not isinstance(header, dict):
        raise _bad(path, "the #+ header must be a YAML mapping")
    unknown = sorted(set(header) - KEYS)
    if unknown:
        raise QueryError(
            f"unknown header key(s): {', '.join(unknown)} (known: {', '.join(sorted(KEYS))})",
            source=str(path),
        )
    if not body.strip():
        raise _bad(path, "no SPARQL query under the header")
    if not header.get("summary"):
        raise _bad(path, "the header needs a summary")
    params = _params(header, body, path)
    return SavedQuery(
        name=name,
        path=path,
        text=body,
        summary=str(header["summary"]).strip(),
        description=str(header.get("description") or "").strip(),
        tags=tuple(str(t) for t in header.get("tags") or ()),
        params=params,
        method=_method(header.get("method"), path),
        pagination=_pagination(header.get("pagination"), path),
        variables=_variables(body, path),
    )


def _bad(path: Path, message: str, line: int | None = None) -> QueryError:
    return QueryError(message, source=str(path), line=line)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]


def _method(value: object, path: Path) -> str:
    method = str(value or "GET").upper()
    if method not in ("GET", "POST"):
        raise _bad(path, f"method must be GET or POST, not {value!r}")
    return method


def _pagination(value: object, path: Path) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise _bad(path, "pagination must be a positive whole number")
    return value


def _params(header: dict[str, Any], body: str, path: Path) -> tuple[Param, ...]:
    declared = header.get("params") or {}
    if not isinstance(declared, dict):
        raise _bad(path, "params must be a mapping of name to {type, …}")
    defaults = _grlc_map(header.get("defaults"), "defaults", path)
    enums = _grlc_map(header.get("enumerate"), "enumerate", path)
    params = {name: _param(name, spec, path) for name, spec in declared.items()}
    for m in GRLC_VARIABLE.finditer(body):
        optional, name, kind = m.group(1) == "__", m.group(2), m.group(3) or "string"
        if name not in params:
            kind = {"number": "decimal", "literal": "string"}.get(kind, kind)
            variable = m.group(0)[1:]
            params[name] = Param(name, kind, required=not optional, variable=variable)
    for name, value in defaults.items():
        if name not in params:
            raise _bad(path, f"defaults names unknown parameter {name!r}")
        p = params[name]
        params[name] = Param(
            p.name, p.type, False, str(value), p.enum, p.cls, p.description, p.variable
        )
    for name, values in enums.items():
        if name not in params:
            raise _bad(path, f"enumerate names unknown parameter {name!r}")
        p = params[name]
        listed = tuple(str(v) for v in (values if isinstance(values, list) else [values]))
        params[name] = Param(
            p.name, p.type, p.required, p.default, listed, p.cls, p.description, p.variable
        )
    for p in params.values():
        if p.default is not None:
            try:
                parse_value(p, p.default)
            except QueryError as exc:  # a bad default is the file's error, found at load time
                raise _bad(path, f"default of {exc.message}") from None
    return tuple(params.values())


def _grlc_map(value: object, key: str, path: Path) -> dict[str, Any]:
    """grlc writes `defaults:` and `enumerate:` as lists of one-key mappings."""
    if value is None:
        return {}
    items = value if isinstance(value, list) else [value]
    out: dict[str, Any] = {}
    for item in items:
        if not isinstance(item, dict):
            raise _bad(path, f"{key} must be a list of name: value mappings")
        out.update({str(k).lstrip("_").removesuffix("_iri"): v for k, v in item.items()})
    return out


def _param(name: str, spec: object, path: Path) -> Param:
    if not re.match(r"^[A-Za-z][A-Za-z0-9_]*$", str(name)):
        raise _bad(path, f"parameter name {name!r} is not a SPARQL variable name")
    if not isinstance(spec, dict):
        raise QueryError(
            f"parameter {name!r} must be a mapping such as {{type: iri}}", source=str(path)
        )
    unknown = sorted(set(spec) - PARAM_KEYS)
    if unknown:
        raise QueryError(
            f"parameter {name!r} has unknown key(s): {', '.join(unknown)}", source=str(path)
        )
    kind = str(spec.get("type", "string"))
    if kind not in TYPES:
        raise QueryError(
            f"parameter {name!r} has type {kind!r} (types: {', '.join(TYPES)})", source=str(path)
        )
    enum = spec.get("enum") or ()
    return Param(
        name=str(name),
        type=kind,
        required=bool(spec.get("required", False)),
        default=None if spec.get("default") is None else str(spec["default"]),
        enum=tuple(str(e) for e in enum),
        cls=spec.get("class"),
        description=str(spec.get("description", "")),
        variable=str(name),
    )


def _variables(body: str, path: Path) -> tuple[str, ...]:
    """The projected variables, from rdflib's parse: a saved query that does not parse is
    an error when the queries are loaded, not when a user first runs it."""
    try:
        algebra = parsed(body)
    except Exception as exc:  # pyparsing raises its own types
        raise _bad(path, f"SPARQL syntax error: {_first_line(exc)}") from None
    return tuple(str(v) for v in algebra.get("PV") or ())


@lru_cache(maxsize=128)
def parsed(text: str) -> Any:
    """The query's algebra from rdflib's parser, once per text (saved queries are read at
    load, then again to plan their summaries)."""
    return prepareQuery(text).algebra


def load_queries(folder: Path) -> dict[str, SavedQuery]:
    """Every saved query in the folder, by name; any malformed one is an error at load."""
    if not folder.is_dir():
        raise QueryError("the queries folder does not exist", source=str(folder))
    return {q.name: q for q in (parse_query(p) for p in sorted(folder.glob("*.rq")))}


def get_query(queries: Mapping[str, SavedQuery], name: str) -> SavedQuery:
    """The saved query `name`; a mistyped name is answered with the nearest one."""
    if name not in queries:
        near = difflib.get_close_matches(name, list(queries), n=1, cutoff=0.6)
        hint = f"did you mean {near[0]!r}? " if near else ""
        listed = ", ".join(sorted(queries))
        raise NotFound(f"no saved query {name!r} ({hint}saved queries: {listed})")
    return queries[name]
