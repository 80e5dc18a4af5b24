"""What a figure measures: an indicator of the scheme, or a report-local one named by its clause.

By grammar, not by the nearest cue: a 分别 list gives each figure its member in order; a 均 list
(A、B、C均达到100%) one figure a member; otherwise a cue in the figure, its clause, the rest of
its clause after it, then back to the previous figure (a clause boundary stops a cue from the
next clause). A figure the scheme has no indicator for gets a report-local one whose label is
the noun phrase it measures (phrases.py), never a comparison or a verb.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import replace

from edugraph.ingest import phrases
from edugraph.ingest.labels import (
    BRACKETED,
    NOT_COUNTS,
    RATE_UNITS,
    local_label,
    next_member,
)
from edugraph.ingest.placed import Found
from edugraph.ingest.quantities import Mention
from edugraph.ingest.text import simplified
from edugraph.records import Element
from edugraph.reference import Indicator

CLAUSE_BREAK = re.compile(r"[，,；;：:]")
# 高出全国平均水平, 比国家基准定额高出, 高于省定标准: a margin over an average or a standard
MARGIN = (
    r"(?:[比较]|高出|高于|低于|超出|超过)(?:全国|全省|全市|全区|全州|全县|全旗|全盟|省|市|县|国家)"
    r"(?:平均水平|平均|基准定额|定标准|标准)(?:高出|高于|低于|超出|多|少|高|低)?"
)
CONTINUATION = re.compile(
    r"^[，、,和及至到~\-—\s]*(?:其中)?(?:实际|超额|距离)?"
    r"(?:[比较]\s*(?:上年|去年|\d{4}\s*年(?:[底末])?)(?:同期)?|与上年相比)?"
    r"(?:完成|达到|为|同比|增长|减少|下降|提高|增加|净增|净减|共)*了?"
    rf"(?:{MARGIN})?(?:约|近)?[，、\s]*$"
)  # …96.8亿元，比上年增长6.2%; …91.2%，高出全国平均水平0.8个百分点: of the figure before
# 分别比上年提高, 均分别较2019年增长: a clause that names nothing but the comparison
COMPARED_ONLY = re.compile(
    r"\s*(?:(?:上述|以上|这)?(?:[两二三四五六七八九十]|\d)项(?:主要)?指标)?"  # 三项指标分别…
    rf"(?:均|都)?分别(?:[比较](?:上年|去年|\d{{4}}年)(?:同期)?|同比|{MARGIN})"
    r"(?:增长|提高|增加|下降|减少|降低|上升|扩大)?了?\s*"
)
ALL_OF = re.compile(r"[均都](?:已|已经)?(?:达到|达|为|是|超过|保持在|实现)?\s*$|(?P<each>各)\s*$")
LIST_MEMBER = re.compile(r"、|和|及")
FIGURE = re.compile(r"[0-9０-９][0-9０-９.,]*(?![0-9０-９.,]*\s*[年月日届])")  # not 2021年
# Parts of a whole of people, named by a stage or a kind of school, and the wholes they divide
INCLUDING = re.compile(r"\s*(?:含|包括|其中[:：]?)?\s*")


def each_member(item: Found, scheme: Sequence[Indicator]) -> list[Found]:
    """A、B、C均达到100%, A、B、C各1所: one figure a member, each its own indicator; the span
    of each but the last runs from its member to the number."""
    m, text = item.mention, simplified(item.sentence.text)
    start = phrases.clause_start(text, m.start)
    opened = max(text.rfind("（", start, m.start), text.rfind("(", start, m.start))
    if opened >= 0 and max(text.rfind("）", opened, m.start), text.rfind(")", opened, m.start)) < 0:
        start = opened + 1  # 中小学58所（含电大、进修学校各1所: the list is in the bracket
    if including := INCLUDING.match(text, start):
        start = including.end()
    shared = ALL_OF.search(text, start, m.start)
    if m.group is not None or not shared:
        return [item]
    figures = [f for f in FIGURE.finditer(text, start, shared.start())]
    if figures:  # 小学52所、市委党校和开放大学各1所: the members after the last figure only
        after = LIST_MEMBER.search(text, figures[-1].end(), shared.start())
        start = after.end() if after else shared.start()
    members: list[tuple[int, str]] = []
    at, pending = start, start
    parts = LIST_MEMBER.split(text[start : shared.start()])
    for k, part in enumerate(parts):
        at += len(part) + 1
        # a member ends as the last one does (…配备率、…达标率和…安装率); 中小学、幼儿园…率
        # is one member whose scope is a list
        if shared["each"] or part.endswith(parts[-1][-1:]) or k == len(parts) - 1:
            members.append((pending, text[pending : at - 1]))
            pending = at
    if len(members) < 2 or not all(2 <= len(p) <= 24 for _, p in members):
        return [item]
    candidates = [i for i in scheme if fits(i, m, None)]
    out = []
    for k, (at, part) in enumerate(members):
        member = item if k == len(members) - 1 else replace(item, anchor=at)
        name = phrases.subject(part) if k == 0 else part
        named = [i for i in candidates if name in (i.zh, *i.alt)]
        member.indicator = named[0] if named else None
        member.local_label = "" if named else name
        member.cue_end = 0  # a cue it took ahead (…各1所和幼儿园4所) is the next figure's again
        out.append(member)
    return out


def choose(
    item: Found,
    mentions: list[Mention],
    k: int,
    placed: list[Found],
    element: Element,
    scheme: Sequence[Indicator],
    *,
    named_stages: Sequence[str] = (),
) -> None:
    """A 分别 list gives each figure its member, in order; otherwise cue search in the
    figure itself, its clause, the rest of its clause after it, then back to the previous
    figure (a cue already taken by the previous figure is not taken again); else a
    report-local indicator named by the noun phrase the figure measures."""
    m, text = item.mention, simplified(item.sentence.text)
    first = group_first(mentions, k)
    start = max(mentions[first - 1].end, placed[first - 1].cue_end) if first else 0
    head = mentions[first].start
    previous = placed[first - 1].indicator if first else None
    candidates = [
        i
        for i in scheme
        if fits(i, m, previous) and (not i.requires or any(w in text for w in i.requires))
    ]
    stages = set(element.stages)
    named = set(named_stages)
    size = sum(1 for x in mentions if x.group == m.group) if m.group is not None else 1
    if changed := _compared_list(item, head, start, size, placed):
        item.indicator, item.local_label = changed.indicator, changed.local_label
        return
    listed = phrases.members(text, head, size, floor=start)
    member = listed[m.index] if listed else None
    exact = [i for i in candidates if member in (i.zh, *i.alt)] if member else []
    if exact:  # a member is the scheme's indicator only when it names it as it is
        item.indicator = exact[0]
        return
    breaks = [b.end() for b in CLAUSE_BREAK.finditer(text, start, head)]
    # a bracketed note names no indicator (各级各类学校（含幼儿园）163所 counts schools) unless
    # it is part of a cue (家庭经济困难毕业生(含残疾)初次就业率)
    written = text[breaks[-1] if breaks else start : head]
    bracketed = _nearest(candidates, written, backward=True, stages=stages, named=named)
    if bracketed and set(bracketed[1]) & set("（("):
        item.indicator = bracketed[0]
        return
    clause = _masked(written)
    compared = text.startswith("的", m.end)  # 高于经常性收入6.1%的增幅: the value compared with
    margin = COMPARED_WITH.search(clause) if m.kind == "change" and not compared else None
    own_cue = None
    if margin:
        own_cue = _nearest(candidates, clause, backward=True, stages=stages, named=named)
    if margin and not (own_cue and COMPARED_WITH.search(own_cue[1])):  # 较…收入增长高出
        clause = clause[: margin.start()] + " " * (len(clause) - margin.start())
    ahead_end = mentions[k + 1].start if k + 1 < len(mentions) else len(text)
    listed_next = text.find("、", m.end, ahead_end)  # 特殊教育学校1所、幼儿园40所
    ahead_end = listed_next if listed_next >= 0 else ahead_end
    ahead = text[m.end : min(ahead_end, phrases.clause_end(text, m.end))]
    # A、B分别高于…x、y: each figure's cue is in its own member before the rest of the clause
    for window, backward in ((m.raw, True), (member or "", True), (clause, True), (ahead, False)):
        found = _nearest(candidates, window, backward=backward, stages=stages, named=named)
        if found:
            item.indicator, cue = found
            if window is ahead:
                item.cue_end = m.end + ahead.find(cue) + len(cue)
            return
    back = _masked(text[start:head])
    own_noun = m.unit.code not in NOT_COUNTS and head == m.start  # 10所幼儿园、20所学校
    own_noun = own_noun and len(phrases.counted(text[m.end : phrases.clause_end(text, m.end)])) >= 2
    continues = _continues(mentions[first - 1], m) if first else False
    if first and CONTINUATION.match(back) and continues and not own_noun:
        item.indicator = placed[first - 1].indicator
        item.local_label = next_member(placed[first - 1], item, text)
        return
    label = member or local_label(item, head, start, placed)
    if item.indicator:
        return
    own = phrases.names_it(phrases.label(text, m.start, m.end, floor=start))
    found = (
        None
        if member or own
        else _nearest(candidates, back, backward=True, stages=stages, named=named)
    )
    if found:
        item.indicator = found[0]
    else:
        item.local_label = _of_part(label, element)


OF_THIS_PART = re.compile(r"^(?:本项|本部分|该项)")


def _of_part(label: str, element: Element) -> str:
    """（本项分值18分） under （一）坚持党对教育工作的全面领导: the part the score is of."""
    heading = phrases.NUMBERING.sub("", element.label).strip()
    if OF_THIS_PART.match(label) and 2 <= len(heading) <= 30:
        return OF_THIS_PART.sub(heading, label)
    return label


def _continues(previous: Mention, m: Mention) -> bool:
    """…入学率达到97%，为38名重度残疾儿童送教上门: a count after a rate starts its own figure;
    a change, or a figure in the same unit, goes on with the one before."""
    return m.kind == "change" or previous.unit.code == m.unit.code


def _compared_list(
    item: Found, head: int, start: int, size: int, placed: list[Found]
) -> Found | None:
    """…小学为x元、初中为y元，分别比上年增长a和b: a 分别 list of changes whose clause names only
    the comparison is about the figures stated before it, in order, one change each."""
    m, text = item.mention, simplified(item.sentence.text)
    clause = text[phrases.clause_start(text, head, floor=start) : head]
    if m.group is None or m.kind != "change" or not COMPARED_ONLY.fullmatch(clause):
        return None
    values = [p for p in placed if p.mention.kind == "value" and p.mention.start < head]
    values = values[-size:]
    if len(values) < size or len({p.mention.unit.code for p in values}) > 1:
        return None
    return values[m.index]


def group_first(mentions: list[Mention], k: int) -> int:
    group = mentions[k].group
    if group is None:
        return k
    return next(j for j, m in enumerate(mentions) if m.group == group)


def fits(indicator: Indicator, m: Mention, previous: Indicator | None) -> bool:
    if indicator.after and (previous is None or previous.id != indicator.after):
        return False
    if indicator.list_index is not None and indicator.list_index != m.index:
        return False
    if m.kind == "change" and m.unit.code == "percent" and indicator.unit not in RATE_UNITS:
        return True  # 同比减少29% of a count; a count never changes by percentage points
    return indicator.unit == m.unit.code


def _nearest(
    candidates: list[Indicator],
    window: str,
    *,
    backward: bool,
    stages: set[str],
    named: Collection[str] = (),
) -> tuple[Indicator, str] | None:
    """The indicator whose cue stands nearest the figure; then the longest cue; then the stage
    its sentence names (县职业高级中学…毕业生就业率: vocational), else its element's."""
    best: tuple[int, int, int] | None = None
    chosen = None
    for indicator in candidates:
        for cue in indicator.cues:
            at = window.rfind(cue) if backward else window.find(cue)
            if at < 0:
                continue
            near = at + len(cue) if backward else -at
            stage = 2 if indicator.stage in named else 1 if indicator.stage in stages else 0
            score = (near, len(cue), stage)
            if best is None or score > best:
                best, chosen = score, (indicator, cue)
    return chosen


# A margin's comparison: what follows it names what the figure is compared with, not what it
# measures (…11.28万元，高于当地公务员平均工资收入0.16万元: the teachers' pay is higher)
COMPARED_WITH = re.compile(r"(?:高于|高出|低于|超过|超出|多于|少于)")


def _masked(words: str) -> str:
    """The words with each bracketed note blanked, offsets kept."""
    return BRACKETED.sub(lambda b: " " * len(b[0]), words)
