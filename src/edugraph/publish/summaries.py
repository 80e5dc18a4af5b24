"""Listing summaries: a listing query's rows in the order its pages follow, written once per
dataset version into `<version>/summaries/`, so that a page of a whole listing is a slice of a
file and its count a number. Oxigraph evaluates and sorts every solution before a LIMIT, so a
first page of a large listing costs as much as the whole; the dataset changes only at publish,
so the whole is computed there. A listing whose rows are sorted by one column first (every
listing by its report) also records where each value's rows start and how many there are
(`<name>.slices`), so that the listing of one report is a slice of the same file. This module
is the file format; what is summarised, and how, is the query stage's
(`edugraph.query.summaries`), which hands its writer to `publish`."""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUMMARIES = "summaries"  # the folder, beside the store in the version directory
INDEX = "index.json"  # name -> {"key": the ordered text's sha256, "rows": n, "vars": [...]}
SLICES = ".slices"  # {"by": column, "slices": {IRI: [first row, rows]}}, beside the rows

Row = Mapping[str, Mapping[str, str]]  # a solution, as in SPARQL JSON results
Slices = dict[str, tuple[int, int]]  # a column's IRI -> (its first row, how many rows)


def write(
    folder: Path,
    name: str,
    *,
    key: str,
    names: list[str],
    rows: Iterable[Row],
    by: str | None = None,
) -> int:
    """Write one listing's rows (a JSON line each, and where each starts) into `folder`, and
    record it in the index; with `by`, also each IRI of that column's run of rows, if every
    IRI's rows are contiguous (else no slices: a slice would miss rows). Returns how many rows."""
    folder.mkdir(parents=True, exist_ok=True)
    starts = array("Q", [0])
    runs = _Runs(by)
    with (folder / f"{name}.jsonl").open("wb") as out:
        for row in rows:
            line = json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            out.write(line)
            runs.add(row, len(starts) - 1)
            starts.append(starts[-1] + len(line))
    (folder / f"{name}.starts").write_bytes(starts.tobytes())
    sliced = folder / f"{name}{SLICES}"
    sliced.unlink(missing_ok=True)
    if by is not None and runs.contiguous:
        sliced.write_text(json.dumps({"by": by, "slices": runs.slices}), encoding="utf-8")
    index = _index(folder)
    index[name] = {"key": key, "rows": len(starts) - 1, "vars": names}
    (folder / INDEX).write_text(json.dumps(index, indent=1), encoding="utf-8")
    return len(starts) - 1


class _Runs:
    """The runs of rows that share an IRI in one column, as rows go by in order."""

    def __init__(self, by: str | None) -> None:
        self.by = by
        self.slices: Slices = {}
        self.current: str | None = None  # the run going on (None: rows without an IRI there)
        self.contiguous = True

    def add(self, row: Row, number: int) -> None:
        if self.by is None:
            return
        term = row.get(self.by)
        value = term["value"] if term is not None and term.get("type") == "uri" else None
        if value is not None and value == self.current:
            first, count = self.slices[value]
            self.slices[value] = (first, count + 1)
        elif value is not None and value in self.slices:
            self.contiguous = False  # its rows come back after another's
        elif value is not None:
            self.slices[value] = (number, 1)
        self.current = value


@dataclass(frozen=True, slots=True)
class Summary:
    """One listing's rows on disk: `total` of them, read a page at a time; `slices` says
    where the rows of each IRI of column `by` are (None: the listing is not sliced)."""

    path: Path  # the rows' file; the starts beside it
    key: str
    total: int
    names: tuple[str, ...]
    by: str | None = None
    slices: Mapping[str, tuple[int, int]] | None = None

    def page(self, offset: int, size: int) -> list[dict[str, Any]]:
        """Rows `offset` to `offset + size` (fewer at the end), read from two seeks."""
        first, last = min(offset, self.total), min(offset + size, self.total)
        if first >= last:
            return []
        with self.path.with_suffix(".starts").open("rb") as f:
            f.seek(first * 8)
            starts = array("Q")
            starts.frombytes(f.read((last - first + 1) * 8))
        with self.path.open("rb") as f:
            f.seek(starts[0])
            data = f.read(starts[-1] - starts[0])
        return [json.loads(line) for line in data.splitlines()]


def read(version: Path) -> dict[str, Summary]:
    """The summaries of a version directory (none when it has no summaries folder)."""
    folder = version / SUMMARIES
    found = {}
    for name, entry in _index(folder).items():
        path = folder / f"{name}.jsonl"
        if path.is_file():
            by, slices = _slices(folder / f"{name}{SLICES}")
            found[name] = Summary(
                path, entry["key"], entry["rows"], tuple(entry["vars"]), by, slices
            )
    return found


def _slices(path: Path) -> tuple[str | None, Slices | None]:
    """A listing's slices as written (none when the file is missing or not as written)."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        slices = {iri: (int(first), int(rows)) for iri, (first, rows) in found["slices"].items()}
        return str(found["by"]), slices
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None, None


def _index(folder: Path) -> dict[str, Any]:
    try:
        found = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}
