"""Read and check the metadata file that sits beside each source report."""

from __future__ import annotations

import re
import tomllib
from dataclasses import fields
from pathlib import Path

from edugraph.errors import InputError
from edugraph.records import Metadata

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
LEVELS = ("province", "prefecture", "county")
OPTIONAL = {"title_en", "source_url", "note"}
KNOWN = {f.name for f in fields(Metadata)} - {"slug"}
REQUIRED = KNOWN - OPTIONAL


def metadata_path(source: Path) -> Path:
    return source.with_suffix(".toml")


def read_metadata(source: Path) -> Metadata:
    """Load `<slug>.toml`; every problem names the file and, where it can, the line."""
    path = metadata_path(source)
    slug = source.stem
    if not SLUG.match(slug):
        raise InputError(
            f"file name {slug!r} is not a valid slug (lower-case letters, digits and hyphens)",
            source=str(source),
        )
    if not path.exists():
        raise InputError(f"no metadata file {path.name} beside the report", source=str(source))
    raw = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"invalid TOML: {exc}", source=str(path)) from None
    _check_fields(data, raw, path)
    values = {k: str(v) for k, v in data.items()}
    meta = Metadata(slug=slug, **values)
    _check_values(meta, raw, path)
    return meta


def _line_of(key: str, raw: str) -> int | None:
    for number, line in enumerate(raw.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def _check_fields(data: dict[str, object], raw: str, path: Path) -> None:
    for key, value in data.items():
        if key not in KNOWN:
            known = ", ".join(sorted(KNOWN))
            raise InputError(
                f"unknown field {key!r} (known fields: {known})",
                source=str(path),
                line=_line_of(key, raw),
            )
        if not isinstance(value, str):
            raise InputError(
                f"field {key!r} must be a string", source=str(path), line=_line_of(key, raw)
            )
    missing = sorted(REQUIRED - data.keys())
    if missing:
        raise InputError(f"missing field(s): {', '.join(missing)}", source=str(path))


def _check_values(meta: Metadata, raw: str, path: Path) -> None:
    def fail(key: str, why: str) -> InputError:
        return InputError(f"field {key!r} {why}", source=str(path), line=_line_of(key, raw))

    if meta.level not in LEVELS:
        raise fail("level", f"must be one of {', '.join(LEVELS)}")
    if not SLUG.match(meta.region):
        raise fail("region", "must be a slug (lower-case letters, digits and hyphens)")
    for key in ("period_start", "period_end", "issued"):
        if not DATE.match(getattr(meta, key)):
            raise fail(key, "must be a date: YYYY, YYYY-MM or YYYY-MM-DD")
    if meta.period_start > meta.period_end:
        raise fail("period_end", "is before period_start")
    if not meta.region_zh:
        raise fail("region_zh", "must not be empty")
