"""Reference data: stages, duty areas, topics and the gazetteer of bodies, read from TOML.

Kept as plain TOML so that analysts can extend it without touching RDF or code; the build
turns it into SKOS and ORG. Local bodies (市委, 市政府 …) are templates resolved per report.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from edugraph.errors import InputError
from edugraph.records import Metadata
from edugraph.resources import resource

DEFAULT_DIR = resource("reference")
BODY_TYPES = {
    "PartyCommittee", "PartyOrgan", "Government", "GovernmentDepartment", "CentralAuthority",
    "LeadingGroup", "Meeting", "University", "ResearchInstitute", "School", "Enterprise",
    "Legislature", "AdvisoryBody", "OtherBody",
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


def load_reference(directory: Path = DEFAULT_DIR) -> Reference:
    """Read every reference file, checking cross-references (types, parents, posts)."""
    bodies_file = directory / "bodies.toml"
    gazetteer = _read(bodies_file)
    ref = Reference(
        stages=_concepts(directory / "stages.toml"),
        duty_areas=_concepts(directory / "duty-areas.toml"),
        topics=_concepts(directory / "topics.toml"),
        bodies=tuple(_body(e, bodies_file, local=False) for e in gazetteer.get("body", [])),
        local_bodies=tuple(_body(e, bodies_file, local=True) for e in gazetteer.get("local", [])),
        posts=tuple(
            Post(str(e["key"]), str(e["zh"]), str(e["en"]), str(e["body"]))
            for e in gazetteer.get("post", [])
        ),
        persons=tuple(
            KnownPerson(str(e["zh"]), str(e["post"])) for e in gazetteer.get("person", [])
        ),
        indicators=_indicators(directory / "indicators.toml"),
        standards=_standards(directory / "standards.toml"),
        target_groups=_optional_concepts(directory / "target-groups.toml"),
        body_patterns=_body_patterns(directory / "body-patterns.toml"),
        role_rules=_role_rules(directory / "roles.toml"),
        directory=directory,
    )
    _check_links(ref, bodies_file)
    _check_figures(ref, directory)
    return ref


def _indicators(path: Path) -> tuple[Indicator, ...]:
    out = []
    for i, e in enumerate(_read(path).get("indicator", []), start=1):
        try:
            out.append(
                Indicator(
                    id=str(e["id"]),
                    zh=str(e["zh"]),
                    en=str(e["en"]),
                    unit=str(e["unit"]),
                    alt=tuple(str(a) for a in e.get("alt", ())),  # type: ignore[attr-defined]
                    phrases=tuple(str(a) for a in e.get("phrases", ())),  # type: ignore[attr-defined]
                    stage=_optional(e, "stage"),
                    after=_optional(e, "after"),
                    list_index=int(str(e["list_index"])) if "list_index" in e else None,
                    difference_of=_optional(e, "difference_of"),
                    definition=str(e.get("definition", "")),
                    requires=tuple(str(a) for a in e.get("requires", ())),  # type: ignore[attr-defined]
                )
            )
        except KeyError as exc:
            raise InputError(f"indicator #{i} lacks field {exc}", source=str(path)) from None
    return tuple(out)


def _standards(path: Path) -> tuple[Standard, ...]:
    out = []
    for i, e in enumerate(_read(path).get("standard", []), start=1):
        try:
            out.append(
                Standard(
                    id=str(e["id"]),
                    zh=str(e["zh"]),
                    en=str(e["en"]),
                    indicator=str(e["indicator"]),
                    comparator=str(e["comparator"]),
                    unit=str(e["unit"]),
                    set_by=tuple(str(b) for b in e.get("setBy", ())),  # type: ignore[attr-defined]
                    source=str(e["source"]),
                    source_year=str(e["source_year"]),
                    value=_optional(e, "value"),
                    reference_indicator=_optional(e, "reference_indicator"),
                    deadline=_optional(e, "deadline"),
                    source_note=str(e.get("source_note", "")),
                )
            )
        except KeyError as exc:
            raise InputError(f"standard #{i} lacks field {exc}", source=str(path)) from None
    return tuple(out)


def _optional(entry: dict[str, object], key: str) -> str | None:
    return str(entry[key]) if entry.get(key) not in (None, "") else None


def _check_figures(ref: Reference, directory: Path) -> None:
    ids = {i.id for i in ref.indicators}
    stages = {s.id for s in ref.stages}
    path = directory / "indicators.toml"
    for i in ref.indicators:
        for key in ("after", "difference_of"):
            target = getattr(i, key)
            if target and target not in ids:
                raise InputError(
                    f"indicator {i.id!r}: {key} names unknown {target!r}", source=str(path)
                )
        if i.stage and i.stage not in stages:
            raise InputError(f"indicator {i.id!r} has unknown stage {i.stage!r}", source=str(path))
    for group in ref.target_groups:
        if group.stage and group.stage not in stages:
            raise InputError(
                f"target group {group.id!r} has unknown stage {group.stage!r}",
                source=str(directory / "target-groups.toml"),
            )
    path = directory / "standards.toml"
    bodies = {b.id for b in ref.bodies}
    for s in ref.standards:
        if s.indicator not in ids or (s.reference_indicator and s.reference_indicator not in ids):
            raise InputError(f"standard {s.id!r} names an unknown indicator", source=str(path))
        if s.comparator not in (">=", "<=", "="):
            raise InputError(f"standard {s.id!r} has comparator {s.comparator!r}", source=str(path))
        if (s.value is None) == (s.reference_indicator is None):
            raise InputError(
                f"standard {s.id!r} needs value or reference_indicator", source=str(path)
            )
        unknown = [b for b in s.set_by if b not in bodies]
        if unknown:
            raise InputError(f"standard {s.id!r} setBy unknown {unknown}", source=str(path))


def _read(path: Path) -> dict[str, list[dict[str, object]]]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as exc:
        raise InputError(f"cannot read reference file: {exc.strerror}", source=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML: {exc}", source=str(path)) from None


def _optional_concepts(path: Path) -> tuple[Concept, ...]:
    return _concepts(path) if path.is_file() else ()


def _concepts(path: Path) -> tuple[Concept, ...]:
    out = []
    for i, e in enumerate(_read(path).get("concept", []), start=1):
        try:
            out.append(
                Concept(
                    id=str(e["id"]),
                    zh=str(e["zh"]),
                    en=str(e["en"]),
                    alt=tuple(e.get("alt", ())),  # type: ignore[arg-type]
                    terms=tuple(e.get("terms", ())),  # type: ignore[arg-type]
                    stage=_optional(e, "stage"),
                )
            )
        except KeyError as exc:
            raise InputError(f"concept #{i} lacks field {exc}", source=str(path)) from None
    return tuple(out)


def _strings(entry: dict[str, object], key: str) -> tuple[str, ...]:
    value = entry.get(key, ())
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _regex(pattern: str, path: Path) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise InputError(f"bad pattern {pattern!r}: {exc}", source=str(path)) from None


def _body_patterns(path: Path) -> BodyPatterns:
    if not path.is_file():
        return BodyPatterns()
    data: dict[str, object] = dict(_read(path))
    levels = [Level(str(e["zh"]), str(e["key"]), str(e["en"])) for e in _entries(data, "level")]
    organs = []
    for e in _entries(data, "organ"):
        organ = Organ(_strings(e, "zh"), str(e["key"]), str(e["en"]), str(e["type"]),
                      _optional(e, "parent"),
                      tuple(_regex(f, path) for f in _strings(e, "forms")))  # fmt: skip
        if organ.type not in BODY_TYPES:
            raise InputError(f"organ {organ.key!r}: unknown type {organ.type!r}", source=str(path))
        organs.append(organ)
    keys = {o.key for o in organs}
    for organ in organs:
        if organ.parent and organ.parent not in keys:
            raise InputError(f"organ {organ.key!r} has unknown parent", source=str(path))
    institution = data.get("institution", {})
    institution = institution if isinstance(institution, dict) else {}
    counted = data.get("counted", {})
    counted = counted if isinstance(counted, dict) else {}
    kinds = tuple(
        InstitutionKind(_strings(k, "zh"), str(k["type"]), str(k["en"]))
        for k in _entries(institution, "kinds")
    )
    if any(k.type not in BODY_TYPES for k in kinds):
        raise InputError("an institution kind has an unknown type", source=str(path))
    return BodyPatterns(
        institution_prefixes=_strings(institution, "prefix"),
        institution_modifier=str(institution.get("level_modifier", "")),
        institution_kinds=kinds,
        institution_place=str(institution.get("place", "")),
        institution_place_kinds=_strings(institution, "place_kinds"),
        institution_not_after=_strings(institution, "not_after"),
        institution_may_precede=_strings(institution, "may_precede"),
        not_split=_strings(data, "not_split"),
        not_followed_by=_strings(data, "not_followed_by"),
        not_preceded_by=_strings(data, "not_preceded_by"),
        not_followed_by_pattern=tuple(
            _regex(p, path) for p in _strings(data, "not_followed_by_pattern")
        ),
        counted_names=_strings(counted, "names"),
        counted_before=_regex(str(counted["before"]), path) if "before" in counted else None,
        not_preceded_by_pattern=tuple(
            _regex(p, path) for p in _strings(data, "not_preceded_by_pattern")
        ),
        exclude=tuple(_regex(p, path) for p in _strings(data, "exclude")),
        levels=tuple(levels),
        organs=tuple(organs),
    )


def _role_rules(path: Path) -> tuple[RoleRule, ...]:
    if not path.is_file():
        return ()
    rules = []
    for e in _entries(dict(_read(path)), "rule"):
        role = str(e.get("role", ""))
        if role not in ROLES:
            raise InputError(f"role rule has unknown role {role!r}", source=str(path))
        before, after, names = _optional(e, "before"), _optional(e, "after"), _optional(e, "names")
        rules.append(
            RoleRule(
                role=role,
                why=str(e.get("why", "")),
                before=_regex(before, path) if before else None,
                after=_regex(after, path) if after else None,
                names=_regex(names, path) if names else None,
            )
        )
    return tuple(rules)


def _entries(data: dict[str, object], key: str) -> list[dict[str, object]]:
    value = data.get(key, [])
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _body(e: dict[str, object], path: Path, *, local: bool) -> Body:
    key = "key" if local else "id"
    try:
        body = Body(
            id=str(e[key]),
            zh=str(e["zh"]),
            en=str(e["en"]),
            type=str(e["type"]),
            alt=tuple(e.get("alt", ())),  # type: ignore[arg-type]
            parent=str(e["parent"]) if e.get("parent") else None,
            local=local,
        )
    except KeyError as exc:
        raise InputError(f"body {e.get(key, '?')!r} lacks field {exc}", source=str(path)) from None
    if body.type not in BODY_TYPES:
        raise InputError(f"body {body.id!r} has unknown type {body.type!r}", source=str(path))
    return body


def _check_links(ref: Reference, path: Path) -> None:
    global_ids = {b.id for b in ref.bodies}
    local_ids = {b.id for b in ref.local_bodies}
    for b in ref.bodies:
        if b.parent and b.parent not in global_ids:
            raise InputError(f"body {b.id!r} has unknown parent {b.parent!r}", source=str(path))
    for b in ref.local_bodies:
        if b.parent and b.parent not in local_ids:
            raise InputError(
                f"local body {b.id!r} has unknown parent {b.parent!r}", source=str(path)
            )
    for p in ref.posts:
        if p.body not in global_ids | local_ids:
            raise InputError(f"post {p.key!r} names unknown body {p.body!r}", source=str(path))
    posts = {p.key for p in ref.posts}
    for person in ref.persons:
        if person.post not in posts:
            raise InputError(
                f"person {person.zh!r} has unknown post {person.post!r}", source=str(path)
            )
