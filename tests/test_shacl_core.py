"""The oxigraph engine (core SHACL compiled to SPARQL) against pySHACL: every shape case, the
engine's features that the project's shapes do not use yet, its refusal of what it does not
compile, and the real build, as built and deliberately broken."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD
from rdflib.term import Node

from edugraph.errors import InputError
from edugraph.graph.quads import Quads, nt_lines
from edugraph.publish.build import Paths, build
from edugraph.validate.findings import Finding
from edugraph.validate.paths import Path as ShaclPath
from edugraph.validate.paths import PathNode, read_path
from edugraph.validate.pieces import _compiled
from edugraph.validate.reads import reads
from edugraph.validate.results import report_graph
from edugraph.validate.shacl_compiler import UnsupportedShape
from edugraph.validate.shacl_core import compile_shapes, core_findings, to_store
from edugraph.validate.shapes import SHAPES, Outcome, _run, load_shapes, validate
from edugraph.vocab import EDU, NIF, SH, Iris
from tests.test_shapes import CASES, closure, expected, stated_of

IRIS = Iris()
EDS = "https://w3id.org/edugraph/shapes#"
Key = tuple[Node, Node, Node, ShaclPath | None, str | None, Node | None]


def keys(findings: list[Finding]) -> Counter[Key]:
    """What must be equal: the value as N-Triples, so that its spelling counts."""
    return Counter(
        (f.severity, f.shape, f.focus, f.path, f.value.n3() if f.value else None, f.component)
        for f in findings
    )


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_shape_case_gives_the_expected_results_and_pyshacls(path: Path) -> None:
    case = Graph().parse(path)
    roots, conforms, wanted, stated = expected(case)
    shapes = closure(load_shapes(SHAPES), roots)
    findings = _run(case, shapes, engine="oxigraph")
    assert {(f.focus, f.path, f.severity, f.shape) for f in findings} == wanted
    assert stated_of(findings, stated) == stated
    assert conforms == all(f.severity != SH.Violation for f in findings)
    assert keys(findings) == keys(_run(case, shapes, engine="pyshacl"))


PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/test#> .
"""
# Features the shapes file does not use yet: (shapes, data, how many results pySHACL gives)
FEATURES = {
    "targets": (
        """ex:Named sh:targetNode ex:a ; sh:targetObjectsOf ex:knows ; sh:targetClass ex:Person ;
            sh:targetSubjectsOf ex:nickname ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .""",
        """ex:Student rdfs:subClassOf ex:Person . ex:b ex:knows ex:c . ex:d a ex:Student .
           ex:e a ex:Person ; ex:name "E" . ex:f ex:nickname "F" . ex:c ex:name "C" .""",
        3,  # ex:a, ex:d (a Student is a Person), ex:f
    ),
    "severity is the property shape's own": (
        """ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:severity sh:Warning ;
            sh:property [ sh:path ex:p ; sh:minCount 1 ] ,
                [ sh:path ex:q ; sh:minCount 1 ; sh:severity sh:Info ] ;
            sh:or ( [ sh:path ex:r ; sh:minCount 1 ] [ sh:path ex:s ; sh:minCount 1 ] ) .""",
        "ex:x a ex:C .",
        3,  # ex:p a Violation, ex:q an Info, sh:or the node shape's Warning
    ),
    "ranges and node kinds": (
        """ex:S sh:targetClass ex:C ;
            sh:property [ sh:path ex:n ; sh:minInclusive 0 ; sh:maxExclusive 10 ] ,
                [ sh:path ex:k ; sh:nodeKind sh:BlankNodeOrLiteral ] ,
                [ sh:path ex:l ; sh:nodeKind sh:Literal ] .""",
        """ex:x a ex:C ; ex:n 10 , -1 , 5 , "7" ; ex:k ex:iri , [] , "k" ; ex:l ex:iri , "l" .""",
        6,  # 10, -1, "7" twice (a string is no number); ex:iri twice
    ),
    "qualified maximum and sh:hasValue": (
        """ex:S sh:targetClass ex:C ;
            sh:property [ sh:path ex:role ; sh:qualifiedMaxCount 1 ;
                    sh:qualifiedValueShape [ sh:in ( ex:Lead ex:Chair ) ] ] ,
                [ sh:path ex:tag ; sh:hasValue "a" ] .""",
        """ex:x a ex:C ; ex:role ex:Lead , ex:Chair ; ex:tag "a" .
           ex:y a ex:C ; ex:role ex:Lead , ex:Member ; ex:tag "a"@en , "b" .""",
        2,  # two qualified roles on ex:x; no plain "a" on ex:y
    ),
    "any language, node-level constraints, literal targets": (
        """ex:Label sh:targetClass ex:C ; sh:property [ sh:path ex:label ; sh:languageIn ( "*" ) ] .
           ex:Number sh:targetNode 5 , "6"^^xsd:integer , ex:iri , "x" ; sh:datatype xsd:integer ;
               sh:in ( 5 7 ) .""",
        """ex:x a ex:C ; ex:label "x" , "y"@en , ex:iri .""",
        7,  # "x" and ex:iri on ex:x; 6 (not in), ex:iri and "x" (not an integer, not in)
    ),
    "integers written with a subtype": (
        """ex:S sh:targetClass ex:C ;
            sh:property [ sh:path ex:d ; sh:in ( -1 0 1 ) ] , [ sh:path ex:e ; sh:hasValue 1 ] ,
                [ sh:path ex:f ; sh:datatype xsd:integer ] .""",
        """ex:x a ex:C ; ex:d 1 ; ex:e 1 ; ex:f 1 .
           ex:y a ex:C ; ex:d "1"^^xsd:int ; ex:e "1"^^xsd:long ; ex:f "1"^^xsd:short .""",
        3,  # ex:y: each value is an integer of another datatype
    ),
    "sh:or inside a property shape, on an integer subtype": (
        """ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:n ;
            sh:or ( [ sh:datatype xsd:nonNegativeInteger ] [ sh:datatype xsd:string ] ) ] .""",
        """ex:x a ex:C ; ex:n "3"^^xsd:nonNegativeInteger , "three" , 4 , -3 .""",
        2,  # 4 and -3 are xsd:integer
    ),
    "values as the data wrote them": (
        """ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:d ; sh:maxInclusive 3 ] ,
            [ sh:path ex:n ; sh:datatype xsd:integer ] , [ sh:path ex:l ; sh:languageIn ( "fr" ) ] ,
            [ sh:path ex:s ; sh:in ( 1 2 ) ] .""",
        """ex:x a ex:C ; ex:d "4.0"^^xsd:decimal , 2.50 , "04.50"^^xsd:decimal ;
            ex:n "3"^^xsd:nonNegativeInteger ; ex:l "colour"@EN-GB ; ex:s "+3"^^xsd:integer .
           [] a ex:C ; ex:d 5.00 ; ex:l "colour"@EN-US .""",
        7,  # "4.0", "04.50" (rdflib: "4.50"), "3"^^nonNegativeInteger, "colour"@EN-GB and "+3"
        # (rdflib: "3") on ex:x; 5.00 and "colour"@EN-US on a blank node
    ),
    "paths other than a predicate": (
        """ex:S sh:targetClass ex:C ;
            sh:property [ sh:path ( ex:next ex:d ) ; sh:maxInclusive 3 ] ,
                [ sh:path [ sh:alternativePath ( ex:a ex:b ) ] ; sh:maxCount 1 ] ,
                [ sh:path [ sh:zeroOrMorePath ex:next ] ; sh:class ex:C ] ,
                [ sh:path [ sh:oneOrMorePath ex:next ] ; sh:nodeKind sh:IRI ] ,
                [ sh:path [ sh:zeroOrOnePath ex:l ] ; sh:languageIn ( "en" ) ] ,
                [ sh:path [ sh:inversePath ( ex:next ex:next ) ] ; sh:minCount 1 ] ,
                [ sh:path [ sh:alternativePath ( ( ex:next ex:d ) [ sh:inversePath ex:e ] ) ] ;
                  sh:minCount 3 ] .""",
        """ex:x a ex:C ; ex:a 1 ; ex:b 2 ; ex:l "colour"@EN-GB ; ex:next ex:y .
           ex:y ex:d "5.0"^^xsd:decimal , 2.0 ; ex:next [ ex:d 7.00 ] .""",
        8,  # "5.0"; 1 and 2; ex:y and []; []; ex:x itself; none two steps back; two values
    ),
}


