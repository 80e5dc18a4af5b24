"""Query results in every format the surfaces offer: SPARQL 1.1 JSON, XML, CSV and TSV, and a
plain-text table for people. Input is always the normalised SPARQL JSON shape."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

from edugraph.errors import NotAcceptable
from edugraph.formats import RESULTS
from edugraph.query.engines import Results

SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
SH = "http://www.w3.org/ns/shacl#"
FIXED_LABELS = {  # terms the dataset does not label: SHACL's severities
    f"{SH}Violation": "违规 Violation",
    f"{SH}Warning": "警告 Warning",
    f"{SH}Info": "信息 Info",
}
# A column saying the lead is assumed (the text names no body, so the issuer leads): people read
# it in words on every surface, the site's tables and CSV and the command line's table alike.
ASSUMED_COLUMNS = frozenset({"default", "leadAssumed"})
ASSUMED = {
    "true": "默认（文中未写明）",
    "1": "默认（文中未写明）",
    "false": "文中写明",
    "0": "文中写明",
}
MEDIA_TYPES = {f.key: f.media_type for f in RESULTS} | {"table": "text/plain"}


# What XML 1.0 cannot carry, not even as a character reference.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A cell a spreadsheet would run as a formula (OWASP's list), unless it is a plain number.
FORMULA = re.compile(r"[=+\-@\t\r]")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def variables(results: Results) -> list[str]:
    return list(results.get("head", {}).get("vars", []))


def rows(results: Results) -> list[dict[str, dict[str, str]]]:
    return list(results.get("results", {}).get("bindings", []))


def to_json(results: Results) -> str:
    return json.dumps(results, ensure_ascii=False, indent=1)


def to_csv(results: Results, *, spreadsheet: bool = False) -> str:
    """SPARQL 1.1 CSV: plain values, as the standard says. For a `spreadsheet`, a byte-order
    mark (so it reads UTF-8) and no cell a spreadsheet would run as a formula: one that starts
    with = + - @ (and is not a number) gets a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if "boolean" in results:
        writer.writerow(["boolean"])
        writer.writerow(["true" if results["boolean"] else "false"])
    else:
        names = variables(results)
        writer.writerow(names)
        for row in rows(results):
            cells = [row[n]["value"] if n in row else "" for n in names]
            writer.writerow([inert(c) for c in cells] if spreadsheet else cells)
    return ("\ufeff" if spreadsheet else "") + out.getvalue()


def inert(cell: str) -> str:
    """The cell as a spreadsheet shows it without evaluating it."""
    if FORMULA.match(cell) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def term_nt(term: Mapping[str, str]) -> str:
    """A result term in N-Triples/Turtle syntax, as SPARQL TSV writes it."""
    value = term["value"]
    if term["type"] == "uri":
        return f"<{value}>"
    if term["type"] == "bnode":
        return f"_:{value}"
    quoted = (
        '"'
        + value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
        + '"'
    )
    if "xml:lang" in term:
        return f"{quoted}@{term['xml:lang']}"
    if "datatype" in term:
        return f"{quoted}^^<{term['datatype']}>"
    return quoted


def to_tsv(results: Results) -> str:
    if "boolean" in results:
        return "?boolean\n" + ("true" if results["boolean"] else "false") + "\n"
    names = variables(results)
    lines = ["\t".join(f"?{n}" for n in names)]
    for row in rows(results):
        lines.append("\t".join(term_nt(row[n]) if n in row else "" for n in names))
    return "\n".join(lines) + "\n"


def to_xml(results: Results) -> str:
    """SPARQL XML results; a value XML cannot carry is refused rather than written into a
    document no XML parser would read."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
    ]
    out.append(
        "<head>"
        + "".join(f"<variable name={quoteattr(n)}/>" for n in variables(results))
        + "</head>"
    )
    if "boolean" in results:
        out.append(f"<boolean>{'true' if results['boolean'] else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in rows(results):
            out.append(
                "<result>" + "".join(_xml_binding(n, t) for n, t in row.items()) + "</result>"
            )
        out.append("</results>")
    out.append("</sparql>")
    text = "\n".join(out) + "\n"
    found = XML_FORBIDDEN.search(text)
    if found:
        raise NotAcceptable(
            f"a result holds a character XML cannot carry (U+{ord(found.group()):04X}): "
            "ask for JSON, CSV or TSV"
        )
    return text


def _xml_binding(name: str, term: Mapping[str, str]) -> str:
    value = escape(term["value"])
    if term["type"] == "uri":
        inner = f"<uri>{value}</uri>"
    elif term["type"] == "bnode":
        inner = f"<bnode>{value}</bnode>"
    elif "xml:lang" in term:
        inner = f"<literal xml:lang={quoteattr(term['xml:lang'])}>{value}</literal>"
    elif "datatype" in term:
        inner = f"<literal datatype={quoteattr(term['datatype'])}>{value}</literal>"
    else:
        inner = f"<literal>{value}</literal>"
    return f"<binding name={quoteattr(name)}>{inner}</binding>"


def compact(value: str, prefixes: Mapping[str, str]) -> str:
    for prefix, namespace in sorted(prefixes.items(), key=lambda p: -len(p[1])):
        if value.startswith(namespace) and len(value) > len(namespace):
            return f"{prefix}:{value[len(namespace) :]}"
    return value


def render(results: Results, fmt: str) -> str:
    """SELECT or ASK results in a results format: json, xml, csv or tsv."""
    if fmt == "json":
        return to_json(results)
    if fmt == "xml":
        return to_xml(results)
    if fmt == "csv":
        return to_csv(results)
    if fmt == "tsv":
        return to_tsv(results)
    raise ValueError(f"not a results format: {fmt}")
