"""Foundation, reference data: stages, duty areas, topics and the gazetteer of bodies, read
from TOML.

Kept as plain TOML so that analysts can extend it without touching RDF or code; the build
turns it into SKOS and ORG. Local bodies (市委, 市政府 …) are templates resolved per report.
"""

from edugraph.reference.model import (
    BODY_TYPES,
    DEFAULT_DIR,
    ROLES,
    Body,
    BodyPatterns,
    Concept,
    Indicator,
    InstitutionKind,
    KnownPerson,
    Level,
    LocalContext,
    Organ,
    Post,
    Reference,
    RoleRule,
    Standard,
    local_id,
)
from edugraph.reference.read import load_reference

__all__ = [
    "BODY_TYPES",
    "DEFAULT_DIR",
    "ROLES",
    "Body",
    "BodyPatterns",
    "Concept",
    "Indicator",
    "InstitutionKind",
    "KnownPerson",
    "Level",
    "LocalContext",
    "Organ",
    "Post",
    "Reference",
    "RoleRule",
    "Standard",
    "load_reference",
    "local_id",
]