@pytest.mark.parametrize("name", list(FEATURES))
def test_a_feature_gives_what_pyshacl_gives(name: str) -> None:
    shapes_text, data_text, count = FEATURES[name]
    shapes = Graph().parse(data=PREFIXES + shapes_text, format="turtle")
    data = Graph().parse(data=PREFIXES + data_text, format="turtle")
    reference = _run(data, shapes, engine="pyshacl")
    assert len(reference) == count
    assert keys(_run(data, shapes, engine="oxigraph")) == keys(reference)


# Where the engines part, on purpose or of necessity: (shapes, data, pySHACL's count, ours)
DIFFERENCES = {
    # SHACL: a value the bound cannot be compared with fails; rdflib orders these two anyway
    "an ill-typed number against a decimal bound": (
        "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:c ; sh:minInclusive 0.5 ] .",
        'ex:x a ex:C ; ex:c "abc"^^xsd:integer .',
        0,
        1,
    ),
    # Oxigraph stores one value where rdflib keeps two spellings
    "two spellings of one decimal": (
        "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:v ; sh:maxCount 1 ] .",
        "ex:x a ex:C ; ex:v 1.5 , 1.50 .",
        1,
        0,
    ),
    # rdflib rewrites "yes"^^xsd:boolean as "false", remembering that it was ill-typed; the
    # N-Triples Oxigraph reads say "false"
    "an ill-typed boolean in an rdflib graph": (
        "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:b ; sh:datatype xsd:boolean ] .",
        'ex:x a ex:C ; ex:b "yes"^^xsd:boolean .',
        1,
        0,
    ),
}


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # rdflib's, on "yes"
@pytest.mark.parametrize("name", list(DIFFERENCES))
def test_where_it_differs_from_pyshacl(name: str) -> None:
    shapes_text, data_text, theirs, ours = DIFFERENCES[name]
    shapes = Graph().parse(data=PREFIXES + shapes_text, format="turtle")
    data = Graph().parse(data=PREFIXES + data_text, format="turtle")
    assert len(_run(data, shapes, engine="pyshacl")) == theirs
    assert len(_run(data, shapes, engine="oxigraph")) == ours


