"""The noun phrase a figure measures, read from the grammar of its clause.

A figure the indicator scheme does not know still needs a label a reader recognises, and the
nearest words are often the wrong ones: a verb (下辖), a body (12位省委常委先后到), a comparison
(比上年增加). The label is the subject of the figure's clause (…在校学生8.1万人), without its
scope words (全县, 其中), its predicate (达到, 为) and its comparison (比上年), or else the noun
the figure counts (12位省委常委 → 省委常委); for a 分别 list, the list's member in order
(A、B、C分别为x、y、z). The words are data: data/reference/figure-grammar.toml.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from edugraph.resources import resource

GRAMMAR_FILE = resource("reference", "figure-grammar.toml")
CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?]")
DATE = re.compile(
    r"(?:截至|截止|到)?(?:\d{4}\s*年?\s*[—\-~～至到]\s*)?\d{4}\s*年(?:度|底|末)?"  # 2020—2022年
    r"(?:\d{1,2}月(?:份|底)?)?(?:以来|前|以前|的)?"
    r"|(?<=[\u4e00-\u9fff])(?:全年|年内|今年)(?=[\u4e00-\u9fff])"  # 州级领导全年到…调研
    r"|(?:近|最近|连续)(?:[两二三四五六七八九十]|\d)年(?:来|多)?|(?:[两二三四五六七八九十]|\d)年累计"
    r"|\d{1,2}\s*[-—~至到]\s*\d{1,2}\s*月(?:份)?"  # 1-9月已拨付: when, not what
)  # 连续7年保持在4%以上, 五年累计投入: how long, not what
NUMBERING = re.compile(
    r"^\s*(?:[（(]?[0-9０-９]{1,3}\s*[)）.．、]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、"
    r"|[①-⑳⑴-⒇⒈-⒛]|[一二三四五六七八九十]+是)\s*"
)
BRACKETED = re.compile(r"[（(][^）)]*[）)]|《[^》]*》|[（()）《》“”\"']")
PER_TAIL = re.compile(r"(?:每(?:人|生|校|所|班|课时|节课?|学时|名|户|年|月|学期|天|周|小时)){1,2}$")
TIME_ONLY = re.compile(r"(?:年初|年底|年末|上年|去年|上年度|当年|同期)(?:的)?\s*")
MEMBER_SEP = re.compile(r"[、和及与]")
# 县（市、区）, 市（州）, not followed by an organ (县（区）政府 is a government)
REGION_CLASS = re.compile(
    r"[\u4e00-\u9fff]{1,3}[（(][^）)]{1,8}[）)](?!人民|政府|党委|委|教育|财政|级)"
)
ADVERBS = re.compile(r"^(?:均|都|全部|已经|已|先后|共|再|又|另|仍)+")
AMONG = ("中", "内", "的")  # 9个县（市、区）中已有…: among them, not what they did
# 120名以上: a bound, not a noun; 1.62万元/生·年: what an amount is per, not a noun it counts
SUFFIX = re.compile(
    r"^\s*(?:及?以[上下内]|左右|/\s*(?:学生|生|人|名|班|校|所)(?:\s*[·.]?\s*(?:年|月|学期))?)"
)
AMOUNT_FOR = re.compile(r"(?:的)?标准(?:为|对|向|给予|给)?([^，,；;。]{2,14}?(?:补助|补贴|经费))")
FRAME = re.compile(r"每[生人校]?每?(?:年|月|天|周|学期)|[每人]均|每[生人]")
BOUND = re.compile(r"不低于|不高于|高于|低于|达到|超过|相当于")
MONEY = re.compile(r"补助|补贴|经费|工资")  # the money a per-capita amount may be of
SHARE = re.compile(
    r"(?P<group>.{2,}?(?:教师|学生|在校生|人员|干部|校长|职工|幼儿))中(?:具有|持有|拥有)?"
    r"(?P<trait>.{2,}?)的(?P<share>比例|占比)"
)  # 教师中具有本科学历的比例: a group, then the trait of those it counts
RELATIVE = ("不", "未", "无", "没", "需", "应", "因")  # a clause that opens so qualifies a noun
GOVERNING = ("下辖", "现辖", "辖")  # 河西县辖8个镇: the verb and the noun after the figure
ENDED = re.compile(r"^(?:力争|确保|全面|基本|全部|逐步)*消除")  # the verb of a zero of classes


@dataclass(frozen=True, slots=True)
class Grammar:
    scope: tuple[str, ...]
    not_scope: tuple[str, ...]
    predicates: tuple[str, ...]
    verbs: tuple[str, ...]
    actions: tuple[str, ...]
    money_nouns: tuple[str, ...]
    prepositions: tuple[str, ...]
    reach: tuple[str, ...]
    per_frames: tuple[str, ...]
    generic: tuple[str, ...]
    done: tuple[str, ...]
    not_after: tuple[tuple[str, tuple[str, ...]], ...]
    body: re.Pattern[str]
    money: re.Pattern[str]
    comparison: re.Pattern[str]

    @property
    def stop(self) -> re.Pattern[str]:
        """Where a noun phrase after a figure ends: a predicate, a verb, a digit or a break."""
        words = sorted(self.predicates + self.verbs, key=len, reverse=True)
        guards = dict(self.not_after)
        alternatives = "|".join(
            "".join(f"(?<!{re.escape(g)})" for g in guards.get(w, ())) + re.escape(w) for w in words
        )
        return re.compile(rf"{alternatives}|[0-9０-９]|[，,；;：:。！？!?（()）]")


def load_grammar(path: Path = GRAMMAR_FILE) -> Grammar:
    with path.open("rb") as f:
        data = tomllib.load(f)
    markers = "|".join(re.escape(w) for w in data["comparison_markers"])
    bases = "|".join(re.escape(w) for w in data["comparison_bases"])
    words = "|".join(re.escape(w) for w in data["comparison_words"])
    comparison = re.compile(
        rf"(?:{words})|(?:{markers})(?:{bases}|\d{{4}}\s*年(?:底|末)?)(?:同期)?(?:相比)?"
    )
    nouns = "|".join(re.escape(w) for w in data["money_nouns"])
    return Grammar(
        scope=tuple(sorted(data["scope"], key=len, reverse=True)),
        not_scope=tuple(data["not_scope"]),
        predicates=tuple(sorted(data["predicates"], key=len, reverse=True)),
        verbs=tuple(data["verbs"]),
        actions=tuple(data["verbs"]) + tuple(data["actions"]),
        money_nouns=tuple(data["money_nouns"]),
        prepositions=tuple(data["prepositions"]),
        reach=tuple(data["reach"]),
        per_frames=tuple(sorted(data["per_frames"], key=len, reverse=True)),
        generic=tuple(data["generic"]),
        done=tuple(data["done"]),
        not_after=tuple((w, tuple(g)) for w, g in data.get("verb_not_after", {}).items()),
        body=re.compile(
            rf"^(?:[^，、。；0-9]{{0,8}}?(?:{_alternatives(data['body_endings'])})[、和与及]?)+"
            rf"(?:{_alternatives(data['body_verbs'])})+"
        ),
        money=re.compile(rf"生均[^，,；;。、0-9]{{0,10}}?(?:{nouns})"),
        comparison=comparison,
    )


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


GRAMMAR = load_grammar()


def clause_start(text: str, at: int, floor: int = 0) -> int:
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(text, floor, at)]
    return breaks[-1] if breaks else floor


def clause_end(text: str, at: int) -> int:
    m = CLAUSE_BREAK.search(text, at)
    return m.start() if m else len(text)


def subject(words: str, grammar: Grammar = GRAMMAR) -> str:
    """The subject of the words before a figure: 全县一般公共预算教育支出比上年增长 → 一般公共
    预算教育支出."""
    words = NUMBERING.sub("", words)
    comparison = grammar.comparison.search(words)
    if comparison:
        words = words[: comparison.start()]
    words = BRACKETED.sub("", DATE.sub("", words))
    body = grammar.body.match(words)
    if body and len(words) - body.end() >= 2:  # 市财政安排资金 → 资金
        words = words[body.end() :]
    words = _reached(words, grammar)
    for preposition in grammar.prepositions:
        at = words.rfind(preposition)
        rest = words[at + len(preposition) :]
        if at >= 0 and len(rest) >= 2 and not rest.startswith(grammar.per_frames):
            if TIME_ONLY.fullmatch(rest):  # …机构由年初的148家: 年初 is when, not what
                continue
            words = rest
    return _trim(words.strip(), grammar)


def _reached(words: str, grammar: Grammar) -> str:
    """The noun a verb of reach names (惠及寄宿生 → 寄宿生); 覆盖率 and 受益面 are nouns."""
    for verb in grammar.reach:
        at = words.rfind(verb)
        rest = _trim(words[at + len(verb) :], grammar) if at >= 0 else ""
        if len(rest) >= 2 and not rest.startswith(("率", "面", "范围")):
            return rest
    return words


def counted(words: str, grammar: Grammar = GRAMMAR) -> str:
    """The noun a figure counts, written after it: 省委常委先后到… → 省委常委."""
    words = SUFFIX.sub("", words)
    regions = REGION_CLASS.match(words)
    if regions:  # 县（市、区）, 市（州）: the regions counted, bracket and all
        return regions.group(0)
    words = re.sub(r"[（(][^）)]*[）)]", "", words)  # 县（区）政府 → 县政府
    stop = grammar.stop.search(words)
    of = words.find("的", 0, 13)
    if stop and 0 < stop.start() < of and words.startswith(RELATIVE):  # 56名不能到校就读的…
        words = words[of + 1 :]
        stop = grammar.stop.search(words)
    return _trim((words[: stop.start()] if stop else words).strip(), grammar)


def _trim(words: str, grammar: Grammar) -> str:
    changed, nominal = True, False
    while changed and words:
        changed = False
        for w in grammar.scope:
            if (
                words.startswith(w)
                and len(words) > len(w)
                and not words.startswith(grammar.not_scope)
            ):
                words, changed = words[len(w) :].lstrip(), True
        for w in () if nominal else grammar.predicates + grammar.scope:
            if words.endswith(w):
                words, changed = words[: -len(w)].rstrip(), True
                nominal = w == "的"  # 明显不足的有3项: what is before 的 names them whole
                break
    return words.strip(" \u3000、，,")


def label(
    text: str,
    start: int,
    end: int,
    *,
    floor: int = 0,
    count: bool = False,
    per: bool = False,
    grammar: Grammar = GRAMMAR,
) -> str:
    """The noun phrase the figure at text[start:end] measures: for a count, the noun it
    counts after it (62所中小学 → 中小学); else the subject before it in its clause, with
    the noun after it when the subject is a bare verb (辖9个镇 → 辖镇). A per-capita amount
    takes the noun of its sentence (小学每生每年650元 … 生均公用经费 → 小学生均公用经费)."""
    begin = clause_start(text, start, floor)
    words = text[begin:start]
    if begin == floor > 0 and "、" in words:  # 小学180所（含15个教学点）、教师进修学校1所
        words = words[words.rfind("、") + 1 :]
    before = subject(words, grammar)
    ended = ENDED.match(before)
    if ended and text[start:end].endswith("班额"):  # 全面消除城区学校大班额: a zero of what ends
        return before[ended.end() :] + text[start:end].strip()
    after = counted(text[end : clause_end(text, end)], grammar)
    rate = PER_TAIL.search(words)
    if rate and len(framed := subject(words[: rate.start()], grammar)) >= 2:
        before = before if per else framed  # 补助标准为每课时40元: what is paid, not per what
    if per:
        label = _trim(per_capita(before, text[:start], grammar), grammar)
        if PER_TAIL.fullmatch(label) and rate and len(framed) >= 2:
            return framed  # 荣誉奖金每人2000元: the money, when the frame is all the clause says
        if len(label) >= 2 and label not in grammar.prepositions:  # 每人每年给予1万元奖励
            return label
        rest = AMOUNT_FOR.match(text, end, clause_end(text, end))  # …150元标准为寄宿生增发生活补助
        return _trim(rest.group(1), grammar) if rest else (after or label)
    if before.endswith(GOVERNING) and after:  # 辖9个镇: 辖镇, as the noun alone says little
        return (
            after if len(after) >= 2 else next(v for v in GOVERNING if before.endswith(v)) + after
        )
    nominal = re.search(r"的(?:有|为|达到?|共有?)$", words.rstrip()) is not None
    if count and not after and not nominal:  # 设立护学岗98个: the object of the verb is counted
        predicated = words.rstrip().endswith(("达到", "达", "为", "有", "共有", "超过"))
        before = _object(before, grammar, relative=predicated)
    if count and REGION_CLASS.fullmatch(after):  # 67个县（市、区）通过…评估: which of them
        return after + _predicate(text[end : clause_end(text, end)], after)
    if count and (len(after) >= 2 or (after and before.endswith(grammar.prepositions))):
        return after  # 62所中小学; 对6个县（区）政府: what the count counts
    if len(before) >= 3 or (before and not after):
        return before
    return before + after if after else before


def _predicate(words: str, noun: str) -> str:
    """What the regions a count counts did, as written after them (均已通过…认定 → 通过…认定):
    a bare 县（市、区） says which regions only with it. Empty when a figure or nothing follows."""
    rest = words[words.find(noun) + len(noun) :]
    rest = ADVERBS.sub("", re.split(r"[0-9０-９.]", rest, maxsplit=1)[0])
    rest = GRAMMAR.comparison.split(rest, maxsplit=1)[0].strip()
    for predicate in GRAMMAR.predicates:  # 平均得分为: the subject, not its predicate
        rest = rest.removesuffix(predicate)
    return rest if len(rest) >= 2 and not rest.startswith(AMONG) else ""


def _object(words: str, grammar: Grammar, *, relative: bool = False) -> str:
    """The object of the last action verb of the words before a count, when it is a noun of
    two characters or more (配备专职保安 → 专职保安); else the words as they are. Before a
    predicate (建立党组织的学校达到…), a verb whose object a 的 follows qualifies the noun."""
    best, verb_at = -1, -1
    guards = dict(grammar.not_after)
    for verb in grammar.actions:
        at = words.rfind(verb)
        while at > 0 and words[:at].endswith(guards.get(verb, ())):  # 党组织: a noun
            at = words.rfind(verb, 0, at)
        if at >= 0 and len(words) - at - len(verb) >= 2 and at + len(verb) > best:
            best, verb_at = at + len(verb), at
    if relative and best > 0 and "的" in words[best:-2]:
        return _trim(words[verb_at:], grammar)
    return _trim(words[best:], grammar) if best > 0 else words


def share_of(label: str) -> str:
    """中小学教师中具有本科及以上学历的比例 → 中小学教师本科及以上学历比例: the share of a group
    that has a trait, named as the genre names the indicator (the group, the trait, 比例)."""
    m = SHARE.fullmatch(label)
    return f"{m['group']}{m['trait']}{m['share']}" if m else label


def names_it(label: str, grammar: Grammar = GRAMMAR) -> bool:
    """Whether a clause's own subject says what its figure measures (投入资金 alone does not)."""
    return len(label) >= 2 and label not in grammar.generic


