"""The on-disk store of a new version made from the current one: only the graphs whose lines
changed are loaded again, and it holds the quads a bulk load of the dataset file gives."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pyoxigraph as ox

from edugraph.graph.quads import Quads
from edugraph.publish.inputs import Inputs
from edugraph.publish.site import publish
from edugraph.publish.store import STORE, update_store, write_store
from edugraph.vocab import DEFAULT_BASE

G = "https://w3id.org/edugraph/graph/report/"
S = "https://w3id.org/edugraph/id/report/"


def _lines(name: str, *values: str) -> list[str]:
    return [f'<{S}{name}> <{S}p> "{v}"@zh-hans .\n' for v in values]


def _quads(graphs: dict[str, list[str]]) -> Quads:
    quads = Quads()
    for name, lines in graphs.items():
        quads.add_lines(G + name, lines)
    return quads


def _contents(folder: Path) -> set[ox.Quad]:
    return set(ox.Store.read_only(str(folder)))


def _loaded(path: Path) -> set[ox.Quad]:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return set(store)


def test_an_updated_store_holds_the_new_datasets_quads(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    old = tmp_path / "old" / "d.nq"
    old.write_bytes(
        _quads({"a": _lines("a", "1"), "b": _lines("b", "2"), "c": _lines("c", "3")}).nquads()
    )
    write_store(old)
    new = _quads({"a": _lines("a", "1"), "b": _lines("b", "2", "4"), "d": _lines("d", "5")})
    (tmp_path / "new").mkdir()
    dataset = tmp_path / "new" / "d.nq"
    dataset.write_bytes(new.nquads())
    changed = {G + "b", G + "d"}
    folder = update_store(
        dataset,
        old.parent / STORE,
        keep=set(new.names()),
        add={n: new.text([n]) for n in changed},
    )
    assert _contents(folder) == _loaded(dataset)
    assert _contents(old.parent / STORE) == _loaded(old)  # the old version's is untouched


def _inputs(shared: str) -> Inputs:
    return Inputs(shared=shared, reports={}, whole=shared)


def test_a_new_version_links_the_stores_files_when_few_graphs_changed(tmp_path: Path) -> None:
    out = tmp_path / "build" / "d.nq"
    graphs = {f"r{n}": _lines(f"r{n}", str(n)) for n in range(6)}
    publish(_quads(graphs), out, base=DEFAULT_BASE, inputs=_inputs("one"))
    first = out.resolve().parent / STORE
    graphs["r2"] = _lines("r2", "2", "二")
    publish(_quads(graphs), out, base=DEFAULT_BASE, inputs=_inputs("one"))
    second = out.resolve().parent / STORE
    assert second != first
    assert _contents(second) == _loaded(out)
    linked = {p.name for p in second.iterdir() if p.stat().st_nlink > 1}
    assert any(name.endswith(".sst") for name in linked)
    publish(_quads(graphs), out, base=DEFAULT_BASE, inputs=_inputs("other code"))
    third = out.resolve().parent / STORE
    assert _contents(third) == _loaded(out)
    assert not any(p.stat().st_nlink > 1 for p in third.iterdir() if os.path.isfile(p))


def _checked(version: Path) -> int:
    """How many files the manifest records, each checked against its file."""
    files = json.loads((version / "manifest.json").read_text("utf-8"))["files"]
    for entry in files:
        data = (version / entry["path"]).read_bytes()
        assert (entry["bytes"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    return len(files)


def test_a_linked_files_checksum_is_the_current_versions_and_right(tmp_path: Path) -> None:
    out = tmp_path / "build" / "d.nq"
    graphs = {f"r{n}": _lines(f"r{n}", str(n)) for n in range(3)}
    publish(_quads(graphs), out, base=DEFAULT_BASE, inputs=_inputs("one"))
    first = out.resolve().parent
    graphs["r1"] = _lines("r1", "1", "一")
    publish(_quads(graphs), out, base=DEFAULT_BASE, inputs=_inputs("one"))
    second = out.resolve().parent
    old = first / "download"
    linked = [p for p in (second / "download").iterdir() if os.path.samefile(p, old / p.name)]
    assert any(p.name.startswith("r0.") for p in linked)
    assert not any(p.name.startswith("r1.") for p in linked)
    assert _checked(first) == _checked(second) > len(linked)
