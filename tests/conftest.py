"""Shared fixtures: the real report ingested once, and one real build into a temp folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from edugraph.ingest.report import ingest
from edugraph.publish.build import BuildResult, Paths, build
from edugraph.publish.site import publish
from edugraph.records import Report
from edugraph.reference import Reference, load_reference
from edugraph.vocab import DEFAULT_BASE

# Property tests search at random on a developer's machine, and replay one fixed search in CI
# (CI=true), so that CI fails only for a change it tests, never for an unlucky draw.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHONGQING = SOURCES / "chongqing-2020.txt"


@pytest.fixture(scope="session")
def reference() -> Reference:
    return load_reference()


@pytest.fixture(scope="session")
def chongqing(reference: Reference) -> Report:
    return ingest(CHONGQING, reference)


@pytest.fixture(scope="session")
def built() -> BuildResult:
    return build(Paths())


@pytest.fixture(scope="session")
def graph_file(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "edugraph.trig"
    publish(built.quads, out, base=DEFAULT_BASE)  # as `edugraph build` does: files to serve too
    return out


def copy_sources(tmp_path: Path, *names: str) -> Path:
    """A sources folder holding the named fixture reports with their metadata."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in names:
        for suffix in (".txt", ".toml"):
            shutil.copy(FIXTURES / "reports" / f"{name}{suffix}", sources / f"{name}{suffix}")
    return sources


def fixture_report(name: str, reference: Reference) -> Report:
    return ingest(FIXTURES / "reports" / f"{name}.txt", reference)


SECOND_REPORT = FIXTURES / "reports" / "genre" / "p-nanling-province-2021"


@pytest.fixture(scope="session")
def site_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site's dataset: the real report and a second one (a province's, from the genre
    corpus), so that every page has more than one report to tell apart."""
    sources = tmp_path_factory.mktemp("site-sources")
    for path in (CHONGQING, CHONGQING.with_suffix(".toml")):
        shutil.copy(path, sources / path.name)
    for suffix in (".txt", ".toml"):
        shutil.copy(SECOND_REPORT.with_suffix(suffix), sources / f"{SECOND_REPORT.name}{suffix}")
    out = tmp_path_factory.mktemp("site") / "edugraph.trig"
    publish(build(Paths(sources=sources)).quads, out, base=DEFAULT_BASE)  # dumps, VoID: served
    return out
