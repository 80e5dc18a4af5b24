"""An RDF term as a person reads it on a page: its label (Chinese first), linked to the
page this server shows for it. The labels of a page come from one query over every IRI it
shows, so that the page's other queries stay simple and their rows do not multiply by the
labels' languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from flask import url_for

from edugraph.publish.void import SHAPES
from edugraph.query.results import compact, rows
from edugraph.rdf import is_iri
from edugraph.vocab import ONTOLOGY
from edugraph.web.internal import Row, with_values
from edugraph.web.service import Service
from edugraph.web.tables import NAMESPACES, local_path

MAX_LABELLED = 2000  # IRIs labelled for one page; a page showing more shows the rest by path
BATCH_CHARACTERS = 12_000  # of IRIs in one labels query: a query may be 20,000 characters
NUMBERS = re.compile(r"(\d+)")


@dataclass(frozen=True, slots=True)
class Term:
    """An RDF term as a person reads it: a label (or a short name) that links to its page."""

    text: str
    href: str | None = None
    title: str | None = None  # the full IRI, or a literal's datatype
    lang: str | None = None  # a literal's language
    literal: bool = False
    code: str | None = None  # a vocabulary term's prefixed name, shown beside its label


def href(iri: str, svc: Service) -> str | None:
    """Where this server shows an IRI: its /id/ page, the ontology or shapes documentation at
    the term's anchor, a named graph; None for IRIs this server does not answer for."""
    path = local_path(iri, svc.base_iri)
    if path is not None:
        return url_for("linked.resource", path=path)
    for document, endpoint in ((str(ONTOLOGY), "linked.ontology"), (str(SHAPES), "linked.shapes")):
        if iri == document:
            return url_for(endpoint)
        if iri.startswith(f"{document}#") and len(iri) > len(document) + 1:
            return f"{url_for(endpoint)}#{iri[len(document) + 1 :]}"
    graph = f"{svc.base_iri}graph/"
    if iri in svc.graphs and iri.startswith(graph):
        return url_for("linked.graph", path=iri[len(graph) :])
    return None


@dataclass(slots=True)
class Labels:
    """The best label of each IRI: Chinese, else untagged, else English; and the English."""

    best: dict[str, tuple[int, str]] = field(default_factory=dict)
    english: dict[str, str] = field(default_factory=dict)

    def add(self, iri: str, term: Mapping[str, str]) -> None:
        lang = term.get("xml:lang", "").lower()
        rank = 0 if lang.startswith("zh") else 1 if not lang else 2 if lang == "en" else 3
        if lang == "en":
            self.english.setdefault(iri, term["value"])
        if iri not in self.best or rank < self.best[iri][0]:
            self.best[iri] = (rank, term["value"])

    def get(self, iri: str) -> str | None:
        found = self.best.get(iri)
        return found[1] if found else None

    def mapping(self) -> dict[str, str]:
        """Each IRI's best label."""
        return {iri: label for iri, (_, label) in self.best.items()}


def term(value: Mapping[str, str], svc: Service, labels: Labels) -> Term:
    """A SPARQL JSON term as shown on a page."""
    text = value["value"]
    if value["type"] == "uri":
        shown = labels.get(text) or local_path(text, svc.base_iri) or compact(text, NAMESPACES)
        return Term(shown, href(text, svc), text)
    if value["type"] == "bnode":
        return Term(f"_:{text}")
    datatype = value.get("datatype")
    title = compact(datatype, NAMESPACES) if datatype else None
    return Term(text, None, title, value.get("xml:lang"), literal=True)


def iri_term(iri: str, svc: Service, labels: Labels) -> Term:
    return term({"type": "uri", "value": iri}, svc, labels)


def vocabulary_term(iri: str, svc: Service, labels: Labels) -> Term:
    """A class or property: its label, with its prefixed name beside it when they differ."""
    found = iri_term(iri, svc, labels)
    code = compact(iri, NAMESPACES)
    return replace(found, code=code) if code != found.text else found


def natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key in which finding/2 comes before finding/10."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in NUMBERS.split(text) if p)


def iris_of(found: Iterable[Row]) -> set[str]:
    return {t["value"] for row in found for t in row.values() if t["type"] == "uri"}


def labels_of(svc: Service, iris: Iterable[str]) -> Labels:
    """The labels of every IRI a page shows (each escaped as a term), in as few queries as
    the limit on a query's length allows."""
    labels = Labels()
    wanted = sorted(i for i in iris if is_iri(i))[:MAX_LABELLED]
    for batch in batches(wanted):
        answer = svc.run(with_values("labels", batch))
        assert answer.results is not None
        for row in rows(answer.results):
            labels.add(row["x"]["value"], row["label"])
    return labels


def batches(iris: list[str]) -> Iterator[list[str]]:
    """IRIs in lists whose written length stays under `BATCH_CHARACTERS`."""
    batch: list[str] = []
    size = 0
    for iri in iris:
        if batch and size + len(iri) + 3 > BATCH_CHARACTERS:
            yield batch
            batch, size = [], 0
        batch.append(iri)
        size += len(iri) + 3
    if batch:
        yield batch
