"""Bodies, their roles and target groups against careful readings.

Two readings: the Chongqing report's 31 measures and 5 plans (tests/golden/chongqing-2020-roles.tsv)
and the development corpus of the genre (tests/fixtures/reports/genre, gold per fixture). The
corpus is scored on the whole text of each fixture, so that how a report is segmented does not
hide or add a body. Each test prints its scores (pytest -s shows them); the floors asserted are
those reached, to keep them from slipping back.

The issuing government is the report's author: its name over the title and under the
signature, and 我省 / 我市 where the report speaks of itself, name it without giving it a part in a
measure (extraction records a name on a line of its own as mentioned). The gold lists it only
where a measure names it; elsewhere a match that resolves to the issuing government is counted
apart, as the issuer, neither wrong nor in the reviewed list; so is a name on the addressee's
line. The office whose notice a report follows is in the gold, as mentioned.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import cache

import pytest

from edugraph.ingest.extract import Extractor
from edugraph.ingest.metadata import read_metadata
from edugraph.ingest.text import normalise, read_source
from edugraph.records import Report, Span
from edugraph.reference import Reference, load_reference
from tests.conftest import FIXTURES
from tests.genre import GenreFixture, genre_fixtures

GOLD = FIXTURES.parent / "golden" / "chongqing-2020-roles.tsv"
REVIEWED = FIXTURES.parent / "golden" / "genre-bodies-reviewed.tsv"
ROLES = ("lead", "participant", "partner", "beneficiary", "mentioned")
ISSUER = "(issuer)"
# The test's own notion of where no body may be named: a cited title, a document number.
TITLE = re.compile(r"《[^《》]*》")
NUMBER = re.compile(r"[〔\[［（(]\s*(?:19|20)\d{2}\s*[〕\]］）)]\s*第?\s*\d+\s*号")
# The addressee: a line of its own ending in a colon (云岙省人民政府教育督导委员会办公室：); the
# gold does not list it (README), so a match there is counted apart, neither found nor wrong.
ADDRESSEE = re.compile(r"^[ \t　]*[^\s，。；：:]{2,48}[：:][ \t　]*$", re.M)

Triple = tuple[str, str, str]  # (item, name as written, role)


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def precision_recall(
    gold: set[Triple] | set[tuple[str, str]], found: Iterable[object]
) -> tuple[float, float]:
    found = set(found)
    hit = len(gold & found)
    return ratio(hit, len(found)), ratio(hit, len(gold))


def by_role(gold: set[Triple], found: set[Triple]) -> dict[str, tuple[float, float, int, int]]:
    out = {}
    for role in ROLES:
        g = {t for t in gold if t[2] == role}
        f = {t for t in found if t[2] == role}
        p, r = precision_recall(g, f)
        out[role] = (p, r, len(g), len(f))
    return out


def print_roles(title: str, scores: dict[str, tuple[float, float, int, int]]) -> None:
    print(f"\n{title}\n  role          precision  recall   gold  found")
    for role, (p, r, g, f) in scores.items():
        print(f"  {role:<12}  {p:9.2f}  {r:6.2f}  {g:5d}  {f:5d}")


# --- Chongqing ---------------------------------------------------------------------------------


def group_id(reference: Reference, name: str) -> str:
    """The target group a reader's name stands for (its label or one of its cue terms)."""
    return next((g.id for g in reference.target_groups if name in (g.zh, *g.terms)), name)


def chongqing_gold() -> tuple[set[Triple], set[tuple[str, str]]]:
    bodies: set[Triple] = set()
    groups: set[tuple[str, str]] = set()
    for line in GOLD.read_text("utf-8").splitlines():
        if line.startswith("#") or line.startswith("item\t") or not line.strip():
            continue
        item, kind, name, role = line.split("\t")
        if kind == "body":
            bodies.add((item, name, role))
        else:
            groups.add((item, name))
    return bodies, groups


