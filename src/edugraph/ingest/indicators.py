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
RATE_UNITS = {"percent", "percentage-point"}
NOT_COUNTS = RATE_UNITS | {"yuan", "ratio", "coefficient", "times", "point", "square-metre"}
NOT_COUNTS |= {"square-kilometre", "year"}
ALL_OF = re.compile(r"[均都](?:已|已经)?(?:达到|达|为|是|超过|保持在|实现)?\s*$|(?P<each>各)\s*$")
LIST_MEMBER = re.compile(r"、|和|及")
FIGURE = re.compile(r"[0-9０-９][0-9０-９.,]*(?![0-9０-９.,]*\s*[年月日届])")  # not 2021年
# Parts of a whole of people, named by a stage or a kind of school, and the wholes they divide
PARTS = (
    *("学前", "小学", "初中", "高中", "中职", "职高", "幼儿园"),
    *("学校", "学院", "大学", "中学", "阶段"),
)
MODIFIERS = ("公办", "民办", "农村", "城区", "城镇", "乡村", "乡镇", "寄宿制", "普惠性")
WHOLES = ("在校生", "在校学生", "学生", "教职工", "专任教师", "教师", "在园幼儿", "幼儿")
INSTITUTION_HEAD = re.compile(
    r"^.*(?:学校|中小学校?|小学|中学|幼儿园|高校|院校|学院|大学|教学点|校区|分校|园|校)(?=..)"
)
UNNAMED = "未命名指标"  # a figure whose clause names nothing: it says so, for curation
REGIONS = {"县", "市", "区", "旗", "县市", "市县", "县区"}  # 辖2市10县: regions counted bare
NOUN_UNITS = {"township", "class", "device", "set", "room", "lesson"}
BRACKETED = re.compile(r"[（(][^（()）]*[）)]")
INCLUDING = re.compile(r"\s*(?:含|包括|其中[:：]?)?\s*")
UNIT_WORD = re.compile(r"^[0-9０-９.．,，\s]+(?:万|亿|余|多)*")


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
        item.local_label = _next_member(placed[first - 1], item, text)
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


def local_label(item: Found, head: int, start: int, placed: list[Found]) -> str:
    """The noun phrase of the figure's clause; for a figure whose clause names only a
    comparison (…17.2亿元，比上年增长8.2%), what the previous figure measures."""
    m, text = item.mention, simplified(item.sentence.text)
    floor = placed[-1].mention.end if placed else 0
    count = m.unit.code not in NOT_COUNTS
    written = _written(m)  # 辖6镇: the unit word is the noun
    if head < m.start:  # 辖9个镇、4个乡: the list's verb, this member's noun
        after = phrases.counted(text[m.end : phrases.clause_end(text, m.end)])
        verb = phrases.label(text, head, head, floor=start)
        noun = after or (written if _noun_unit(m) else "")
        governing = next((v for v in phrases.GOVERNING if verb.endswith(v)), "")
        if governing and noun and _short(noun):  # 某县辖8镇4乡: 辖镇, 辖乡; 辖县（市、区）
            verb = governing
        label = verb + noun if len(verb) <= 2 else (noun if len(noun) >= 2 else verb)
    else:
        label = phrases.label(text, m.start, m.end, floor=floor, count=count, per=bool(m.per))
        governing = next((v for v in phrases.GOVERNING if text.endswith(v, 0, m.start)), "")
        if _noun_unit(m) and governing:  # 某县辖8镇: 辖镇
            label = governing + written
        elif len(label) < 2 and _noun_unit(m):
            label += written
        elif label.endswith(phrases.GRAMMAR.actions) and re.fullmatch("个..+", written):
            label = written[1:]  # 对照6个方面: a verb names nothing, 方面 does
    if m.unit.code == "yuan" and m.per:
        label = phrases.amount_of(label, text, m.start) or label
    after_figure = text[m.end : m.end + len(label) + 4].lstrip().startswith(label[:2])
    if m.unit.code == "institution" and after_figure and (school := INSTITUTION_HEAD.match(label)):
        label = school.group(0)  # 76所中小学党组织换届: the schools, not what they did
    if len(label) >= 2:
        return _of_whole(item, phrases.share_of(label), placed, text)
    listed = _listed_before(item, placed)
    if listed:
        return listed
    before = placed[-1] if placed else None
    if before and before.indicator:  # a clause of a comparison only: the figure before
        item.indicator = before.indicator
        return ""
    if before and before.local_label not in ("", UNNAMED):
        return _next_member(before, item, text)
    clause = phrases.NUMBERING.sub("", text[phrases.clause_start(text, m.start) : m.start])
    clause = phrases.subject(phrases.GRAMMAR.comparison.split(clause)[0])
    after = phrases.counted(text[m.end : phrases.clause_end(text, m.end)])
    return next((w for w in (clause, after, _previous_subject(text, m.start), label) if w), UNNAMED)


def _previous_subject(text: str, at: int) -> str:
    """教育经费全面增长，2020年达6.1亿元: a clause that names only when and how much is about
    the subject of the clause before it in the sentence."""
    end = phrases.clause_start(text, at) - 1
    if end <= 0 or text[end] not in "，,":
        return ""
    words = text[phrases.clause_start(text, end) : end]
    if any(c.isdigit() for c in words):
        return ""
    words = phrases.subject(phrases.GRAMMAR.comparison.split(phrases.NUMBERING.sub("", words))[0])
    return words if len(words) >= 2 else ""


