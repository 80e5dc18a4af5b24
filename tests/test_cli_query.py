"""`edugraph queries`, `query` and `sparql` on the built graph, in process."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from edugraph.cli import cli

PROBLEM = "https://w3id.org/edugraph/id/report/chongqing-2020/problem/1"


def invoke(*args: str, columns: int = 200) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": str(columns)})
    return result.exit_code, result.stdout, result.stderr


def test_queries_lists_names_and_parameters() -> None:
    code, out, _ = invoke("queries")
    assert code == 0
    assert (
        "measures-for-problem(problem: iri, report: iri?)  Measures that address a problem" in out
    )
    assert "observations(indicator: iri?, stage: iri?, report: iri?)" in out


def test_observations_listing_for_audit(graph_file: Path) -> None:
    code, out, _ = invoke("query", "observations", "--graph", str(graph_file), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 96
    assert {"indicatorLabel", "value", "unitLabel", "period", "source"} <= set(rows[0])
    assert any(
        r["value"] == "73028000000" and r["unitLabel"] == "元" and r["period"] == "2019"
        for r in rows
    )


def test_table_for_people(graph_file: Path) -> None:
    code, out, _ = invoke(
        "query", "measures-for-problem", "-p", f"problem={PROBLEM}", "--graph", str(graph_file)
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["measure", "measureLabel", "status"]
    assert "推进学前教育普惠发展" in out and "edu:Planned" not in out  # labels, not CURIEs
    assert "chongqing-2020/plan/1" in out  # the short form a parameter takes back
    assert lines[-1] == "(3 rows)"


def test_json_is_sparql_results(graph_file: Path) -> None:
    code, out, _ = invoke("query", "problems", "--graph", str(graph_file), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["head"]["vars"][:2] == ["problem", "problemLabel"]
    assert data["results"]["bindings"][0]["problemLabel"] == {
        "type": "literal",
        "value": "学前教育仍有差距",
        "xml:lang": "zh-Hans",
    }


def test_sparql_select_construct_and_refusals(graph_file: Path, tmp_path: Path) -> None:
    code, out, _ = invoke(
        "sparql",
        "ASK { ?p a <https://w3id.org/edugraph/ontology#Problem> }",
        "--graph",
        str(graph_file),
    )
    assert (code, out) == (0, "true\n")
    query = tmp_path / "q.rq"
    query.write_text(
        f"CONSTRUCT {{ <{PROBLEM}> ?p ?o }} WHERE {{ <{PROBLEM}> ?p ?o }}", encoding="utf-8"
    )
    code, out, _ = invoke(
        "sparql", "--file", str(query), "--format", "nt", "--graph", str(graph_file)
    )
    assert code == 0 and f"<{PROBLEM}>" in out and "学前教育仍有差距" in out
    code, _, err = invoke("sparql", "CLEAR ALL", "--graph", str(graph_file))
    assert code == 2 and "CLEAR is not allowed" in err
    code, _, err = invoke("sparql", "SELECT * WHERE { ?s ?p }", "--graph", str(graph_file))
    assert code == 2 and "SPARQL syntax error" in err and "Traceback" not in err


def test_parameter_errors_exit_2(graph_file: Path) -> None:
    code, _, err = invoke("query", "measures-for-problem", "--graph", str(graph_file))
    assert code == 2 and "missing required parameter 'problem'" in err
    code, _, err = invoke("query", "problems", "-p", "colour", "--graph", str(graph_file))
    assert code == 2 and "NAME=VALUE" in err
    code, _, err = invoke("query", "nope", "--graph", str(graph_file))
    assert code == 2 and "no saved query 'nope'" in err
    code, _, err = invoke("query", "problems", "--graph", str(graph_file.parent / "missing.trig"))
    assert code == 2 and "run `edugraph build` first" in err


@pytest.mark.parametrize("value", ["A:\n", "https://example.org/a\n", "https://example.org/a\x7f"])
def test_an_iri_parameter_with_a_control_character_exits_2_naming_it(
    graph_file: Path, value: str
) -> None:
    code, _, err = invoke(
        "query", "measures-for-problem", "-p", f"problem={value}", "--graph", str(graph_file)
    )
    assert code == 2 and "parameter 'problem' is not a valid iri" in err