def chongqing_found(
    report: Report, reference: Reference
) -> tuple[set[Triple], set[tuple[str, str]]]:
    bodies: set[Triple] = set()
    groups: set[tuple[str, str]] = set()
    for e in report.of_kind("measure") + report.of_kind("plan"):
        for m in e.bodies:
            bodies.add((e.local_id, m.span.text if m.span else ISSUER, m.role))
        groups |= {(e.local_id, g) for g in e.target_groups}
    return bodies, groups


@pytest.fixture(scope="module")
def chongqing_scores(chongqing: Report, reference: Reference) -> dict[str, object]:
    gold_bodies, gold_names = chongqing_gold()
    gold_groups = {(item, group_id(reference, name)) for item, name in gold_names}
    bodies, groups = chongqing_found(chongqing, reference)
    return {
        "gold": gold_bodies,
        "found": bodies,
        "gold_groups": gold_groups,
        "groups": groups,
    }


def test_gold_reading_is_well_formed() -> None:
    bodies, groups = chongqing_gold()
    items = {t[0] for t in bodies}
    assert items == {f"measure/{n}" for n in range(1, 32)} | {f"plan/{n}" for n in range(1, 6)}
    assert {t[2] for t in bodies} <= set(ROLES)
    assert len(groups) >= 15


def test_chongqing_roles_against_a_careful_reading(chongqing_scores: dict[str, object]) -> None:
    gold: set[Triple] = chongqing_scores["gold"]  # type: ignore[assignment]
    found: set[Triple] = chongqing_scores["found"]  # type: ignore[assignment]
    print_roles("Chongqing (measure, body, role)", by_role(gold, found))
    named_gold = {t for t in gold if t[1] != ISSUER and t[2] != "mentioned"}
    named_found = {t for t in found if t[1] != ISSUER and t[2] != "mentioned"}
    p, r = precision_recall(named_gold, named_found)
    print(f"  named bodies with a role: precision {p:.2f} recall {r:.2f}")
    print(
        "  missed:",
        sorted(named_gold - named_found),
        "\n  wrong:",
        sorted(named_found - named_gold),
    )
    assert p >= 0.95 and r >= 0.95
    p_all, r_all = precision_recall(gold, found)
    print(f"  all rows (default leads, mentions): precision {p_all:.2f} recall {r_all:.2f}")
    assert p_all >= 0.93 and r_all >= 0.95


def test_chongqing_item_body_pairs(chongqing_scores: dict[str, object]) -> None:
    gold = {(i, n) for i, n, _ in chongqing_scores["gold"]}  # type: ignore[attr-defined]
    found = {(i, n) for i, n, _ in chongqing_scores["found"]}  # type: ignore[attr-defined]
    p, r = precision_recall(gold, found)
    print(f"\nChongqing item–body pairs: precision {p:.2f} recall {r:.2f}")
    assert p >= 0.97 and r >= 0.97


def test_chongqing_target_groups(chongqing_scores: dict[str, object]) -> None:
    gold: set[tuple[str, str]] = chongqing_scores["gold_groups"]  # type: ignore[assignment]
    found: set[tuple[str, str]] = chongqing_scores["groups"]  # type: ignore[assignment]
    p, r = precision_recall(gold, found)
    print(
        f"\nChongqing target groups: {len(gold & found)} of {len(gold)} linked, {len(found)} found; precision {p:.2f} recall {r:.2f}"
    )
    print("  missed:", sorted(gold - found), "\n  extra:", sorted(found - gold))
    assert len(gold & found) >= 15
    assert p >= 0.9 and r >= 0.95


def test_no_default_lead_where_a_lead_is_named_and_one_role_each(chongqing: Report) -> None:
    for e in chongqing.of_kind("measure") + chongqing.of_kind("plan"):
        defaults = [m for m in e.bodies if m.default]
        named_leads = [m for m in e.bodies if m.role == "lead" and not m.default]
        assert len(defaults) == (0 if named_leads else 1), e.local_id
        pairs = [(m.body, m.role) for m in e.bodies]
        assert len(pairs) == len(set(pairs)), e.local_id


