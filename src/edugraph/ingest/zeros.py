"""Figures stated without a digit: none left (基本消除66人以上超大班额, 大班额全部清零), doubled.

The genre reports the end of oversized classes in words, before the noun or after it; each is
a figure of zero classes, as a reader counts it. A negated end (尚未全部消除) is no figure. A
growth in words (翻了一番, 翻两番) is a change of so many times.
"""

from __future__ import annotations

import re
from decimal import Decimal

from edugraph.ingest.quantities import Mention
from edugraph.ingest.text import simplified
from edugraph.ingest.units import UNITS

# 到2021年基本消除66人以上超大班额, 基本消除城区56人以上大班额, 全面消除城区学校大班额
ELIMINATE = re.compile(
    r"(到\d{4}年(?:底前?)?|年底前)?(?:(?:基本|全面)?消除(?:义务教育|[^，,。；;、\d未尚]{0,4}?)"
    r"(\d+人以上(?:超)?大班额)"
    r"|(?<![未尚难没])(?:(?:基本|全面)消除|消除(?:全部|所有))[^，,。；;、\d]{0,8}?((?:超)?大班额)"
    r"|(?<=前)消除[^，,。；;、\d]{0,6}?((?:超)?大班额))"  # 2023年底前消除大班额
    r"(?!\s*[\d０-９]|比例|占比|率|数|问题)"
)
# 56人以上大班额全部消除, 超大班额保持动态清零, 大班额问题已基本消除, 无56人以上大班额: the
# noun first; 尚未全部消除 does not match (nothing may stand between the noun and its end)
CLEARED = re.compile(
    r"(?:(?<=[无没有])|(?<![\d０-９]))"
    r"((?:\d+人以上)?(?:超)?大班额)(?:问题)?(?:已经|已)?(?:均已|均)?"
    r"(?:(?:全部|基本|全面|完全)(?:消除|清零)|保持(?:动态)?[“\"]?清零[”\"]?)"
    r"|(?<=无)((?:\d+人以上)?(?:超)?大班额)(?!\s*[\d０-９]|比例|占比|率|数|问题)"
)


def zeros(text: str) -> list[Mention]:
    """The figures of zero a sentence states in words, in text order; a deadline before the
    end (到2021年基本消除…) makes the zero a bound to reach."""
    simple = simplified(text)  # 大班額已全部消除: read in simplified script, quoted as written
    found = [_zero(text, m, _noun_group(m), m.group(1)) for m in ELIMINATE.finditer(simple)]
    taken = {z.start for z in found}
    for m in CLEARED.finditer(simple):
        if m.start() not in taken:  # the noun and its end: 超大班额保持动态清零
            found.append(_zero(text, m, 0, None))
    found += [_doubled(text, m) for m in DOUBLED.finditer(simple)]
    return sorted(found, key=lambda z: z.start)


def _noun_group(m: re.Match[str]) -> int:
    return next(g for g in (2, 3, 4) if m.group(g))


# 较2019年翻了一番: twice as much; 翻两番: four times
DOUBLED = re.compile(r"翻了?(?P<n>[一两二三])番")
TIMES = {"一": 2, "两": 4, "二": 4, "三": 8}


def _doubled(text: str, m: re.Match[str]) -> Mention:
    return Mention(
        start=m.start(),
        end=m.end(),
        raw=text[m.start() : m.end()],
        value=Decimal(TIMES[m["n"]]),
        unit=UNITS["times"],
        qualifier=None,
        kind="change",
        direction=1,
        period_hint=None,
        comparison="other",
        group=None,
        index=0,
    )


def _zero(text: str, m: re.Match[str], group: int, deadline: str | None) -> Mention:
    return Mention(
        start=m.start(group),
        end=m.end(group),
        raw=text[m.start(group) : m.end(group)],
        value=Decimal(0),
        unit=UNITS["class"],  # oversized classes, none left
        qualifier="at-most" if deadline and deadline.startswith("到") else None,
        kind="value",
        direction=0,
        period_hint=None,
        comparison=None,
        group=None,
        index=0,
    )
