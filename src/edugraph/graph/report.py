"""Triples for one report: the report, its parts and elements, bodies' roles, problem
links, persons, and (through FigureTriples) its figures, targets and relations."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, PROV, RDF, RDFS, TIME, XSD
from rdflib.term import Node

from edugraph import __version__
from edugraph.graph.figures import FigureTriples
from edugraph.graph.reference import body_triples
from edugraph.rdf import ZH, date_literal
from edugraph.records import Element, FoundBody, Part, ProblemLink, Report, Span
from edugraph.reference import Concept, Reference
from edugraph.vocab import BASIS, EDU, ELI, KIND_CLASS, NIF, ROLE, Iris

PASSAGE_KINDS = ("section", "introduction", "closing", "preamble")
_SCHEME_PROPERTY = {"stage": EDU.stage, "duty-area": EDU.dutyArea, "topic": EDU.topic}


class TripleSink(Protocol):
    """Where triples go: an rdflib Graph, or a plain set (faster when building many reports)."""

    def add(self, triple: tuple[Node, Node, Node], /) -> object: ...


class ReportGraph:
    """The triples extracted from one report."""

    def __init__(
        self,
        graph: TripleSink,
        report: Report,
        reference: Reference,
        iris: Iris,
        *,
        shared: TripleSink | None = None,
    ):
        self.g = graph
        # what describes nodes several reports name (a person, a document, a period) goes
        # once into the shared graph: a triple in two graphs counts twice in a union
        self.shared = graph if shared is None else shared
        self.r = report
        self.ref = reference
        self.iris = iris
        self.slug = report.meta.slug
        self.node = iris.report(self.slug)

    def build(self, *, skip: Collection[tuple[URIRef, URIRef]] = ()) -> None:
        self._report()
        for part in self.r.parts:
            self._part(part)
        for element in self.r.elements:
            self._element(element)
        for link in self.r.links:
            if (self.iris.report(self.slug, link.source), self._problem(link.problem)) not in skip:
                self._link(link)
        for person in self.r.persons:
            self._person(self.node, person.name, person.post, person.body, person.span)
        for body in self.r.found_bodies:
            self._found_body(body)
        FigureTriples(self).build()

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.g.add((s, p, o))

    def share(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.shared.add((s, p, o))

    def zh(self, s: URIRef, p: URIRef, text: str) -> None:
        if text:
            self.add(s, p, Literal(text, lang=ZH))

    def span(self, span: Span) -> URIRef:
        node = self.iris.span(self.slug, span.begin, span.end)
        self.add(node, RDF.type, NIF.String)
        self.add(node, RDF.type, NIF.RFC5147String)
        self.add(node, NIF.referenceContext, self.iris.text(self.slug))
        self.add(node, NIF.beginIndex, Literal(span.begin, datatype=XSD.nonNegativeInteger))
        self.add(node, NIF.endIndex, Literal(span.end, datatype=XSD.nonNegativeInteger))
        self.add(node, NIF.anchorOf, Literal(span.text))
        self.add(node, EDU.sourceLine, Literal(span.line))
        return node

    def derived(self, node: URIRef, span: Span) -> None:
        self.add(node, PROV.wasDerivedFrom, self.span(span))
        self.add(node, EDU.inReport, self.node)

    def _report(self) -> None:
        meta, node = self.r.meta, self.node
        self.add(node, RDF.type, EDU.SelfEvaluationReport)
        self.zh(node, DCTERMS.title, meta.title)
        self.zh(node, RDFS.label, f"{meta.issuer}{meta.title}")
        if meta.title_en:
            self.add(node, DCTERMS.title, Literal(meta.title_en, lang="en"))
            self.add(node, RDFS.label, Literal(f"{meta.issuer_en}: {meta.title_en}", lang="en"))
        self.add(node, DCTERMS.publisher, self.iris.body(f"{meta.region}-government"))
        self.add(node, DCTERMS.issued, date_literal(meta.issued))
        self.add(node, DCTERMS.spatial, self.iris.region(meta.region))
        self.add(node, EDU.administrativeLevel, EDU[f"{meta.level.capitalize()}Level"])
        self.add(node, EDU.sourceFile, Literal(f"data/sources/{meta.slug}.txt"))
        if meta.source_url:
            self.add(node, DCTERMS.source, URIRef(meta.source_url))
        period = self.iris.report(self.slug, "period")
        self.add(node, DCTERMS.temporal, period)
        self.add(period, RDF.type, DCTERMS.PeriodOfTime)
        self.add(period, RDF.type, TIME.Interval)
        self.add(period, DCAT.startDate, date_literal(meta.period_start))
        self.add(period, DCAT.endDate, date_literal(meta.period_end))
        text = self.iris.text(self.slug)
        self.add(text, RDF.type, NIF.Context)
        self.add(text, NIF.isString, Literal(self.r.text))
        self.add(text, NIF.beginIndex, Literal(0, datatype=XSD.nonNegativeInteger))
        self.add(text, NIF.endIndex, Literal(len(self.r.text), datatype=XSD.nonNegativeInteger))
        self.add(text, NIF.sourceUrl, node)
        activity = self.iris.report(self.slug, "build")
        self.add(node, PROV.wasGeneratedBy, activity)
        self.add(activity, RDF.type, PROV.Activity)
        self.add(activity, PROV.used, text)
        self.add(activity, RDFS.label, Literal(f"edugraph {__version__} build", lang="en"))
        if self.r.preamble:
            self.add(node, PROV.wasDerivedFrom, self.span(self.r.preamble))
        self._coverage()

    def _part(self, part: Part) -> None:
        node = self.iris.report(self.slug, "part", part.n)
        self.add(node, RDF.type, EDU.Section)
        self.add(node, EDU.notation, Literal(part.notation))
        self.add(node, EDU.order, Literal(part.n))
        if part.implicit:  # no title: the report (or fragment) starts at its headings
            self.zh(node, RDFS.label, "正文")
            self.add(node, RDFS.label, Literal("body of the report", lang="en"))
        if part.title or part.implicit:
            self.zh(node, RDFS.label, part.title)
        else:  # a copy cut off right after its number (二、): the part is there, untitled
            self.zh(node, RDFS.label, f"{part.notation}、（无标题）")
            self.add(node, RDFS.label, Literal(f"part {part.notation} (untitled)", lang="en"))
        for kind in part.kinds:
            self.add(node, EDU.partKind, self.iris.concept("part-kind", kind))
        if part.inferred:
            self.add(node, EDU.kindInferred, Literal(True))
        self.add(node, DCTERMS.isPartOf, self.node)
        self.derived(node, part.span)

    def _coverage(self) -> None:
        """How much of the text the outline holds, and what it does not (should be nothing)."""
        coverage = format(Decimal(str(round(self.r.coverage, 4))).normalize(), "f")
        self.add(self.node, EDU.coverage, Literal(coverage, datatype=XSD.decimal))
        for span in self.r.unplaced:
            self.add(self.node, EDU.unplacedText, self.span(span))

    def _problem(self, n: int) -> URIRef:
        return self.iris.report(self.slug, "problem", n)

    def _element(self, e: Element) -> None:
        node = self.iris.report(self.slug, e.local_id)
        self.add(node, RDF.type, KIND_CLASS[e.kind])
        self.add(node, EDU.notation, Literal(e.notation))
        self.add(node, EDU.order, Literal(e.n))
        self.zh(node, RDFS.label, short_label(e.label))
        self.zh(node, EDU.text, e.span.text)
        parent = self.iris.report(self.slug, e.parent) if e.parent else None
        part = self.iris.report(self.slug, "part", e.part) if e.part else self.node
        self.add(node, DCTERMS.isPartOf, parent or part)
        if e.kind in ("measure", "plan"):
            self._measure(node, e, parent)
        elif e.kind in PASSAGE_KINDS:  # what the text names, kept though it is not a measure
            for body in {m.body for m in e.bodies}:
                self.add(node, EDU.mentionsBody, self.iris.body(body))
        for scheme, ids in (("stage", e.stages), ("duty-area", e.duty_areas), ("topic", e.topics)):
            for concept in ids:
                self.add(node, _SCHEME_PROPERTY[scheme], self.iris.concept(scheme, concept))
        for document in e.documents:
            doc = self.iris.document(document.title)
            self.add(node, EDU.cites, doc)
            self.share(doc, RDF.type, ELI.LegalResource)
            self.share(doc, RDFS.label, Literal(document.title, lang=ZH))
            self.share(doc, DCTERMS.title, Literal(document.title, lang=ZH))
            self.add(doc, PROV.wasDerivedFrom, self.span(document.span))
        for person in e.persons:
            self._person(node, person.name, person.post, person.body, person.span)
        self.derived(node, e.span)

    def _measure(self, node: URIRef, e: Element, area: URIRef | None) -> None:
        planned = e.kind == "plan"
        self.add(node, EDU.status, EDU.Planned if planned else EDU.Implemented)
        if planned:
            self.add(node, RDF.type, PROV.Plan)
        if area is not None:
            self.add(node, EDU.practiceArea, area)
        for group in e.target_groups:
            self.add(node, EDU.targetGroup, self.iris.concept("target-group", group))
        k = 0
        seen: set[tuple[str, str]] = set()
        for mention in e.bodies:
            body = self.iris.body(mention.body)
            if mention.role not in ROLE:
                self.add(node, EDU.mentionsBody, body)
                continue
            if (mention.body, mention.role) in seen:  # one association per body and role
                continue
            seen.add((mention.body, mention.role))
            k += 1
            assoc = URIRef(f"{node}/association/{k}")
            self.add(node, PROV.wasAssociatedWith, body)
            self.add(node, PROV.qualifiedAssociation, assoc)
            self.add(assoc, RDF.type, PROV.Association)
            self.add(assoc, PROV.agent, body)
            self.add(assoc, PROV.hadRole, ROLE[mention.role])
            self.add(assoc, EDU.isDefault, Literal(mention.default))
            if mention.span is not None:
                self.add(assoc, PROV.wasDerivedFrom, self.span(mention.span))

    def _found_body(self, body: FoundBody) -> None:
        """A body the gazetteer lacks, named in this report: published for a curator to map."""
        body_triples(self.g, body.id, body.zh, body.en, body.type, body.parent, (), self.iris)
        node = self.iris.body(body.id)
        self.add(node, EDU.needsCuration, Literal(True))
        self.add(node, DCTERMS.spatial, self.iris.region(self.r.meta.region))
        self.add(node, PROV.wasDerivedFrom, self.span(body.span))

    def _link(self, link: ProblemLink) -> None:
        source = self.iris.report(self.slug, link.source)
        problem = self._problem(link.problem)
        node = self.iris.report(
            self.slug, "response", f"{link.source.replace('/', '-')}-problem-{link.problem}"
        )
        self.add(source, EDU.addresses, problem)
        self.add(source, EDU.qualifiedAddresses, node)
        self.add(node, RDF.type, EDU.ProblemResponse)
        self.add(node, EDU.problem, problem)
        self.add(node, EDU.basis, BASIS[link.basis])
        self.add(node, EDU.confidence, Literal(Decimal(str(link.confidence)), datatype=XSD.decimal))
        for stage in link.shared_stages:
            self.add(node, EDU.sharedStage, self.iris.concept("stage", stage))
        for topic in link.shared_topics:
            self.add(node, EDU.sharedTopic, self.iris.concept("topic", topic))
        zh, en = self._reason(link)
        self.add(node, EDU.reason, Literal(zh, lang=ZH))
        self.add(node, EDU.reason, Literal(en, lang="en"))

    def _reason(self, link: ProblemLink) -> tuple[str, str]:
        problem = self.r.element(f"problem/{link.problem}")
        source = self.r.element(link.source)
        if link.basis == "stated":
            return (
                f"报告将改进措施{source.notation}与存在问题“{problem.notation}”逐条对应",
                f"The report lists improvement measure {source.notation} against problem "
                f"{link.problem} ({problem.notation}) in parallel",
            )
        stages = _labels(self.ref.stages, link.shared_stages)
        topics = _labels(self.ref.topics, link.shared_topics)
        return (
            f"共同学段：{'、'.join(z for z, _ in stages)}；"
            f"共同关键议题：{'、'.join(z for z, _ in topics)}",
            f"Shared stage: {', '.join(e for _, e in stages)}; "
            f"shared topic: {', '.join(e for _, e in topics)}",
        )

    def _person(self, subject: URIRef, name: str, post_zh: str, body_id: str, span: Span) -> None:
        person = self.iris.person(name)
        post = next(p for p in self.ref.for_report(self.r.meta).posts if p.zh == post_zh)
        post_node = self.iris.post(body_id, post.key)
        self.add(subject, EDU.mentionsPerson, person)
        self.add(person, PROV.wasDerivedFrom, self.span(span))
        share = self.share
        share(person, RDF.type, FOAF.Person)
        share(person, FOAF.name, Literal(name, lang=ZH))
        share(person, RDFS.label, Literal(name, lang=ZH))
        share(post_node, RDF.type, ORG.Post)
        share(post_node, RDFS.label, Literal(post.zh, lang=ZH))
        share(post_node, RDFS.label, Literal(post.en, lang="en"))
        share(post_node, ORG.postIn, self.iris.body(body_id))
        share(post_node, ORG.heldBy, person)
        share(person, ORG.holds, post_node)


def short_label(label: str, limit: int = 40) -> str:
    """Keep long first sentences readable in tables: cut at the first clause."""
    if len(label) <= limit:
        return label
    head = label.split("，", 1)[0]
    return head if len(head) >= 4 else label[:limit] + "…"


def _labels(scheme: tuple[Concept, ...], ids: Iterable[str]) -> list[tuple[str, str]]:
    by_id = {c.id: c for c in scheme}
    return [(by_id[i].zh, by_id[i].en) for i in ids]
