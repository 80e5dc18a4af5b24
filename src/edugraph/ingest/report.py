"""Ingest one report: read, normalise, segment, extract, link. Produces plain records.

Extraction reads the matching copy of the text (simplified script, folded punctuation:
`Normalised.match`), so that 教育廳 is found as 教育厅; every span it returns is then anchored
on the text itself, which has the same length, so provenance quotes the source's characters.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from edugraph.errors import InputError
from edugraph.ingest.extract import Extractor
from edugraph.ingest.figures import FigureExtractor
from edugraph.ingest.links import link_problems
from edugraph.ingest.metadata import read_metadata
from edugraph.ingest.partkinds import PartKinds, load_part_kinds
from edugraph.ingest.periods import signed_month
from edugraph.ingest.segment import Segmenter
from edugraph.ingest.text import Normalised, normalise, read_source
from edugraph.records import (
    BodyMention,
    DocumentMention,
    Element,
    Observation,
    PersonMention,
    Relation,
    Report,
    Span,
    TargetRecord,
)
from edugraph.reference import Reference

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def ingest(path: Path, reference: Reference) -> Report:
    """Turn `data/sources/<slug>.txt` (with `<slug>.toml` beside it) into records."""
    meta = read_metadata(path)
    norm = normalise(read_source(path))
    if not CHINESE.search(norm.text):
        raise InputError("no Chinese text: this is not a report of the genre", source=str(path))
    segmenter = Segmenter(norm, source=str(path), kinds=_part_kinds(reference))
    preamble, parts, elements = segmenter.run()
    coverage, unplaced = segmenter.coverage(preamble)
    extractor = Extractor(reference, meta, norm.match)
    for element in elements:
        _enrich(extractor, element, norm)
        if element.kind == "preamble":
            element.persons = []  # the report names them (below)
    areas = {e.local_id: e for e in elements if e.kind == "area"}
    for element in elements:
        parent = areas.get(element.parent or "")
        if parent and not element.stages and not element.duty_areas:
            element.duty_areas = list(parent.duty_areas)  # the heading classifies its items
    holders = [e for e in elements if not _holds_measures(e, elements)]
    observations, targets, relations = _figures(reference, extractor, norm, holders)
    persons = extractor.persons(_matching(preamble, norm), norm.line_of) if preamble else []
    return Report(
        meta=meta,
        source_path=str(path),
        text=norm.text,
        preamble=preamble,
        parts=parts,
        elements=elements,
        links=link_problems(elements),
        persons=[_person(p, norm) for p in persons],
        observations=observations,
        targets=targets,
        relations=relations,
        match=norm.match,
        coverage=coverage,
        unplaced=unplaced,
        found_bodies=[
            replace(f, span=_anchor(f.span, norm)) for f in extractor.finder.found.values()
        ],
    )


def _part_kinds(reference: Reference) -> PartKinds:
    """The part kinds of the build's reference folder (the project's when it has none)."""
    path = reference.directory / "part-kinds.toml"
    return load_part_kinds(path) if path.is_file() else load_part_kinds()


def _enrich(extractor: Extractor, element: Element, norm: Normalised) -> None:
    """Extract on the matching copy of the element's text, then anchor on the text."""
    source = element.span
    element.span = _matching(source, norm)
    extractor.enrich(element, line_of=norm.line_of)
    element.span = source
    element.bodies = [_body(b, norm) for b in element.bodies]
    element.documents = [_document(d, norm) for d in element.documents]
    element.persons = [_person(p, norm) for p in element.persons]


def _figures(
    reference: Reference, extractor: Extractor, norm: Normalised, elements: list[Element]
) -> tuple[list[Observation], list[TargetRecord], list[Relation]]:
    """Figures found on the matching copy of each element, anchored on the text."""
    figures = FigureExtractor(reference, extractor.meta, norm.line_of, set_by=extractor.setter)
    figures.signed = signed_month(norm.match)
    sources = [e.span for e in elements]
    for element in elements:
        element.span = _matching(element.span, norm)
    try:
        observations, targets, relations = figures.run(elements)
    finally:
        for element, span in zip(elements, sources, strict=True):
            element.span = span
    return (
        [
            replace(o, span=_anchor(o.span, norm), sentence=_anchor(o.sentence, norm))
            for o in observations
        ],
        [replace(t, sentence=_anchor(t.sentence, norm)) for t in targets],
        [replace(r, sentence=_anchor(r.sentence, norm) if r.sentence else None) for r in relations],
    )


def _holds_measures(element: Element, elements: list[Element]) -> bool:
    """An area whose text its measures repeat: their figures are theirs, not the area's too."""
    if element.kind != "area":
        return False
    span = element.span
    return any(
        e.parent == element.local_id and e.span.begin < span.end and span.begin < e.span.end
        for e in elements
    )


def _matching(span: Span, norm: Normalised) -> Span:
    return replace(span, text=norm.match[span.begin : span.end])


def _anchor(span: Span, norm: Normalised) -> Span:
    begin, end = norm.source_span(span.begin, span.end)
    return replace(span, begin=begin, end=end, text=norm.text[begin:end])


def _body(mention: BodyMention, norm: Normalised) -> BodyMention:
    return replace(mention, span=_anchor(mention.span, norm)) if mention.span else mention


def _document(mention: DocumentMention, norm: Normalised) -> DocumentMention:
    span = _anchor(mention.span, norm)
    return DocumentMention(span.text.removeprefix("《").removesuffix("》"), span)


def _person(mention: PersonMention, norm: Normalised) -> PersonMention:
    return replace(mention, span=_anchor(mention.span, norm))
