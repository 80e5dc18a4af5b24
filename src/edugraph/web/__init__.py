"""The Flask application: `create_app(settings=None)`; nothing runs at import."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, render_template

from edugraph.engines import Engine, open_engine
from edugraph.settings import resolve


def create_app(settings: Mapping[str, Any] | None = None, *, engine: Engine | None = None) -> Flask:
    """Build the app; the dataset is loaded once here, never per request."""
    config = resolve(settings)
    app = Flask(__name__)
    app.config["EDUGRAPH"] = config
    app.config["MAX_CONTENT_LENGTH"] = config["max_request_bytes"]
    app.extensions["edugraph.engine"] = engine or open_engine(
        config["engine"], Path(config["graph"])
    )
    queries = Path(config["queries"])

    @app.get("/")
    def home() -> str:
        engine: Engine = app.extensions["edugraph.engine"]
        query = (queries / "problem-measure-matrix.rq").read_text(encoding="utf-8")
        rows = engine.select(query)["results"]["bindings"]
        problems: dict[str, dict[str, Any]] = {}
        for row in rows:
            entry = problems.setdefault(
                row["problem"]["value"], {"label": row["problemLabel"]["value"], "measures": []}
            )
            if "measure" in row:
                entry["measures"].append({k: v["value"] for k, v in row.items()})
        return render_template("home.html", problems=problems)

    return app
