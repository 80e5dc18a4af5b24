"""Pages of a summary's rows at given positions (a postings list, a report's run, a search's
matches), read by seeks into the rows' file; a search's computed columns added and sorted as
the query sorts them."""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from rdflib.term import Identifier

from edugraph.publish.summaries import Summary
from edugraph.query.engines import binding_bytes
from edugraph.query.paging import Page
from edugraph.query.tasks import Answer
from edugraph.query.textsearch import Search

Row = dict[str, dict[str, str]]


def page_at(
    summary: Summary,
    page: Page,
    rows: Sequence[int],
    *,
    max_rows: int,
    max_bytes: int,
    search: Search | None = None,
    bound: Mapping[str, Identifier] | None = None,
) -> Answer:
    """A page of the rows at these positions, cut at the row and byte limits; with a search
    text bound, its computed columns added (`_searched`)."""
    value = (bound or {}).get(search.param) if search is not None else None
    size = min(page.size, max_rows)
    if search is not None and value is not None:
        found = _searched(summary, search, rows, page.offset, size, str(value))
    else:
        found = read_rows(summary, rows[page.offset : page.offset + size])
    return answer_of(summary, found, max_bytes=max_bytes)


def answer_of(summary: Summary, rows: list[Row], *, max_bytes: int) -> Answer:
    """A page's rows as a worker would answer them: cut at `max_bytes` of bindings."""
    used = 0
    for i, row in enumerate(rows):
        used += binding_bytes(row)
        if used > max_bytes:
            return Answer(results=_results(summary, rows[:i]), truncated=True)
    return Answer(results=_results(summary, rows))


def _searched(
    summary: Summary, search: Search, rows: Sequence[int], offset: int, size: int, value: str
) -> list[Row]:
    """Rows `offset` to `offset + size` of a search, with the columns computed from the text.
    Those sort last: the page is widened to whole runs of rows otherwise equal, sorted by
    them, then cut."""
    first, last = offset, min(offset + size, len(rows))
    if first >= last:
        return []
    found = read_rows(summary, rows[first:last])
    while first > 0 and read_rows(summary, rows[first - 1 : first])[0] == found[0]:
        first -= 1
        found.insert(0, found[0])
    while last < len(rows) and read_rows(summary, rows[last : last + 1])[0] == found[-1]:
        last += 1
        found.append(found[-1])
    computed = search.computed_rows(rows[first:last], value)
    whole = [{**row, **more} for row, more in zip(found, computed, strict=True)]
    ordered = sorted(
        range(len(whole)), key=lambda i: (_run(found, i), *_keys(whole[i], search.computed))
    )
    kept = [whole[i] for i in ordered]
    return kept[offset - first : offset - first + size]


def _run(rows: list[Row], i: int) -> int:
    """Which run of equal rows row `i` is in (its first row's index)."""
    while i > 0 and rows[i - 1] == rows[i]:
        i -= 1
    return i


def _keys(row: Row, names: Sequence[str]) -> tuple[tuple[int, str], ...]:
    """The computed columns as SPARQL sorts them: unbound first, then by their text."""
    return tuple((0, "") if n not in row else (1, row[n]["value"]) for n in names)


def read_rows(summary: Summary, positions: Sequence[int]) -> list[Row]:
    """The rows at these positions (sorted), each run of consecutive ones read at once."""
    if isinstance(positions, range) or not positions:
        return summary.page(positions[0], len(positions)) if positions else []
    out: list[Row] = []
    with summary.path.with_suffix(".starts").open("rb") as starts, summary.path.open("rb") as f:
        for first, count in _runs(positions):
            starts.seek(first * 8)
            bounds = array("Q")
            bounds.frombytes(starts.read((count + 1) * 8))
            f.seek(bounds[0])
            out += [json.loads(line) for line in f.read(bounds[-1] - bounds[0]).splitlines()]
    return out


def _runs(positions: Sequence[int]) -> Iterator[tuple[int, int]]:
    first, count = positions[0], 1
    for p in positions[1:]:
        if p == first + count:
            count += 1
            continue
        yield first, count
        first, count = p, 1
    yield first, count


def _results(summary: Summary, rows: list[Row]) -> dict[str, Any]:
    return {"head": {"vars": list(summary.names)}, "results": {"bindings": rows}}
