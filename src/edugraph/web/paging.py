"""A page of a saved query over HTTP: `Link` headers to the next, previous, first and last
pages (as grlc writes them, so grlc's clients follow them) and the count of all rows."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from flask import Response

from edugraph.query.paging import Paged

TOTAL = "X-Total-Count"  # every row's number, the convention of many paged APIs
PAGE_FIELDS = ("page", "per_page")  # request fields that choose the page, not parameters


def links(url: str, fields: Mapping[str, str], paged: Paged) -> str:
    """The `Link` header value for the page `paged` of the resource at `url` asked with
    `fields` (its other fields are kept in every link)."""
    kept = {k: v for k, v in fields.items() if k != "page"}
    number, last = paged.page.number, paged.last
    found = []
    if paged.has_next:
        found.append(("next", number + 1))
    if number > 1:
        found.append(("prev", min(number - 1, last)))
    found += [("first", 1), ("last", last)]
    return ", ".join(f'<{url}?{urlencode(kept | {"page": n})}>; rel="{rel}"' for rel, n in found)


def add_headers(response: Response, url: str, fields: Mapping[str, str], paged: Paged) -> None:
    """Link and X-Total-Count on a page's response."""
    response.headers["Link"] = links(url, fields, paged)
    response.headers[TOTAL] = str(paged.total)
