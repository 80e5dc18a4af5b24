"""A graph's dump pass kept in the build's cache: a graph with unchanged lines is linked
from it, not made again, and the files are the bytes a pass without the cache writes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from edugraph.graph.quads import Quads
from edugraph.publish import graph_cache, stream
from edugraph.publish.build import BuildResult
from edugraph.publish.graph_cache import Kept
from edugraph.publish.summary import Summary


def _dumps(quads: object, folder: Path, kept: Kept | None) -> dict[str, bytes]:
    folder.mkdir(parents=True)
    summary = Summary("https://w3id.org/edugraph/id/")
    stream.write_dumps(quads, folder, summary=summary, workers=1, kept=kept)  # type: ignore[arg-type]
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _passes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    real = graph_cache.first_pass

    def counted(task: stream.Task) -> stream.GraphDone:
        made.append(task.name)
        return real(task)

    monkeypatch.setattr(graph_cache, "first_pass", counted)
    return made


def test_a_kept_pass_gives_the_same_files(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _passes(monkeypatch)
    plain = _dumps(built.quads, tmp_path / "plain", None)
    kept = Kept(tmp_path / "cache", "shared-input")
    assert _dumps(built.quads, tmp_path / "first", kept) == plain
    graphs = len(made)
    assert graphs == 2 * len(built.quads.names())  # no cache, then an empty one
    assert _dumps(built.quads, tmp_path / "second", kept) == plain
    assert len(made) == graphs  # every graph's pass was linked from the cache
    entries = sorted(p for p in kept.folder.iterdir() if not p.name.startswith("."))
    assert len(entries) == len(built.quads.names())
    (entries[0] / graph_cache.DONE).write_bytes(b"not an entry")
    other = Kept(kept.folder, "another shared input")  # another code: every pass again
    assert _dumps(built.quads, tmp_path / "third", kept) == plain
    assert len(made) == graphs + 1  # the unreadable entry only
    assert _dumps(built.quads, tmp_path / "fourth", other) == plain
    assert len(made) == graphs + 1 + len(built.quads.names())
    assert len(list(kept.folder.iterdir())) == len(built.quads.names())  # the old ones removed


def _trig(quads: Quads, blocks: Path | None) -> bytes:
    out = io.BytesIO()
    stream.write_trig(quads, out, blocks=blocks)
    return out.getvalue()


def test_the_dataset_file_from_the_passes_blocks_is_the_same(
    built: BuildResult, tmp_path: Path
) -> None:
    quads = built.quads
    plain = _trig(quads, None)
    kept = Kept(tmp_path / "cache", "shared-input")
    for n in range(2):  # the blocks made, then linked from the cache
        blocks = tmp_path / f"blocks-{n}"
        blocks.mkdir()
        dataset = (blocks, dict(sorted(quads.prefixes.items())))
        stream.write_dumps(quads, tmp_path / f"dumps-{n}", workers=1, kept=kept, dataset=dataset)
        made = len(list(blocks.iterdir()))
        assert 0 < made < len(quads.names())  # graphs with blank nodes have none
        assert _trig(quads, blocks) == plain
