"""Triples for a report's figures: Data Cube observations, targets, and the relations between
figures that validation checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, QB, RDF, RDFS, SKOS, TIME, XSD

from edugraph.ingest.units import UNITS
from edugraph.rdf import ZH, date_literal
from edugraph.records import Observation, Relation, TargetRecord
from edugraph.vocab import EDU, NIF, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE

if TYPE_CHECKING:
    from edugraph.graph.report import ReportGraph

VALUE_TYPE = {
    "actual": EDU.ActualValue,
    "target": EDU.TargetValue,
    "baseline": EDU.BaselineValue,
    "change": EDU.ChangeValue,
}
QUALIFIER = {
    "more-than": EDU.MoreThan,
    "nearly": EDU.Nearly,
    "about": EDU.About,
    "at-least": EDU.AtLeast,
    "at-most": EDU.AtMost,
    "range": EDU.Range,
}
COMPARATOR = {">=": EDU.GreaterOrEqual, "<=": EDU.LessOrEqual, "=": EDU.Equal}
SYMBOL = {">=": "≥", "<=": "≤", "=": "="}
RELATION_CLASS = {
    "part-of": EDU.PartOfRelation,
    "share": EDU.ShareRelation,
    "difference": EDU.DifferenceRelation,
    "comparison": EDU.ComparisonRelation,
    "growth": EDU.GrowthRelation,
}
ROLE_PROPERTY = {
    "part": EDU.part,
    "whole": EDU.whole,
    "share": EDU.share,
    "minuend": EDU.minuend,
    "subtrahend": EDU.subtrahend,
    "difference": EDU.difference,
    "base": EDU.base,
    "current": EDU.current,
    "standard": EDU.relatedStandard,
}


def unit_iri(code: str) -> URIRef:
    return URIRef(UNITS[code].qudt)


class FigureTriples:
    """Adds a report's observations, targets and relations to its graph."""

    def __init__(self, report: ReportGraph):
        self.rg = report
        self.slug = report.slug
        self.dataset = report.iris.report(self.slug, "dataset")

    def build(self) -> None:
        if not self.rg.r.observations:
            return
        self._dataset()
        for o in self.rg.r.observations:
            self._observation(o)
        for t in self.rg.r.targets:
            self._target(t)
        for r in self.rg.r.relations:
            self._relation(r)
        self._standards_measured()

    def node(self, kind: str, n: int) -> URIRef:
        return self.rg.iris.report(self.slug, kind, n)

    def indicator(self, indicator: str, local: bool) -> URIRef:
        if local:
            return self.rg.iris.report(self.slug, "indicator", indicator)
        return self.rg.iris.concept("indicator", indicator)

    def _dataset(self) -> None:
        add = self.rg.add
        add(self.dataset, RDF.type, QB.DataSet)
        add(self.dataset, QB.structure, EDU.FigureStructure)
        add(self.dataset, DCTERMS.source, self.rg.node)
        self.rg.zh(self.dataset, RDFS.label, f"{self.rg.r.meta.issuer}报告中的数据")
        add(self.dataset, RDFS.label, Literal(f"Figures of {self.rg.r.meta.issuer_en}", lang="en"))

    def _observation(self, o: Observation) -> None:
        add, node = self.rg.add, self.node("observation", o.n)
        add(node, RDF.type, QB.Observation)
        add(node, QB.dataSet, self.dataset)
        indicator = self.indicator(o.indicator, o.local)
        add(node, EDU.indicator, indicator)
        if o.local:
            self._local_indicator(indicator, o.indicator_label)
        add(node, SDMX_DIMENSION.refArea, self.rg.iris.region(self.rg.r.meta.region))
        add(node, SDMX_DIMENSION.refPeriod, self.period(o.period))
        add(node, SDMX_MEASURE.obsValue, Literal(o.value, datatype=XSD.decimal))
        add(node, SDMX_ATTRIBUTE.unitMeasure, unit_iri(o.unit))
        add(node, EDU.valueType, VALUE_TYPE[o.value_type])
        if o.qualifier:
            add(node, EDU.qualifier, QUALIFIER[o.qualifier])
        if o.low is not None:
            add(node, EDU.minValue, Literal(o.low, datatype=XSD.decimal))
            add(node, EDU.maxValue, Literal(o.value, datatype=XSD.decimal))
        if o.per:
            add(node, EDU.perUnit, unit_iri(o.per))
        if o.period_inferred:
            add(node, EDU.periodInferred, Literal(True))
        if o.base_period:
            add(node, EDU.basePeriod, date_literal(o.base_period))
        if o.comparison:
            add(node, EDU.comparison, Literal(o.comparison))
        add(node, EDU.precision, Literal(o.precision, datatype=XSD.decimal))
        add(
            node,
            EDU.subject,
            self.rg.iris.report(self.slug, o.subject) if o.subject else self.rg.node,
        )
        add(node, RDFS.label, Literal(f"{o.indicator_label} {o.span.text}", lang=ZH))
        figure = self.rg.span(o.span)
        add(figure, NIF.sentence, self._sentence(o))
        self.rg.derived(node, o.span)

    def _sentence(self, o: Observation) -> URIRef:
        sentence = self.rg.span(o.sentence)
        self.rg.add(sentence, RDF.type, NIF.Sentence)
        return sentence

    def period(self, period: str) -> URIRef | Literal:
        """A year or month as a literal; an interval (2019年以来, 2019、2020年度) as a node."""
        if "/" not in period:
            return date_literal(period)
        start, end = period.split("/")
        node = self.rg.iris.id(f"period/{start}--{end}")
        self.rg.share(node, RDF.type, TIME.Interval)
        self.rg.share(node, RDF.type, DCTERMS.PeriodOfTime)
        self.rg.share(node, DCAT.startDate, date_literal(start))
        self.rg.share(node, DCAT.endDate, date_literal(end))
        self.rg.share(node, RDFS.label, Literal(period))
        return node

    def _local_indicator(self, node: URIRef, label: str) -> None:
        add = self.rg.add
        scheme = self.rg.iris.report(self.slug, "indicators")
        add(node, RDF.type, EDU.Indicator)
        add(node, RDF.type, SKOS.Concept)
        add(node, SKOS.inScheme, scheme)
        add(node, EDU.needsCuration, Literal(True))
        self.rg.zh(node, RDFS.label, label)
        self.rg.zh(node, SKOS.prefLabel, label)
        add(scheme, RDF.type, SKOS.ConceptScheme)
        self.rg.zh(scheme, RDFS.label, "报告内指标（待校订）")
        add(scheme, RDFS.label, Literal("Report-local indicators (to be curated)", lang="en"))

    def _target(self, t: TargetRecord) -> None:
        add, node = self.rg.add, self.node("target", t.n)
        add(node, RDF.type, EDU.Target)
        add(node, EDU.indicator, self.indicator(t.indicator, t.local))
        add(node, EDU.comparator, COMPARATOR[t.comparator])
        add(node, EDU.targetValue, Literal(t.value, datatype=XSD.decimal))
        add(node, EDU.unit, unit_iri(t.unit))
        if t.deadline:
            add(node, EDU.deadline, date_literal(t.deadline))
        add(node, EDU.setBy, self.rg.iris.body(t.set_by))
        add(node, DCTERMS.source, self.rg.node)
        self.rg.zh(node, RDFS.label, self._target_label(t))
        for n in t.observations:
            add(self.node("observation", n), EDU.statesTarget, node)
        actual = self._latest_actual(t.indicator)
        if actual is not None:
            add(node, EDU.actualObservation, actual)
        self.rg.derived(node, t.sentence)

    def _target_label(self, t: TargetRecord) -> str:
        """公办幼儿园在园幼儿占比 ≥ 50%: the indicator, the comparator and the value as written."""
        stated = self.rg.r.observations[t.observations[0] - 1] if t.observations else None
        label = stated.indicator_label if stated else t.indicator
        written = stated.span.text if stated and stated.precision else str(t.value)
        return f"{label} {SYMBOL[t.comparator]} {written}"

    def _latest_actual(self, indicator: str) -> URIRef | None:
        actual = [
            o
            for o in self.rg.r.observations
            if o.indicator == indicator and o.value_type == "actual"
        ]
        if not actual:
            return None
        latest = max(actual, key=lambda o: (o.period.split("/")[-1], -o.n))
        return self.node("observation", latest.n)

    def _standards_measured(self) -> None:
        """A national standard's latest actual figure in this report (in the report's graph)."""
        for standard in self.rg.ref.standards:
            actual = self._latest_actual(standard.indicator)
            if actual is not None:
                self.rg.add(
                    self.rg.iris.id(f"standard/{standard.id}"), EDU.actualObservation, actual
                )

    def _relation(self, r: Relation) -> None:
        add, node = self.rg.add, self.node("relation", r.n)
        add(node, RDF.type, EDU.FigureRelation)
        add(node, RDF.type, RELATION_CLASS[r.kind])
        add(node, EDU.inReport, self.rg.node)
        for role, ref in r.members:
            if ref.startswith("standard/"):  # a standard takes part in the role of a target
                add(node, EDU.relatedStandard, self.rg.iris.id(ref))
                continue
            target = self._ref(ref)
            add(node, ROLE_PROPERTY[role], target)
            add(node, EDU.relatedFigure, target)
        if r.kind == "growth":
            add(node, EDU.direction, Literal(r.direction))
        if r.comparator:
            add(node, EDU.comparator, COMPARATOR[r.comparator])
        if r.sentence is not None:
            add(node, PROV.wasDerivedFrom, self.rg.span(r.sentence))

    def _ref(self, ref: str) -> URIRef:
        kind, n = ref.split("/")
        return self.node(kind, int(n))
