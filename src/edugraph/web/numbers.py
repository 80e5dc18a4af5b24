"""Figures as people write them: 1476000000 元 is 14.76亿元, 36000 人 is 3.6万人, 0.9846 is
not a percentage but 98.46 with the unit 百分比 is 98.46%. The graph keeps exact values in
base units; a page shows this form and keeps the exact value for its title (hover)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

PERCENT = "http://qudt.org/vocab/unit/PERCENT"
RATIO = "https://w3id.org/edugraph/ontology#Ratio"
MAGNITUDES = ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
SUFFIXES = {PERCENT: "%", "https://w3id.org/edugraph/ontology#PercentagePoint": "个百分点"}
VALUE_COLUMNS = {"value", "actual", "targetValue", "minValue", "obsValue"}


def plain(number: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 14.7600 → 14.76, 3E+4 → 30000."""
    text = format(number.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def human(value: str, unit: str | None = None, unit_label: str | None = None) -> str:
    """The value in the unit as a reader writes it; the value itself if it is no number."""
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return value
    if unit in SUFFIXES:
        return f"{plain(round(number, 2))}{SUFFIXES[unit]}"
    if unit == RATIO:
        return f"1:{plain(round(number, 2))}"
    label = unit_label or ""
    for size, name in MAGNITUDES:
        if abs(number) >= size:
            return f"{plain(round(number / size, 2))}{name}{label}"
    return f"{plain(number)}{label}"
