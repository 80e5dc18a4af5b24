"""Where the files the code reads are: the ontology and shapes, the saved queries and the
reference data. A wheel ships them inside the package (`edugraph/_data/…`, see pyproject.toml),
found through `importlib.resources`; in a checkout they are read where they are kept, at the
top of the repository. `ROOT` is where a build reads sources and writes by default: the
checkout, or (installed) the current directory.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SHIPPED = {"ontology": "ontology", "queries": "queries", "reference": "data/reference"}
_CHECKOUT = Path(__file__).resolve().parents[2]


def _is_checkout(path: Path) -> bool:
    return (path / "pyproject.toml").is_file() and (path / "ontology").is_dir()


ROOT = _CHECKOUT if _is_checkout(_CHECKOUT) else Path.cwd()


def resource(folder: str, *parts: str) -> Path:
    """A shipped folder (`ontology`, `queries`, `reference`) or a file in it."""
    if folder not in SHIPPED:
        raise KeyError(f"no shipped folder {folder!r} (known: {', '.join(SHIPPED)})")
    shipped = Path(str(resources.files("edugraph"))) / "_data" / folder
    base = shipped if shipped.is_dir() else _CHECKOUT / SHIPPED[folder]
    return base.joinpath(*parts)