# --- the genre ---------------------------------------------------------------------------------


def reviewed() -> set[tuple[str, str]]:
    """(slug, name) of matches the gold does not list that a reading judged right."""
    rows = [line.split("\t") for line in REVIEWED.read_text("utf-8").splitlines()]
    return {
        (r[0], r[1]) for r in rows if len(r) == 3 and not r[0].startswith("#") and r[0] != "slug"
    }


@dataclass
class GenreScore:
    gold: int = 0
    found: int = 0
    context_missing: int = 0
    mentions: int = 0
    wrong: list[str] = field(default_factory=list)
    right_not_in_gold: int = 0
    issuer: int = 0  # the issuing government named outside the gold's entries
    addressee: int = 0  # a body named on the addressee's line
    in_titles: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    roles: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, found) role pairs
    types: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, found) body types
    groups_gold: int = 0
    groups_found: int = 0


def gold_span(text: str, entry: dict[str, object]) -> tuple[int, int] | None:
    """Where the gold's name is in the text: inside its context, or next to it."""
    context, name = str(entry["context"]), str(entry["name"])
    at = text.find(context)
    if at < 0:  # a context read over lines the text rejoins (a number on a line of its own)
        context = "".join(context.split())
        at = text.find(context)
    if at < 0:
        return None
    if name in context:
        begin = at + context.find(name)
        return begin, begin + len(name)
    near = text.find(name, max(0, at - 60), at + len(context) + 60)
    return (near, near + len(name)) if near >= 0 else None


def score_fixture(
    fixture: GenreFixture, reference: Reference, total: GenreScore, right: set[tuple[str, str]]
) -> None:
    meta = read_metadata(fixture.source)
    norm = normalise(read_source(fixture.source))
    text = norm.text
    extractor = Extractor(reference, meta, text)
    mentions = extractor.named(Span(0, len(text), text, 1), line_of=norm.line_of)
    names = {str(b["name"]) for b in fixture.bodies}
    spans = []
    for entry in fixture.bodies:
        total.gold += 1
        where = gold_span(text, entry)
        if where is None:
            total.context_missing += 1
            total.missed.append(f"{fixture.slug}: {entry['name']} (context not in text)")
            continue
        spans.append(where)
        hit = next(
            (m for m in mentions if m.span and m.span.begin < where[1] and where[0] < m.span.end),
            None,
        )
        if hit is None:
            total.missed.append(f"{fixture.slug}: {entry['name']}")
            continue
        total.found += 1
        gold_role = "participant" if entry["role"] == "setting" else str(entry["role"])
        total.roles[(gold_role, hit.role)] += 1
        total.types[(str(entry.get("type", "")), body_type(extractor, hit.body))] += 1
    zones = [(m.start(), m.end()) for rx in (TITLE, NUMBER) for m in rx.finditer(text)]
    addressed = [(m.start(), m.end()) for m in ADDRESSEE.finditer(text)]
    for m in mentions:
        assert m.span is not None
        total.mentions += 1
        if any(b <= m.span.begin < e for b, e in zones):
            total.in_titles.append(f"{fixture.slug}: {m.span.text}")
        named = any(m.span.begin < e and b < m.span.end for b, e in spans)
        if named or any(n in m.span.text or m.span.text in n for n in names):
            continue
        if m.body == extractor.government:
            total.issuer += 1
        elif any(b <= m.span.begin < e for b, e in addressed):
            total.addressee += 1
        elif (fixture.slug, m.span.text) in right:
            total.right_not_in_gold += 1
        else:
            total.wrong.append(f"{fixture.slug}: {m.span.text}")
    hits = extractor.target_group_hits(extractor.finder.simple)
    for entry in fixture.target_groups:
        total.groups_gold += 1
        where = gold_span(text, entry)
        if where and any(b < where[1] and where[0] < e for b, e, _ in hits):
            total.groups_found += 1


# The gold's body types in the ontology's terms; a collective is typed by what it collects.
GOLD_TYPES = {"Department": "GovernmentDepartment", "CentralBody": "CentralAuthority"}


