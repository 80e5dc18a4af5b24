"""The label of a figure the scheme has no indicator for: the noun phrase of its clause.

Split from indicators.py, which decides *whether* the scheme names a figure; here is what a
report-local indicator is called when it does not: the subject or the counted noun of the
figure's clause, the whole a part belongs to (其中小学…, 在校学生3120人（小学…）), the subject of
the clause before when a clause names only when and how much, the next member of a list.
"""

from __future__ import annotations

import re

from edugraph.ingest import phrases
from edugraph.ingest.placed import Found
from edugraph.ingest.quantities import Mention
from edugraph.ingest.text import simplified

RATE_UNITS = {"percent", "percentage-point"}
# A change's words that only name what it is compared with (高于当地公务员…, 比…高)
MARGIN_OPEN = re.compile(r"^(?:高于|高出|低于|超过|超出|多于|少于|比)")
NOT_COUNTS = RATE_UNITS | {"yuan", "ratio", "coefficient", "times", "point", "square-metre"}
NOT_COUNTS |= {"square-kilometre", "year"}
REGIONS = {"县", "市", "区", "旗", "县市", "市县", "县区"}  # 辖2市10县: regions counted bare
UNIT_WORD = re.compile(r"^[0-9０-９.．,，\s]+(?:万|亿|余|多)*")
BRACKETED = re.compile(r"[（(][^（()）]*[）)]")
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

NOUN_UNITS = {"township", "class", "device", "set", "room", "lesson"}


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
    if m.kind == "change" and MARGIN_OPEN.match(label) and not text.startswith("的", m.end):
        label = ""  # 高于当地公务员年平均工资0.15万元: a margin, about the figure before it
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
        return next_member(before, item, text)
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


def next_member(previous: Found, item: Found, text: str) -> str:
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
