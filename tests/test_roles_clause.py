"""Roles the clause gives where a sentence names several bodies in turn (rules in
data/reference/roles.toml, lists in ingest/roles.py)."""

from __future__ import annotations

import pytest

from edugraph.reference import Reference
from tests.test_bodies import named


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a second body in charge, then members summed up with a PDF's spaces
            "由市教育局牵头、市政府教育督导室具体组织，市委编办、市财政局等 16 个成员单位对照指标自查。",
            {"市教育局": "lead", "市政府教育督导室": "lead", "市委编办": "participant",
             "市财政局": "participant"},
        ),
        (
            "由县政府教育督导室牵头，县委编办、县人社局等18个县直部门分工负责。",
            {"县政府教育督导室": "lead", "县委编办": "participant", "县人社局": "participant"},
        ),
        (  # meetings listed with how often each met
            "县委常委会会议5次、县政府常务会议8次研究教育工作。",
            {"县委常委会会议": "lead", "县政府常务会议": "lead"},
        ),
        (  # the clause's subject after an attribute of ownership
            "县属临江职业技术学院与8所中职学校开展贯通培养。",
            {"临江职业技术学院": "lead"},
        ),
        (  # counted collectives checking themselves
            "省政府部署自查，12个设区市政府和20个省直部门对照评价重点逐项自查。",
            {"省政府": "lead", "12个设区市政府": "participant", "20个省直部门": "participant"},
        ),
    ],
)  # fmt: skip
def test_roles_of_bodies_named_in_turn(
    reference: Reference, text: str, expected: dict[str, str]
) -> None:
    assert {n: r for n, _, r in named(reference, text)} == expected
