"""The command line for people, on the one query path: the server's limits apply (rows cut and
said so, a timeout stops the query), IRI parameters take short forms and labels, a mistyped
query name gets a suggestion, tables fit the terminal, and `sparql` knows common prefixes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, URIRef
from rdflib.term import Identifier

from edugraph.cli import cli
from edugraph.query.engines import Results
from edugraph.query.prologue import NAMESPACES
from edugraph.query.queries import Param, SavedQuery
from edugraph.query.shortforms import expand
from edugraph.query.terminal import width
from edugraph.vocab import EDU

BASE = "https://w3id.org/edugraph/id/report/"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 8k³ rows


def run(graph: Path, *args: str, columns: int = 200) -> Result:
    return CliRunner().invoke(cli, [*args, "--graph", str(graph)], env={"COLUMNS": str(columns)})


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_rows_are_cut_at_max_rows_and_stderr_says_so(graph_file: Path) -> None:
    full = csv_rows(run(graph_file, "query", "observations", "--format", "csv").stdout)
    cut = run(graph_file, "query", "observations", "--format", "csv", "-s", "max_rows", "5")
    assert cut.exit_code == 0 and len(full) > 5
    assert csv_rows(cut.stdout) == full[:5]
    assert f"rows 1–5 of {len(full)}" in cut.stderr  # a saved listing pages within max_rows
    everything = run(graph_file, "sparql", "SELECT * WHERE { ?s ?p ?o }", "-s", "max_rows", "5")
    assert "cut at max_rows = 5" in everything.stderr


def test_a_result_within_the_limits_says_nothing(graph_file: Path) -> None:
    result = run(graph_file, "query", "problems", "--format", "csv", "-s", "max_rows", "100")
    assert result.exit_code == 0 and result.stderr == ""


def test_a_query_past_the_timeout_is_stopped_exit_3(graph_file: Path) -> None:
    result = run(graph_file, "sparql", SLOW, "-s", "query_timeout", "0.5")
    assert result.exit_code == 3
    assert result.stderr == "Error: the query was stopped after 0.5 s (query_timeout)\n"


def test_a_saved_query_past_the_timeout_is_stopped_exit_3(graph_file: Path, tmp_path: Path) -> None:
    (tmp_path / "everything-thrice.rq").write_text(f"#+ summary: Slow\n{SLOW}\n", "utf-8")
    args = ("query", "everything-thrice", "--folder", str(tmp_path))
    result = run(graph_file, *args, "-s", "query_timeout", "0.5")
    assert result.exit_code == 3 and "stopped after 0.5 s (query_timeout)" in result.stderr


def test_a_bad_setting_is_one_line_exit_2(graph_file: Path) -> None:
    result = run(graph_file, "query", "problems", "-s", "max_rowz", "5")
    assert result.exit_code == 2 and "unknown setting 'max_rowz'" in result.stderr


def problems(graph: Path) -> list[dict[str, str]]:
    return csv_rows(run(graph, "query", "problems", "--format", "csv").stdout)


@pytest.mark.parametrize("form", ["short", "path", "label"])
def test_an_iri_parameter_takes_a_short_form_or_a_label(graph_file: Path, form: str) -> None:
    problem = problems(graph_file)[1]
    value = {
        "short": problem["problem"].removeprefix(BASE),
        "path": "id/report/" + problem["problem"].removeprefix(BASE),
        "label": problem["problemLabel"],
    }[form]
    args = ("query", "measures-for-problem", "--format", "csv")
    expected = run(graph_file, *args, "-p", f"problem={problem['problem']}")
    given = run(graph_file, *args, "-p", f"problem={value}")
    assert given.exit_code == 0, given.stderr
    assert given.stdout == expected.stdout and csv_rows(given.stdout)


def test_a_short_form_under_id_and_a_prefixed_name(graph_file: Path) -> None:
    stage = problems(graph_file)[0]["stage"]
    args = ("query", "observations", "--format", "csv")
    short = run(graph_file, *args, "-p", f"stage=stage/{stage.rsplit('/', 1)[1]}")
    full = run(graph_file, *args, "-p", f"stage={stage}")
    assert short.exit_code == 0 and short.stdout == full.stdout and csv_rows(full.stdout)
    saved = SavedQuery("q", Path("q.rq"), "", "", params=(Param("x", "iri"),))

    def nothing(text: str, bindings: dict[str, Identifier]) -> Results:
        raise AssertionError("a prefixed name needs no lookup")

    expanded = expand(saved, {"x": "edu:Planned"}, base=BASE, lookup=nothing)
    assert expanded == {"x": f"{EDU}Planned"}


def test_a_value_no_form_matches_says_which_forms_are_accepted(graph_file: Path) -> None:
    result = run(graph_file, "query", "measures-for-problem", "-p", "problem=chongqing-2020/x/9")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "parameter 'problem'" in result.stderr
    assert "short form (chongqing-2020, chongqing-2020/problem/2" in result.stderr
    assert "exact label" in result.stderr


def test_a_mistyped_query_name_suggests_the_nearest(graph_file: Path) -> None:
    result = run(graph_file, "query", "measures-for-problme")
    assert result.exit_code == 2
    assert "did you mean 'measures-for-problem'?" in result.stderr


@pytest.mark.parametrize("columns", [80, 120])
def test_the_table_fits_the_terminal(graph_file: Path, columns: int) -> None:
    wide = run(graph_file, "query", "targets", columns=1000)
    fitted = run(graph_file, "query", "targets", columns=columns)
    assert max(width(line) for line in wide.stdout.splitlines()) > columns
    assert fitted.exit_code == 0
    assert max(width(line) for line in fitted.stdout.splitlines()) <= columns
    assert fitted.stdout.splitlines()[-1] == wide.stdout.splitlines()[-1]  # same row count


def test_the_table_shows_labels_and_short_forms(graph_file: Path) -> None:
    problem = problems(graph_file)[0]
    table = run(graph_file, "query", "problems").stdout
    assert problem["problem"].removeprefix(BASE) in table  # has a problemLabel column
    assert problem["stage"] not in table and "stage/" in table
    measures = run(
        graph_file, "query", "measures-for-problem", "-p", "problem=chongqing-2020/problem/1"
    )
    assert "edu:" not in measures.stdout  # statuses, roles and bases by their labels


def test_an_assumed_lead_reads_in_words_in_the_table(graph_file: Path) -> None:
    """The site says 默认（文中未写明） where the text names no lead; so does the terminal."""
    result = run(
        graph_file, "query", "measures-for-problem", "-p", "problem=chongqing-2020/problem/1"
    )
    words = [line for line in result.stdout.splitlines() if "默认（文中未写明）" in line]
    assert words, result.stdout
    assert not any(cell.strip() in {"true", "false"} for cell in result.stdout.split("  "))


def test_sparql_writes_turtle_for_describe_under_the_table_format(graph_file: Path) -> None:
    problem = problems(graph_file)[0]["problem"]
    result = run(graph_file, "sparql", f"DESCRIBE <{problem}>")
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) > 3 and (URIRef(problem), None, None) in graph


def test_sparql_predeclares_common_prefixes_and_lists_them(graph_file: Path) -> None:
    query = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a edu:Problem ; rdfs:label ?l }"
    result = run(graph_file, "sparql", query, "--format", "csv")
    assert result.exit_code == 0 and int(result.stdout.split()[1]) > 0
    own = "PREFIX edu: <urn:other#> ASK { ?p a edu:Problem }"
    assert run(graph_file, "sparql", own).stdout == "false\n"  # its own declaration wins
    help_text = CliRunner().invoke(cli, ["sparql", "--help"]).stdout
    for name, iri in NAMESPACES.items():
        assert f"{name}: <{iri}>" in help_text


def test_a_table_of_many_iris_looks_their_labels_up_in_batches(graph_file: Path) -> None:
    query = "SELECT DISTINCT ?s WHERE { ?s a ?type } ORDER BY ?s LIMIT 400"
    table = run(graph_file, "sparql", query)
    listed = run(graph_file, "sparql", query, "--format", "csv")
    assert table.exit_code == 0, table.stderr
    assert table.stdout.splitlines()[-1] == "(400 rows)"
    assert len(listed.stdout.splitlines()) == 401
