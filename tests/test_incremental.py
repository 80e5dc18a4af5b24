"""The incremental build: a report whose input is unchanged is read from the cache, an
unchanged input is not built at all, and the output is always that of a clean build."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from edugraph.cli import build as cli_build
from edugraph.cli import cli
from edugraph.publish import build as build_module
from edugraph.publish import export
from edugraph.publish.build import Paths, build, input_hashes
from edugraph.publish.inputs import published_inputs
from edugraph.vocab import Iris
from tests.conftest import copy_sources

REPORTS = ("jiangbei-2020", "linjiang-county-2021")


def sources(tmp_path: Path) -> Path:
    return copy_sources(tmp_path, *REPORTS)


def paths(folder: Path) -> Paths:
    return Paths(sources=folder, curation=folder / "no-curation")


@pytest.fixture
def ingests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slugs ingested in this process (builds here run with one worker)."""
    seen: list[str] = []
    real = build_module.ingest

    def counted(path: Path, *args: object) -> object:
        seen.append(path.stem)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "ingest", counted)
    return seen


def test_a_report_hash_follows_each_of_its_inputs(tmp_path: Path) -> None:
    folder = sources(tmp_path)
    before = input_hashes(paths(folder), iris=Iris())
    (folder / "jiangbei-2020.toml").write_text(
        (folder / "jiangbei-2020.toml").read_text("utf-8") + "\n", encoding="utf-8"
    )
    after = input_hashes(paths(folder), iris=Iris())
    assert before.reports["jiangbei-2020"] != after.reports["jiangbei-2020"]
    assert before.reports["linjiang-county-2021"] == after.reports["linjiang-county-2021"]
    assert before.whole != after.whole
    other_base = input_hashes(paths(folder), iris=Iris("https://example.org/"))
    assert other_base.reports["linjiang-county-2021"] != after.reports["linjiang-county-2021"]
    curation = folder / "no-curation"
    curation.mkdir()
    (curation / "linjiang-county-2021.ttl").write_text("# nothing\n", encoding="utf-8")
    curated = input_hashes(paths(folder), iris=Iris())
    assert curated.reports["linjiang-county-2021"] != after.reports["linjiang-county-2021"]


def test_the_code_is_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, code = sources(tmp_path), tmp_path / "code"
    code.mkdir()
    (code / "rules.py").write_text("A = 1\n", encoding="utf-8")
    monkeypatch.setattr(build_module, "PACKAGE", code)
    before = input_hashes(paths(folder), iris=Iris())
    (code / "rules.py").write_text("A = 2\n", encoding="utf-8")
    after = input_hashes(paths(folder), iris=Iris())
    assert before.reports["jiangbei-2020"] != after.reports["jiangbei-2020"]


def test_one_changed_source_rebuilds_one_report_as_a_clean_build_would(
    tmp_path: Path, ingests: list[str]
) -> None:
    folder, cache = sources(tmp_path), tmp_path / "cache"
    first = build(paths(folder), workers=1, cache=cache, validate=False)
    assert sorted(ingests) == sorted(REPORTS) == sorted(first.ingested)
    again = build(paths(folder), workers=1, cache=cache, validate=False)
    assert sorted(ingests) == sorted(REPORTS) and again.ingested == []
    assert again.quads.nquads() == first.quads.nquads()
    source = folder / "linjiang-county-2021.txt"
    source.write_text(source.read_text("utf-8") + "\n全县新建学校3所。\n", encoding="utf-8")
    ingests.clear()
    changed = build(paths(folder), workers=1, cache=cache, validate=False)
    assert ingests == ["linjiang-county-2021"] == changed.ingested
    clean = build(paths(folder), workers=1, validate=False)
    assert changed.quads.nquads() == clean.quads.nquads() != first.quads.nquads()
    assert len(list(cache.iterdir())) == len(REPORTS)  # the old entry is gone


def test_an_unreadable_cache_entry_is_built_again(tmp_path: Path, ingests: list[str]) -> None:
    folder, cache = sources(tmp_path), tmp_path / "cache"
    first = build(paths(folder), workers=1, cache=cache, validate=False)
    for entry in cache.iterdir():
        entry.write_bytes(b"not an entry")
    ingests.clear()
    again = build(paths(folder), workers=1, cache=cache, validate=False)
    assert sorted(ingests) == sorted(REPORTS)
    assert again.quads.nquads() == first.quads.nquads()


def test_an_unchanged_input_is_not_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = sources(tmp_path)
    out = tmp_path / "build" / "edugraph.trig"
    args = ["build", "--sources", str(folder), "--out", str(out)]
    args += ["--curation", str(folder / "no-curation")]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    version = out.resolve().parent
    expected = input_hashes(paths(folder), iris=Iris()).whole
    assert published_inputs(version) == expected

    def no_build(*_: object, **__: object) -> None:
        raise AssertionError("an unchanged input was built again")

    with monkeypatch.context() as patch:
        patch.setattr(cli_build, "build", no_build)
        started = time.perf_counter()
        again = CliRunner().invoke(cli, args)
        seconds = time.perf_counter() - started
    assert again.exit_code == 0, again.output
    assert again.output.startswith("unchanged:") and len(again.output.splitlines()) == 1
    assert seconds < 5 and out.resolve().parent == version
    forced = CliRunner().invoke(cli, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert out.resolve().parent != version
    assert "ingested 0 report(s), 2 from the cache" in forced.output


@pytest.mark.slow
def test_an_unchanged_graph_keeps_its_dumps_by_link(tmp_path: Path) -> None:
    folder = sources(tmp_path)
    out = tmp_path / "build" / "edugraph.trig"
    args = ["build", "--sources", str(folder), "--out", str(out)]
    args += ["--curation", str(folder / "no-curation")]
    assert CliRunner().invoke(cli, args).exit_code == 0
    before = out.resolve().parent / "download"
    source = folder / "linjiang-county-2021.txt"
    source.write_text(source.read_text("utf-8") + "\n全县新建学校3所。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    after = out.resolve().parent / "download"
    for fmt in ("ttl", "nq", "jsonld", "rdf"):
        same, changed = f"jiangbei-2020.{fmt}", f"linjiang-county-2021.{fmt}"
        assert (after / same).stat().st_ino == (before / same).stat().st_ino
        assert (after / changed).stat().st_ino != (before / changed).stat().st_ino
        assert (after / changed).read_bytes() != (before / changed).read_bytes()
    for dump in export.every_dump(out):  # linked or written, each is what export gives
        assert (after / dump.name).read_bytes() == dump.data, dump.name
