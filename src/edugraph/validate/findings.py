"""A validation result as plain values (what the shapes compiler and the validation run both
make, and what becomes an `edu:Finding` in the dataset), and the outcome of a run."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.term import Node

from edugraph.validate.paths import Path
from edugraph.vocab import SH

SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}
SEVERITY_NAME = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
SHARED = "reference"  # the key of findings about the shared graphs (bodies, standards …)


@dataclass(frozen=True, slots=True)
class Finding:
    """One validation result, with plain values so it can be sorted, printed and compared."""

    severity: URIRef
    shape: Node
    focus: Node
    path: Path | None  # a predicate, or a path node for any other path
    value: Node | None  # as the data wrote it (`validate.spellings`)
    messages: tuple[tuple[str, str], ...]  # (language, text), sorted
    component: URIRef | None = None  # sh:sourceConstraintComponent

    @property
    def key(self) -> tuple[int, str, str, str, str, str]:
        """The order of findings: every field counts, so the order never depends on how a
        set happened to hold them."""
        return (
            SEVERITY_ORDER.get(self.severity, 3),
            str(self.shape),
            str(self.focus),
            str(self.messages),
            repr(self.path),
            repr(self.value),
        )

    def message(self, lang: str = "en") -> str:
        for language, text in self.messages:
            if language == lang:
                return text
        return self.messages[0][1] if self.messages else ""


@dataclass(slots=True)
class Outcome:
    findings: dict[str, list[Finding]] = field(default_factory=dict)  # by report slug
    rules: dict[str, tuple[int, int]] = field(default_factory=dict)  # shape → (examined, held)
    seconds: float = 0.0
    keys: dict[str, str] = field(default_factory=dict)  # run → what its result was cached under

    def all(self) -> list[Finding]:
        return sorted((f for fs in self.findings.values() for f in fs), key=lambda f: f.key)

    def count(self, severity: URIRef) -> int:
        return sum(1 for f in self.all() if f.severity == severity)

    @property
    def conforms(self) -> bool:
        return self.count(SH.Violation) == 0


EDS = "https://w3id.org/edugraph/shapes#"


def short_name(shape: Node) -> str:
    text = str(shape)
    return f"eds:{text[len(EDS) :]}" if text.startswith(EDS) else text
