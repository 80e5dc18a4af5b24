"""Publish is a stage: `edugraph build` writes every file the server serves into a new version
directory and swaps a pointer; the server reads those files and computes none of them."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import VOID

from edugraph import formats
from edugraph.cli import cli
from edugraph.errors import InputError
from edugraph.graph.quads import Quads
from edugraph.publish import docs, export, site, void
from edugraph.publish.build import BuildResult
from edugraph.query.engines import dataset_version
from edugraph.web import close, create_app
from tests.conftest import FIXTURES

BASE = "https://w3id.org/edugraph/"
DATASET = URIRef("http://localhost/.well-known/void#dataset")


@pytest.fixture
def umask() -> Iterator[int]:
    old = os.umask(0o027)  # not the usual 022: the files must follow whatever it is
    try:
        yield 0o027
    finally:
        os.umask(old)


def manifest(folder: Path) -> dict[str, object]:
    found: dict[str, object] = json.loads((folder / "manifest.json").read_text("utf-8"))
    return found


def build_fixture(tmp_path: Path) -> Path:
    sources = tmp_path / "sources"
    sources.mkdir()
    for suffix in (".txt", ".toml"):
        name = f"jiangbei-2020{suffix}"
        shutil.copy(FIXTURES / "reports" / name, sources / name)
    out = tmp_path / "build" / "edugraph.trig"
    args = ["build", "--sources", str(sources), "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--curation", str(sources / "none")])
    assert result.exit_code == 0, result.output
    return out


def test_build_writes_everything_the_server_serves(tmp_path: Path, umask: int) -> None:
    out = build_fixture(tmp_path)
    folder = out.resolve().parent
    assert folder.parent.name == "versions" and (tmp_path / "build" / "current").is_symlink()
    found = manifest(folder)
    assert found["version"] == dataset_version(out) and found["base"] == BASE
    files = found["files"]
    assert isinstance(files, list)
    paths = {f["path"] for f in files}
    dataset = export.load(out)
    for graph in export.downloads(dataset).values():
        for fmt in formats.KEYS:
            assert f"download/{export.filename(fmt=fmt, graph=graph)}" in paths
    assert {f"void.{f.extension}" for f in formats.ALL} <= paths
    assert {"edugraph.trig", "ontology.html", "shapes.html"} <= paths
    for entry in files:
        data = (folder / entry["path"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["bytes"], entry["sha256"])
        assert (folder / entry["path"]).stat().st_mode & 0o777 == 0o666 & ~umask, entry
    assert folder.stat().st_mode & 0o777 == 0o777 & ~umask
    assert (folder / "download/edugraph.nq").read_bytes() == export.dump(out, fmt="nq")


def test_a_failed_publish_leaves_the_previous_version(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "edugraph.trig"
    with monkeypatch.context() as patch:
        patch.setattr(site, "write_served", lambda *a, **k: [])  # its files are not looked at
        first = site.publish(built.quads, out, base=BASE)
    before = sorted(p.name for p in (tmp_path / "versions").iterdir())

    def broken(*args: object, **kwargs: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(void, "from_summary", broken)  # after every dump is written
    changed = Quads.load(out)
    changed.add_lines(f"{BASE}graph/extra", ['<urn:x:a> <urn:x:b> "new" .\n'])
    with pytest.raises(InputError, match="cannot publish: No space left on device"):
        site.publish(changed, out, base=BASE)
    assert sorted(p.name for p in (tmp_path / "versions").iterdir()) == before  # nothing half
    assert out.resolve().parent == first and b"urn:x:a" not in out.read_bytes()


def test_old_versions_are_pruned_and_the_newest_is_current(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(site, "write_served", lambda *a, **k: [])  # the pointer is the point
    out = tmp_path / "edugraph.nq"
    made = [site.publish(built.quads, out, base=BASE) for _ in range(site.KEEP + 2)]
    kept = sorted(p for p in (tmp_path / "versions").iterdir())
    assert kept == made[-site.KEEP :] and out.resolve().parent == made[-1]
    assert out.read_bytes() == built.quads.nquads()


def made_by_the_server(*args: object, **kwargs: object) -> object:
    raise AssertionError("the server computed a published file")


def test_the_server_reads_and_never_computes(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "edugraph.trig"
    with monkeypatch.context() as patch:
        patch.setattr(site, "write_served", lambda *a, **k: [])  # the server never sees it
        site.publish(built.quads, out, base=BASE)
    following = Quads.load(out)
    following.add_lines(f"{BASE}graph/extra", ['<urn:x:a> <urn:x:b> "new" .\n'])
    folder = site.publish(following, out, base=BASE)  # a rebuild: the server sees this one
    for module, name in [
        (export, "dump"),
        (export, "every_dump"),
        (export, "load"),
        (void, "describe"),
        (docs, "ontology_html"),
        (docs, "shapes_html"),
        (site, "write_served"),
        (site, "publish"),
    ]:
        monkeypatch.setattr(module, name, made_by_the_server)
    app = create_app({"graph": str(out), "query_workers": 1})
    client = app.test_client()
    try:
        files = manifest(folder)["files"]
        assert isinstance(files, list)
        for entry in (f for f in files if f["kind"] == "dump"):
            response = client.get(f"/{entry['path']}")
            assert response.status_code == 200, entry["path"]
            assert response.get_data() == (folder / entry["path"]).read_bytes()
            assert response.headers["Last-Modified"] and response.headers["ETag"]
            assert response.content_type.count("charset") <= 1, response.content_type
        for fmt in formats.graph_formats():
            response = client.get("/.well-known/void", query_string={"format": fmt.key})
            assert response.status_code == 200 and response.mimetype == fmt.media_type
        for path in ("/ontology", "/shapes", "/dataset"):
            page = client.get(path, headers={"Accept": "text/html"})
            assert page.status_code == 200 and page.mimetype == "text/html", path
        description = Graph().parse(data=client.get("/.well-known/void").get_data())
        lines = client.get("/download/edugraph.nt").get_data().splitlines()
        assert description.value(DATASET, VOID.triples) == Literal(len(lines))  # one version
        assert URIRef(f"{BASE}graph/extra") in set(description.objects(DATASET, VOID.subset))
    finally:
        close(app)


def test_a_dataset_file_without_its_published_files_is_refused(
    built: BuildResult, tmp_path: Path
) -> None:
    bare = tmp_path / "edugraph.trig"
    bare.write_bytes(built.quads.trig())
    app = create_app({"graph": str(bare), "query_workers": 1})
    try:
        response = app.test_client().get("/download/edugraph.ttl")
        assert response.status_code == 503
        assert "no published files beside edugraph.trig" in response.get_json()["error"]
    finally:
        close(app)


def test_files_pruned_under_a_running_server_are_a_503_not_a_500(
    built: BuildResult, tmp_path: Path
) -> None:
    out = tmp_path / "edugraph.trig"
    folder = site.publish(built.quads, out, base=BASE)
    app = create_app({"graph": str(out), "query_workers": 1})
    client = app.test_client()
    try:
        assert client.get("/download/edugraph.ttl").status_code == 200
        shutil.rmtree(folder / "download")  # as pruning does once KEEP newer builds exist
        response = client.get("/download/edugraph.ttl")
        assert response.status_code == 503 and "retry shortly" in response.get_json()["error"]
    finally:
        close(app)
