"""The prefixes an ad-hoc query may use without declaring them (`edugraph sparql`, the SPARQL
page): the ontology's and the common vocabularies' it is written in. They are added on the
query's first line, so the line numbers of a syntax error stay those the user sees."""

from __future__ import annotations

import re

from edugraph.vocab import PREFIXES

DECLARED = ("edu", "skos", "rdfs", "org", "qb", "prov")
NAMESPACES = {name: str(PREFIXES[name]) for name in DECLARED}


def listed() -> str:
    """The predeclared prefixes, for help texts."""
    return ", ".join(f"{name}: <{iri}>" for name, iri in NAMESPACES.items())


def predeclare(query: str) -> str:
    """The query with a PREFIX line for each predeclared prefix it does not declare itself."""
    missing = [
        f"PREFIX {name}: <{iri}>"
        for name, iri in NAMESPACES.items()
        if not re.search(rf"(?i)\bPREFIX\s+{name}\s*:", query)
    ]
    return " ".join([*missing, query]) if missing else query
