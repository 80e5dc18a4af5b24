"""Which measures address which problem, and on what basis.

The genre states one alignment outright: the improvement measures (一)…(五) answer the problems
一是…五是 in order. Implemented measures are related to problems only where they share an
education stage and a key topic; the topics a problem's own sentence names weigh more than
those only its improvement measure names. Precision matters more than recall here, so a
shared stage alone never makes a link.
"""

from __future__ import annotations

from edugraph.records import Element, ProblemLink

STATED_ALIGNED = 1.0  # parallel order and a shared stage
STATED_ORDER_ONLY = 0.8  # parallel order, no shared stage to confirm it
FROM_PROBLEM = 0.6  # one topic named by the problem itself
FROM_PLAN = 0.5  # one topic named only by the problem's improvement measure
PER_EXTRA_TOPIC = 0.1
CEILING = 0.9


def link_problems(elements: list[Element]) -> list[ProblemLink]:
    problems = [e for e in elements if e.kind == "problem"]
    plans = [e for e in elements if e.kind == "plan"]
    measures = [e for e in elements if e.kind == "measure"]
    stated = _stated(plans, problems)
    answer = {link.problem: plans_by_id(plans)[link.source] for link in stated}
    inferred = [
        link
        for measure in measures
        for problem in problems
        if (link := _inferred(measure, problem, answer.get(problem.n))) is not None
    ]
    return stated + inferred


def plans_by_id(plans: list[Element]) -> dict[str, Element]:
    return {p.local_id: p for p in plans}


def _stated(plans: list[Element], problems: list[Element]) -> list[ProblemLink]:
    """Plan k answers problem k when the report lists as many of each."""
    if not plans or len(plans) != len(problems):
        return [link for plan in plans if (link := _best_problem(plan, problems)) is not None]
    links = []
    for plan, problem in zip(plans, problems, strict=True):
        shared = tuple(s for s in plan.stages if s in problem.stages)
        confidence = STATED_ALIGNED if shared else STATED_ORDER_ONLY
        links.append(ProblemLink(plan.local_id, problem.n, "stated", confidence, shared))
    return links


def _best_problem(plan: Element, problems: list[Element]) -> ProblemLink | None:
    """Without a parallel list, a plan answers the problem it shares most with."""
    scored = [(_inferred(plan, problem, None), problem) for problem in problems]
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
