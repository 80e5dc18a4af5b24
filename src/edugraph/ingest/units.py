"""The units the genre counts in (data/reference/units.toml), as the figure parser reads them.

Units are data: a report of another region counts in 台套, 平方公里 or 乡镇, and adding a word
to the table is all it takes. Each unit carries the IRI the graph uses (QUDT's where QUDT has
one, edugraph's own count units otherwise) and the guards that keep a word from being a unit
(个月 is no 个, 名单 no 名).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from edugraph.resources import resource

_PREFIXES = {
    "unit:": "http://qudt.org/vocab/unit/",
    "currency:": "http://qudt.org/vocab/currency/",
    "edu:": "https://w3id.org/edugraph/ontology#",
}
UNITS_FILE = resource("reference", "units.toml")


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit the genre counts in, with the IRI the graph uses for it."""

    code: str
    zh: str
    en: str
    qudt: str
    words: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    not_before: tuple[tuple[str, tuple[str, ...]], ...] = ()
    chinese_numerals: bool = False
    chinese_not: tuple[str, ...] = ()  # 六个方面: words a Chinese numeral before names a list
    counted: tuple[str, ...] = ()  # 班级23个: a figure in 个 after its noun counts these
    columns: tuple[str, ...] = ()  # a table column named so (自评得分) is in this unit


def _expand(iri: str) -> str:
    for prefix, namespace in _PREFIXES.items():
        if iri.startswith(prefix):
            return namespace + iri.removeprefix(prefix)
    return iri


def _load_units(path: Path) -> tuple[dict[str, Unit], tuple[str, ...]]:
    """The units and the per-capita words of data/reference/units.toml."""
    with path.open("rb") as f:
        data = tomllib.load(f)
    units = {
        str(e["code"]): Unit(
            code=str(e["code"]),
            zh=str(e["zh"]),
            en=str(e["en"]),
            qudt=_expand(str(e["iri"])),
            words=tuple(e.get("words", ())),
            nouns=tuple(e.get("nouns", ())),
            not_before=tuple((w, tuple(g)) for w, g in e.get("not_before", {}).items()),
            chinese_numerals=bool(e.get("chinese_numerals", False)),
            chinese_not=tuple(e.get("chinese_not", ())),
            counted=tuple(e.get("counted", ())),
            columns=tuple(e.get("columns", ())),
        )
        for e in data["unit"]
    }
    per = tuple(w for e in data.get("per", ()) for w in e["words"])
    return units, per


UNITS, PER_WORDS = _load_units(UNITS_FILE)


def unit_words(units: dict[str, Unit]) -> dict[str, str]:
    return {word: u.code for u in units.values() for word in u.words}


def unit_pattern(units: dict[str, Unit]) -> str:
    """Every unit word, longest first, each with its guards (个月, 名单, 场地 are no units)."""
    guards = {word: g for u in units.values() for word, g in u.not_before}
    words = sorted(unit_words(units), key=lambda w: (-len(w), w))
    alternatives = []
    for word in words:
        guard = "|".join(re.escape(g) for g in guards.get(word, ()))
        alternatives.append(re.escape(word) + (f"(?!{guard})" if guard else ""))
    return "|".join(alternatives)
