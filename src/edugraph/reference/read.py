"""Reading the reference files (TOML), checking every field and cross-reference (types,
parents, posts, indicators), so that a mistake in reference data is one line naming the file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from edugraph.errors import InputError
from edugraph.reference.model import (
    BODY_TYPES,
    DEFAULT_DIR,
    ROLES,
    Body,
    BodyPatterns,
    Concept,
    Indicator,
    InstitutionKind,
    KnownPerson,
    Level,
    Organ,
    Post,
    Reference,
    RoleRule,
    Standard,
)


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
                      tuple(_regex(f, path) for f in _strings(e, "forms")),
                      distinct=bool(e.get("distinct", False)))  # fmt: skip
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
