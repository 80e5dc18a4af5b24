"""Stage 8, cli: `edugraph build`, the command that runs the pipeline from the reports to the
published dataset, with its progress line and summary."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import click

from edugraph.cli.build_summaries import build_runs, write_summaries
from edugraph.errors import InputError, ValidationFailed
from edugraph.graph.report import PASSAGE_KINDS
from edugraph.publish.build import BuildResult, Paths, build, input_hashes
from edugraph.publish.inputs import published_inputs
from edugraph.publish.site import CURRENT, publish
from edugraph.publish.timings import Timings, maybe
from edugraph.query.queries import load_queries
from edugraph.records import Report
from edugraph.resources import ROOT
from edugraph.settings import resolve
from edugraph.validate.shapes import render as render_validation
from edugraph.vocab import DEFAULT_BASE, SH, Iris

DEFAULTS = Paths()


@click.command("build")
@click.option(
    "--sources",
    type=click.Path(path_type=Path),
    default=DEFAULTS.sources,
    show_default=True,
    help="Folder of <slug>.txt reports with <slug>.toml metadata.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=ROOT / "build" / "edugraph.trig",
    show_default=True,
    help="Dataset to write (.trig or .nq).",
)
@click.option(
    "--reference",
    type=click.Path(path_type=Path),
    default=DEFAULTS.reference,
    show_default=True,
    help="Reference data folder.",
)
@click.option(
    "--curation",
    type=click.Path(path_type=Path),
    default=DEFAULTS.curation,
    show_default=True,
    help="Curation folder (<slug>.ttl).",
)
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of instance IRIs.")
@click.option(
    "--allow-invalid", is_flag=True, help="Publish even when validation finds Violations."
)
@click.option("--force", is_flag=True, help="Build and publish even when the input is unchanged.")
@click.option(
    "--timings",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write each stage's CPU and wall seconds to this JSON file.",
)
def build_command(
    sources: Path,
    out: Path,
    reference: Path,
    curation: Path,
    base: str,
    allow_invalid: bool,
    force: bool,
    timings: Path | None,
) -> None:
    """Ingest every report in SOURCES, validate, and publish the dataset atomically: the
    dataset file at OUT, and beside it every dump, the VoID description and the docs.

    Incremental: an input whose hashes equal the current version's is not built again, and
    a report whose own input is unchanged is read from the cache (OUT's folder, cache/)."""
    paths = Paths(sources=sources, reference=reference, curation=curation)
    iris = Iris(base)
    clock = Timings() if timings is not None else None
    with maybe(clock, "input hashes"):
        inputs = input_hashes(paths, iris=iris)
    current = out.parent / CURRENT
    if not force and published_inputs(current) == inputs.whole and out.exists():
        click.echo(
            f"unchanged: the input of {len(inputs.reports)} report(s) is that of "
            f"{current.resolve().name}; nothing to build (--force rebuilds)"
        )
        return
    progress = ProgressLine(sys.stderr)
    result = build(
        paths, iris=iris, progress=progress, cache=out.parent / "cache", inputs=inputs,
        timings=clock,
    )  # fmt: skip
    outcome = result.outcome
    if outcome is not None and not outcome.conforms:
        click.echo(render_validation(outcome, result.quads, iris=Iris(base)), err=True)
        if not allow_invalid:
            raise ValidationFailed(
                f"{outcome.count(SH.Violation)} violation(s): not published "
                "(fix the input, or publish anyway with --allow-invalid)",
                source=str(out),
            )
        click.echo("WARNING: publishing a graph with Violations (--allow-invalid)", err=True)
    folder = publish(
        result.quads,
        out,
        base=base,
        sources=sources,
        inputs=result.inputs,
        summarise=_summariser(result, iris, out.parent / "cache" / "summaries"),
        timings=clock,
    )
    if timings is not None and clock is not None:
        _write_timings(clock, timings)
    _summary(result, out)
    cached = len(result.reports) - len(result.ingested)
    click.echo(f"ingested {len(result.ingested)} report(s), {cached} from the cache")
    click.echo(f"published {folder.name} -> {out.parent / CURRENT}")


class ProgressLine:
    """Build progress: one line redrawn in place with counts, rate and ETA on a terminal;
    plain lines when the output is a file or a pipe, or under CI (its logs are files), at
    most one every `every` seconds, and the last."""

    def __init__(self, stream: Any, *, every: float = 5.0):
        self.stream = stream
        isatty = bool(getattr(stream, "isatty", lambda: False)())
        self.tty = isatty and not os.environ.get("CI")
        self.every = every
        self.started = time.monotonic()
        self.shown = -every

    def __call__(self, done: int, total: int, name: str) -> None:
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (total - done) / rate if rate > 0 else 0.0
        text = (
            f"[{done}/{total}] {done * 100 // total:3d}% {rate:.1f} reports/s "
            f"ETA {_duration(eta)}  {name}"
        )
        if self.tty:
            end = "\n" if done == total else ""
            self.stream.write(f"\r{text[:78]:<78}{end}")
        elif done == total or elapsed - self.shown >= self.every:
            self.shown = elapsed
            self.stream.write(text + "\n")
        else:
            return
        self.stream.flush()


def _summariser(result: BuildResult, iris: Iris, cache: Path) -> Callable[[Path], object] | None:
    """The query stage's listing summaries, for a dataset large enough to need them; each
    report's rows kept in `cache` (`build_summaries`)."""
    settings = resolve()
    if len(result.quads) < settings["summary_min_quads"]:
        return None
    queries = load_queries(Path(settings["queries"]))
    return partial(write_summaries, queries=queries, runs=build_runs(result, iris, cache))


def _write_timings(clock: Timings, path: Path) -> None:
    try:
        clock.write(path)
    except OSError as exc:
        raise InputError(
            f"cannot write the timings: {exc.strerror or exc}", source=str(path)
        ) from None


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def _summary(result: BuildResult, out: Path) -> None:
    click.echo(f"built {len(result.reports)} report(s), {len(result.quads)} triples -> {out}")
    for report in result.reports:
        kinds = ", ".join(
            f"{k} {len(report.of_kind(k))}"
            for k in ("achievement", "area", "measure", "problem", "plan")
        )
        figures = f"observations {len(report.observations)}, targets {len(report.targets)}"
        local = sum(1 for o in report.observations if o.local)
        click.echo(f"  {report.meta.slug}: {kinds}, links {len(report.links)}, {figures}")
        click.echo(f"    coverage {report.coverage:.1%} of the text in {_outline(report)}")
        for span in report.unplaced:
            click.echo(f"    not placed (line {span.line}): {span.text[:60]}")
        if local:
            click.echo(f"    {local} figure(s) with a report-local indicator, to curate")
    if result.outcome is not None:
        o = result.outcome
        click.echo(
            f"  validation: {o.count(SH.Violation)} violation(s), {o.count(SH.Warning)} "
            f"warning(s), {o.count(SH.Info)} note(s) in {o.seconds:.2f} s"
        )
    width = max(len(k) for k in result.counts)
    for name, count in sorted(result.counts.items()):
        click.echo(f"  {name:<{width}}  {count:>6}")


def _outline(report: Report) -> str:
    parts = ", ".join(f"{p.notation or '—'} {'+'.join(p.kinds)}" for p in report.parts)
    passages = sum(1 for e in report.elements if e.kind in PASSAGE_KINDS)
    return f"parts [{parts}] and {passages} other passage(s)"
