"""A validation result as plain values: what the shapes compiler and the validation run both
make, and what becomes an `edu:Finding` in the dataset."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from edugraph.vocab import SH

SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    """One validation result, with plain values so it can be sorted, printed and compared."""

    severity: URIRef
    shape: Node
    focus: Node
    path: Node | None
    value: Node | None
    messages: tuple[tuple[str, str], ...]  # (language, text), sorted

    @property
    def key(self) -> tuple[int, str, str, str]:
        return (
            SEVERITY_ORDER.get(self.severity, 3),
            str(self.shape),
            str(self.focus),
            str(self.messages),
        )

    def message(self, lang: str = "en") -> str:
        for language, text in self.messages:
            if language == lang:
                return text
        return self.messages[0][1] if self.messages else ""
