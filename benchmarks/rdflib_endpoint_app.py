"""The peer "SPARQL endpoint over an rdflib graph": rdflib-endpoint (FastAPI) under uvicorn,
serving a TriG dataset with the union of its graphs as the default graph, on loopback only.

    .venv/bin/python benchmarks/rdflib_endpoint_app.py GRAPH.trig PORT
"""

from __future__ import annotations

import sys
import time

import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint


def main() -> None:
    path, port = sys.argv[1], int(sys.argv[2])
    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(path, format="trig")
    print(f"loaded {len(dataset)} quads in {time.perf_counter() - started:.1f} s", flush=True)
    app = SparqlEndpoint(graph=dataset, path="/", cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
