"""Stage 8, cli: `edugraph serve` and `edugraph settings`: the web service on a production WSGI
server, and the settings it (and the query commands) read."""

from __future__ import annotations

from pathlib import Path

import click

from edugraph.cli.options import open_engine_for, setting_option
from edugraph.errors import ConfigError
from edugraph.settings import SETTINGS, resolve


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--graph",
    type=click.Path(path_type=Path),
    default=None,
    help="Dataset to serve (default: build/edugraph.trig).",
)
@setting_option
@click.option("--threads", default=None, type=int, help="Server threads (setting threads).")
@click.option("--store", default=None, metavar="URL", help="Serve a remote SPARQL store instead.")
def serve_command(
    host: str,
    port: int,
    graph: Path | None,
    settings: tuple[tuple[str, str], ...],
    threads: int | None,
    store: str | None = None,
) -> None:
    """Serve the graph with a production WSGI server (waitress, guarded: edugraph.web.server)."""
    from edugraph.web import close, create_app, current
    from edugraph.web.server import make_server

    overrides: dict[str, object] = dict(settings)
    if graph is not None:
        overrides["graph"] = str(graph)
    if threads is not None:
        overrides["threads"] = threads
    config = resolve(overrides)
    if not 0 < port < 65536:  # before the dataset is loaded: a typo fails fast
        raise ConfigError(f"--port must be between 1 and 65535, not {port}")
    app = create_app(
        overrides,
        engine=open_engine_for(graph, "oxigraph", store, config["graph"]) if store else None,
    )
    try:
        held = current(app).admission.held
        server = make_server(app, host=host, port=port, config=config, held=held)
        click.echo(f"serving {store or config['graph']} on http://{host}:{port}/", err=True)
        server.run()
    finally:
        close(app)  # stop the query workers


@click.command("settings")
def settings_command() -> None:
    """List the settings with their defaults."""
    for s in SETTINGS:
        click.echo(f"{s.name}\t{s.default}\t{s.help}")