def test_a_property_shape_keeps_its_own_severity() -> None:
    shapes_text, data_text, _ = FEATURES["severity is the property shape's own"]
    shapes = Graph().parse(data=PREFIXES + shapes_text, format="turtle")
    data = Graph().parse(data=PREFIXES + data_text, format="turtle")
    found = {str(f.path): f.severity for f in _run(data, shapes, engine="oxigraph")}
    ex = "https://example.org/test#"
    assert found == {f"{ex}p": SH.Violation, f"{ex}q": SH.Info, "None": SH.Warning}


def test_messages_are_the_shapes_own_or_say_what_failed() -> None:
    data = Graph().parse(data=PREFIXES + "ex:m a <https://w3id.org/edugraph/ontology#Measure> .")
    findings = core_findings(to_store(data), load_shapes())
    messages = {f.messages for f in findings}
    assert (("en", "a measure needs a lead body"), ("zh-Hans", "措施没有牵头单位")) in messages
    assert (("en", "fewer than 1 values of edu:status"),) in messages
    assert all(f.focus == URIRef("https://example.org/test#m") for f in findings)


UNSUPPORTED = {
    "sh:pattern": '[ sh:path ex:p ; sh:pattern "^a" ]',
    "sh:node": "[ sh:path ex:p ; sh:node ex:Other ]",
    "sh:path": "[ sh:path ( ex:p ex:q ) ; sh:datatype xsd:int ]",  # WRITTEN_AS is per triple
    "path node has 2 properties": "[ sh:path [ sh:inversePath ex:p ; ex:x ex:y ] ; sh:minCount 1 ]",
    "xsd:double": "[ sh:path ex:p ; sh:datatype xsd:double ]",
    "sh:qualifiedValueShapesDisjoint": """[ sh:path ex:p ; sh:qualifiedMinCount 1 ;
        sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedValueShapesDisjoint true ]""",
    "sh:severity": "[ sh:path ex:p ; sh:or ( [ sh:class ex:D ; sh:severity sh:Warning ] ) ]",
}


