"""Extraction from the real report: bodies and roles, persons, documents, stages, links."""

from __future__ import annotations

import tomllib
from collections import defaultdict

from edugraph.ingest.extract import concepts_in
from edugraph.records import Report
from edugraph.reference import Reference
from tests.conftest import FIXTURES, fixture_report


def roles(report: Report, local_id: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for mention in report.element(local_id).bodies:
        found[mention.body].add(mention.role + ("(default)" if mention.default else ""))
    return dict(found)


def test_at_least_25_distinct_bodies_each_typed_and_labelled(
    chongqing: Report, reference: Reference
) -> None:
    local = reference.for_report(chongqing.meta)
    found = {m.body for e in chongqing.elements for m in e.bodies}
    assert len(found) >= 25
    for body_id in found:
        body = local.body(body_id)
        assert body.zh and body.en and body.type


def test_every_measure_has_a_body_with_a_role(chongqing: Report) -> None:
    for measure in chongqing.of_kind("measure") + chongqing.of_kind("plan"):
        assert any(
            m.role in ("lead", "participant", "partner", "beneficiary") for m in measure.bodies
        )
        assert any(m.role == "lead" for m in measure.bodies), measure.local_id


def test_roles_from_the_words_around_a_body(chongqing: Report) -> None:
    assert roles(chongqing, "measure/9")["ministry-of-education"] == {"partner"}  # 与教育部签订
    eight = roles(chongqing, "measure/8")
    assert "beneficiary" in eight["chongqing-university"]  # 配套资金支持重庆大学
    assert eight["peking-university"] == {"partner"}  # 与北京大学…开展战略合作
    assert eight["chinese-academy-of-sciences"] == {"partner"}
    five = roles(chongqing, "measure/5")  # a list of meetings that 安排部署: each its own body
    assert five["chongqing-party-standing-committee-meeting"] == {"lead"}
    assert five["chongqing-education-leading-group-meeting"] == {"lead"}
    assert "chongqing-party-standing-committee" not in five
    assert roles(chongqing, "measure/31")["chongqing-education-supervision-committee"] == {"lead"}
    assert roles(chongqing, "measure/28")["chongqing-government"] == {"lead"}  # 由市政府…牵头
    assert roles(chongqing, "measure/6")["ministry-of-education"] == {"mentioned"}  # 得到教育部肯定


def test_default_lead_is_the_issuer_and_says_so(chongqing: Report) -> None:
    assert roles(chongqing, "measure/12") == {"chongqing-government": {"lead(default)"}}
    default = next(m for m in chongqing.element("measure/12").bodies if m.default)
    assert default.span is None


def test_office_holders_and_documents(chongqing: Report) -> None:
    assert [(p.name, p.post, p.body) for p in chongqing.persons] == [
        ("陈敏尔", "市委书记", "chongqing-party-committee"),
        ("唐良智", "市长", "chongqing-government"),
    ]
    assert {p.name for p in chongqing.element("achievement/1").persons} == {"习近平"}
    assert [d.title for d in chongqing.element("measure/11").documents] == [
        "防范少年儿童溺水工作导则(试行)"
    ]
    assert [d.title for d in chongqing.element("measure/31").documents] == [
        "关于深化新时代教育督导体制机制改革的意见"
    ]
    for element in chongqing.elements:
        for mention in element.documents:
            assert chongqing.text[mention.span.begin : mention.span.end] == f"《{mention.title}》"


def test_stages_of_problems(chongqing: Report) -> None:
    stages = [p.stages for p in chongqing.of_kind("problem")]
    assert stages == [
        ["preschool"],
        ["compulsory"],
        ["senior-secondary"],
        ["higher"],
        ["vocational"],
    ]


def test_concepts_follow_cue_terms(reference: Reference) -> None:
    assert concepts_in("严格控制城区学校大班额", reference.topics) == ["class-size", "urban-rural"]
    assert concepts_in("没有相关的词", reference.stages) == []


def test_plans_answer_problems_in_order(chongqing: Report) -> None:
    stated = [(link.source, link.problem) for link in chongqing.links if link.basis == "stated"]
    assert stated == [(f"plan/{k}", k) for k in range(1, 6)]
    assert all(link.confidence == 1.0 for link in chongqing.links if link.basis == "stated")


def test_inferred_links_against_a_careful_reading(chongqing: Report) -> None:
    golden = tomllib.loads(
        (FIXTURES.parent / "golden" / "chongqing-2020-links.toml").read_text("utf-8")
    )
    must = set(golden["must"].items())
    allowed = must | set(golden["may"].items())
    inferred = {(link.source, link.problem) for link in chongqing.links if link.basis == "inferred"}
    assert must <= inferred, must - inferred
    assert inferred <= allowed, inferred - allowed
    for link in chongqing.links:
        assert 0 < link.confidence <= 1
        if link.basis == "inferred":
            assert link.shared_stages and link.shared_topics


def test_fixture_reports_get_bodies_for_their_own_region(reference: Reference) -> None:
    county = fixture_report("linjiang-county-2021", reference)
    two = roles(county, "measure/2")  # 县教育局与县人社局联合招聘教师
    assert two["linjiang-county-education-department"] == {"lead"}
    assert two["linjiang-county-human-resources-department"] == {
        "participant"
    }  # 与B联合…: B takes part
    province = fixture_report("jiangbei-2020", reference)
    assert [(p.name, p.post) for p in province.persons] == [("王建国", "省委书记")]
    assert roles(province, "measure/4")["jiangbei-finance-department"] == {"lead"}
    assert {(link.source, link.problem) for link in province.links if link.basis == "stated"} == {
        ("plan/1", 1),
        ("plan/2", 2),
    }