def _of_whole(item: Found, label: str, placed: list[Found], text: str) -> str:
    """全区学生11523人，其中小学5667人; 在校生4870人（小学2410人、…）; 幼儿园71所（公办29所）:
    the part of a whole is named with the whole's noun (小学学生, 公办幼儿园), so that the pupils
    and the staff of one stage are two indicators."""
    m = item.mention
    among = max(text.rfind("其中", 0, m.start), _bracket_after_figure(text, m.start, placed))
    if among < 0 or m.unit.code not in ("person", "institution"):
        return label
    whole = next(
        (p for p in reversed(placed) if p.mention.end <= among and p.mention.unit == m.unit), None
    )
    head = whole.indicator.zh if whole and whole.indicator else whole.local_label if whole else ""
    head = head.removesuffix("数")
    if m.unit.code == "institution":  # 公办 of 幼儿园: 公办幼儿园
        return label + head if label in MODIFIERS and head and head not in label else label
    if not label.endswith(PARTS):
        return label
    head = next((h for h in WHOLES if head.endswith(h)), "")
    return label if not head or head in label else label + head


def _bracket_after_figure(text: str, at: int, placed: list[Found]) -> int:
    """Where a bracket opened right after a figure (4870人（小学…）) holds `at`; else -1."""
    opened = max(text.rfind("（", 0, at), text.rfind("(", 0, at))
    if opened < 0 or max(text.rfind("）", opened, at), text.rfind(")", opened, at)) >= 0:
        return -1
    ends = {p.mention.end for p in placed}
    return opened if len(text[:opened].rstrip()) in ends else -1


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


def _next_member(previous: Found, item: Found, text: str) -> str:
    """辖11个镇、3个乡: a count after another that counts another noun keeps the other's verb
    with its own noun (辖镇, then 辖乡); otherwise it measures what the other does."""
    label, p, m = previous.local_label, previous.mention, item.mention
    if m.unit.code in NOT_COUNTS or p.unit.code in NOT_COUNTS or not label:
        return label
    own, theirs = _noun(m, text), _noun(p, text)
    adjacent = _noun_unit(p) or text.startswith(theirs, p.end)
    if own and not theirs and len(own) >= 2 and _written(m) != _written(p):
        return own  # 6个方面22项评价指标: the second counts the noun after it
    if own and theirs and own != theirs and adjacent and label.endswith(theirs):
        label = label[: len(label) - len(theirs)] + own
        governing = next((v for v in phrases.GOVERNING if text.endswith(v, 0, p.start)), "")
        return governing + own if _short(label) else label  # 辖7个街道、2个镇: 辖镇
    return label


def _masked(words: str) -> str:
    """The words with each bracketed note blanked, offsets kept."""
    return BRACKETED.sub(lambda b: " " * len(b[0]), words)


def _short(noun: str) -> bool:
    """镇, 县（市、区）: one character, its brackets aside — too short to name a figure alone."""
    return len(BRACKETED.sub("", noun)) < 2


def _noun_unit(m: Mention) -> bool:
    """辖6镇: the unit word is the noun counted; not in 辖9个镇, a count in 个 typed by its noun."""
    written = _written(m)
    return (m.unit.code in NOUN_UNITS and written != "个") or written in REGIONS


def _written(m: Mention) -> str:
    """The unit word as written, in simplified script: 个方面, 项, 所 (轄6鎮: 镇)."""
    return simplified(UNIT_WORD.sub("", m.raw))


def _noun(m: Mention, text: str) -> str:
    """The noun a count counts: its unit word (8镇), else the noun after it (11个镇)."""
    if _noun_unit(m):
        return _written(m)
    return phrases.counted(text[m.end : phrases.clause_end(text, m.end)])


def _as_written(item: Found, text: str) -> str:
    """What a figure measures in the sentence's own words: its indicator's longest label the
    sentence writes (生均一般公共预算教育事业费), else the label it has."""
    if not item.indicator:
        return item.local_label
    written = [w for w in (item.indicator.zh, *item.indicator.alt) if w in text]
    return max(written, key=len) if written else item.indicator.zh


def _listed_before(item: Found, placed: list[Found]) -> str:
    """分别为x、y，分别较上年增长a、b: a 分别 list whose members were named in an earlier
    clause takes the members of the last list as long, each with what changed."""
    m = item.mention
    if m.group is None or "分别" not in item.sentence.text[: m.start]:
        return ""
    groups = [p for p in placed if p.mention.group is not None and p.mention.group != m.group]
    same = [p for p in groups if p.mention.index == m.index]
    if not same:
        return ""
    base = _as_written(same[-1], item.sentence.text)
    if m.kind == "change" and m.unit.code in RATE_UNITS and same[-1].mention.unit != m.unit:
        if "率" not in item.sentence.text:  # a label is words of its sentence: what changed
            return base
        return base + ("下降率" if m.direction < 0 else "增长率")
    return base
