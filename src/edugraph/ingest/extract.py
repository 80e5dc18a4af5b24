"""Extraction from element text: bodies and their roles, stages, duty areas, topics,
cited documents and named office-holders.

Rules are lexical and conservative: a body is only found through the gazetteer, and its role
comes from the words around it (与 … → partner, 支持 … → beneficiary, a clause that opens with
the body → lead). Where nothing marks a lead, the issuing government is assumed, and the
record says it was assumed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from edugraph.records import BodyMention, DocumentMention, Element, Metadata, PersonMention, Span
from edugraph.reference import Concept, LocalContext, Reference, local_id

CLAUSE_BREAK = "，。；：！？\n,;:"
LIST_GAPS = ("、", "和", "及", "以及", "、以及")
LEAD_PREFIXES = ("", "由", "经", "以", "在", "经过", "我", "全")
LEAD_VERBS = (
    "牵头",
    "主持",
    "召开",
    "印发",
    "出台",
    "部署",
    "重视",
    "带头",
    "审议",
    "专题研究",
    "多次",
)
PARTNER_CUE = re.compile(r"(?<!参)与|联合|携手")
ELEMENT_MARKER = re.compile(
    r"^(?:[0-9０-９]{1,3}[.．、]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+是)"
)
BENEFICIARY_CUES = ("支持", "资助", "惠及", "补助", "奖励", "帮扶", "扶持", "下达给", "拨付")
MENTION_ONLY_CUES = ("得到", "推荐到", "落实", "报送", "上报", "经验在")
DOCUMENT = re.compile(r"《([^《》\n]{2,80})》")
ACTIVITY_KINDS = ("measure", "plan")

LineOf = Callable[[int], int]


@dataclass(frozen=True, slots=True)
class Match:
    begin: int
    end: int
    body: str


class Extractor:
    """Extraction for one report: the gazetteer resolved for its region."""

    def __init__(self, reference: Reference, meta: Metadata, text: str):
        self.reference = reference
        self.meta = meta
        self.text = text
        self.local: LocalContext = reference.for_report(meta)
        names = [re.escape(name) for name, _ in self.local.names]
        self.body_of = dict(self.local.names)
        self.gazetteer = re.compile("|".join(names))
        self.government = local_id(meta, "government")

    def enrich(self, element: Element, *, line_of: LineOf) -> None:
        """Fill an element's stages, duty areas, topics, bodies, documents and persons."""
        text = element.span.text
        element.stages = concepts_in(text, self.reference.stages)
        element.duty_areas = concepts_in(text, self.reference.duty_areas)
        element.topics = concepts_in(text, self.reference.topics)
        element.documents = [
            DocumentMention(m.group(1), self._span(element, m.start(), m.end(), line_of))
            for m in DOCUMENT.finditer(text)
        ]
        element.bodies = self._bodies(element, line_of)
        element.persons = self.persons(element.span, line_of)

    def _span(self, element: Element, begin: int, end: int, line_of: LineOf) -> Span:
        b = element.span.begin + begin
        e = element.span.begin + end
        return Span(b, e, self.text[b:e], line_of(b))

    def matches(self, text: str) -> list[Match]:
        return [
            Match(m.start(), m.end(), self.body_of[m.group(0)])
            for m in self.gazetteer.finditer(text)
        ]

    def setter(self, text: str) -> str | None:
        """The body that hands down a quota: 中央下达我市扩招任务 → the central government."""
        at = text.rfind("下达")
        bodies = self.matches(text[:at]) if at >= 0 else []
        return bodies[-1].body if bodies else None

    def _bodies(self, element: Element, line_of: LineOf) -> list[BodyMention]:
        text = element.span.text
        found: list[BodyMention] = []
        previous: tuple[Match, str | None] | None = None
        for match in self.matches(text):
            role = self._role(text, match, previous)
            previous = (match, role)
            span = self._span(element, match.begin, match.end, line_of)
            found.append(BodyMention(match.body, role or "mentioned", span))
        if element.kind in ACTIVITY_KINDS and not any(b.role == "lead" for b in found):
            found.append(BodyMention(self.government, "lead", None, default=True))
        return found

    def _role(
        self, text: str, match: Match, previous: tuple[Match, str | None] | None
    ) -> str | None:
        start = max(text.rfind(c, 0, match.begin) for c in CLAUSE_BREAK) + 1
        if start == 0 and (marker := ELEMENT_MARKER.match(text)):
            start = marker.end()
        if previous and previous[0].end >= start:
            gap = text[previous[0].end : match.begin]
            if gap in LIST_GAPS:
                return previous[1]
        lookback = text[start : match.begin]
        after = text[match.end : _clause_end(text, match.end)]
        if any(cue in lookback for cue in MENTION_ONLY_CUES):
            return None
        if PARTNER_CUE.search(lookback):
            return "partner"
        if any(cue in lookback for cue in BENEFICIARY_CUES):
            return "beneficiary"
        if lookback.strip() in LEAD_PREFIXES or any(v in after[:12] for v in LEAD_VERBS):
            return "lead"
        return "participant"

    def persons(self, span: Span, line_of: LineOf) -> list[PersonMention]:
        """Office-holders named next to their post: 市委书记陈敏尔, 习近平总书记."""
        out: list[PersonMention] = []
        for post in self.local.posts:
            pattern = re.compile(
                re.escape(post.zh)
                + r"([\u4e00-\u9fff]{2,3}?)(?=[、，。；对在和与及同主多亲专带深调率到出])"
            )
            for m in pattern.finditer(span.text):
                begin = span.begin + m.start(1)
                s = Span(begin, span.begin + m.end(1), m.group(1), line_of(begin))
                out.append(PersonMention(m.group(1), post.zh, post.body, s))
        for person in self.reference.persons:
            post = next(p for p in self.local.posts if p.key == person.post)
            for m in re.finditer(re.escape(person.zh + post.zh), span.text):
                begin = span.begin + m.start()
                s = Span(begin, begin + len(person.zh), person.zh, line_of(begin))
                out.append(PersonMention(person.zh, post.zh, post.body, s))
        return sorted(out, key=lambda p: p.span.begin)


def _clause_end(text: str, start: int) -> int:
    ends = [i for i in (text.find(c, start) for c in CLAUSE_BREAK) if i >= 0]
    return min(ends, default=len(text))


def concepts_in(text: str, scheme: tuple[Concept, ...]) -> list[str]:
    """Ids of the concepts whose cue terms occur in the text, in scheme order."""
    return [c.id for c in scheme if any(term in text for term in c.terms)]
