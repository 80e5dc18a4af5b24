"""Pages of a saved query's solutions, and the count of them all.

A listing query answers page by page: its text gets `LIMIT` and `OFFSET` after its own
`ORDER BY`, which is made total first (every projected variable it does not name yet is
added as a tie-breaker), so that consecutive pages neither repeat nor skip a row. The
count is the same query's solutions counted in a subquery without the sort, so it costs
an evaluation but no ordering and no conversion of rows (and it is cached with the rest).
A query with its own LIMIT, OFFSET or trailing VALUES is its own page: it does not page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rdflib.term import Identifier

from edugraph.errors import QueryError
from edugraph.query.engines import blank, with_values

MAX_PAGE = 1_000_000_000  # a page number beyond it is refused, not sent to the engine
ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.I)
OWN_CUT = re.compile(r"\b(LIMIT|OFFSET|VALUES)\b", re.I)
FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


@dataclass(frozen=True, slots=True)
class Page:
    """Page `number` (from 1) of `size` rows."""

    number: int = 1
    size: int = 100

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


@dataclass(frozen=True, slots=True)
class Paged:
    """Where a page sits among `total` rows; `rows` is how many it holds."""

    page: Page
    rows: int
    total: int

    @property
    def last(self) -> int:
        """The last page's number (1 when there are no rows)."""
        return max(1, -(-self.total // self.page.size))

    @property
    def has_next(self) -> bool:
        return self.page.number < self.last

    def span(self) -> str:
        """ "1–100 of 21,755" (or "0 of 0")."""
        if not self.rows:
            return f"0 of {self.total:,}"
        first = self.page.offset + 1
        return f"{first:,}–{first + self.rows - 1:,} of {self.total:,}"


def parse_page(page: str | None, per_page: str | None, *, default_size: int, max_size: int) -> Page:
    """The page a request asks for (strings, as a URL or a command line gives them); a bad
    value is a QueryError naming the parameter."""
    number = _whole("page", page, 1, MAX_PAGE) if page is not None else 1
    size = _whole("per_page", per_page, 1, max_size) if per_page is not None else default_size
    return Page(number, size)


def _whole(name: str, raw: str, low: int, high: int) -> int:
    text = raw.strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise QueryError(f"parameter {name!r} must be a whole number from {low} to {high:,}")
    return int(text)


@dataclass(frozen=True, slots=True)
class Parts:
    """A SELECT query cut where its solution modifiers start."""

    prologue: str  # PREFIX and BASE declarations
    body: str  # SELECT … WHERE { … } GROUP BY … HAVING …, without ORDER BY
    order: str  # the ORDER BY clause, or ""


@lru_cache(maxsize=256)
def parts(text: str) -> Parts | None:
    """The query's parts, or None if it does not page (not a SELECT, or it cuts itself)."""
    masked = blank(text)
    form = FORM.search(masked)
    if form is None or form.group(1).upper() != "SELECT":
        return None
    end = _group_end(masked, masked.find("{", form.end()))
    if end < 0:
        return None
    tail = masked[end:]
    if OWN_CUT.search(tail) or "{" in tail:
        return None
    order = ORDER_BY.search(tail)
    cut = end + order.start() if order else len(text)
    return Parts(text[: form.start()], text[form.start() : cut], text[cut:].strip())


def _group_end(masked: str, start: int) -> int:
    """The offset just after the group that opens at `start` (-1: none)."""
    if start < 0:
        return -1
    depth = 0
    for i in range(start, len(masked)):
        if masked[i] == "{":
            depth += 1
        elif masked[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


def pages(text: str) -> bool:
    """Whether a query's text can be paged."""
    return parts(text) is not None


def ordered_text(text: str, variables: Sequence[str]) -> str:
    """The query in a total order: its own ORDER BY, then every projected variable it does
    not already sort on (the order its pages, and its summary, follow)."""
    found = _parts(text)
    named = set(re.findall(r"\?(\w+)", found.order))
    ties = " ".join(f"?{v}" for v in variables if v not in named)
    order = found.order or ("ORDER BY" if ties else "")
    return f"{found.prologue}{found.body.rstrip()}\n{order} {ties}\n"


def page_text(text: str, variables: Sequence[str], page: Page) -> str:
    """The query cut to one page of its total order."""
    return f"{ordered_text(text, variables)}LIMIT {page.size} OFFSET {page.offset}\n"


def count_text(text: str, bindings: Mapping[str, Identifier]) -> str:
    """A query counting the query's solutions, with its bindings inside (the subquery's
    variables are not seen outside it)."""
    found = _parts(text)
    inner = with_values(found.body, bindings)
    return f"{found.prologue}SELECT (COUNT(*) AS ?total) WHERE {{\n{{ {inner} }}\n}}\n"


def _parts(text: str) -> Parts:
    found = parts(text)
    if found is None:
        raise QueryError("this query does not page: it is not a SELECT or it has its own LIMIT")
    return found
