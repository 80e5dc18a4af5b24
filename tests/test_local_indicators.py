"""Report-local indicators: one IRI per label, however alike two labels spell in pinyin."""

from __future__ import annotations

from edugraph.reference import Reference
from tests.test_figures_genre import figures


def test_labels_that_spell_alike_get_distinct_indicators(reference: Reference) -> None:
    # 中心校 and 中心/校 lose their difference in pinyin; 公式 and 公示 are both gong-shi.
    found = figures(reference, "全县有中心校18所，中心/校12所。", "全市共有公式3个，公示5个。")
    by_label: dict[str, set[str]] = {}
    for o in found:
        if o.local:
            by_label.setdefault(o.indicator_label, set()).add(o.indicator)
    assert all(len(ids) == 1 for ids in by_label.values()), by_label
    ids = [next(iter(ids)) for ids in by_label.values()]
    assert len(ids) == len(set(ids)), by_label  # no two labels share an IRI
    assert {"中心校", "中心/校", "公式", "公示"} <= by_label.keys()
