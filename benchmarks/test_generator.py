"""The benchmark corpus ingests as intended. Not part of `make test`; run it directly:

.venv/bin/pytest -q benchmarks/test_generator.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from corpus import generate, write

from edugraph.ingest.report import ingest
from edugraph.reference import Reference, load_reference

KINDS = ("achievement", "area", "measure", "problem", "plan")
REPORTS = generate(24, seed=8)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(REPORTS, tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def reference() -> Reference:
    return load_reference()


def test_deterministic() -> None:
    again = generate(24, seed=8)
    assert [(r.slug, r.text, r.meta) for r in again] == [(r.slug, r.text, r.meta) for r in REPORTS]
    assert generate(3, seed=9)[0].text != REPORTS[0].text


def test_varied() -> None:
    assert {r.structure for r in REPORTS} == {"chongqing", "jiangbei", "county"}
    assert len({r.meta["region"] for r in REPORTS}) >= 8
    assert {r.meta["level"] for r in REPORTS} == {"province", "prefecture", "county"}
    assert len({r.meta["issued"][:4] for r in REPORTS}) >= 3
    assert len({r.slug for r in REPORTS}) == len(REPORTS)


def test_pdf_layout() -> None:
    """Lines broken at one width, blank lines between, page breaks: the model's form."""
    for report in REPORTS:
        lines = report.text.split("\n")
        assert lines[0] == "" and all(line == "" for line in lines[2::2])
        assert "\n\n\n\n" in report.text  # at least one page break
        assert 6_000 < len(report.text.encode("utf-8")) < 30_000


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.slug)
def test_ingests_with_expected_counts(report, sources: Path, reference: Reference) -> None:  # type: ignore[no-untyped-def]
    records = ingest(sources / f"{report.slug}.txt", reference)
    counts = Counter(e.kind for e in records.elements)
    assert {k: counts[k] for k in KINDS} == report.expected
    assert records.meta.region == report.meta["region"]
    assert len(records.observations) >= 10  # figures survive rewriting
    # improvement measure k answers problem k: as many of each, all linked as stated
    assert sum(1 for link in records.links if link.basis == "stated") == report.expected["plan"]
    bodies = {m.body for e in records.elements for m in getattr(e, "bodies", [])}
    assert any(b.startswith(report.meta["region"]) for b in bodies)
