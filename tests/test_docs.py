"""The HTML documentation: every term of the ontology has an anchor its hash IRI opens, labels
and definitions in both languages, domains, ranges, hierarchies and concept schemes; shapes
show targets, constraints, severities and messages; text from the graph is escaped."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from edugraph.publish import docs
from tests.conftest import ROOT

ONTOLOGY_FILE = ROOT / "ontology" / "edugraph.ttl"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
EDU = "https://w3id.org/edugraph/ontology#"

SHAPES = """
@prefix ex: <https://example.org/shapes#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix edu: <https://w3id.org/edugraph/ontology#> .
@prefix vann: <http://purl.org/vocab/vann/> .

<https://example.org/shapes> a owl:Ontology ;
    dcterms:title "example shapes"@en , "示例规则"@zh-Hans ;
    vann:preferredNamespaceUri "https://example.org/shapes#" .

ex:Label a sh:PropertyShape ;
    sh:path <http://www.w3.org/2000/01/rdf-schema#label> ;
    sh:minCount 1 ;
    sh:message "needs a label"@en .

ex:MeasureShape a sh:NodeShape ;
    sh:targetClass edu:Measure ;
    sh:severity sh:Warning ;
    sh:message "措施不完整"@zh-Hans , "the measure is incomplete"@en ;
    sh:property ex:Label ,
        [ sh:path ( edu:practiceArea edu:inReport ) ; sh:maxCount 1 ] ,
        [ sh:path [ sh:inversePath edu:addresses ] ; sh:class edu:Problem ] ,
        [ sh:path edu:status ; sh:in ( edu:Implemented edu:Planned ) ; sh:severity sh:Info ;
          sh:message "unknown status <b>"@en ] ;
    sh:or ( [ sh:path edu:stage ; sh:minCount 1 ] [ sh:path edu:dutyArea ; sh:minCount 1 ] ) ;
    sh:sparql [
        sh:select "SELECT $this WHERE { $this edu:order ?n . FILTER (?n < 1) }" ;
        sh:message "order must be positive"@en ] .

ex:ReportShape sh:targetSubjectsOf edu:inReport ;
    sh:property [ sh:path edu:notation ; sh:datatype xsd:string ; sh:pattern "^[0-9]+$" ] .
"""


class Page(HTMLParser):
    """The ids and the same-page links of an HTML page."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(str(values["id"]))
        href = values.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.links.append(href[1:])


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE)


@pytest.fixture(scope="module")
def ontology_page(ontology: Graph) -> str:
    return docs.ontology_html(ontology)


def section(html: str, anchor: str) -> str:
    start = html.index(f'<section class="term" id="{anchor}">')
    return html[start : html.index("</section>", start)]


def test_every_term_has_an_anchor(ontology: Graph, ontology_page: str) -> None:
    page = Page(ontology_page)
    terms = {str(s)[len(EDU) :] for s in ontology.subjects() if str(s).startswith(EDU)}
    assert terms, "the ontology defines terms"
    assert terms <= set(page.ids), terms - set(page.ids)
    assert len(page.ids) == len(set(page.ids)), "ids are unique"
    assert set(page.links) <= set(page.ids), set(page.links) - set(page.ids)
    assert ontology_page.count('class="term"') >= len(terms)


def test_header_has_the_ontologys_metadata(ontology_page: str) -> None:
    header = ontology_page[: ontology_page.index("</header>")]
    assert "<title>edugraph ontology</title>" in ontology_page
    assert "https://w3id.org/edugraph/ontology/0.1.0" in header  # version IRI
    assert "https://creativecommons.org/licenses/by/4.0/" in header
    assert "Preferred prefix" in header and ">edu<" in header.replace("edu <", "edu<")
    assert "教育履职评价知识图谱本体" in header
    contents = ontology_page[ontology_page.index('<nav class="toc">') :]
    for title in ("Classes", "Object properties", "Datatype properties", "Concept scheme"):
        assert title in contents


