"""The OpenAPI document against what the server does: schemathesis reads /api/openapi.json,
generates valid and invalid requests for every operation and runs all its checks (status codes,
content types, schema-valid data accepted, schema-violating data rejected, undeclared methods
405) against the real server. Deterministic and bounded: the same cases on every run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_web_server import HOST, get, start_server

CONFIG = Path(__file__).with_name("schemathesis.toml")


@pytest.fixture(scope="module")
def server(graph_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    log = tmp_path_factory.mktemp("contract") / "stderr.log"
    port, process = start_server(graph_file, log, {"query_workers": "2"})
    yield port
    process.kill()
    process.wait()


@pytest.mark.slow
def test_the_api_keeps_its_openapi_contract(server: int, tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONFIG),
        "run",
        f"http://{HOST}:{server}/api/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        "10",
        "--generation-deterministic",
        "--request-timeout",
        "30",
        "--no-color",
        "--report-dir",
        str(tmp_path),
    ]
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=240, check=False, cwd=tmp_path
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    document = json.loads(get(server, "/api/openapi.json")[2])
    operations = sum(len(methods) for methods in document["paths"].values())
    assert re.search(rf"Tested: {operations}\b", run.stdout), run.stdout[-2000:]
