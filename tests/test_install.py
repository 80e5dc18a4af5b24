"""An installed edugraph finds its ontology, shapes, saved queries, reference data and templates
inside the package; a checkout reads them where the repository keeps them."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from edugraph import resources
from edugraph.resources import SHIPPED, resource

ROOT = Path(__file__).resolve().parents[1]


def test_a_checkout_reads_the_repository_folders() -> None:
    assert resources.ROOT == ROOT
    for name, folder in SHIPPED.items():
        assert resource(name) == ROOT / folder
        assert any(resource(name).iterdir())
    assert resource("ontology", "shapes.ttl").is_file()


def test_the_package_copy_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "_data" / "queries").mkdir(parents=True)
    monkeypatch.setattr(resources.resources, "files", lambda package: tmp_path)
    assert resource("queries", "a.rq") == tmp_path / "_data" / "queries" / "a.rq"
    assert resource("ontology") == ROOT / "ontology"  # not shipped here: the checkout's


def test_an_unknown_folder_is_refused() -> None:
    with pytest.raises(KeyError, match="sources"):
        resource("sources")


def test_the_wheel_build_and_the_sdist_ship_every_folder() -> None:
    tree = ast.parse((ROOT / "setup.py").read_text("utf-8"))
    assigned = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "SHIPPED"
    )
    assert ast.literal_eval(assigned) == SHIPPED
    manifest = (ROOT / "MANIFEST.in").read_text("utf-8").split()
    assert all(folder in manifest for folder in SHIPPED.values())


@pytest.mark.slow
def test_a_built_wheel_runs_from_anywhere(tmp_path: Path) -> None:
    """Build the wheel, unpack it, and run the command from an empty folder with the unpacked
    package first on the path: it lists the saved queries and builds the dataset."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("edugraph-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    for expected in (
        "edugraph/_data/ontology/shapes.ttl",
        "edugraph/_data/queries/problems.rq",
        "edugraph/_data/reference/units.toml",
        "edugraph/web/templates/base.html",
    ):
        assert expected in names
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = [sys.executable, "-m", "edugraph"]

    def edugraph(*args: str) -> str:
        done = subprocess.run(
            [*run, *args], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout

    where = subprocess.run(
        [sys.executable, "-c", "import edugraph.resources as r; print(r.resource('queries'))"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where) == site / "edugraph" / "_data" / "queries"
    assert "problems" in edugraph("queries")
    edugraph("build", "--sources", str(ROOT / "data" / "sources"))
    assert (elsewhere / "build" / "edugraph.trig").stat().st_size > 0