def test_a_class_has_labels_definitions_and_relations(ontology_page: str) -> None:
    measure = section(ontology_page, "Measure")
    assert '<span lang="zh-Hans">措施</span>' in measure and "measure" in measure
    assert "A policy measure the report describes" in measure
    assert "报告所述的一项政策措施" in measure
    assert "http://www.w3.org/ns/prov#Activity" in measure  # super-class, an alignment
    assert 'href="#addresses"' in measure  # in the domain of
    assert "Subclass of" in measure and "In the domain of" in measure


def test_a_property_has_domain_range_and_hierarchy(ontology_page: str) -> None:
    addresses = section(ontology_page, "addresses")
    domain = addresses[addresses.index("Domain") :]
    assert 'href="#Measure"' in domain.split("</tr>")[0]
    assert 'href="#Problem"' in addresses[addresses.index("Range") :].split("</tr>")[0]
    assert "Inverse of" in section(ontology_page, "addressedBy")


def test_individuals_are_grouped_by_concept_scheme(ontology_page: str) -> None:
    start = ontology_page.index('<h2 id="scheme-BodyRoleScheme">')
    end = ontology_page.index("<h2 ", start + 1)
    scheme = ontology_page[start:end]
    for role in ("LeadRole", "ParticipantRole", "PartnerRole", "BeneficiaryRole"):
        assert f'<section class="term" id="{role}">' in scheme
    assert '<span lang="zh-Hans">牵头</span>' in section(ontology_page, "LeadRole")


def test_text_from_the_graph_is_escaped() -> None:
    g = Graph().parse(
        data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://example.org/o> a owl:Ontology .
        <https://example.org/o#Thing> a owl:Class ;
            rdfs:label "<script>alert(1)</script>"@en ;
            rdfs:comment "a & b"@en .
        """,
        format="turtle",
    )
    html = docs.ontology_html(g)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "a &amp; b" in html
    assert 'id="Thing"' in html


def test_shapes_show_targets_constraints_severity_and_messages() -> None:
    html = docs.shapes_html(Graph().parse(data=SHAPES, format="turtle"))
    page = Page(html)
    assert {"MeasureShape", "ReportShape", "Label"} <= set(page.ids)
    assert set(page.links) <= set(page.ids)
    assert "<title>example shapes</title>" in html
    shape = section(html, "MeasureShape")
    assert f"{EDU}Measure" in shape  # target class, linked to the ontology
    assert 'class="sev-Info"' in shape and ">Warning<" in shape
    assert "措施不完整" in shape and "the measure is incomplete" in shape
    assert "edu:practiceArea</code></a> / <a" in shape  # a sequence path
    assert "^<a" in shape  # an inverse path
    assert "minCount" in shape and "maxCount" in shape and "in (" in shape
    assert 'href="#Label"' in shape  # a named property shape, linked
    assert "unknown status &lt;b&gt;" in shape
    assert "sh:or" in shape
    assert "SELECT $this WHERE" in shape and "order must be positive" in shape
    report = section(html, "ReportShape")
    assert "edu:inReport" in report and "pattern" in report
    label = section(html, "Label")
    assert "Used by" in label and 'href="#MeasureShape"' in label


@pytest.mark.skipif(not SHAPES_FILE.exists(), reason="no ontology/shapes.ttl yet")
def test_the_projects_shapes_render() -> None:
    shapes = Graph().parse(SHAPES_FILE)
    html = docs.shapes_html(shapes)
    page = Page(html)
    namespace = "https://w3id.org/edugraph/shapes#"
    named = {str(s)[len(namespace) :] for s in shapes.subjects() if str(s).startswith(namespace)}
    assert named <= set(page.ids), named - set(page.ids)
    assert set(page.links) <= set(page.ids)
    sh_target = URIRef("http://www.w3.org/ns/shacl#targetClass")
    for target in set(shapes.objects(None, sh_target)):
        assert str(target) in html


def test_pages_are_deterministic(ontology: Graph, ontology_page: str) -> None:
    """Blank nodes (Data Cube components, property shapes) get new identifiers on every parse:
    their order and anchors must come from their content."""
    again = Graph().parse(Path(ONTOLOGY_FILE))
    assert docs.ontology_html(again) == ontology_page
    shapes = [Graph().parse(data=SHAPES, format="turtle") for _ in range(2)]
    assert docs.shapes_html(shapes[0]) == docs.shapes_html(shapes[1])
