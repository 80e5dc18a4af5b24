"""What the findings page shows: validation's findings about the reports, Warnings first,
grouped by report and by the rule (shape) that found them, so that the one thing a reader
must see — a standard missed and admitted nowhere — is not last in a list sorted by IRI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from edugraph.query.engines import Results
from edugraph.query.results import rows
from edugraph.web.home import href_of

SH = "http://www.w3.org/ns/shacl#"
SEVERITIES = {  # in the order a reader wants them
    f"{SH}Violation": "违规 Violation",
    f"{SH}Warning": "警告 Warning",
    f"{SH}Info": "信息 Info",
}


@dataclass(frozen=True, slots=True)
class Item:
    href: str | None
    severity: str  # its label
    warning: bool
    message: str  # zh
    message_en: str
    focus: str
    focus_href: str | None
    source: str


@dataclass(slots=True)
class Rule:
    name: str
    rank: int
    items: list[Item] = field(default_factory=list)


@dataclass(slots=True)
class ReportFindings:
    report: str
    rules: list[Rule] = field(default_factory=list)

    @property
    def warnings(self) -> int:
        return sum(item.warning for rule in self.rules for item in rule.items)


def rule_name(iri: str) -> str:
    """A shape's name as a reader can take it: `…#TargetMissedUnacknowledgedShape` →
    `TargetMissedUnacknowledged`."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1].removesuffix("Shape") or iri


def grouped(results: Results, base_iri: str) -> list[ReportFindings]:
    """The rows of the saved query `findings`, by report, then by rule in severity order."""
    reports: dict[str, dict[str, Rule]] = {}
    ranks = list(SEVERITIES)
    for row in rows(results):
        v = {name: term["value"] for name, term in row.items()}
        severity = v["severity"]
        rank = ranks.index(severity) if severity in ranks else len(ranks)
        rules = reports.setdefault(v.get("report", ""), {})
        name = rule_name(v.get("rule", ""))
        rule = rules.setdefault(name, Rule(name, rank))
        rule.rank = min(rule.rank, rank)
        rule.items.append(
            Item(
                href=href_of(v["finding"], base_iri),
                severity=SEVERITIES.get(severity, severity.rsplit("#", 1)[-1]),
                warning=severity == f"{SH}Warning",
                message=v.get("messageZh", v.get("message", "")),
                message_en=v.get("message", ""),
                focus=v.get("focusLabel", v["focus"]),
                focus_href=href_of(v["focus"], base_iri),
                source=v.get("source", ""),
            )
        )
    return [
        ReportFindings(report, sorted(rules.values(), key=lambda r: (r.rank, r.name)))
        for report, rules in reports.items()
    ]
