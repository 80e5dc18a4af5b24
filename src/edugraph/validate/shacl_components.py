"""The SHACL Core constraint components the compiler knows, each as a function giving the
violation patterns of one component of a shape at a site (`shacl_compiler.Site`), with the
component's IRI for the results' sh:sourceConstraintComponent.

pySHACL is followed where it reads the specification its own way, because its results are the
reference: which lexical forms are well-typed (rdflib's, `LEXICAL`) and sh:languageIn
(`_language_in`). One choice is the specification's: a value that cannot be compared with a
bound (an ill-typed number, a string against a number) fails sh:minInclusive and its kin, where
pySHACL's result depends on how rdflib happens to order the two.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from edugraph.validate.paths import PathNode
from edugraph.validate.shacl_compiler import (
    INTEGERS,
    Compiler,
    Component,
    Site,
    Step,
    Violation,
    ordered,
)
from edugraph.vocab import SH

COMPONENT_OF = {
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
}
INSTANCE = PathNode("sequence", (RDF.type, PathNode(SH.zeroOrMorePath, (RDFS.subClassOf,))))
RANGES = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}
NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
# The lexical forms rdflib takes as well-typed, hence pySHACL (as a SPARQL string: "\\" is "\").
# rdflib accepts any decimal Python does, NaN and Infinity included, and checks no xsd:gYear or
# xsd:gYearMonth at all; it writes valid numbers canonically, as Oxigraph does.
LEXICAL = {
    XSD.integer: r"^\\s*[+-]?[0-9]+\\s*$",
    XSD.nonNegativeInteger: r"^\\s*(\\+?[0-9]+|-0+)\\s*$",
    XSD.decimal: r"^\\s*[+-]?(([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?|s?nan|inf(inity)?)\\s*$",
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.date: r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYear: "",
    XSD.gYearMonth: "",
    XSD.string: "",
}


def _well_typed(c: Compiler, site: Site, datatype: Node) -> str:
    """An expression: the value node is a literal of `datatype`, as pySHACL decides."""
    v = site.value
    if datatype == RDF.langString:
        return f'isLiteral({v}) && LANG({v}) != ""'
    lexical = LEXICAL.get(datatype) if isinstance(datatype, URIRef) else None
    if lexical is None:
        raise c.unsupported(site.shape, SH.datatype, c.show(datatype))
    stored = XSD.integer if datatype in INTEGERS else datatype
    test = f"isLiteral({v}) && DATATYPE({v}) = <{stored}>"
    if lexical:
        test += f' && REGEX(STR({v}), "{lexical}", "i")'
    if datatype == XSD.date:  # a real date; Python's, hence rdflib's, has no year 0
        test += f' && !STRSTARTS(STR({v}), "0000") && isLiteral(<{XSD.date}>(STR({v})))'
    return f"{test} && {c.written_as(site, v, datatype)}"


def _min_count(c: Compiler, site: Site) -> list[Violation]:
    n = c.count(site.shape, SH.minCount)
    if n is None:
        return []
    c.needs_path(site, SH.minCount)
    if n == 0:
        return []
    pattern = f"FILTER NOT EXISTS {{ {c.distinct(site, [c.var() for _ in range(n)])} }}"
    message = f"fewer than {n} values of {c.show_path(site.shape)}"
    return [Violation(pattern, SH.MinCountConstraintComponent, message)]


def _max_count(c: Compiler, site: Site) -> list[Violation]:
    n = c.count(site.shape, SH.maxCount)
    if n is None:
        return []
    c.needs_path(site, SH.maxCount)
    pattern = c.distinct(site, [c.var() for _ in range(n + 1)])
    message = f"more than {n} values of {c.show_path(site.shape)}"
    return [Violation(pattern, SH.MaxCountConstraintComponent, message)]


def _datatype(c: Compiler, site: Site) -> list[Violation]:
    datatype = c.one(site.shape, SH.datatype)
    if datatype is None:
        return []
    pattern = f"{site.values} FILTER(!COALESCE({_well_typed(c, site, datatype)}, false))"
    message = f"value is not a literal of datatype {c.show(datatype)}"
    return [Violation(pattern, SH.DatatypeConstraintComponent, message, site.value)]


def _class(c: Compiler, site: Site) -> list[Violation]:
    out = []
    for cls in ordered(c.shapes.objects(site.shape, SH["class"])):
        if not isinstance(cls, URIRef):
            raise c.unsupported(site.shape, SH["class"], f"{cls!r}")
        instance = f"{site.value} <{RDF.type}>/<{RDFS.subClassOf}>* <{cls}>"
        c.steps.append(Step(site.value == "?this", INSTANCE))
        pattern = f"{site.values} FILTER NOT EXISTS {{ {instance} }}"
        message = f"value is not an instance of {c.show(cls)}"
        out.append(Violation(pattern, SH.ClassConstraintComponent, message, site.value))
    return out


def _node_kind(c: Compiler, site: Site) -> list[Violation]:
    kind = c.one(site.shape, SH.nodeKind)
    if kind is None:
        return []
    test = NODE_KINDS.get(kind) if isinstance(kind, URIRef) else None
    if test is None:
        raise c.unsupported(site.shape, SH.nodeKind, c.show(kind))
    pattern = f"{site.values} FILTER(!{test.format(v=site.value)})"
    message = f"value is not of node kind {c.show(kind)}"
    return [Violation(pattern, SH.NodeKindConstraintComponent, message, site.value)]


def _in(c: Compiler, site: Site) -> list[Violation]:
    allowed = c.one(site.shape, SH["in"])
    if allowed is None:
        return []
    members = c.items(site.shape, SH["in"], allowed)
    test = " || ".join(f"({c.same(site, site.value, m, SH['in'])})" for m in members) or "false"
    pattern = f"{site.values} FILTER(!({test}))"
    message = f"value is not in {c.show(allowed)}"
    return [Violation(pattern, SH.InConstraintComponent, message, site.value)]


def _has_value(c: Compiler, site: Site) -> list[Violation]:
    out = []
    for value in ordered(c.shapes.objects(site.shape, SH.hasValue)):
        constant = c.constant(site.shape, SH.hasValue, value)
        if site.path:
            written = c.written_as(site, constant, getattr(value, "datatype", None))
            check = "" if written == "true" else f" FILTER({written})"
            pattern = f"FILTER NOT EXISTS {{ {site.focus} {site.path} {constant} .{check} }}"
        else:
            pattern = f"FILTER(!({c.same(site, site.focus, value, SH.hasValue)}))"
        message = f"missing the value {c.show(value)}"
        out.append(Violation(pattern, SH.HasValueConstraintComponent, message))
    return out


def _language_in(c: Compiler, site: Site) -> list[Violation]:
    """pySHACL's sh:languageIn: a tag matches if it, or its first subtag, is in the list (case
    aside). SPARQL's langMatches, which the specification names, would also let "zh-Hans-CN"
    match "zh-Hans"; pySHACL does not, and neither does this."""
    languages = c.one(site.shape, SH.languageIn)
    if languages is None:
        return []
    wanted = []
    for tag in c.items(site.shape, SH.languageIn, languages):
        if not isinstance(tag, Literal) or not isinstance(tag.toPython(), str):
            raise c.unsupported(site.shape, SH.languageIn, f"with the member {tag!r}")
        wanted.append(Literal(str(tag).lower()).n3())
    v, listed = site.value, ", ".join(wanted)
    test = f'isLiteral({v}) && LANG({v}) != ""'
    if '"*"' not in wanted:
        first = f'REPLACE(LANG({v}), "-.*$", "")'
        test += f" && (LCASE(LANG({v})) IN ({listed}) || LCASE({first}) IN ({listed}))"
    pattern = f"{site.values} FILTER(!COALESCE({test}, false))"
    message = f"value's language is not in {c.show(languages)}"
    return [Violation(pattern, SH.LanguageInConstraintComponent, message, v)]


def _unique_lang(c: Compiler, site: Site) -> list[Violation]:
    """A result per language tag that two values share (pySHACL gives one each)."""
    unique = c.one(site.shape, SH.uniqueLang)
    if unique is None:
        return []
    if not isinstance(unique, Literal) or not isinstance(unique.toPython(), bool):
        raise c.unsupported(site.shape, SH.uniqueLang, f"{unique!r}")
    c.needs_path(site, SH.uniqueLang)
    if not unique.toPython():
        return []
    a, b, lang = c.var(), c.var(), c.var("lang")
    shared = f'LANG({a}) != "" && LCASE(LANG({a})) = LCASE(LANG({b}))'
    pattern = f"{c.distinct(site, [a, b])} FILTER({shared}) BIND(LCASE(LANG({a})) AS {lang})"
    message = "more than one value has the same language tag"
    return [Violation(pattern, SH.UniqueLangConstraintComponent, message, key=lang)]


def _ranges(c: Compiler, site: Site) -> list[Violation]:
    out = []
    for parameter, operator in RANGES.items():
        for bound in ordered(c.shapes.objects(site.shape, parameter)):
            if not isinstance(bound, Literal):
                raise c.unsupported(site.shape, parameter, f"{bound!r}")
            test = f"COALESCE({site.value} {operator} {bound.n3()}, false)"
            pattern = f"{site.values} FILTER(!{test})"
            message = f"value is not {operator} {c.show(bound)}"
            out.append(Violation(pattern, COMPONENT_OF[parameter], message, site.value))
    return out


def _qualified(c: Compiler, site: Site) -> list[Violation]:
    """sh:qualifiedValueShape: at least, or at most, n values conform to the shape."""
    shape = c.one(site.shape, SH.qualifiedValueShape)
    low = c.count(site.shape, SH.qualifiedMinCount)
    high = c.count(site.shape, SH.qualifiedMaxCount)
    if shape is None:
        if low is not None or high is not None:
            raise c.unsupported(site.shape, SH.qualifiedMinCount, "without a qualified shape")
        return []
    c.needs_path(site, SH.qualifiedValueShape)
    if (site.shape, SH.qualifiedValueShapesDisjoint, Literal(True)) in c.shapes:
        raise c.unsupported(site.shape, SH.qualifiedValueShapesDisjoint)
    if low is None and high is None:
        raise c.unsupported(site.shape, SH.qualifiedValueShape, "without a qualified count")

    def conforming(n: int) -> str:
        names = [c.var() for _ in range(n)]
        tests = " && ".join(c.conforms(shape, name, site.origin) for name in names)
        return f"{c.distinct(site, names)} FILTER({tests})"

    out = []
    described = f"of {c.show_path(site.shape)} conform to {c.show(shape)}"
    if low:
        pattern = f"FILTER NOT EXISTS {{ {conforming(low)} }}"
        message = f"fewer than {low} values {described}"
        out.append(Violation(pattern, SH.QualifiedMinCountConstraintComponent, message))
    if high is not None:
        message = f"more than {high} values {described}"
        out.append(
            Violation(conforming(high + 1), SH.QualifiedMaxCountConstraintComponent, message)
        )
    return out


def _logical(c: Compiler, site: Site) -> list[Violation]:
    """sh:or (some member conforms) and sh:xone (exactly one does), per value node."""
    out = []
    for parameter in (SH["or"], SH.xone):
        for members in ordered(c.shapes.objects(site.shape, parameter)):
            shapes = c.items(site.shape, parameter, members)
            if not shapes:
                raise c.unsupported(site.shape, parameter, "with an empty list")
            if parameter == SH["or"]:  # pySHACL counts a repeated member once in sh:or only
                shapes = list(dict.fromkeys(shapes))
            tests = [c.conforms(member, site.value, site.origin) for member in shapes]
            if parameter == SH["or"]:
                fails, word = f"!({' || '.join(tests)})", "one or more"
            else:
                fails, word = f"({' + '.join(f'IF({t}, 1, 0)' for t in tests)}) != 1", "exactly one"
            pattern = f"{site.values} FILTER({fails})"
            message = f"value must conform to {word} of the shapes in {c.show(members)}"
            out.append(Violation(pattern, COMPONENT_OF[parameter], message, site.value))
    return out


COMPONENTS: tuple[Component, ...] = (
    _min_count, _max_count, _datatype, _class, _node_kind, _in, _has_value, _language_in,
    _unique_lang, _ranges, _qualified, _logical,
)  # fmt: skip
