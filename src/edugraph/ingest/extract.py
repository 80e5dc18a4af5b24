"""Extraction from element text: bodies and their roles, target groups, stages, duty areas,
topics, cited documents and named office-holders.

Bodies come from the gazetteer and the genre's name patterns (ingest/bodies.py); their roles
from the clause that names them (ingest/roles.py, rules in data/reference/roles.toml). Where
the text names no lead, the issuing government is assumed, and the record says it was assumed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from edugraph.ingest.bodies import BodyFinder, Match
from edugraph.ingest.roles import roles
from edugraph.records import (
    BodyMention,
    DocumentMention,
    Element,
    FoundBody,
    Metadata,
    PersonMention,
    Span,
)
from edugraph.reference import Concept, LocalContext, Reference, local_id

DOCUMENT = re.compile(r"《([^《》\n]{2,80})》")
ACTIVITY_KINDS = ("measure", "plan")
SETTING = {"setting": "participant"}  # a setting (在…会议上) takes part, never leads

LineOf = Callable[[int], int]


class Extractor:
    """Extraction for one report: the gazetteer resolved for its region."""

    def __init__(self, reference: Reference, meta: Metadata, text: str):
        self.reference = reference
        self.meta = meta
        self.text = text
        self.local: LocalContext = reference.for_report(meta)
        self.finder = BodyFinder(reference, meta, self.local, text=text)
        self.government = local_id(meta, "government")
        self.group_cues = sorted(
            ((term, g.id) for g in reference.target_groups for term in (g.zh, *g.terms)),
            key=lambda c: -len(c[0]),
        )

    def enrich(self, element: Element, *, line_of: LineOf) -> None:
        """Fill an element's concepts, bodies, target groups, documents and persons."""
        text = element.span.text
        simple = self.finder.simple[element.span.begin : element.span.end]
        element.stages = concepts_in(simple, self.reference.stages)
        element.duty_areas = concepts_in(simple, self.reference.duty_areas)
        element.topics = concepts_in(simple, self.reference.topics)
        element.target_groups = self.target_groups(simple)
        element.documents = [
            DocumentMention(m.group(1), self._span(element, m.start(), m.end(), line_of))
            for m in DOCUMENT.finditer(text)
        ]
        element.bodies = self.bodies(element, line_of=line_of)
        element.persons = self.persons(element.span, line_of)

    def _span(self, element: Element, begin: int, end: int, line_of: LineOf) -> Span:
        b = element.span.begin + begin
        e = element.span.begin + end
        return Span(b, e, self.text[b:e], line_of(b))

    def found_bodies(self) -> list[FoundBody]:
        """Bodies the gazetteer lacks, recognised by the form of their names, in order found."""
        return list(self.finder.found.values())

    def matches(self, text: str) -> list[Match]:
        return self.finder.matches(text)

    def setter(self, text: str) -> str | None:
        """The body that hands down a quota: 中央下达我市扩招任务 → the central government."""
        at = text.rfind("下达")
        bodies = self.matches(text[:at]) if at >= 0 else []
        return bodies[-1].body if bodies else None

    def named(self, span: Span, *, line_of: LineOf) -> list[BodyMention]:
        """Every body named in a stretch of the text, with its role there, in text order."""
        simple = self.finder.simple[span.begin : span.end]
        found = self.finder.between(span.begin, span.end, line_of=line_of)
        rules = self.reference.role_rules
        return [
            BodyMention(
                match.body,
                SETTING.get(role, role),
                Span(
                    span.begin + match.begin,
                    span.begin + match.end,
                    self.text[span.begin + match.begin : span.begin + match.end],
                    line_of(span.begin + match.begin),
                ),
            )
            for match, role in zip(found, roles(simple, found, rules), strict=True)
        ]

    def bodies(self, element: Element, *, line_of: LineOf) -> list[BodyMention]:
        """One mention per body and role, in text order; the default lead only if none is named."""
        out: dict[tuple[str, str], BodyMention] = {}
        for mention in self.named(element.span, line_of=line_of):
            out.setdefault((mention.body, mention.role), mention)
        mentions = list(out.values())
        if element.kind in ACTIVITY_KINDS and not any(m.role == "lead" for m in mentions):
            mentions.append(BodyMention(self.government, "lead", None, default=True))
        return mentions

    def target_group_hits(self, text: str) -> list[tuple[int, int, str]]:
        """(begin, end, group) for each target group the text names: longest cue first,
        outside titles and document numbers, in text order."""
        cues = self.group_cues
        taken = [False] * len(text)
        for begin, end in self.finder.zones(text):
            taken[begin:end] = [True] * (end - begin)
        hits = []
        for term, group in cues:
            for m in re.finditer(re.escape(term), text):
                if not any(taken[m.start() : m.end()]):
                    taken[m.start() : m.end()] = [True] * len(term)
                    hits.append((m.start(), m.end(), group))
        return sorted(hits)

    def target_groups(self, text: str) -> list[str]:
        """Target groups the text names, each once, in order of first mention."""
        return list(dict.fromkeys(group for _, _, group in self.target_group_hits(text)))

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


def concepts_in(text: str, scheme: tuple[Concept, ...]) -> list[str]:
    """Ids of the concepts whose cue terms occur in the text, in scheme order."""
    return [c.id for c in scheme if any(term in text for term in c.terms)]
