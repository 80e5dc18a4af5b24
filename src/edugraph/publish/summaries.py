"""Listing summaries: a listing query's rows in the order its pages follow, written once per
dataset version into `<version>/summaries/`, so that a page of a whole listing is a slice of a
file and its count a number. Oxigraph evaluates and sorts every solution before a LIMIT, so a
first page of a large listing costs as much as the whole; the dataset changes only at publish,
so the whole is computed there. This module is the file format; what is summarised, and how,
is the query stage's (`edugraph.query.summaries`), which hands its writer to `publish`."""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUMMARIES = "summaries"  # the folder, beside the store in the version directory
INDEX = "index.json"  # name -> {"key": the ordered text's sha256, "rows": n, "vars": [...]}

Row = Mapping[str, Mapping[str, str]]  # a solution, as in SPARQL JSON results


def write(folder: Path, name: str, *, key: str, names: list[str], rows: Iterable[Row]) -> int:
    """Write one listing's rows (a JSON line each, and where each starts) into `folder`, and
    record it in the index; returns how many rows."""
    folder.mkdir(parents=True, exist_ok=True)
    starts = array("Q", [0])
    with (folder / f"{name}.jsonl").open("wb") as out:
        for row in rows:
            line = json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            out.write(line)
            starts.append(starts[-1] + len(line))
    (folder / f"{name}.starts").write_bytes(starts.tobytes())
    index = _index(folder)
    index[name] = {"key": key, "rows": len(starts) - 1, "vars": names}
    (folder / INDEX).write_text(json.dumps(index, indent=1), encoding="utf-8")
    return len(starts) - 1


@dataclass(frozen=True, slots=True)
class Summary:
    """One listing's rows on disk: `total` of them, read a page at a time."""

    path: Path  # the rows' file; the starts beside it
    key: str
    total: int
    names: tuple[str, ...]

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
    return {
        name: Summary(folder / f"{name}.jsonl", entry["key"], entry["rows"], tuple(entry["vars"]))
        for name, entry in _index(folder).items()
        if (folder / f"{name}.jsonl").is_file()
    }


def _index(folder: Path) -> dict[str, Any]:
    try:
        found = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}