@pytest.mark.parametrize("term", list(UNSUPPORTED))
def test_a_shape_it_cannot_compile_is_refused_by_name(term: str) -> None:
    text = f"ex:S sh:targetClass ex:C ; sh:property {UNSUPPORTED[term]} ."
    shapes = Graph().parse(data=PREFIXES + text, format="turtle")
    with pytest.raises(UnsupportedShape, match=term) as refused:
        compile_shapes(shapes)
    assert isinstance(refused.value, InputError)  # the CLI reports it and exits with 2


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("ex:S sh:targetClass ex:C ; sh:closed true .", "sh:closed"),
        ("ex:S sh:targetClass ex:C ; sh:minCount 1 .", "sh:minCount"),
        ("ex:S sh:target [ sh:select 'SELECT ?this {}' ] .", "sh:target"),
        ("ex:C a rdfs:Class , sh:NodeShape ; sh:targetNode ex:x .", "implicit targets"),
    ],
)
def test_a_node_shape_it_cannot_compile_is_refused_by_name(text: str, term: str) -> None:
    with pytest.raises(UnsupportedShape, match=term):
        compile_shapes(Graph().parse(data=PREFIXES + text, format="turtle"))


# ---------------------------------------------------------------------------- the real build

SLUG = "chongqing-2020"


@pytest.fixture(scope="module")
def quads() -> Quads:
    return build(Paths(), validate=False).quads


def assert_same(ours: Outcome, reference: Outcome, shapes: Graph) -> None:
    assert keys(ours.all()) == keys(reference.all())

    def rules(outcome: Outcome) -> list[tuple[str, str, object]]:
        """The results of SPARQL rules: a rule's shape, no path (core results of such a shape
        come from its property shapes)."""
        sparql = set(shapes.subjects(SH.sparql, None))
        found = [f for f in outcome.all() if f.shape in sparql and f.path is None]
        return sorted((str(f.shape), str(f.focus), f.messages) for f in found)

    assert rules(ours) == rules(reference)
    assert ours.rules == reference.rules


@pytest.mark.slow
def test_the_real_build_gives_what_pyshacl_gives(quads: Quads) -> None:
    shapes = load_shapes()
    ours = validate(quads, shapes, engine="oxigraph")
    assert ours.conforms and ours.findings
    assert_same(ours, validate(quads, shapes, engine="pyshacl"), shapes)


def broken(quads: Quads) -> tuple[Quads, set[tuple[str, Node]]]:
    """A copy of the build with faults for the core constraints, and the (shape, node) pairs
    that must be reported."""
    name = str(IRIS.graph(f"report/{SLUG}"))
    graph = quads.graph([name])
    removed: list[tuple[Node, Node, Node]] = []
    added: list[tuple[Node, Node, Node]] = []

    def node(kind: str, n: int) -> URIRef:
        return IRIS.report(SLUG, kind, n)

    def replace(subject: Node, predicate: Node, value: Node) -> None:
        removed.extend((subject, predicate, o) for o in graph.objects(subject, predicate))
        added.append((subject, predicate, value))

    def leads(measure: Node) -> list[Node]:
        held = graph.objects(measure, PROV.qualifiedAssociation)
        return [a for a in held if (a, PROV.hadRole, EDU.LeadRole) in graph]

    led = next(m for m in sorted(graph.subjects(RDF.type, EDU.Measure)) if len(leads(m)) == 1)
    removed.append((led, PROV.qualifiedAssociation, leads(led)[0]))
    added.append((node("area", 1), RDFS.label, Literal("第二个中文标签", lang="zh-Hans")))
    replace(node("measure", 2), EDU.order, Literal("第二"))
    replace(node("measure", 3), EDU.status, EDU.Unknown)
    replace(node("measure", 4), EDU.text, Literal("in English", lang="en"))
    span = next(iter(sorted(graph.subjects(RDF.type, NIF.String))))
    replace(span, NIF.beginIndex, Literal(graph.value(span, NIF.beginIndex), datatype=XSD.integer))
    target = node("target", 1)
    added.append((target, EDU.referenceIndicator, graph.value(target, EDU.indicator)))
    response = next(iter(sorted(graph.subjects(RDF.type, EDU.ProblemResponse))))
    replace(response, EDU.confidence, Literal("1.5", datatype=XSD.decimal))

    copy = Quads(quads.prefixes)
    for graph_name in quads.names():
        copy.add_lines(graph_name, quads.lines(graph_name))
    copy.replace_lines(name, set(copy.lines(name)) - set(nt_lines(removed)))
    copy.add_lines(name, nt_lines(added))
    faults = {
        (f"{EDS}MeasureShape", led),
        (f"{EDS}ZhLabel", node("area", 1)),
        (f"{EDS}Order", node("measure", 2)),
        (f"{EDS}MeasureShape", node("measure", 3)),
        (f"{EDS}Text", node("measure", 4)),
        (f"{EDS}SpanShape", span),
        (f"{EDS}TargetShape", target),
        (f"{EDS}ProblemResponseShape", response),
    }
    return copy, faults


