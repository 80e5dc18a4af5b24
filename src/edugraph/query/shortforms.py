"""IRI parameters as people type them. Beside a full IRI, a saved query's IRI parameter takes a
short form (`chongqing-2020` for the report, `chongqing-2020/problem/2`, `body/<slug>` for
`<base>id/body/<slug>`), a prefixed name (`edu:Planned`) or an exact label (`学前教育毛入园率`)
when one resource has it. Each form is turned into the full IRI of a resource the dataset
holds, by the fixed queries below with the value bound as a term, before the query runs; a
value no form matches is refused with the forms listed."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from edugraph.errors import QueryError
from edugraph.query.engines import Results
from edugraph.query.queries import Param, SavedQuery
from edugraph.rdf import is_iri
from edugraph.vocab import PREFIXES

Lookup = Callable[[str, dict[str, Identifier]], Results]  # query text, bindings → results
EXISTS = "SELECT ?x WHERE { ?x ?p ?o } LIMIT 1"
LABELLED = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?x ?class WHERE {
  ?x rdfs:label|skos:prefLabel|skos:altLabel|skos:notation ?label .
  FILTER(STR(?label) = ?text)
  OPTIONAL { ?x a ?class }
} LIMIT 50"""
SHOWN = 5  # matches named when a label is ambiguous


def forms(base: str) -> str:
    """What an IRI parameter accepts, for an error message."""
    return (
        f"a full IRI ({base}id/…), a short form (chongqing-2020, chongqing-2020/problem/2, "
        "body/<slug>), a prefixed name (edu:…) or the exact label of one resource"
    )


def expand(
    query: SavedQuery, values: Mapping[str, str], *, base: str, lookup: Lookup
) -> dict[str, str]:
    """The values with every IRI parameter's short form, prefixed name or label replaced by
    the full IRI it names; other values as they are."""
    out = dict(values)
    for p in query.params:
        raw = values.get(p.name)
        if p.type != "iri" or not raw or not raw.isprintable():
            continue  # a control character is refused by the parameter's own check
        prefixed = _prefixed(raw)
        if prefixed:
            out[p.name] = prefixed
        elif not is_iri(raw):
            out[p.name] = _resolve(p, raw, base=base, lookup=lookup)
    return out


def _prefixed(raw: str) -> str | None:
    """The IRI of a prefixed name with a known prefix (edu:Planned), else None."""
    prefix, colon, local = raw.partition(":")
    if not colon or prefix not in PREFIXES or local.startswith("//"):
        return None
    iri = f"{PREFIXES[prefix]}{local}"
    return iri if is_iri(iri) else None


def _resolve(p: Param, raw: str, *, base: str, lookup: Lookup) -> str:
    for candidate in _candidates(raw, base):
        if lookup(EXISTS, {"x": URIRef(candidate)})["results"]["bindings"]:
            return candidate
    return _by_label(p, raw, base=base, lookup=lookup)


def _candidates(raw: str, base: str) -> list[str]:
    """The IRIs a short form may stand for, most specific first."""
    path = raw.strip("/").removeprefix("id/")
    if not path or " " in path:
        return []
    found = [f"{base}id/report/{path}", f"{base}id/{path}"]
    return [c for c in found if is_iri(c)]


def _by_label(p: Param, raw: str, *, base: str, lookup: Lookup) -> str:
    rows = lookup(LABELLED, {"text": Literal(raw)})["results"]["bindings"]
    matches = sorted({r["x"]["value"] for r in rows if r["x"]["type"] == "uri"})
    wanted = _class_iri(p.cls)
    typed = sorted({r["x"]["value"] for r in rows if r.get("class", {}).get("value") == wanted})
    if len(matches) > 1 and typed:
        matches = typed
    if len(matches) == 1:
        return str(matches[0])
    if not matches:
        raise QueryError(
            f"parameter {p.name!r} is not a valid iri, nor the short form or label of a "
            f"resource: {raw!r}; give {forms(base)}"
        )
    listed = ", ".join(short(m, base) for m in matches[:SHOWN])
    more = f" and {len(matches) - SHOWN} more" if len(matches) > SHOWN else ""
    raise QueryError(f"parameter {p.name!r}: {raw!r} is the label of {listed}{more}; give one")


def _class_iri(cls: str | None) -> str | None:
    if not cls:
        return None
    prefix, _, local = cls.partition(":")
    return f"{PREFIXES[prefix]}{local}" if prefix in PREFIXES else cls


def short(iri: str, base: str) -> str:
    """The shortest form `expand` reads back as this IRI: the report path, the path under
    `id/`, or the IRI itself."""
    for root in (f"{base}id/report/", f"{base}id/"):
        if iri.startswith(root) and len(iri) > len(root):
            return iri[len(root) :]
    return iri
