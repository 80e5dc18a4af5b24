"""A search text answered from a listing's summary: a scan of the texts it is matched against.

A listing such as `search` keeps the rows whose `?text` contains the parameter
(`FILTER(CONTAINS(?text, STR(?q)))`) and computes columns from both (`BIND(… ?q … AS
?snippet)`). Its summary is the query without that filter and those binds, returning `?text`
instead of the computed columns: the rows of every text, in page order. Beside it, each
distinct text once (UTF-8, NUL-separated) with the rows that have it; a search is a byte scan
of that file (a substring of UTF-8 is one of the text), and the page's computed columns are the
query's own BIND expressions, run by Oxigraph on the page's texts. The computed columns sort
last, so rows that differ only in them are reordered among themselves, never past another."""

from __future__ import annotations

import mmap
import re
import threading
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Literal

from edugraph.query.engines import blank
from edugraph.query.paging import parts
from edugraph.query.queries import SavedQuery
from edugraph.rdf import sparql_json, sparql_term

TEXTS = ".texts"  # each distinct text, NUL-separated (its starts, rows, each row's text beside)
NONE = 0xFFFFFFFF  # a row without a text
KEPT_BYTES = 8_000_000  # the last searches' positions kept, about 2M rows
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
CONTAINS = re.compile(
    r"FILTER\s*\(\s*CONTAINS\s*\(\s*\?(\w+)\s*,\s*(?:STR\s*\(\s*\?(\w+)\s*\)|\?(\w+))\s*\)\s*\)",
    re.I,
)
BIND = re.compile(r"\bBIND\s*\(", re.I)
AS = re.compile(r"\bAS\s+\?(\w+)\s*\)\s*$", re.I)
Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Contains:
    """A parameter matched as a substring of `text`, with the columns computed from both."""

    param: str  # the parameter's variable
    text: str  # the variable it is searched in
    binds: tuple[str, ...]  # the BIND clauses that read it, as written, in order
    computed: tuple[str, ...]  # the variables they bind
    shown: tuple[str, ...]  # of those, the ones the query returns
    cuts: tuple[tuple[int, int], ...]  # where the filter and the binds are in the query


def contains(query: SavedQuery, *, ordered: str) -> Contains | None:
    """The query's search parameter, if it is read only as above and the computed columns
    only break ties (`ordered`: the query's own ORDER BY clause)."""
    masked = blank(query.text)
    found = [m for m in CONTAINS.finditer(masked)]
    if len(found) != 1 or "DISTINCT" in masked.upper() or "GROUP BY" in masked.upper():
        return None
    m = found[0]
    param, text = m.group(2) or m.group(3), m.group(1)
    names = {p.variable or p.name for p in query.params if p.type == "string"}
    if param not in names or text in query.variables:
        return None  # not a text parameter, or the text is returned as it is
    binds, computed, cuts = [], [param], [(m.start(), m.end())]
    for start, end in _binds(masked):
        clause = query.text[start:end]
        if any(re.search(rf"\?{v}\b", masked[start:end]) for v in computed):
            named = AS.search(masked[start:end])
            if named is None:
                return None
            binds.append(clause)
            computed.append(named.group(1))
            cuts.append((start, end))
    rest = _cut(masked, cuts)
    if re.search(rf"\?{param}\b", rest) or any(re.search(rf"\?{v}\b", ordered) for v in computed):
        return None  # read elsewhere, or sorted on
    shown = tuple(v for v in computed[1:] if v in query.variables)
    return Contains(param, text, tuple(binds), tuple(computed[1:]), shown, tuple(cuts))


def _binds(masked: str) -> Iterable[tuple[int, int]]:
    for m in BIND.finditer(masked):
        depth, i = 0, m.end() - 1
        while i < len(masked):
            depth += {"(": 1, ")": -1}.get(masked[i], 0)
            if depth == 0:
                yield m.start(), i + 1
                break
            i += 1


def _cut(text: str, cuts: Iterable[tuple[int, int]]) -> str:
    for start, end in cuts:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def summary_query(query: SavedQuery, found: Contains) -> tuple[str, tuple[str, ...]]:
    """The query without the filter and the binds, returning the text instead of the
    computed columns; and its projected variables."""
    text = _cut(query.text, found.cuts)
    head = parts(text)
    assert head is not None
    masked = blank(head.body)
    where = re.search(r"\bWHERE\b|\{", masked, re.I)
    at = where.start() if where else len(masked)
    select = head.body[:at]
    for v in found.computed:
        select = re.sub(rf"\?{v}\b", " ", select)
    variables = (*(v for v in query.variables if v not in found.computed), found.text)
    body = f"{select.rstrip()} ?{found.text}\n{head.body[at:]}"
    return f"{head.prologue}{body}\n{head.order}\n", variables


