"""The development corpus of the genre: fixtures and their gold (tests/fixtures/reports/genre).

The gold is a careful reading of each fixture (README.md there gives its format); the genre
tests compare what edugraph makes of the text with it and print recall and precision.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from edugraph.ingest.text import PINYIN

# Another corpus in the same format can be scored with EDUGRAPH_GENRE_CORPUS=<folder>, e.g. a
# held-out set that the rules were not written against.
GENRE = Path(
    os.environ.get("EDUGRAPH_GENRE_CORPUS")
    or Path(__file__).resolve().parent / "fixtures" / "reports" / "genre"
)


@dataclass(frozen=True, slots=True)
class GenreFixture:
    slug: str
    source: Path  # <slug>.txt, with <slug>.toml beside it
    gold: dict[str, Any]

    @property
    def text(self) -> str:
        return self.source.read_text(encoding="utf-8")

    @property
    def figures(self) -> list[dict[str, Any]]:
        return list(self.gold.get("figure", []))

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return list(self.gold.get("body", []))

    @property
    def target_groups(self) -> list[dict[str, Any]]:
        return list(self.gold.get("target_group", []))

    @property
    def outline(self) -> dict[str, Any]:
        return dict(self.gold.get("outline", {}))


def genre_fixtures() -> list[GenreFixture]:
    """Every fixture that has its text, metadata and gold."""
    found = []
    for gold in sorted(GENRE.glob("*.gold.toml")):
        slug = gold.name.removesuffix(".gold.toml")
        source = GENRE / f"{slug}.txt"
        if source.is_file() and (GENRE / f"{slug}.toml").is_file():
            read = tomllib.loads(gold.read_text("utf-8"))
            found.append(GenreFixture(slug, source, _as_read(read)))
    return found


def _as_read(gold: Any) -> Any:
    """The gold quotes the text as written, a converter's pinyin (評(píng)) included; the text
    is read without it (edugraph.ingest.text), so the gold's quotes are compared without it."""
    if isinstance(gold, dict):
        return {k: _as_read(v) for k, v in gold.items()}
    if isinstance(gold, list):
        return [_as_read(v) for v in gold]
    return PINYIN.sub("", gold) if isinstance(gold, str) else gold
