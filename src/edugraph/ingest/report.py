"""Ingest one report: read, normalise, segment, extract, link. Produces plain records."""

from __future__ import annotations

from pathlib import Path

from edugraph.ingest.extract import Extractor
from edugraph.ingest.figures import FigureExtractor, outside_elements
from edugraph.ingest.links import link_problems
from edugraph.ingest.metadata import read_metadata
from edugraph.ingest.segment import Segmenter
from edugraph.ingest.text import normalise, read_source
from edugraph.records import Report
from edugraph.reference import Reference


def ingest(path: Path, reference: Reference) -> Report:
    """Turn `data/sources/<slug>.txt` (with `<slug>.toml` beside it) into records."""
    meta = read_metadata(path)
    norm = normalise(read_source(path))
    preamble, parts, elements = Segmenter(norm, source=str(path)).run()
    extractor = Extractor(reference, meta, norm.text)
    for element in elements:
        extractor.enrich(element, line_of=norm.line_of)
    areas = {e.local_id: e for e in elements if e.kind == "area"}
    for element in elements:
        parent = areas.get(element.parent or "")
        if parent and not element.stages and not element.duty_areas:
            element.duty_areas = list(parent.duty_areas)  # the heading classifies its items
    figures = FigureExtractor(reference, meta, norm.line_of, set_by=extractor.setter)
    outside = tuple(outside_elements(norm.text, preamble, parts, elements))
    observations, targets, relations = figures.run(elements, outside=outside)
    return Report(
        meta=meta,
        source_path=str(path),
        text=norm.text,
        preamble=preamble,
        parts=parts,
        elements=elements,
        links=link_problems(elements),
        persons=extractor.persons(preamble, norm.line_of) if preamble else [],
        observations=observations,
        targets=targets,
        relations=relations,
    )
