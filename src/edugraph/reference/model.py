"""Reference data as loaded: the records the reference files hold (concepts, indicators,
standards, bodies, body patterns, role rules) and the bodies and posts of one report's region,
resolved from the templates (市委, 市政府 …)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from edugraph.records import Metadata
from edugraph.resources import resource

DEFAULT_DIR = resource("reference")
BODY_TYPES = {
    "PartyCommittee", "PartyOrgan", "Government", "GovernmentDepartment", "CentralAuthority",
    "LeadingGroup", "Meeting", "University", "ResearchInstitute", "School", "Enterprise",
    "Legislature", "AdvisoryBody", "JudicialBody", "OtherBody",
}  # fmt: skip
ROLES = {"lead", "participant", "partner", "beneficiary", "setting", "mentioned"}


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    zh: str
    en: str
    alt: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    stage: str | None = None


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    zh: str
    en: str
    unit: str
    alt: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    stage: str | None = None
    after: str | None = None
    list_index: int | None = None
    difference_of: str | None = None
    definition: str = ""
    requires: tuple[str, ...] = ()  # words its sentence must hold for a generic cue to count

    @property
    def cues(self) -> tuple[str, ...]:
        """Every text cue: the label, alt labels and phrases (an `after` cue only its phrases)."""
        return self.phrases if self.after else (self.zh, *self.alt, *self.phrases)


@dataclass(frozen=True, slots=True)
class Standard:
    id: str
    zh: str
    en: str
    indicator: str
    comparator: str
    unit: str
    set_by: tuple[str, ...]
    source: str
    source_year: str
    value: str | None = None
    reference_indicator: str | None = None
    deadline: str | None = None
    source_note: str = ""


@dataclass(frozen=True, slots=True)
class Body:
    id: str
    zh: str
    en: str
    type: str
    alt: tuple[str, ...] = ()
    parent: str | None = None
    local: bool = False


@dataclass(frozen=True, slots=True)
class Level:
    """An administrative level as the character that qualifies an organ: 省, 市, 县 …"""

    zh: str
    key: str
    en: str


@dataclass(frozen=True, slots=True)
class Organ:
    """An organ a level has (委, 政府, 教育局 …), written after the level character."""

    names: tuple[str, ...]
    key: str
    en: str
    type: str
    parent: str | None = None
    forms: tuple[re.Pattern[str], ...] = ()  # written forms with a count: 县直12个部门
    distinct: bool = False  # each name its own body: 县司法局 and 县文旅局 are two


@dataclass(frozen=True, slots=True)
class InstitutionKind:
    """A kind of school or college, by the word its name ends with (中学, 职业技术学院)."""

    names: tuple[str, ...]
    type: str
    en: str


@dataclass(frozen=True, slots=True)
class BodyPatterns:
    """Boundaries of names, zones without bodies, and the region-qualified forms."""

    not_followed_by: tuple[str, ...] = ()
    not_preceded_by: tuple[str, ...] = ()
    not_split: tuple[str, ...] = ()  # words a name's end would cut: 中办 in 县中办学
    not_followed_by_pattern: tuple[re.Pattern[str], ...] = ()
    not_preceded_by_pattern: tuple[re.Pattern[str], ...] = ()  # 辖8个县（市）: a statistic
    counted_names: tuple[str, ...] = ()  # class nouns that are bodies only after `counted_before`
    counted_before: re.Pattern[str] | None = None  # 与2所高校, 和14个乡镇
    exclude: tuple[re.Pattern[str], ...] = ()
    levels: tuple[Level, ...] = ()
    organs: tuple[Organ, ...] = ()
    institution_prefixes: tuple[str, ...] = ()
    institution_modifier: str = ""
    institution_kinds: tuple[InstitutionKind, ...] = ()
    institution_place: str = ""  # any place's name, before the kinds that keep it
    institution_place_kinds: tuple[str, ...] = ()
    institution_not_after: tuple[str, ...] = ()  # 全省中等职业学校: a class, not a school
    institution_may_precede: tuple[str, ...] = ()  # 县第一中学在校生: still the school


@dataclass(frozen=True, slots=True)
class RoleRule:
    """A role read from the words before and after a body in its clause."""

    role: str
    why: str
    before: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None
    names: re.Pattern[str] | None = None  # searched in the body's (or list's) own words

    def holds(self, before: str, after: str, names: str = "") -> bool:
        return (
            (self.before is None or self.before.search(before) is not None)
            and (self.after is None or self.after.search(after) is not None)
            and (self.names is None or self.names.search(names) is not None)
        )


@dataclass(frozen=True, slots=True)
class Post:
    key: str
    zh: str
    en: str
    body: str


@dataclass(frozen=True, slots=True)
class KnownPerson:
    zh: str
    post: str


@dataclass(frozen=True)
class LocalContext:
    """Bodies and posts resolved for one report's region."""

    bodies: tuple[Body, ...]
    posts: tuple[Post, ...]

    @cached_property
    def names(self) -> list[tuple[str, str]]:
        """(name, body id), longest name first, for gazetteer matching."""
        pairs = {(name, b.id) for b in self.bodies for name in (b.zh, *b.alt)}
        return sorted(pairs, key=lambda p: (-len(p[0]), p[0]))

    def body(self, body_id: str) -> Body:
        for b in self.bodies:
            if b.id == body_id:
                return b
        raise KeyError(body_id)


@dataclass(frozen=True, slots=True)
class Reference:
    stages: tuple[Concept, ...]
    duty_areas: tuple[Concept, ...]
    topics: tuple[Concept, ...]
    bodies: tuple[Body, ...]
    local_bodies: tuple[Body, ...]
    posts: tuple[Post, ...]
    persons: tuple[KnownPerson, ...]
    indicators: tuple[Indicator, ...] = ()
    standards: tuple[Standard, ...] = ()
    target_groups: tuple[Concept, ...] = ()
    body_patterns: BodyPatterns = field(default_factory=BodyPatterns)
    role_rules: tuple[RoleRule, ...] = ()
    directory: Path = field(default=DEFAULT_DIR)

    def indicator(self, indicator_id: str) -> Indicator:
        for i in self.indicators:
            if i.id == indicator_id:
                return i
        raise KeyError(indicator_id)

    def for_report(self, meta: Metadata) -> LocalContext:
        return LocalContext(
            bodies=self.bodies + tuple(_resolve_body(b, meta) for b in self.local_bodies),
            posts=tuple(_resolve_post(p, meta, self) for p in self.posts),
        )


def _fill(template: str, meta: Metadata) -> str:
    return (
        template.replace("{L}", meta.admin_suffix)
        .replace("{R}", meta.region_zh)
        .replace("{E}", meta.region_en)
    )


def local_id(meta: Metadata, key: str) -> str:
    return f"{meta.region}-{key}"


def _resolve_body(b: Body, meta: Metadata) -> Body:
    return Body(
        id=local_id(meta, b.id),
        zh=_fill(b.zh, meta),
        en=_fill(b.en, meta),
        type=b.type,
        alt=tuple(dict.fromkeys(_fill(a, meta) for a in b.alt)),
        parent=local_id(meta, b.parent) if b.parent else None,
        local=True,
    )


def _resolve_post(p: Post, meta: Metadata, ref: Reference) -> Post:
    local = any(b.id == p.body for b in ref.local_bodies)
    body = local_id(meta, p.body) if local else p.body
    return Post(key=p.key, zh=_fill(p.zh, meta), en=_fill(p.en, meta), body=body)