def body_type(extractor: Extractor, body: str) -> str:
    found = extractor.finder.found.get(body)
    return found.type if found else extractor.local.body(body).type


def types_agree(gold: str, found: str) -> bool:
    """The gold's School covers colleges too: its format has no University. Nor has it a type
    for people's organisations (妇联, 残联, 团县委) or a bureau's centres, which it files as
    Department and the graph as OtherBody."""
    if (gold, found) in (("School", "University"), ("Department", "OtherBody")):
        return True
    return gold == "Collective" or GOLD_TYPES.get(gold, gold) == found


@cache
def genre_scores() -> dict[str, GenreScore]:
    """The corpus's score (key ""), and each set's by the slug's prefix (c-, h-, k-, … n-)."""
    reference = load_reference()
    scores: dict[str, GenreScore] = {"": GenreScore()}
    for fixture in genre_fixtures():
        prefix = fixture.slug.split("-")[0] + "-"
        score_fixture(fixture, reference, scores.setdefault(prefix, GenreScore()), reviewed())
    sets = {key: s for key, s in scores.items() if key}
    scores[""] = merged(s for key, s in sets.items() if key not in NEW_SETS)
    if any(key in NEW_SETS for key in sets):
        scores["every"] = merged(sets.values())
    return scores


def merged(scores: Iterable[GenreScore]) -> GenreScore:
    """The score of several sets together."""
    total = GenreScore()
    for s in scores:
        for f in fields(GenreScore):
            setattr(total, f.name, getattr(total, f.name) + getattr(s, f.name))
    return total


def genre_score() -> GenreScore:
    return genre_scores()[""]


def print_sets() -> None:
    """One line a set of fixtures: bodies found, wrong, roles right, types right, groups."""
    print("  set   found          wrong         role right  type right  target groups")
    for key, s in sorted(genre_scores().items()):
        roles_right = sum(n for (g, f), n in s.roles.items() if g == f)
        types_right = sum(n for (g, f), n in s.types.items() if types_agree(g, f))
        print(
            f"  {key or 'all':<4}  {s.found:3d}/{s.gold:3d} {ratio(s.found, s.gold):4.0%}  "
            f"{len(s.wrong):3d}/{s.mentions:3d} {ratio(len(s.wrong), s.mentions):4.1%}  "
            f"{ratio(roles_right, sum(s.roles.values())):10.0%}  "
            f"{ratio(types_right, sum(s.types.values())):10.0%}  "
            f"{s.groups_found:3d}/{s.groups_gold:3d}"
        )


needs_corpus = pytest.mark.skipif(
    not genre_fixtures(), reason="no fixture of the genre has gold yet"
)


@needs_corpus
def test_genre_bodies_found_and_none_wrong() -> None:
    s = genre_score()
    recall = ratio(s.found, s.gold)
    wrong = ratio(len(s.wrong), s.mentions)
    print(
        f"\nGenre ({len(genre_fixtures())} fixtures): {s.found} of {s.gold} named bodies found "
        f"({recall:.0%}; {s.context_missing} contexts not in the text); {s.mentions} mentions, "
        f"{s.issuer} naming the issuer, {s.addressee} on the addressee's line, "
        f"{s.right_not_in_gold} right but not in the gold (reviewed), {len(s.wrong)} wrong "
        f"({wrong:.1%}); {len(s.in_titles)} inside a title or number"
    )
    print("  missed:", s.missed, "\n  wrong:", s.wrong)
    print_sets()
    assert s.in_titles == []
    assert recall >= 0.97
    assert wrong <= 0.002
    held_out = genre_scores().get("h-")
    if held_out:  # the set first scored unseen (issue 12: ≥ 90% found, ≤ 3% wrong)
        assert ratio(held_out.found, held_out.gold) >= 0.97
        assert ratio(len(held_out.wrong), held_out.mentions) <= 0.01