class Texts:
    """Collects each distinct text, the rows that have it and each row's text, as a summary's
    rows go by (the text is taken out of the row). Only simple strings are kept: a text with a
    language or a datatype leaves the search live (`ok` false)."""

    def __init__(self, found: Contains) -> None:
        self.found = found
        self.ids: dict[str, int] = {}
        self.rows: list[list[int]] = []
        self.of_row = array("I")
        self.ok = True

    def add(self, row: Row, number: int) -> Row:
        term = row.pop(self.found.text, None)
        if term is None or term.get("type") != "literal":
            self.of_row.append(NONE)
            return row
        if "xml:lang" in term or term.get("datatype") not in (None, XSD_STRING):
            self.ok = False
        text = self.ids.setdefault(term["value"], len(self.ids))
        if text == len(self.rows):
            self.rows.append([])
        self.rows[text].append(number)
        self.of_row.append(text)
        return row

    def write(self, folder: Path, name: str) -> dict[str, Any] | None:
        """The texts' files; what the index records of them (None: not kept)."""
        if not self.ok:
            return None
        starts, rows, offsets = array("Q", [0]), array("I"), array("Q", [0])
        with (folder / f"{name}{TEXTS}").open("wb") as out:
            for value in self.ids:
                data = value.encode("utf-8") + b"\0"
                out.write(data)
                starts.append(starts[-1] + len(data))
        for numbers in self.rows:
            rows.extend(numbers)
            offsets.append(len(rows))
        for suffix, values in ((".textstarts", starts), (".textrows", rows)):
            (folder / f"{name}{suffix}").write_bytes(values.tobytes())
        (folder / f"{name}.textoffsets").write_bytes(offsets.tobytes())
        (folder / f"{name}.rowtexts").write_bytes(self.of_row.tobytes())
        f = self.found
        return {
            "param": f.param,
            "text": f.text,
            "binds": list(f.binds),
            "computed": list(f.shown),
        }


class Search:
    """A summary's texts as written: scanned for a value, and the columns computed from it."""

    def __init__(self, path: Path, found: Mapping[str, Any]) -> None:
        self.path = path  # the texts file; the others beside it
        self.param = str(found["param"])
        self.text = str(found["text"])
        self.binds = tuple(str(b) for b in found["binds"])
        self.computed = tuple(str(c) for c in found["computed"])
        self._arrays: dict[str, array[int]] = {}
        self._kept: OrderedDict[str, array[int]] = OrderedDict()
        self._kept_bytes = 0
        self._lock = threading.Lock()

    def _array(self, suffix: str, kind: str) -> array[int]:
        """One of the index files, read once."""
        if suffix not in self._arrays:
            found = array(kind)
            found.frombytes(self.path.with_suffix(suffix).read_bytes())
            self._arrays[suffix] = found
        return self._arrays[suffix]

    def matches(self, value: str) -> Sequence[int]:
        """The positions of the rows whose text contains `value`, sorted. The last searches'
        are kept (the summary does not change while it is served): a page after the first,
        or the same search again, costs no scan."""
        with self._lock:
            kept = self._kept.get(value)
            if kept is not None:
                self._kept.move_to_end(value)
                return kept
        found = self._scan(value)
        with self._lock:
            if value not in self._kept:
                self._kept[value] = found
                self._kept_bytes += len(found) * found.itemsize
            while len(self._kept) > 1 and self._kept_bytes > KEPT_BYTES:
                _, dropped = self._kept.popitem(last=False)
                self._kept_bytes -= len(dropped) * dropped.itemsize
        return found

    def _scan(self, value: str) -> array[int]:
        needle = value.encode("utf-8")
        starts = self._array(".textstarts", "Q")
        if not needle or b"\0" in needle or len(starts) < 2:
            return array("I")
        texts: list[int] = []
        with self.path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            at = data.find(needle)
            while at >= 0:
                text = bisect_right(starts, at) - 1
                texts.append(text)
                at = data.find(needle, starts[text + 1])
        rows, offsets = self._array(".textrows", "I"), self._array(".textoffsets", "Q")
        found = array("I")
        for text in texts:
            found.extend(rows[offsets[text] : offsets[text + 1]])
        return array("I", sorted(found))

    def computed_rows(self, positions: Sequence[int], value: str) -> list[Row]:
        """The computed columns of these rows for `value`: the query's own BIND expressions,
        run by Oxigraph on each row's text."""
        of_row, starts = self._array(".rowtexts", "I"), self._array(".textstarts", "Q")
        lines = []
        with self.path.open("rb") as f:
            for i, position in enumerate(positions):
                text = of_row[position]
                f.seek(starts[text])
                read = f.read(starts[text + 1] - starts[text] - 1).decode("utf-8")
                lines.append(f"({i} {sparql_term(Literal(read))} {sparql_term(Literal(value))})")
        if not lines:
            return []
        names = " ".join(f"?{v}" for v in self.computed)
        query = (
            f"SELECT ?row_ {names} WHERE {{ VALUES (?row_ ?{self.text} ?{self.param}) "
            f"{{ {' '.join(lines)} }}\n" + "\n".join(self.binds) + "\n}"
        )
        found: list[Row] = [{} for _ in positions]
        solutions = ox.Store().query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        for s in solutions:
            row = found[int(s["row_"].value)]
            row.update({v: sparql_json(s[v]) for v in self.computed if s[v] is not None})
        return found
