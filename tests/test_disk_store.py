"""The on-disk store: the build writes it into the version directory, the server and the
command line open it read-only (each forked worker its own handle), and answer as the
dataset loaded into memory does; without a store the dataset file is loaded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from edugraph.cli import cli
from edugraph.publish.store import STORE, store_beside
from edugraph.query.engines import OxigraphEngine, dataset_version
from edugraph.query.queries import load_queries
from edugraph.query.service import Limits, QueryService
from edugraph.resources import resource
from edugraph.web import close, create_app, current


def test_the_build_writes_the_store_beside_the_dataset(graph_file: Path) -> None:
    folder = graph_file.resolve().parent
    assert store_beside(graph_file) == folder / STORE
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["store"] == STORE
    assert all(not entry["path"].startswith(STORE) for entry in manifest["files"])


def test_the_store_answers_as_the_loaded_dataset(graph_file: Path) -> None:
    disk, memory = OxigraphEngine(graph_file), OxigraphEngine(graph_file, disk=False)
    assert disk.folder is not None and memory.folder is None
    assert disk.version == memory.version == dataset_version(graph_file)
    queries = load_queries(resource("queries"))
    for name in ("problems", "observations", "targets", "bodies", "findings"):
        text = queries[name].text
        assert disk.select(text) == memory.select(text), name


def test_workers_open_their_own_handle(graph_file: Path) -> None:
    queries = load_queries(resource("queries"))
    with QueryService(
        OxigraphEngine(graph_file), queries=queries, limits=Limits(), workers=2
    ) as svc:
        for _ in range(4):  # both workers, more than once
            answer = svc.run(svc.saved("problems"), {})
            assert answer.results is not None and len(answer.results["results"]["bindings"]) > 0


def test_the_server_and_the_cli_use_the_store(graph_file: Path) -> None:
    app = create_app({"graph": str(graph_file), "query_workers": 1})
    try:
        assert getattr(current(app).engine, "folder", None) is not None
        response = app.test_client().get("/api/queries/problems")
        assert response.status_code == 200 and response.get_json()["results"]["bindings"]
    finally:
        close(app)
    result = CliRunner().invoke(
        cli, ["query", "problems", "--graph", str(graph_file), "--format", "csv"]
    )
    assert result.exit_code == 0 and "学前教育仍有差距" in result.stdout


def test_without_a_store_the_dataset_file_is_loaded(graph_file: Path, tmp_path: Path) -> None:
    alone = tmp_path / "edugraph.trig"
    shutil.copyfile(graph_file, alone)
    engine = OxigraphEngine(alone)
    assert engine.folder is None and engine.version == dataset_version(graph_file)
    assert engine.select("ASK { ?s ?p ?o }")["boolean"] is True
