"""Every saved query on the Chongqing graph: expected rows, and the same rows on both engines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from edugraph.query.engines import Engine, OxigraphEngine, RdflibEngine
from edugraph.query.queries import SavedQuery, load_queries
from tests.conftest import ROOT

ID = "https://w3id.org/edugraph/id/"
REPORT = f"{ID}report/chongqing-2020/"
EDU = "https://w3id.org/edugraph/ontology#"
QUERIES = load_queries(ROOT / "queries")
CASES: list[tuple[str, dict[str, str]]] = [
    ("problems", {}),
    ("measures-for-problem", {"problem": f"{REPORT}problem/1"}),
    ("measures-for-problem", {"problem": f"{REPORT}problem/2"}),
    ("problem-measure-matrix", {}),
    ("observations", {}),
    ("observations", {"stage": f"{ID}stage/preschool"}),
    ("observations", {"indicator": f"{ID}indicator/public-kindergarten-share"}),
    ("targets", {}),
    ("bodies", {}),
    ("measures-by-body", {"body": f"{ID}body/ministry-of-education"}),
    ("measures-by-body", {"body": f"{ID}body/chongqing-government"}),
    ("measures-for-target-group", {"group": f"{ID}target-group/small-rural-schools"}),
    ("measures-for-target-group", {"group": f"{ID}target-group/urban-schools"}),
    ("findings", {}),
    ("search", {"q": "大班额"}),
    ("problem-responses", {}),
    ("problem-responses", {"report": REPORT.rstrip("/")}),
    ("findings", {"report": REPORT.rstrip("/")}),
    ("reports", {}),
    ("indicator-by-report", {"indicator": f"{ID}indicator/public-kindergarten-share"}),
    ("topic-by-report", {"concept": f"{ID}stage/preschool"}),
    ("topic-by-report", {"concept": f"{ID}topic/class-size", "report": REPORT.rstrip("/")}),
]


@pytest.fixture(scope="module")
def oxigraph(graph_file: Path) -> OxigraphEngine:
    return OxigraphEngine(graph_file)


@pytest.fixture(scope="module")
def rdflib_engine(graph_file: Path) -> RdflibEngine:
    return RdflibEngine(graph_file)


def run(engine: Engine, name: str, params: dict[str, str]) -> list[dict[str, str]]:
    q: SavedQuery = QUERIES[name]
    results = engine.select(q.text, q.bind(params))
    assert results["head"]["vars"] == list(q.variables)
    return [{k: v["value"] for k, v in row.items()} for row in results["results"]["bindings"]]


def canonical(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


@pytest.mark.parametrize(("name", "params"), CASES)
def test_both_engines_give_the_same_rows(
    oxigraph: OxigraphEngine, rdflib_engine: RdflibEngine, name: str, params: dict[str, str]
) -> None:
    assert canonical(run(oxigraph, name, params)) == canonical(run(rdflib_engine, name, params))


def test_every_saved_query_has_a_case() -> None:
    assert {name for name, _ in CASES} == set(QUERIES)


def test_problems(oxigraph: OxigraphEngine) -> None:
    rows = run(oxigraph, "problems", {})
    assert [(r["problemLabel"], r["stageLabel"], r["measureCount"]) for r in rows] == [
        ("学前教育仍有差距", "学前教育", "3"),
        ("义务教育仍有差距", "义务教育", "6"),
        ("高中教育仍有差距", "高中阶段教育", "2"),
        ("高等教育仍有差距", "高等教育", "2"),
        ("职业教育仍有差距", "职业教育", "2"),
    ]


def test_measures_for_problem(oxigraph: OxigraphEngine) -> None:
    rows = run(oxigraph, "measures-for-problem", {"problem": f"{REPORT}problem/1"})
    measures = {
        (r["measure"].removeprefix(REPORT), r["basis"].removeprefix(EDU), r["confidence"])
        for r in rows
    }
    assert measures == {
        ("plan/1", "Stated", "1"),
        ("measure/16", "Inferred", "0.7"),
        ("measure/17", "Inferred", "0.7"),
    }
    first = rows[0]
    assert first["measure"] == f"{REPORT}plan/1" and first["status"] == f"{EDU}Planned"
    assert {(r["bodyLabel"], r["role"].removeprefix(EDU)) for r in rows} == {
        ("重庆市人民政府", "LeadRole")
    }


def test_problem_measure_matrix(oxigraph: OxigraphEngine) -> None:
    rows = run(oxigraph, "problem-measure-matrix", {})
    assert len(rows) == 15
    curated = [r for r in rows if r["basis"] == f"{EDU}Curated"]
    assert [
        (r["problem"].removeprefix(REPORT), r["measure"].removeprefix(REPORT)) for r in curated
    ] == [("problem/3", "measure/26")]


def test_observations(oxigraph: OxigraphEngine) -> None:
    rows = run(oxigraph, "observations", {})
    assert len(rows) == 96
    first = rows[0]
    assert (first["indicatorLabel"], first["value"], first["unitLabel"], first["period"]) == (
        "新增博士学位授权点数",
        "4",
        "个",
        "2019",
    )
    assert first["source"].startswith("2019年全市高校新增博士学位授权点4个")
    ratio = next(r for r in rows if r["indicatorLabel"] == "高校专职辅导员师生比")
    assert (ratio["value"], ratio["period"]) == ("217", "2019-01-01/2020-08-31")
    preschool = run(oxigraph, "observations", {"stage": f"{ID}stage/preschool"})
    assert {r["value"] for r in preschool} >= {"89", "41", "81.6", "93.7", "1058", "79.7"}
    assert "3727" not in {r["value"] for r in preschool}
    share = run(oxigraph, "observations", {"indicator": f"{ID}indicator/public-kindergarten-share"})
    assert sorted((r["value"], r["valueType"].removeprefix(EDU)) for r in share) == [
        ("41", "ActualValue"), ("50", "TargetValue"), ("50", "TargetValue"),
    ]  # fmt: skip


def test_targets(oxigraph: OxigraphEngine) -> None:
    rows = {r["target"].removeprefix(ID): r for r in run(oxigraph, "targets", {})}
    status = {k: r["status"].removeprefix(EDU) for k, r in rows.items()}
    assert status["standard/counsellor-student-ratio"] == "NotMet"  # 1:217 against 1:200
    assert (
        status["standard/public-kindergarten-share-2020"] == "NotYetDue"
    )  # 41% in 2019, 50% by 2020
    assert status["standard/inclusive-kindergarten-coverage-2020"] == "Met"
    assert status["standard/teacher-salary-parity"] == "Met"  # 80825 ≥ 70898
    assert rows["standard/teacher-salary-parity"]["targetValue"] == "70898"
    assert status["report/chongqing-2020/target/2"] == "Met"  # 5.7万 against the 3.6万 quota
    assert rows["report/chongqing-2020/target/2"]["setBy"] == f"{ID}body/state-council"
    assert status["report/chongqing-2020/target/4"] == "StatusUnknown"


def test_bodies(oxigraph: OxigraphEngine) -> None:
    rows = run(oxigraph, "bodies", {})
    top = rows[0]
    assert (top["bodyLabel"], top["type"]) == ("重庆市人民政府", f"{EDU}Government")
    assert int(top["measureCount"]) >= 25
    standing = next(r for r in rows if r["body"] == f"{ID}body/chongqing-party-standing-committee")
    assert standing["parent"] == f"{ID}body/chongqing-party-committee"


def test_problem_responses(oxigraph: OxigraphEngine) -> None:
    rows = run(oxigraph, "problem-responses", {})
    problems = list(dict.fromkeys(r["problemLabel"] for r in rows))
    assert problems[0] == "学前教育仍有差距" and len(problems) == 5
    links = {(r["problem"], r["measure"]) for r in rows}
    matrix = {(r["problem"], r["measure"]) for r in run(oxigraph, "problem-measure-matrix", {})}
    assert links == matrix  # the same 15 links, with details
    plan = [r for r in rows if r["measure"] == f"{REPORT}plan/1"]
    assert [(r["statusLabel"], r["basisLabel"], r["bodyLabel"], r["roleLabel"]) for r in plan] == [
        ("计划", "报告明示", "重庆市人民政府", "牵头")
    ]
    assert plan[0]["source"].startswith("(一)推进学前教育普惠发展。")
    assert plan[0]["problemSource"].startswith("一是学前教育仍有差距。")
    inferred = next(r for r in rows if r["measure"] == f"{REPORT}measure/17")
    assert inferred["reason"].startswith("共同学段：学前教育")


def test_measures_by_body(oxigraph: OxigraphEngine) -> None:
    rows = run(oxigraph, "measures-by-body", {"body": f"{ID}body/ministry-of-education"})
    assert [(r["measure"].removeprefix(REPORT), r["role"].removeprefix(EDU)) for r in rows] == [
        ("measure/9", "PartnerRole")
    ]


def test_measures_by_body_through_its_meetings_with_target_groups(
    oxigraph: OxigraphEngine,
) -> None:
    rows = run(
        oxigraph, "measures-by-body", {"body": f"{ID}body/chongqing-party-standing-committee"}
    )
    assert {
        (r["measure"].removeprefix(REPORT), r["role"].removeprefix(EDU), r["via"]) for r in rows
    } == {("measure/5", "LeadRole", f"{ID}body/chongqing-party-standing-committee-meeting")}
    government = run(oxigraph, "measures-by-body", {"body": f"{ID}body/chongqing-government"})
    direct = {
        (r["measure"].removeprefix(REPORT), r.get("groupLabel"))
        for r in government
        if r["via"] == f"{ID}body/chongqing-government" and r["role"] == f"{EDU}LeadRole"
    }
    assert ("measure/28", "高校毕业生") in direct  # 由市政府领导同志牵头 … 高校毕业生就业
    assert ("measure/23", "乡村小规模学校") in direct  # no lead named: the issuer, assumed
    meeting = f"{ID}body/chongqing-government-executive-meeting"
    assert {
        (r["measure"].removeprefix(REPORT), r["role"].removeprefix(EDU))
        for r in government
        if r["via"] == meeting
    } == {("measure/5", "LeadRole"), ("measure/31", "ParticipantRole")}  # 在…会议上: a setting


def test_measures_for_target_group(oxigraph: OxigraphEngine) -> None:
    rows = run(
        oxigraph, "measures-for-target-group", {"group": f"{ID}target-group/small-rural-schools"}
    )
    assert [
        (
            r["measure"].removeprefix(REPORT),
            r["status"].removeprefix(EDU),
            r["leadLabel"],
            r["leadAssumed"],
        )
        for r in rows
    ] == [("measure/23", "Implemented", "重庆市人民政府", "true")]
    urban = run(oxigraph, "measures-for-target-group", {"group": f"{ID}target-group/urban-schools"})
    assert [r["measure"].removeprefix(REPORT) for r in urban] == ["measure/25", "plan/2"]


def test_search(oxigraph: OxigraphEngine) -> None:
    rows = run(oxigraph, "search", {"q": "大班额"})
    resources = {r["resource"].removeprefix(REPORT) for r in rows}
    assert {"measure/25", "measure/26", "problem/2", "achievement/4"} <= resources
    assert all("大班额" in r["snippet"] for r in rows)
    assert run(oxigraph, "search", {"q": "没有这样的词"}) == []


def test_findings(oxigraph: OxigraphEngine) -> None:
    rows = run(oxigraph, "findings", {})
    assert len(rows) == 10
    warning = [r for r in rows if r["severity"] == "http://www.w3.org/ns/shacl#Warning"]
    assert [r["focus"] for r in warning] == [f"{ID}standard/counsellor-student-ratio"]
    assert (
        "1︰217" in warning[0]["message"]
        and "no problem the report admits" in warning[0]["message"]
    )
    target = next(r for r in rows if r["focus"] == f"{REPORT}target/6")
    assert target["source"] == "公办幼儿园在园幼儿占比距离50%的目标还有一定差距。"


def test_topic_by_report(oxigraph: OxigraphEngine) -> None:
    rows = run(oxigraph, "topic-by-report", {"concept": f"{ID}stage/preschool"})
    assert {r["report"] for r in rows} == {REPORT.rstrip("/")}
    kinds: dict[str, set[str]] = {}
    for r in rows:
        kinds.setdefault(r["kind"], set()).add(r["item"].removeprefix(REPORT))
    assert kinds["problem"] == {"problem/1"}
    assert {"plan/1", "measure/16", "measure/17"} <= kinds["measure"]
    assert all(r["problem"] == f"{REPORT}problem/1" for r in rows if r["kind"] == "measure")
    assert "observation/9" in kinds["figure"]  # 公办幼儿园在园幼儿占比 41%
    share = next(r for r in rows if r["item"] == f"{REPORT}observation/9")
    assert (share["value"], share["period"]) == ("41", "2019")
    standard = next(r for r in rows if r["item"] == f"{ID}standard/public-kindergarten-share-2020")
    assert standard["kind"] == "target" and standard["figure"] == f"{REPORT}observation/9"
