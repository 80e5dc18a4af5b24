"""`edugraph build`'s progress: redrawn in place on a terminal, plain lines elsewhere."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from edugraph.cli import cli
from edugraph.cli.build import ProgressLine
from edugraph.publish import summaries
from edugraph.settings import resolve
from tests.conftest import FIXTURES


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_when_the_output_is_not_a_terminal(tmp_path: Path) -> None:
    _, result = _build(tmp_path)
    assert result.exit_code == 0, result.output
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert progress and progress[-1].startswith("[1/1] 100% ")
    assert "reports/s" in progress[-1] and "ETA" in progress[-1]
    assert "\r" not in result.stderr
    assert "ingested 1 report(s), 0 from the cache" in result.stdout


def test_a_line_redrawn_in_place_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    line = ProgressLine(stream)
    for done in range(1, 4):
        line(done, 3, f"report-{done}")
    text = stream.getvalue()
    assert text.count("\r") == 3 and text.endswith("\n") and text.count("\n") == 1
    frames = text.strip("\n").split("\r")[1:]
    assert [f.split()[0] for f in frames] == ["[1/3]", "[2/3]", "[3/3]"]
    assert all(len(f) == 78 for f in frames)  # each frame covers the one before
    assert "ETA 0s" in frames[-1] and "report-3" in frames[-1]


def test_plain_lines_under_ci_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    stream = Terminal()
    line = ProgressLine(stream, every=3600)
    for done in range(1, 5):
        line(done, 4, "x")
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert [x.split()[0] for x in lines] == ["[1/4]", "[4/4]"]  # the first, then the last


@pytest.mark.parametrize(("threshold", "summarised"), [(10**9, False), (0, True)])
def test_listings_are_summarised_only_for_a_dataset_that_needs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: int, summarised: bool
) -> None:
    settings = resolve({"summary_min_quads": threshold})
    monkeypatch.setattr("edugraph.cli.build.resolve", lambda: settings)
    out, result = _build(tmp_path)
    assert result.exit_code == 0, result.output
    found = summaries.read(out.resolve().parent)
    assert bool(found) is summarised
    if summarised:
        assert found["observations"].total > 0


def _build(tmp_path: Path) -> tuple[Path, Result]:
    """`edugraph build` of one small report into tmp_path/build."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for suffix in (".txt", ".toml"):
        shutil.copy(FIXTURES / "reports" / f"jiangbei-2020{suffix}", sources)
    out = tmp_path / "build" / "edugraph.trig"
    args = ["build", "--sources", str(sources), "--out", str(out)]
    return out, CliRunner().invoke(cli, [*args, "--curation", str(tmp_path / "none")])
