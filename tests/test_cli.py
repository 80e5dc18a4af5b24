"""The command line: build output, and bad input as one clear line, exit 2, nothing written."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from edugraph.cli import cli
from tests.conftest import FIXTURES

PREVIOUS = b"# the previous build\n"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    for suffix in (".txt", ".toml"):
        shutil.copy(
            FIXTURES / "reports" / f"jiangbei-2020{suffix}", folder / f"jiangbei-2020{suffix}"
        )
    return folder


def run_build(sources: Path, out: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--sources",
            str(sources),
            "--out",
            str(out),
            "--curation",
            str(sources / "none"),
        ],
    )
    return result.exit_code, result.stdout, result.stderr


def test_build_prints_counts_per_class(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "g.trig"
    code, stdout, _ = run_build(sources, out)
    assert code == 0
    assert "jiangbei-2020: achievement 0, area 3, measure 5, problem 2, plan 2" in stdout
    assert "edu:Measure" in stdout and "prov:Association" in stdout
    assert out.read_bytes().startswith(b"@prefix")


def break_report(sources: Path, case: str) -> Path:
    """Damage the fixture as `case` says; return the file the error must name."""
    txt, toml = sources / "jiangbei-2020.txt", sources / "jiangbei-2020.toml"
    if case == "empty":
        txt.write_bytes(b"")
        return txt
    if case == "gbk":
        txt.write_bytes(txt.read_text("utf-8").encode("gbk"))
        return txt
    if case == "no-metadata":
        toml.unlink()
        return txt
    if case == "unknown-field":
        toml.write_text(toml.read_text("utf-8") + 'colour = "blue"\n', encoding="utf-8")
        return toml
    if case == "no-chinese":
        txt.write_text(
            "Annual report\n\n1. Nothing here is written in Chinese.\n", encoding="utf-8"
        )
        return txt
    if case == "binary":
        txt.write_bytes(b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary stream")
        return txt
    if case == "bad-date":
        toml.write_text(
            toml.read_text("utf-8").replace('"2021-03"', '"March 2021"'), encoding="utf-8"
        )
        return toml
    raise AssertionError(case)


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("empty", "empty"),
        ("gbk", "not UTF-8 text (it looks like GBK"),
        ("no-metadata", "no metadata file jiangbei-2020.toml"),
        ("unknown-field", "unknown field 'colour'"),
        ("no-chinese", "no Chinese text"),
        ("binary", "not a text file"),
        ("bad-date", "field 'issued' must be a date"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_keeps_the_previous_build(
    sources: Path, tmp_path: Path, case: str, says: str
) -> None:
    named = break_report(sources, case)
    out = tmp_path / "g.trig"
    out.write_bytes(PREVIOUS)
    code, stdout, stderr = run_build(sources, out)
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert str(named) in lines[0] and says in lines[0]
    assert "Traceback" not in stderr + stdout
    assert out.read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.trig", "sources"]


def test_unknown_field_names_its_line(sources: Path, tmp_path: Path) -> None:
    named = break_report(sources, "unknown-field")
    lines = named.read_text("utf-8").splitlines()
    code, _, stderr = run_build(sources, tmp_path / "g.trig")
    assert code == 2
    assert f"{named}:{len(lines)}:" in stderr


def test_missing_sources_folder(tmp_path: Path) -> None:
    code, _, stderr = run_build(tmp_path / "nowhere", tmp_path / "g.trig")
    assert code == 2
    assert "sources folder does not exist" in stderr


def test_usage_errors_exit_2() -> None:
    result = CliRunner().invoke(cli, ["build", "--no-such-option"])
    assert result.exit_code == 2


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "edugraph", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("edugraph, version")


def test_a_report_without_numbered_structure_builds_with_warnings(
    sources: Path, tmp_path: Path
) -> None:
    (sources / "jiangbei-2020.txt").write_text(
        "江北省人民政府\n\n这份文件只是一段没有编号的文字，全省有学校120所。\n", encoding="utf-8"
    )
    code, stdout, _ = run_build(sources, tmp_path / "g.trig")
    assert code == 0
    assert "coverage 100.0% of the text" in stdout
    assert "observations 1" in stdout  # the figure is kept, in the report's one passage
    assert "0 violation(s)" in stdout
