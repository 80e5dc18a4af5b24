"""Finding responsible bodies in text: the gazetteer and the genre's name patterns together.

A name counts only as a whole word (教育部 is not in 教育部门, nor 中央 in 中央八项规定) and
never inside a cited title or a document number (《国务院办公厅关于…》, 国办发〔2017〕49号).
Names are matched on a simplified copy of the text, so that 教育廳 is 教育厅; offsets are the
source's. A region-qualified name the gazetteer lacks (县人大, 省委教育工委) is recognised by its
level character and organ, and becomes a body of its own, to be curated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from edugraph.ingest.text import simplified
from edugraph.records import FoundBody, Metadata, Span
from edugraph.reference import (
    InstitutionKind,
    Level,
    LocalContext,
    Organ,
    Reference,
    local_id,
)


@dataclass(frozen=True, slots=True)
class Match:
    begin: int
    end: int
    body: str


Pending = tuple[Level, Organ] | InstitutionKind  # a name found by pattern, not yet a body

# A collective counted where it acts (会同26个成员单位, 组织9个地级市开展自查, 州直17个部门和
# 12县市参加): the body it stands for, by the name the gazetteer knows it by (else the region's
# own departments). 县教育局、县财政局等14个部门 only sums up the bodies it follows.
ACTING_BEFORE = ("和", "及", "与", "同", "组织", "到", "对", "支持", "联合")
ACTING_COUNT = re.compile(
    r"(?:[省市县区州旗][内直级]|全[省市县区州旗])?[0-9０-９]{1,3}\s*(?:个|所)?\s*(?:[省市县区]内)?"
    r"(?P<noun>(?:[省市县区州旗盟][直级])?(?:成员单位|相关部门|有关部门|相关单位|有关单位|部门)"
    r"|地级市|县市|街道|部属高校|高职院校|师范院校|高校|幼儿园|特殊教育学校|普通学校|完全中学"
    r"|优质高中|优质学校"
    r"|中小学|苏木镇|苏木乡镇|乡?镇(?:人民)?政府|设区市(?:(?:人民)?政府)?|市州|镇街|镇[（(]街道[）)]|镇)"
    r"(?![办门中])"
)
# … also where it opens a clause of the self-check (，14个设区市政府和28个省直部门对照…自查),
# or follows another counted in a list (和6个街道办事处、2个镇人民政府).
SELF_CHECK = re.compile(r"[^，。；\n]*?(?:自查|自评)")
LISTED_COUNT = re.compile(
    r"(?:和|及|与|同|会同|组织)\s*[0-9０-９]+\s*[个所家][^，。；、\n]{1,12}、$"
)
# A line that lists three or more places by name after a label (优秀（4个）：东塘区、西坪区、
# 岭江市): the governments of those places, each a body of its own to be curated; so are places
# listed and then counted or summed up (其中东溪区、柳岸县2个县（区）列入…, 对A县、B县等财力薄弱县).
PLACE_LIST = re.compile(
    r"(?:[\u4e00-\u9fff]{2}[县区市旗]、){2,}[\u4e00-\u9fff]{2}[县区市旗](?![\u4e00-\u9fff])"
)
PLACE_COUNTED = re.compile(
    r"(?:[\u4e00-\u9fff]{2}[县区市旗]、)+[\u4e00-\u9fff]{2}[县区市旗](?=[0-9０-９]{1,2}个[县区市旗]|等)"
)
# The names between a listed name that has its level and one that shares it: 、组织部、编办、
LISTED = re.compile(r"(?:、[\u4e00-\u9fff]{2,12}?)*、")
# … or in brackets after a count of a grade (优秀3个（东塘区、西坪区）, 合格1个（岭江市）).
GRADED = re.compile(r"(?:优秀|良好|合格|不合格|较好|一般|[A-D]等)[0-9]+个[（(]$")
PLACE_BRACKET = re.compile(
    r"(?:[\u4e00-\u9fff]{2}[县区市旗]、)*[\u4e00-\u9fff]{2}[县区市旗](?=[）)])"
)
PLACE = re.compile(r"[\u4e00-\u9fff]{2}[县区市旗]")
# A registered name opens after a word that is not part of it: 与X有限公司合作, 联合X有限公司
NAME_OPENS = (*"与和同及在向为由对把从给、", "联合", "会同", "委托", "依托", "组织", "支持")
NAME_OPENS += ("引进", "推动", "引导", "鼓励", "协调", "指导")
NOT_IN_NAME = "企业|的|中|以上|等|和|与|及|、"  # 规模以上企业中有限公司: a class, not a name
STANDS_FOR = {"成员单位": "各成员单位", "地级市": "各市（州）", "县市": "各县（市、区）"}
STANDS_FOR |= {"街道": "各街道办事处", "幼儿园": "各中小学", "特殊教育学校": "各中小学"}
STANDS_FOR |= dict.fromkeys(
    ("苏木镇", "苏木乡镇", "镇（街道）", "镇(街道)"), "各乡镇"
)  # 和6个苏木镇
STANDS_FOR |= dict.fromkeys(("普通学校", "完全中学", "中小学", "优质高中", "优质学校"), "各中小学")
STANDS_FOR |= {n: "各乡镇" for n in ("镇政府", "乡镇政府", "镇人民政府", "乡镇人民政府")}
STANDS_FOR |= dict.fromkeys(("设区市", "设区市政府", "设区市人民政府"), "各设区市政府")
STANDS_FOR |= {"市州": "各市（州）", "镇街": "各乡镇", "镇": "各乡镇"}
STANDS_FOR |= dict.fromkeys(("部属高校", "高职院校", "师范院校", "高校"), "驻区高校")


class BodyFinder:
    """Bodies named in one report: gazetteer names, and pattern names resolved for its region."""

    def __init__(
        self, reference: Reference, meta: Metadata, local: LocalContext, *, text: str = ""
    ):
        self.meta = meta
        self.text = text
        self.simple = simplified(text)
        self.patterns = reference.body_patterns
        self.known = {b.id for b in local.bodies}
        names = sorted({(simplified(n), b) for n, b in local.names}, key=lambda p: (-len(p[0]), p))
        self.body_of = dict(names)
        self.gazetteer = re.compile("|".join(re.escape(n) for n, _ in names))
        self.region = simplified(meta.region_zh)
        self.levels = {level.zh: level for level in self.patterns.levels}
        own = next((lv for z, lv in self.levels.items() if self._own_level(z)), None)
        if own and len(self.region) > len(own.zh):  # 青山省人民政府办公厅: the region's own
            self.levels[self.region] = Level(self.region, own.key, own.en)
        by_length = sorted(self.levels, key=lambda z: (-len(z), z))
        self.level_names = "|".join(map(re.escape, by_length)) or "(?!)"
        self.organs = {  # an autonomous region's committee writes 党委: 自治区党委宣传部
            name: o
            for o in self.patterns.organs
            for name in (*o.names, *("党" + n for n in o.names if n.startswith("委")))
        }
        self.organ_by_key = {o.key: o for o in self.patterns.organs}
        organs = sorted(self.organs, key=lambda n: (-len(n), n))
        forms = [f.pattern for o in self.patterns.organs for f in o.forms]
        self.pattern = re.compile(
            f"(?P<level>{self.level_names})(?P<organ>{'|'.join([*forms, *map(re.escape, organs)])})"
            if self.levels and organs
            else r"(?!)"
        )
        bare = {n.removeprefix("委") for n in self.organs if not n.startswith("党")}
        bare = {n for n in bare if len(n) >= 2}  # 委 alone names no organ
        self.bare = {n.removeprefix("委"): o for n, o in self.organs.items()}
        by_length = sorted(bare, key=lambda n: (-len(n), n))
        self.bare_organ = re.compile("|".join(map(re.escape, by_length)) or "(?!)")
        self.institution, self.kinds = self._institution_pattern()
        registered = [n for n, k in self.kinds.items() if k.type == "Enterprise"]
        self.registered = re.compile(  # 蓝泽重工集团有限公司: the shortest name before the kind
            rf"(?!{'|'.join(NAME_OPENS)}|[全各该本每])(?:(?!{NOT_IN_NAME})[\u4e00-\u9fff]){{2,10}}?"
            rf"(?P<e>{'|'.join(registered)})"
            if registered
            else r"(?!)"
        )
        self.starts = {n[0] for n, _ in names} | {level[0] for level in self.levels}
        self.found: dict[str, FoundBody] = {}
        self.written: dict[int, str] = {}  # a counted collective's name, where it begins

    def _institution_pattern(self) -> tuple[re.Pattern[str], dict[str, InstitutionKind]]:
        """Named schools and colleges: 县第一中学, 城南小学, 白沙职业技术学院."""
        p = self.patterns
        kinds = {name: k for k in p.institution_kinds for name in k.names}
        for name in p.institution_place_kinds:
            if name not in kinds:
                raise ValueError(f"institution place kind {name!r} is not a kind")
        if not kinds:
            return re.compile(r"(?!)"), kinds
        region = simplified(self.meta.region_zh)  # 苍原自治区 → 苍原
        level = max(
            (z for z in self.levels if region.endswith(z) and z != region), key=len, default=""
        )
        stem = region.removesuffix(level or region[-1:])
        prefixes = [x.replace("{stem}", re.escape(stem)) for x in p.institution_prefixes]
        if len(stem) < 2:
            prefixes = [x for x in p.institution_prefixes if "{stem}" not in x]
        names = "|".join(map(re.escape, sorted(kinds, key=lambda n: (-len(n), n))))
        long_names = "|".join(
            re.escape(n) for n in sorted(kinds, key=len, reverse=True) if len(n) >= 4
        )
        levels = self.level_names
        modifier = p.institution_modifier or "(?!)"
        place_kinds = "|".join(
            re.escape(n) for n in sorted(p.institution_place_kinds, key=len, reverse=True)
        )
        placed = f"|{p.institution_place}(?P<d>{place_kinds})" if p.institution_place else ""
        return (
            re.compile(
                f"(?:(?:{'|'.join(prefixes) or '(?!)'})(?:{modifier})?(?P<a>{names})"
                f"|(?:{levels})(?:{modifier}(?P<b>{names})|(?P<c>{long_names or '(?!)'}))"
                f"{placed if place_kinds else ''})"
            ),
            kinds,
        )

    def zones(self, text: str) -> list[tuple[int, int]]:
        """Stretches where no body is named: titles in 《》, document numbers."""
        return sorted(
            (m.start(), m.end()) for rx in self.patterns.exclude for m in rx.finditer(text)
        )

    def between(
        self, begin: int, end: int, *, line_of: Callable[[int], int] | None = None
    ) -> list[Match]:
        """Whole body names in the report's text[begin:end], offsets relative to `begin`."""
        return self._scan(self.simple[begin:end], at=begin, line_of=line_of)

    def matches(self, text: str) -> list[Match]:
        """Whole body names in any text; pattern names only where it is the report's own."""
        at = self.text.find(text) if text else -1
        return self._scan(simplified(text), at=at if at >= 0 else None, line_of=None)

    def _scan(
        self, text: str, *, at: int | None, line_of: Callable[[int], int] | None
    ) -> list[Match]:
        zones = self.zones(text)
        out: list[Match] = []
        i = 0
        while i < len(text):
            if places := self._places(text, i, at, line_of):
                out.extend(places)
                i = places[-1].end
                continue
            found = self._acting_count(text, i, zones) or self._longest(text, i)
            if found is not None and self._counted(text, found[0]):
                i = found[0].end  # nor is a shorter name inside it: 8个旗县（市、区）
                continue
            school = found is not None and isinstance(found[1], InstitutionKind)
            if (
                found is None
                or not self._whole(text, found[0], zones, school=school)
                or (found[1] and at is None)
            ):
                i += 1
                continue
            match, pending = found
            if pending and at is not None:
                b, e = at + match.begin, at + match.end
                span = Span(b, e, self.text[b:e], line_of(b) if line_of else 0)
                written = self.written.get(match.begin, text[match.begin : match.end])
                body = (
                    self._institution(pending, span, written)
                    if isinstance(pending, InstitutionKind)
                    else self._organ_body(*pending, span, written=written)
                )
                match = Match(match.begin, match.end, body)
            out.append(match)
            i = match.end
        return out

    def _places(
        self, text: str, i: int, at: int | None, line_of: Callable[[int], int] | None
    ) -> list[Match]:
        """东塘区、西坪区、岭江市 listed after a colon: each place's government."""
        m = PLACE_LIST.match(text, i) if i and text[i - 1] in "：:" else None
        if (
            m is None and text[i - 1 : i] in ("（", "(") and GRADED.search(text, max(0, i - 9), i)
        ):  # 优秀3个（东漱区、青岙县、槐川市）
            m = PLACE_BRACKET.match(text, i)
        if m is None and (not i or text[i - 1] in "，,；;对" or text.endswith("其中", 0, i)):
            m = PLACE_COUNTED.match(text, i)
        if m is None or at is None:
            return []
        out = []
        for place in PLACE.finditer(text, m.start(), m.end()):
            b, e = at + place.start(), at + place.end()
            body_id = local_id(self.meta, "-".join(lazy_pinyin(place[0])))
            if body_id not in self.known and body_id not in self.found:
                name = " ".join(p.capitalize() for p in lazy_pinyin(place[0]))
                span = Span(b, e, self.text[b:e], line_of(b) if line_of else 0)
                zh, en = place[0] + "人民政府", f"{name} People's Government"
                self.found[body_id] = FoundBody(body_id, zh, en, "Government", None, span)
            out.append(Match(place.start(), place.end(), body_id))
        return out

    def _acting_count(
        self, text: str, i: int, zones: list[tuple[int, int]]
    ) -> tuple[Match, Pending | None] | None:
        """等21个省直部门, 会同26个成员单位: a counted collective acting, as the body it stands
        for; its own department count is the region's departments (青山省直有关部门)."""
        m = ACTING_COUNT.match(text, i)
        opens = not i or (text[i - 1] in "。；;\n" and text.startswith("全", i))  # 全市9所…均开设
        word = len(text[:i].rstrip(" \t"))  # a PDF's space before a number: 和 8 个县市
        if m is None:
            return None
        clause = text[word - 1 : word] in "，," and SELF_CHECK.match(text, m.end()) is not None
        opens = opens or clause
        listed = LISTED_COUNT.search(text, max(0, word - 30), word)
        if not (opens or listed or text.endswith(ACTING_BEFORE, 0, word)):
            return None
        if any(b <= i < e for b, e in zones):
            return None
        name = STANDS_FOR.get(m["noun"], self.region + "直有关部门")
        found = self._longest(name, 0)
        if found is None or found[0].end != len(name):
            return None
        self.written[m.start()] = name  # what a pattern body is named by
        return Match(m.start(), m.end(), found[0].body), found[1]

    def _longest(self, text: str, i: int) -> tuple[Match, Pending | None] | None:
        """The longest name at i: the gazetteer's, a level + organ, or a named institution."""
        known = text[i] in self.starts
        g = self.gazetteer.match(text, i) if known else None
        p = self.pattern.match(text, i) if known else None
        s = self.institution.match(text, i) or self._registered(text, i)
        g_end, p_end = g.end() if g else -1, p.end() if p else -1
        after = self.patterns.institution_not_after
        if s and any(text.endswith(w, 0, i) for w in after):
            s = None
        if s and s.end() > max(g_end, p_end):
            kind = self.kinds[next(v for v in s.groupdict().values() if v)]
            return Match(s.start(), s.end(), ""), kind
        if p and p.group("level") == "地" and not p.group("organ").startswith("委"):
            p, p_end = None, -1  # 地委, but not 当地政府
        if p and p_end > g_end:
            level, organ = self.levels[p.group("level")], self._organ(p.group("organ"))
            return Match(p.start(), p.end(), ""), (level, organ)
        if g is None and p is None and text.startswith("、", i - 1):
            return self._elided(text, i)
        return (Match(g.start(), g.end(), self.body_of[g.group(0)]), None) if g else None

    def _registered(self, text: str, i: int) -> re.Match[str] | None:
        """An enterprise's registered name, where a name may open (not inside a word)."""
        opens = i == 0 or not "\u4e00" <= text[i - 1] <= "\u9fff" or text.endswith(NAME_OPENS, 0, i)
        return self.registered.match(text, i) if opens else None

    def _elided(self, text: str, i: int) -> tuple[Match, Pending] | None:
        """区委宣传部、组织部、编办、区发改局、财政局: a list writes the level once; the organs
        after it share the level of the last name that has one."""
        o = self.bare_organ.match(text, i)
        heads = [
            m
            for m in self.pattern.finditer(text, max(0, i - 60), i)
            if LISTED.fullmatch(text, m.end(), i)
        ]
        if o is None or not heads:
            return None
        return Match(i, o.end(), ""), (self.levels[heads[-1].group("level")], self.bare[o.group(0)])

    def _organ(self, written: str) -> Organ:
        """The organ a written form names: by its name, else by the form it fits."""
        if written in self.organs:
            return self.organs[written]
        return next(o for o in self.patterns.organs if any(f.fullmatch(written) for f in o.forms))

    def _counted(self, text: str, m: Match) -> bool:
        """A collective counted or taken in part (辖8个县（市）, 部分县（区）): not a body."""
        before = max(0, m.begin - 24)  # a list of counts: 全省14个市（州）、118个县（市、区）
        return any(rx.search(text, before, m.begin) for rx in self.patterns.not_preceded_by_pattern)

    def _whole(
        self, text: str, m: Match, zones: list[tuple[int, int]], *, school: bool = False
    ) -> bool:
        if any(b <= m.begin < e for b, e in zones):
            return False
        own = self.patterns.institution_may_precede if school else ()
        if any(
            text.startswith(word, m.end) and not any(text.startswith(w, m.end) for w in own)
            for word in self.patterns.not_followed_by
        ):
            return False
        if any(rx.match(text, m.end) for rx in self.patterns.not_followed_by_pattern):
            return False
        name = text[m.begin : m.end]
        if name in self.patterns.counted_names:
            rx = self.patterns.counted_before
            if rx is None or not rx.search(text, max(0, m.begin - 12), m.begin):
                return False
        for word in self.patterns.not_split:
            if any(
                name.endswith(word[:k]) and text.startswith(word[k:], m.end)
                for k in range(1, len(word))
            ):
                return False
        return not any(text.endswith(word, 0, m.begin) for word in self.patterns.not_preceded_by)

    def _institution(self, kind: InstitutionKind, span: Span, written: str) -> str:
        """A named school or college: an own body of the region, to be curated."""
        level = next((x for x in self.levels if written.startswith(x)), "")
        zh = self.meta.region_zh + written[len(level) :]
        if written.startswith(simplified(self.meta.region_zh[:-1])) or kind.type == "Enterprise":
            zh = written
        body_id = local_id(self.meta, "-".join(lazy_pinyin(zh.removeprefix(self.meta.region_zh))))
        if body_id not in self.known and body_id not in self.found:
            name = " ".join(p.capitalize() for p in lazy_pinyin(zh))
            self.found[body_id] = FoundBody(
                body_id, zh, f"{name} ({kind.en}, {self.meta.region_en})", kind.type, None, span
            )
        return body_id

    def _own_level(self, level: str) -> bool:
        """Whether a level names the report's own region: 县 in 栖梧县; a two-character level
        also when its characters stand in the name in order and it ends the name (师市 in
        第十七师青垣市, 林区 in 岚峪林区)."""
        if self.region.endswith(level) or (level == "地" and self.region.endswith("地区")):
            return True
        rest = iter(self.region)
        return len(level) > 1 and self.region.endswith(level[-1]) and all(c in rest for c in level)

    def _organ_body(self, level: Level, organ: Organ, span: Span, *, written: str = "") -> str:
        """The body a level + organ names: the region's own at its level, else that level's."""
        own = self._own_level(level.zh)
        name = written[len(level.zh) :] if written else organ.names[0]
        key = organ.key if own else f"{level.key}-{organ.key}"
        if organ.distinct:  # a class of organs: the name tells the body (县司法局, 县文旅局)
            key = "-".join([key, *lazy_pinyin(name)])
        body_id = local_id(self.meta, key)
        if body_id in self.known or body_id in self.found:
            return body_id
        parent = self.organ_by_key.get(organ.parent or "")
        self.found[body_id] = FoundBody(
            id=body_id,
            zh=(self.meta.region_zh if own else level.zh) + name,
            en=f"{self.meta.region_en if own else level.en} {organ.en}",
            type=organ.type,
            parent=self._organ_body(level, parent, span) if parent else None,
            span=span,
        )
        return body_id
