"""The role of each body in a measure, from the structure of the clause that names it.

No Chinese dependency parser installs and runs from the package index alone (LTP, HanLP,
DDParser and Stanza all fetch their models at run time), so the grammar is written as rules
over the clause: the words before a body (or a list of bodies) and after it, in
data/reference/roles.toml. The first rule that holds gives the role.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from edugraph.ingest.bodies import Match
from edugraph.reference import RoleRule

CLAUSE_BREAK = "，。；：！？\n,;:!?"
LIST_GAPS = ("、", "和", "及", "以及", "、以及", "，以及")
# Meetings listed with how often each met (市委常委会会议7次、市政府常务会议11次研究…): one list.
COUNTED_GAP = re.compile(r"\s*[0-9０-９一二三四五六七八九十]{1,3}\s*次\s*[、和及]")
MARKER = re.compile(  # an item's number or heading, where a clause opens: 3. 3 . （三） 2) ①
    # 三是 第三， 【扩大供给】 ● — as many as precede the clause (（三）1.)
    r"(?:\s*(?:[0-9０-９]{1,3}\s*[.．、)）]|[（(](?:[一二三四五六七八九十]+|[0-9０-９]{1,2})[)）]|"
    r"[①-⑳⑴-⒇⒈-⒛●•■◆▪]|【[^】\n]{1,16}】|[一二三四五六七八九十]+是|"
    r"第[一二三四五六七八九十]+[，,、]?)\s*)+"
)
FALLBACK = "participant"
# Names on a line of their own — the issuer over a title or under a signature, an addressee
# (市政府教育督导室：) — name the report's author or reader, not a body of a measure.
HEADING = "mentioned"
PLACE = re.compile(r"[\u4e00-\u9fff]{0,8}")


# An ASCII full stop ends a clause too (…达到91%.省公安厅…), but not inside a number (3.2万).
BREAK = re.compile(f"[{re.escape(CLAUSE_BREAK)}]|(?<![0-9０-９])\\.|\\.(?![0-9０-９])")


def clause_start(text: str, at: int) -> int:
    start = max((m.end() for m in BREAK.finditer(text, 0, at)), default=0)
    marker = MARKER.match(text, start, at)
    start = marker.end() if marker else start
    while start < at and text[start] in " \t\u3000":  # the space after an ASCII comma
        start += 1
    return start


def clause_end(text: str, at: int) -> int:
    found = BREAK.search(text, at)
    return found.start() if found else len(text)


def lists(text: str, matches: Sequence[Match]) -> list[list[Match]]:
    """Bodies named one after another (市委、市政府; A、B和C) form one list."""
    groups: list[list[Match]] = []
    for m in matches:
        gap = text[groups[-1][-1].end : m.begin] if groups else ""
        if groups and (gap in LIST_GAPS or COUNTED_GAP.fullmatch(gap)):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def on_own_line(text: str, begin: int, end: int) -> bool:
    """The names fill their line, but for an addressee's colon (市政府教育督导室：) and the
    place name before a level the gazetteer names (云岙省人民政府…：)."""
    line_begin = text.rfind("\n", 0, begin) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return bool(PLACE.fullmatch(text[line_begin:begin].strip())) and text[end:line_end].strip() in (
        "",
        "：",
        ":",
    )


def roles(text: str, matches: Sequence[Match], rules: Sequence[RoleRule]) -> list[str]:
    """One role per match, in order: the first rule that holds for its list's clause."""
    out: list[str] = []
    for group in lists(text, matches):
        first, last = group[0], group[-1]
        before = text[clause_start(text, first.begin) : first.begin]
        after = text[last.end : clause_end(text, last.end)]
        if on_own_line(text, first.begin, last.end):
            out.extend(HEADING for _ in group)
            continue
        names = text[first.begin : last.end]
        role = next((r.role for r in rules if r.holds(before, after, names)), FALLBACK)
        out.extend(role for _ in group)
    return out