@pytest.mark.slow
def test_a_broken_copy_of_the_real_build_gives_what_pyshacl_gives(quads: Quads) -> None:
    shapes = load_shapes()
    faulty, faults = broken(quads)
    ours = validate(faulty, shapes, engine="oxigraph")
    violations = {(str(f.shape), f.focus) for f in ours.all() if f.severity == SH.Violation}
    assert faults <= violations
    assert_same(ours, validate(faulty, shapes, engine="pyshacl"), shapes)


def test_a_report_writes_paths_as_paths_components_and_values_as_written() -> None:
    shapes_text, data_text, _ = FEATURES["paths other than a predicate"]
    shapes = Graph().parse(data=PREFIXES + shapes_text, format="turtle")
    data = Graph().parse(data=PREFIXES + data_text, format="turtle")
    findings = _run(data, shapes, engine="oxigraph")
    graph = report_graph(Outcome(findings={"x": findings}))
    results = list(graph.subjects(RDF.type, SH.ValidationResult))
    written = {
        (
            read_path(graph, graph.value(r, SH.resultPath)),
            graph.value(r, SH.sourceConstraintComponent),
        )  # type: ignore[arg-type]
        for r in results
    }
    assert written == {(f.path, f.component) for f in findings}
    assert {type(path) for path, _ in written} == {PathNode}
    values = {v.n3() for v in graph.objects(None, SH.value)}
    assert '"5.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in values
    assert set(report_graph(Outcome(findings={"x": findings}))) == set(graph)  # same bytes


def test_a_text_longer_than_oxigraphs_parser_buffer_is_stored() -> None:
    """Oxigraph's parser refuses a token over 16 MiB; a 50 MB report's text is one literal."""
    text = "学" * 6_000_000  # 18 MB of UTF-8
    long = f'<https://example.org/test#t> <{NIF.isString}> "{text}"@zh-Hans .\n'
    short = '<https://example.org/test#a> <https://example.org/test#p> "1"^^<http://www.w3.org/2001/XMLSchema#int> .\n'
    store = to_store(iter([(short + long + short.replace("#a", "#b")).encode("utf-8")]))
    stored = {str(q.subject.value): q.object for q in store if q.graph_name == ox.DefaultGraph()}
    assert stored["https://example.org/test#t"].value == text
    assert stored["https://example.org/test#t"].language == "zh-hans"
    assert {"https://example.org/test#a", "https://example.org/test#b"} <= set(stored)
    assert len(store) == 5  # three triples, and two filed as written with xsd:int


@pytest.mark.parametrize("name", ["the shapes file", *FEATURES])
def test_what_a_check_reads_is_what_its_query_reads(name: str) -> None:
    """The paths the compiler says a check follows read what the parsed query reads."""
    if name == "the shapes file":
        shapes = load_shapes(SHAPES)
    else:
        shapes = Graph().parse(data=PREFIXES + FEATURES[name][0], format="turtle")
    checks = compile_shapes(shapes)
    assert checks
    for check in checks:
        assert _compiled(check) == reads(check.query), check.query
