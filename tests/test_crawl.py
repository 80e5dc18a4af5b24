"""No broken link anywhere: a crawler follows every same-origin link of the site from the home
page, through the test client, and finds no 404 or 500 — and every `#fragment` it followed
names an element of the page it points into."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from flask import Flask

from edugraph.web import close, create_app

pytestmark = [
    pytest.mark.slow,
    # Oxigraph's results freed on a thread that did not make them are refused, and leak.
    pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning"),
]

ORIGIN = "http://localhost"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
MAX_PAGES = 10000  # a bound (two reports make ~5,500), so that a link space without end fails
THREADS = 2


class Links(HTMLParser):
    """The links (`<a href>`, `<link href>`) and element ids of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag in ("a", "link") and found.get("href"):
            self.links.append(found["href"] or "")


@dataclass
class Crawl:
    app: Flask
    seen: set[str] = field(default_factory=set)
    broken: list[tuple[str, int, str]] = field(default_factory=list)  # (url, status, from)
    ids: dict[str, set[str]] = field(default_factory=dict)  # page → its element ids
    fragments: set[tuple[str, str, str]] = field(default_factory=set)  # (page, id, from)
    lock: threading.Lock = field(default_factory=threading.Lock)
    local: threading.local = field(default_factory=threading.local)

    def fetch(self, url: str, source: str) -> list[str]:
        """Get one page; return the same-origin URLs it links to (without fragments)."""
        client = getattr(self.local, "client", None)
        if client is None:
            client = self.local.client = self.app.test_client()
        response = client.get(url, headers=BROWSER)
        if response.status_code >= 400:
            with self.lock:
                self.broken.append((url, response.status_code, source))
            return []
        if response.status_code in (301, 302, 303, 307, 308):
            return self.same_origin(url, [response.headers["Location"]])
        if not response.content_type.startswith("text/html"):
            return []
        parser = Links()
        parser.feed(response.get_data(as_text=True))
        with self.lock:
            self.ids[url] = parser.ids
        return self.same_origin(url, parser.links)

    def same_origin(self, base: str, links: list[str]) -> list[str]:
        out = []
        for link in links:
            absolute = urljoin(f"{ORIGIN}{base}", link)
            if not absolute.startswith(f"{ORIGIN}/"):
                continue  # another site: never fetched
            target, fragment = urldefrag(absolute)
            parts = urlsplit(target)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if fragment:
                with self.lock:
                    self.fragments.add((path, fragment, base))
            out.append(path)
        return out

    def run(self, start: str) -> None:
        """Breadth first, a level at a time, the fetches of a level in parallel."""
        level = [(start, "")]
        self.seen.add(start)
        with ThreadPoolExecutor(THREADS) as pool:
            while level:
                assert len(self.seen) <= MAX_PAGES, "the site has more pages than the bound"
                found = pool.map(lambda item: (item[0], self.fetch(*item)), level)
                level = []
                for source, links in found:
                    for link in links:
                        if link not in self.seen:
                            self.seen.add(link)
                            level.append((link, source))


@pytest.fixture(scope="module")
def app(site_file: Path) -> Iterator[Flask]:
    app = create_app({"graph": str(site_file), "query_workers": THREADS})
    yield app
    close(app)


def test_every_link_from_the_home_page_resolves(app: Flask) -> None:
    crawl = Crawl(app)
    crawl.run("/")
    assert crawl.broken == []
    pages = {url for url in crawl.ids}
    assert len(pages) > 700  # every resource of the dataset is reached, not just the menus
    for wanted in (
        "/id/report/chongqing-2020",
        "/id/report/chongqing-2020/text",
        "/id/body/chongqing-government",
        "/id/stage/preschool",
        "/ontology",
        "/shapes",
        "/dataset",
    ):
        assert wanted in pages
    assert "/download/edugraph.ttl" in crawl.seen
    missing = [
        (page, fragment, source)
        for page, fragment, source in crawl.fragments
        if page in crawl.ids and fragment not in crawl.ids[page]
    ]
    assert missing == []
    assert any(page == "/id/report/chongqing-2020/text" for page, _, _ in crawl.fragments)
