"""The genre's part kinds and numbering forms (data/reference/part-kinds.toml), as loaded.

Part titles vary (基本情况, 主要做法和成效, 存在的主要问题和下一步工作打算 …) and so does their
numbering ((一) （一） (-) 1. １． 1、), so both are reference data: a part kind with its cue words
and the way its parts are cut into elements, a numbering form with its level and pattern.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cn2an

from edugraph.resources import resource

NUMERALS = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PARENTHESISED = "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"  # one character for （一）…（十）
# Item numbering from the highest level down: in a part, the highest present numbers its items
# and any lower one is the text of its item (（1） under 1., ① under （1）).
ITEM_LEVELS = ("item", "sub-item", "bracket-item", "circled-item", "minor-item")
# Under 第一部分 parts every numbering stands a level lower than it does under 一、 parts.
LEVELS = ("division", "part", "heading", *ITEM_LEVELS)
NUMERAL_KINDS = ("chinese", "arabic", "none")
NOTATIONS = ("numeral", "printed", "number", "none")
KINDS_FILE = resource("reference", "part-kinds.toml")
SEGMENTS = ("practices", "achievements", "problems", "plans", "sections")


@dataclass(frozen=True, slots=True)
class PartKind:
    id: str
    zh: str
    en: str
    segment: str  # how its parts are cut into elements (SEGMENTS)
    cues: tuple[str, ...]
    openers: tuple[str, ...] = ()  # words that open a measure of its own in unnumbered text
    headings_decide: bool = False  # a part of this kind is of the kind its headings name
    content: tuple[str, ...] = ()  # words in the part's text that suggest the kind
    governs: tuple[str, ...] = ()  # cues whose kind the rest of the title takes (下一步…)


@dataclass(frozen=True, slots=True)
class Numbering:
    """A form of paragraph numbering (part-kinds.toml, [[numbering]])."""

    level: str  # LEVELS
    pattern: re.Pattern[str]  # groups n (the number), body (the text after it), title (optional)
    numeral: str  # NUMERAL_KINDS
    notation: str  # NOTATIONS


@dataclass(frozen=True, slots=True)
class PartKinds:
    """The part kinds of the reference data, with how a title is read against them."""

    kinds: tuple[PartKind, ...]
    duty: tuple[str, ...] = ()  # cues of a title that names a duty of the evaluation
    duty_kinds: tuple[str, ...] = ()  # what such a part holds
    closing: tuple[str, ...] = ()  # words that open the report's closing (特此报告)
    numbering: tuple[Numbering, ...] = ()  # how paragraphs are numbered, tried in order

    def classify(self, title: str) -> tuple[str, ...]:
        """Kinds whose cues the title holds (longest cue first, each using up its characters);
        a duty's title when nothing else matched."""
        for kind in self.kinds:
            at = [title.find(c) for c in kind.governs if c in title]
            if at:
                title = title[: min(at)] + kind.governs[0]  # 下一步工作举措: all of it plans
        found = _consume(title, [(c, k.id) for k in self.kinds for c in k.cues])
        if not found and any(c in title for c in self.duty):
            found = set(self.duty_kinds)
        return tuple(k.id for k in self.kinds if k.id in found)

    def by_content(self, text: str, *, figures: int) -> tuple[str, ...]:
        """A kind for a part whose title says nothing: one whose content cues dominate a text
        that states figures (成效 with figures → achievements); otherwise none."""
        scores = {k.id: sum(text.count(c) for c in k.content) for k in self.kinds if k.content}
        best = max(scores, key=lambda k: scores[k], default=None)
        if best is None or scores[best] < 2 or figures < 2:
            return ()
        return (best,)

    def headings_decide(self, kinds: tuple[str, ...]) -> bool:
        return bool(kinds) and all(k.headings_decide for k in self.kinds if k.id in kinds)

    def segment(self, kinds: tuple[str, ...]) -> str:
        """How a part holding `kinds` is cut: practices over achievements (主要做法和成效:
        headings group measures), problems with plans together, else the first kind's way."""
        ways = [k.segment for k in self.kinds if k.id in kinds]
        for way in ("practices", "achievements"):
            if way in ways:
                return way
        if "problems" in ways and "plans" in ways:
            return "problems-and-plans"
        return ways[0] if ways else "sections"


def _consume(title: str, cues: list[tuple[str, str]]) -> set[str]:
    """Kinds of the cues read from left to right, the longest cue at each place first."""
    by_cue: dict[str, set[str]] = {}
    for cue, kind in cues:
        if cue:
            by_cue.setdefault(cue, set()).add(kind)
    longest = sorted(by_cue, key=len, reverse=True)
    found: set[str] = set()
    i = 0
    while i < len(title):
        at = [c for c in longest if title.startswith(c, i)]
        if at:
            found |= by_cue[at[0]]
        i += len(at[0]) if at else 1
    return found


@cache
def load_part_kinds(path: Path = KINDS_FILE) -> PartKinds:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    kinds = []
    for entry in data.get("kind", []):
        if entry["segment"] not in SEGMENTS:
            raise ValueError(f"{path}: kind {entry['id']}: unknown segment {entry['segment']!r}")
        kinds.append(
            PartKind(
                str(entry["id"]),
                str(entry["zh"]),
                str(entry["en"]),
                str(entry["segment"]),
                tuple(entry.get("cues", ())),
                tuple(entry.get("openers", ())),
                bool(entry.get("headings_decide", False)),
                tuple(entry.get("content", ())),
                tuple(entry.get("governs", ())),
            )
        )
    duty = data.get("duty", {})
    return PartKinds(
        tuple(kinds),
        tuple(duty.get("cues", ())),
        tuple(duty.get("kinds", ())),
        tuple(data.get("closing", {}).get("cues", ())),
        tuple(_numbering(path, entry) for entry in data.get("numbering", [])),
    )


def _numbering(path: Path, entry: dict[str, str]) -> Numbering:
    form = Numbering(
        entry["level"], re.compile(entry["pattern"], re.S), entry["numeral"], entry["notation"]
    )
    groups = form.pattern.groupindex
    if (
        form.level not in LEVELS
        or form.numeral not in NUMERAL_KINDS
        or form.notation not in NOTATIONS
        or "body" not in groups
        or ("n" in groups) == (form.numeral == "none")
    ):
        raise ValueError(f"{path}: numbering {entry['pattern']!r}: unknown level, numeral or form")
    return form


def cn_number(text: str) -> int:
    """Value of a Chinese numeral (一, 十, 十二, 二十三); 0 when it is not one."""
    try:
        return int(cn2an.cn2an(text, "strict"))
    except (ValueError, KeyError, TypeError):
        return 0


def arabic(text: str) -> int:
    if text in CIRCLED:
        return CIRCLED.index(text) + 1
    if text in PARENTHESISED:
        return PARENTHESISED.index(text) + 1
    return int(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def part_kinds(title: str) -> tuple[str, ...]:
    return load_part_kinds().classify(title)


def strong(kinds: PartKinds, title: str) -> bool:
    return bool(_consume(title, [(c, k.id) for k in kinds.kinds for c in k.cues]))
