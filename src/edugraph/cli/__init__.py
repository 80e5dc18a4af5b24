"""Stage 8, cli: the `edugraph` command. Errors are translated here, once, for every command:
one line on stderr naming the file, line or parameter, and the exit code the error's class
declares (`edugraph.errors`: 1 the graph does not conform, 2 bad input or usage, 3 the query
or the store could not answer)."""

from __future__ import annotations

import sys
from typing import Any

import click

from edugraph import __version__
from edugraph.cli import build, dataset, query, serve
from edugraph.errors import EdugraphError


class Commands(click.Group):
    """The command group; an EdugraphError from any command is reported here."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EdugraphError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)


@click.group(cls=Commands)
@click.version_option(__version__, prog_name="edugraph")
def cli() -> None:
    """Knowledge graph of education-duty self-evaluation reports (履行教育职责自查自评报告)."""


for command in (
    build.build_command,
    serve.serve_command,
    query.queries_command,
    query.query_command,
    query.sparql_command,
    dataset.validate_command,
    dataset.push_command,
    dataset.export_command,
    serve.settings_command,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="edugraph")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())  # type: ignore[func-returns-value]
