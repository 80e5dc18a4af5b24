"""The published dumps are written graph by graph, from the built lines, and are the bytes
`export.dump` gives for the whole dataset file."""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path

import pyoxigraph as ox
import pytest

from edugraph.publish import export, rdfxml, runs
from edugraph.publish.runs import Runs
from edugraph.rdf import bcp47_tags


def test_every_published_dump_is_what_export_gives(graph_file: Path) -> None:
    folder = graph_file.resolve().parent / "download"
    made = list(export.every_dump(graph_file))
    assert len(made) > 6
    for dump in made:
        assert (folder / dump.name).read_bytes() == dump.data, dump.name
    assert b"_:c14n" in (folder / "edugraph.nq").read_bytes()  # blank nodes, as a whole names them


def test_the_dataset_file_is_one_block_per_graph(graph_file: Path) -> None:
    text = graph_file.read_text("utf-8")
    opened = [line for line in text.splitlines() if line.endswith("{")]
    assert len(opened) == len(set(opened)) == len(export.graph_names(export.load(graph_file)))


def test_runs_merge_sorted_and_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs, "FAN_IN", 3)  # several rounds of merging
    rng = random.Random(5)
    heads = ["a", "ab", "b", "中", "a b", "\U0001f600", "\uff01"]  # UTF-8 sorts as code points
    words = [f"{rng.choice(heads)}{rng.randrange(50)}\n".encode() for _ in range(400)]
    merged = Runs(tmp_path)
    for start in range(0, len(words), 37):
        merged.add(words[start : start + 37])
    assert list(merged.merged()) == sorted(set(words))
    assert [w.decode() for w in merged.merged()] == sorted({w.decode() for w in words})


def test_language_tags_take_their_bcp47_case_outside_literals_only() -> None:
    written = (
        rb'<s> <p> "a\"@en-gb" .' + b"\n"  # the tag is text: its quote is escaped
        rb'<s> <p> "b\\"@en-gb .' + b"\n"  # an escaped backslash, then the literal's end
        rb'<s> <p> "c"@zh-hant-tw, "d"@en, "e"@x-private .' + b"\n"
    )
    assert bcp47_tags(written).splitlines() == [
        rb'<s> <p> "a\"@en-gb" .',
        rb'<s> <p> "b\\"@en-GB .',
        rb'<s> <p> "c"@zh-Hant-TW, "d"@en, "e"@x-private .',
    ]


def test_rdfxml_is_mended_in_markup_only() -> None:
    triples = [
        ox.Triple(ox.NamedNode("https://x.org/s"), ox.NamedNode("https://x.org/v#p"), literal)
        for literal in (
            ox.Literal("a\rb", language="zh-Hans"),
            ox.Literal(' xml:lang="en-gb" '),
        )
    ]
    written = rdfxml.write(triples, {"v": "https://x.org/v#"})
    assert b'xml:lang="zh-Hans"' in written
    assert b"a&#13;b" in written and b"\r" not in written
    parsed = {q.object for q in ox.parse(written, format=ox.RdfFormat.RDF_XML)}
    assert {t.object for t in triples} == parsed


def test_runs_that_follow_one_another_are_read_as_one_chain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runs, "FAN_IN", 2)
    reports = [[f"<r/{n:03d}/{k}>\n".encode() for k in range(5)] for n in range(12)]
    findings = [[f"<r/{n:03d}/finding/{k}>\n".encode() for k in range(2)] for n in range(12)]
    shared = [line for report in reports[::3] for line in report[:2]]  # repeats lines
    merged = Runs(tmp_path)
    for group in [*reports, *findings, shared, [b"<z>\n"], []]:
        merged.add(group)
    chains = runs._chains(merged.files)
    assert len(chains) <= 3  # at most one for each family of runs, of 26 runs
    assert sum(len(chain) for chain in chains) == 12 + 12 + 1 + 1  # the empty one has none
    for chain in chains:
        lines = [line for path in chain for line in path.read_bytes().splitlines()]
        assert all(a < b for a, b in pairwise(lines))
    every = [line for group in [*reports, *findings, shared] for line in group] + [b"<z>\n"]
    assert list(merged.merged()) == sorted(set(every))
