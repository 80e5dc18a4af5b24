"""The sections only some resources' pages have: a report's outline, a problem's measures,
a measure's bodies, a body's measures, an indicator's figures, the problems and measures of
a concept, a text with its spans. Each is built from the rows of one internal query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib.namespace import ORG

from edugraph.vocab import EDU, ROLE
from edugraph.web.internal import Row
from edugraph.web.numbers import human
from edugraph.web.service import Service
from edugraph.web.terms import Labels, Term, iri_term, term

SPAN_FRAGMENT = re.compile(r"#(char=\d+,\d+)$")
FIGURE_KINDS = {
    "observation": "数据 Figure",
    "target": "目标 Target",
    "standard": "国家标准 Standard",
}
CONCEPT_TYPES = {str(EDU.Stage), str(EDU.DutyArea), str(EDU.Topic), str(EDU.TargetGroup)}
BODY_TYPES = {str(ORG.Organization), "http://data.europa.eu/m8g/PublicOrganisation"}
ROLE_ORDER = [str(role) for role in ROLE.values()]
# the internal query of each section, and the types of resource that have it
SECTIONS = {
    "outline": ("report-outline", {str(EDU.SelfEvaluationReport)}),
    "responses": ("problem-measures", {str(EDU.Problem)}),
    "bodies": ("measure-bodies", {str(EDU.Measure)}),
    "roles": ("body-measures", BODY_TYPES),
    "figures": ("indicator-figures", {str(EDU.Indicator)}),
    "concerned": ("concept-items", CONCEPT_TYPES),
}


@dataclass(slots=True)
class Node:
    """An entry of the report's outline: a part, heading, item or problem."""

    term: Term
    notation: str
    order: tuple[int, str]
    type: str
    children: list[Node] = field(default_factory=list)
    answers: list[Node] = field(default_factory=list)  # plans that answer a problem


@dataclass(frozen=True, slots=True)
class Response:
    measure: Term
    status: Term | None
    basis: Term
    confidence: str
    reason: str
    bodies: list[Role] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Role:
    """A body in a measure, or a measure of a body, with the role the body has in it."""

    term: Term
    role: Term
    default: bool
    report: Term | None = None
    via: Term | None = None  # the meeting of the body that takes part, on a body's page
    groups: tuple[Term, ...] = ()  # the measure's target groups, on a body's page


@dataclass(frozen=True, slots=True)
class Figure:
    kind: str
    item: Term
    value: str
    unit: Term | None
    period: Term | None
    detail: Term | None
    report: Term | None

    @property
    def readable(self) -> str:
        """The value as people write it (14.76亿元), in the figure's unit."""
        unit = self.unit
        return human(self.value, unit.title if unit else None, unit.text if unit else None)


@dataclass(frozen=True, slots=True)
class Piece:
    anchors: tuple[str, ...]  # ids of the spans that begin here
    text: str


def order_key(row: Row) -> tuple[int, str]:
    order = row.get("order", {}).get("value", "")
    return (int(order) if order.lstrip("-").isdigit() else 1 << 30, order)


def outline(svc: Service, found: list[Row], labels: Labels) -> list[Node]:
    """Parts → headings → items, each problem with the plans that answer it; a plan that
    answers a problem of its own part is shown under the problem, not beside it."""
    nodes: dict[str, Node] = {}
    parents: dict[str, str] = {}
    answers: dict[str, list[str]] = {}
    for row in found:
        iri = row["node"]["value"]
        if iri not in nodes:
            nodes[iri] = Node(
                iri_term(iri, svc, labels),
                row.get("notation", {}).get("value", ""),
                order_key(row),
                row["type"]["value"],
            )
            parents[iri] = row["parent"]["value"]
        if "answers" in row:
            answers.setdefault(row["answers"]["value"], []).append(iri)
    nested: set[str] = set()
    for problem, plans in answers.items():
        for plan in sorted(set(plans), key=lambda p: nodes[p].order):
            if problem in nodes:
                nodes[problem].answers.append(nodes[plan])
                if parents.get(plan) == parents.get(problem):
                    nested.add(plan)
    roots: list[Node] = []
    for iri, node in nodes.items():
        if iri in nested:
            continue
        parent = parents[iri]
        if parent in nodes:
            nodes[parent].children.append(node)
        else:  # the report itself (or a parent this report does not hold)
            roots.append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: n.order)
    return sorted(roots, key=lambda n: n.order)


def responses(svc: Service, found: list[Row], labels: Labels) -> list[Response]:
    """A problem's measures, one each, with the link's basis and the measure's bodies."""
    out: dict[str, Response] = {}
    bodies: dict[str, list[Row]] = {}
    for row in found:
        measure = row["measure"]["value"]
        if "body" in row:
            bodies.setdefault(measure, []).append(row)
        if measure in out:
            continue
        out[measure] = Response(
            measure=iri_term(measure, svc, labels),
            status=iri_term(row["status"]["value"], svc, labels) if "status" in row else None,
            basis=iri_term(row["basis"]["value"], svc, labels),
            confidence=row.get("confidence", {}).get("value", ""),
            reason=row.get("reason", {}).get("value", ""),
        )
    for measure, rows in bodies.items():
        out[measure].bodies.extend(roles(svc, rows, "body", labels))
    return sorted(out.values(), key=lambda r: (-float(r.confidence or 0), r.measure.title or ""))


