"""A page of a saved query over HTTP: `Link` headers to the next, previous, first and last
pages (as grlc writes them, so grlc's clients follow them) and the count of all rows; on an
HTML page the same links as a pager ("1–100 of 21,755", first, previous, next, last)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Response

from edugraph.query.paging import Paged

TOTAL = "X-Total-Count"  # every row's number, the convention of many paged APIs
PAGE_FIELDS = ("page", "per_page")  # request fields that choose the page, not parameters


def targets(paged: Paged) -> list[tuple[str, int]]:
    """The pages a page links to, by relation: next, prev, first and last."""
    number, last = paged.page.number, paged.last
    found = []
    if paged.has_next:
        found.append(("next", number + 1))
    if number > 1:
        found.append(("prev", min(number - 1, last)))
    return [*found, ("first", 1), ("last", last)]


def page_url(url: str, fields: Mapping[str, str], number: int) -> str:
    """The resource at `url` asked with `fields` (kept, but for `page`) on page `number`."""
    kept = {k: v for k, v in fields.items() if k != "page"}
    return f"{url}?{urlencode(kept | {'page': number})}"


def links(url: str, fields: Mapping[str, str], paged: Paged) -> str:
    """The `Link` header value for the page `paged` of the resource at `url` asked with
    `fields` (its other fields are kept in every link)."""
    return ", ".join(f'<{page_url(url, fields, n)}>; rel="{rel}"' for rel, n in targets(paged))


def add_headers(response: Response, url: str, fields: Mapping[str, str], paged: Paged) -> None:
    """Link and X-Total-Count on a page's response."""
    response.headers["Link"] = links(url, fields, paged)
    response.headers[TOTAL] = str(paged.total)


@dataclass(frozen=True, slots=True)
class Pager:
    """What an HTML page shows of where it sits: the span and the links, by relation."""

    span: str
    links: dict[str, str]
    number: int
    last: int


def pager(url: str, fields: Mapping[str, str], paged: Paged) -> Pager:
    """The pager of an HTML page: the same links as the `Link` header, the form's fields kept
    (empty ones dropped, as a browser sends every field of a form)."""
    kept = {k: v for k, v in fields.items() if v != ""}
    found = {rel: page_url(url, kept, n) for rel, n in targets(paged)}
    return Pager(paged.span(), found, paged.page.number, paged.last)
