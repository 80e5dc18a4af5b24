"""Which measures address which problem, and on what basis.

The genre states one alignment outright: the improvement measures (一)…(五) answer the problems
一是…五是 in order. Implemented measures are related to problems only where they share an
education stage and a key topic; the topics a problem's own sentence names weigh more than
those only its improvement measure names. Precision matters more than recall here, so a
shared stage alone never makes a link.
"""

from __future__ import annotations

from dataclasses import replace

from edugraph.records import Element, ProblemLink

STATED_ALIGNED = 1.0  # parallel order and a shared stage
STATED_ORDER_ONLY = 0.8  # parallel order, no shared stage to confirm it
FROM_PROBLEM = 0.6  # one topic named by the problem itself
FROM_PLAN = 0.5  # one topic named only by the problem's improvement measure
PER_EXTRA_TOPIC = 0.1
CEILING = 0.9
MOST_PER_MEASURE = 3  # a measure bears on its best few problems, not on every one alike


def link_problems(elements: list[Element]) -> list[ProblemLink]:
    """Stated links, then each measure's inferred links to its best problems. Problems alike in
    stages, topics and answering plan are scored once, so the work grows with the text."""
    problems = [e for e in elements if e.kind == "problem"]
    plans = [e for e in elements if e.kind == "plan"]
    measures = [e for e in elements if e.kind == "measure"]
    stated = _stated(plans, problems)
    by_id = plans_by_id(plans)
    answer = {link.problem: by_id[link.source] for link in stated}
    alike: dict[tuple[object, ...], list[Element]] = {}
    for problem in problems:
        plan = answer.get(problem.n)
        key = (tuple(problem.stages), tuple(problem.topics), tuple(plan.topics) if plan else None)
        alike.setdefault(key, []).append(problem)
    inferred = []
    for measure in measures:
        best: list[tuple[float, int, ProblemLink]] = []
        for group in alike.values():
            first = _inferred(measure, group[0], answer.get(group[0].n))
            if first is None:
                continue
            for problem in group[:MOST_PER_MEASURE]:
                link = first if problem is group[0] else _inferred_for(first, problem)
                best.append((-link.confidence, problem.n, link))
        best.sort(key=lambda b: (b[0], b[1]))
        chosen = sorted(best[:MOST_PER_MEASURE], key=lambda b: b[1])
        inferred += [link for _, _, link in chosen]
    return stated + inferred


def _inferred_for(link: ProblemLink, problem: Element) -> ProblemLink:
    return replace(link, problem=problem.n)


def plans_by_id(plans: list[Element]) -> dict[str, Element]:
    return {p.local_id: p for p in plans}


def _stated(plans: list[Element], problems: list[Element]) -> list[ProblemLink]:
    """Plan k answers problem k when the report lists as many of each."""
    if not plans or len(plans) != len(problems):
        alike = _alike(problems)
        return [link for plan in plans if (link := _best_problem(plan, alike)) is not None]
    links = []
    for plan, problem in zip(plans, problems, strict=True):
        shared = tuple(s for s in plan.stages if s in problem.stages)
        confidence = STATED_ALIGNED if shared else STATED_ORDER_ONLY
        links.append(ProblemLink(plan.local_id, problem.n, "stated", confidence, shared))
    return links


def _alike(problems: list[Element]) -> list[Element]:
    """The first of the problems alike in stages and topics (they score alike): found once, not
    once per plan, which made a long report quadratic."""
    alike: dict[tuple[object, ...], Element] = {}
    for problem in problems:
        alike.setdefault((tuple(problem.stages), tuple(problem.topics)), problem)
    return list(alike.values())


def _best_problem(plan: Element, alike: list[Element]) -> ProblemLink | None:
    """Without a parallel list, a plan answers the problem it shares most with."""
    scored = [(_inferred(plan, problem, None), problem) for problem in alike]
    candidates = [(link, p) for link, p in scored if link is not None]
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0].confidence, -c[1].n))[0]


def _inferred(source: Element, problem: Element, plan: Element | None) -> ProblemLink | None:
    stages = tuple(s for s in source.stages if s in problem.stages)
    if not stages:
        return None
    direct = [t for t in source.topics if t in problem.topics]
    via_plan = [t for t in source.topics if plan and t in plan.topics and t not in direct]
    if not direct and not via_plan:
        return None
    base = FROM_PROBLEM if direct else FROM_PLAN
    extra = len(direct) + len(via_plan) - 1
    confidence = round(min(CEILING, base + PER_EXTRA_TOPIC * extra), 2)
    topics = tuple(direct + via_plan)
    return ProblemLink(source.local_id, problem.n, "inferred", confidence, stages, topics)