def per_capita(before: str, sentence: str, grammar: Grammar = GRAMMAR) -> str:
    for frame in grammar.per_frames:
        before = before.replace(frame, "")
    nouns = list(grammar.money.finditer(sentence))
    if nouns and not any(w in before for w in ("经费", "补助", "补贴", "资金", "工资")):
        return before + nouns[-1].group(0)
    return before


def amount_of(label: str, text: str, at: int, grammar: Grammar = GRAMMAR) -> str:
    """What a per-capita amount whose label names no money (每人每月; 按学校偏远程度发放) is
    of: the money phrase of its sentence before it (为乡村教师发放交通补助，每人每月200元 →
    乡村教师交通补助). Empty when the label names money or the sentence none."""
    bare = FRAME.sub("", label)
    if len(bare) >= 2 and not bare.endswith(("发放", "拨付", "给予", "补助")):
        return ""
    found = list(MONEY.finditer(text, 0, at))
    if not found:
        return ""
    end = found[-1].end()
    words = subject(text[clause_start(text, end) : end], grammar)
    words = BOUND.split(words)[0]  # 教师工资收入水平不低于公务员工资: the first is the subject
    for verb in sorted(grammar.actions, key=len, reverse=True):  # 发放交通补助 → 交通补助
        cut = words.rfind(verb)
        if cut >= 0 and len(words) - cut - len(verb) >= 2:
            words = words[:cut] + words[cut + len(verb) :]
            break
    return words if len(words) >= 2 else ""


def members(text: str, first: int, size: int, *, floor: int = 0) -> list[str] | None:
    """A、B、C分别为x、y、z: the list's members, in order, as long as the list of figures;
    a head shared by all (小学、初中、高中阶段毛入学率) goes with each member."""
    begin = clause_start(text, first, floor)
    words = text[begin:first]
    at = words.find("分别")
    if at < 0 or size < 2:
        return None
    parts = [p for p in MEMBER_SEP.split(subject(words[:at])) if p]
    if len(parts) != size:
        return None
    head = _shared_head(parts)
    return [p if p.endswith(head) else p + head for p in parts]


def _shared_head(parts: list[str]) -> str:
    """小学、初中、高中阶段毛入学率 → 阶段毛入学率 is the head the short members share."""
    last, others = parts[-1], parts[:-1]
    width = max(len(p) for p in others)
    if len(last) > width + 1 and all(len(p) <= 4 for p in others):
        return last[width:]
    return ""