def roles(svc: Service, found: list[Row], column: str, labels: Labels) -> list[Role]:
    out = {
        Role(
            iri_term(row[column]["value"], svc, labels),
            iri_term(row["role"]["value"], svc, labels),
            row.get("default", {}).get("value") == "true",
            iri_term(row["report"]["value"], svc, labels) if "report" in row else None,
        ): (
            role_rank(row["role"]["value"]),
            row.get("report", {}).get("value", ""),
            row.get("status", {}).get("value", ""),
            order_key(row),
        )
        for row in found
    }
    return sorted(out, key=lambda role: out[role])


def role_rank(role: str) -> int:
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)


def by_role(
    svc: Service, found: list[Row], labels: Labels, *, this: str
) -> list[tuple[Term, list[Role]]]:
    """A body's measures, grouped by its role in them: lead first; each with the meeting
    through which the body takes part (if it is not the body itself) and its target groups."""
    targets: dict[str, dict[str, None]] = {}
    for row in found:
        groups = targets.setdefault(row["measure"]["value"], {})
        if "group" in row:
            groups[row["group"]["value"]] = None
    heads: dict[str, tuple[Term, list[Role]]] = {}
    seen: set[tuple[str, str, str]] = set()
    for row in by_rank(found):
        measure, agent = row["measure"]["value"], row["agent"]["value"]
        key = (measure, row["role"]["value"], agent)
        if key in seen:
            continue
        seen.add(key)
        role = Role(
            iri_term(measure, svc, labels),
            iri_term(row["role"]["value"], svc, labels),
            row.get("default", {}).get("value") == "true",
            iri_term(row["report"]["value"], svc, labels) if "report" in row else None,
            via=iri_term(agent, svc, labels) if agent != this else None,
            groups=tuple(iri_term(g, svc, labels) for g in sorted(targets[measure])),
        )
        heads.setdefault(role.role.title or role.role.text, (role.role, []))[1].append(role)
    return list(heads.values())


def by_rank(found: list[Row]) -> list[Row]:
    return sorted(
        found,
        key=lambda row: (
            role_rank(row["role"]["value"]),
            row.get("report", {}).get("value", ""),
            row.get("status", {}).get("value", ""),
            order_key(row),
        ),
    )


def figures(svc: Service, found: list[Row], labels: Labels) -> list[Figure]:
    def optional(row: Row, name: str) -> Term | None:
        return term(row[name], svc, labels) if name in row else None

    out = [
        Figure(
            kind=FIGURE_KINDS.get(row["kind"]["value"], row["kind"]["value"]),
            item=iri_term(row["item"]["value"], svc, labels),
            value=row["value"]["value"],
            unit=optional(row, "unit"),
            period=optional(row, "period"),
            detail=optional(row, "detail"),
            report=optional(row, "report"),
        )
        for row in found
    ]
    kinds = list(FIGURE_KINDS.values())
    return sorted(
        set(out),
        key=lambda f: (
            kinds.index(f.kind) if f.kind in kinds else len(kinds),
            f.report.title if f.report else "",
            f.period.text if f.period else "",
            f.item.title or "",
        ),
    )


def concerned(svc: Service, found: list[Row], labels: Labels) -> list[tuple[str, list[Role]]]:
    """Problems, implemented measures and planned measures that name this stage, duty area,
    topic or target group."""
    heads = {
        "problem": "问题 Problems",
        "implemented": "已实施的措施 Measures",
        "planned": "改进措施 Plans",
    }
    groups: dict[str, dict[str, tuple[tuple[str, tuple[int, str]], Role]]] = {h: {} for h in heads}
    for row in found:
        if row["type"]["value"] == str(EDU.Problem):
            head = "problem"
        else:
            head = (
                "planned"
                if row.get("status", {}).get("value") == str(EDU.Planned)
                else "implemented"
            )
        item = row["item"]["value"]
        report = row.get("report", {}).get("value", "")
        groups[head][item] = (
            (report, order_key(row)),
            Role(
                iri_term(item, svc, labels),
                iri_term(row["type"]["value"], svc, labels),
                False,
                iri_term(report, svc, labels) if report else None,
            ),
        )
    return [
        (heads[head], [role for _, role in sorted(items.values(), key=lambda p: p[0])])
        for head, items in groups.items()
        if items
    ]


def pieces(text: str, iri: str, spans: list[Row]) -> list[list[Piece]]:
    """The report's text in paragraphs, with an empty anchor where each span begins, so that
    a span's hash IRI (text#char=b,e) opens the text at its sentence."""
    starts: dict[int, list[str]] = {}
    for row in spans:
        span = row["span"]["value"]
        fragment = SPAN_FRAGMENT.search(span)
        if fragment and span.startswith(f"{iri}#"):
            starts.setdefault(int(row["begin"]["value"]), []).append(fragment.group(1))
    paragraphs: list[list[Piece]] = []
    offset = 0
    for line in text.split("\n"):
        cuts = sorted(b for b in starts if offset <= b <= offset + len(line))
        line_pieces: list[Piece] = []
        previous = offset
        anchors: tuple[str, ...] = ()
        for cut in cuts:
            if cut > previous:
                line_pieces.append(Piece(anchors, text[previous:cut]))
                anchors = ()
            anchors += tuple(sorted(starts[cut]))
            previous = cut
        line_pieces.append(Piece(anchors, text[previous : offset + len(line)]))
        paragraphs.append(line_pieces)
        offset += len(line) + 1
    return paragraphs