@needs_corpus
def test_genre_roles() -> None:
    s = genre_score()
    scores = {}
    for role in ROLES[:4]:
        gold = sum(n for (g, _), n in s.roles.items() if g == role)
        found = sum(n for (_, f), n in s.roles.items() if f == role)
        right = s.roles[(role, role)]
        scores[role] = (ratio(right, found), ratio(right, gold), gold, found)
    print_roles("Genre roles of the bodies found", scores)
    print("  (gold, found) pairs:", dict(s.roles))
    right = sum(n for (g, f), n in s.roles.items() if g == f)
    accuracy = ratio(right, sum(s.roles.values()))
    print(f"  role right for {accuracy:.0%} of the bodies found")
    assert accuracy >= 0.98
    for role in ("participant", "partner", "beneficiary"):
        p, r, _, _ = scores[role]
        # The k- gold reads the body after 联合 (A联合B开展…) as a second lead, where the rest
        # of the corpus reads it as taking part; the rules keep the rest's reading.
        assert p >= (0.93 if role == "participant" else 0.95) and r >= 0.95, role


# Each set's floors, just under what the extraction reaches: bodies found, wrong mentions (at
# most), roles right, types right, target groups found.
SET_FLOORS = {
    "c-": (0.92, 0.0, 0.99, 0.96, 0.99),
    "h-": (0.99, 0.0, 0.99, 0.99, 0.97),
    "k-": (0.96, 0.003, 0.96, 0.99, 0.95),
    "m-": (0.99, 0.0, 0.99, 0.97, 0.97),
    "p-": (0.99, 0.0, 0.99, 0.99, 0.99),
    "u-": (0.96, 0.004, 0.98, 0.96, 0.95),
    "w-": (0.95, 0.006, 0.98, 0.98, 0.92),
    "x-": (0.89, 0.031, 0.90, 0.98, 0.84),
    "y-": (0.93, 0.014, 0.92, 0.97, 0.91),
    "z-": (0.96, 0.013, 0.96, 0.98, 0.96),
    "n-": (0.99, 0.006, 0.99, 0.99, 0.96),
    # Set 10, folded in after general fixes and its gold read again: found 463/469, wrong 1 of
    # 535, roles 454/463, types 461/463, target groups 127/130.
    "o-": (0.98, 0.002, 0.98, 0.99, 0.97),
}
# Sets folded in below the corpus's floors: held to their own floors above and kept out of the
# corpus's score (key ""), which its floors bind, until they reach them; "every" scores all.
NEW_SETS = ("x-", "y-", "z-", "n-", "o-")


@needs_corpus
@pytest.mark.parametrize("prefix", sorted(SET_FLOORS))
def test_each_set_keeps_its_floors(prefix: str) -> None:
    s = genre_scores().get(prefix)
    if s is None:
        pytest.skip(f"no fixture of the set {prefix}")
    found, wrong, roles_right, types_right, groups = SET_FLOORS[prefix]
    assert ratio(s.found, s.gold) >= found
    assert ratio(len(s.wrong), s.mentions) <= wrong
    assert ratio(sum(n for (g, f), n in s.roles.items() if g == f), sum(s.roles.values())) >= (
        roles_right
    )
    assert ratio(
        sum(n for (g, f), n in s.types.items() if types_agree(g, f)), sum(s.types.values())
    ) >= (types_right)
    assert ratio(s.groups_found, s.groups_gold) >= groups


@needs_corpus
def test_genre_body_types() -> None:
    s = genre_score()
    right = sum(n for (g, f), n in s.types.items() if types_agree(g, f))
    print(f"\nGenre body types right for {right} of {sum(s.types.values())} bodies found")
    print("  disagreements:", {k: n for k, n in s.types.items() if not types_agree(*k)})
    assert ratio(right, sum(s.types.values())) >= 0.98


@needs_corpus
def test_genre_target_groups() -> None:
    s = genre_score()
    print(f"\nGenre target groups: {s.groups_found} of {s.groups_gold} found")
    assert ratio(s.groups_found, s.groups_gold) >= 0.97
