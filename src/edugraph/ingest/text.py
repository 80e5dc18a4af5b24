"""Read a report's PDF text and rejoin its broken lines, keeping a map back to the source.

PDF-to-text output breaks every line at the page width and leaves blank lines between
lines and at page breaks. A paragraph ends where a line stops short of the page width or
where the next line opens with a structural marker (一、 (一) 1. …). Every character of the
normalised text remembers its offset in the source, so provenance spans point at real lines.

Reports are published in simplified or traditional script, with full-width or ASCII
punctuation, and with OCR's numbering ((-) for (一)). The text keeps the source's characters
(it is what spans and nif:anchorOf quote); beside it, `Normalised.match` is a copy of the same
length, character for character, folded for matching: simplified script, full-width CJK
punctuation (but ASCII brackets), ASCII digits and letters, OCR numbering repaired, and the
spaces inside a figure (51 536 人, 12 个) moved before it (  51536人,  12个) so that the figure
reads as one, and in a paragraph a PDF spaced around its numbers (截至 2019 年 11 月) those spaces
moved to the paragraph's end (截至2019年11月). Patterns run
on the copy and their offsets index the text; `Normalised.source_span` maps a span of the copy
whose characters were moved back to the text's own.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import opencc

from edugraph.errors import InputError

# A line that opens a new structural unit, whatever the previous line looked like.
MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]+、"
    r"|[（(]\s*(?:[一二三四五六七八九十]+|[-—–―－])\s*[)）]"
    r"|[0-9０-９]{1,3}\s?[.．、](?![0-9０-９](?![0-9０-９]{3}年))"
    r"|[（(]?[0-9０-９]{1,2}[)）]"
    r"|[①-⑳]"
    r"|第[一二三四五六七八九十]+(?:[，,、]|部分)"
    r"|【)"
)
# A marker inside a paragraph, after a sentence's end or a space (a flattened web copy).
INLINE_MARKER = re.compile(
    r"(?<=[。；：！？;:!? ])(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]"
    r"|[0-9]{1,2}[.．、](?![0-9]))"
)
SENTENCE_END = "。！？；：”…」;:!?"
# Punctuation folded for matching: ASCII to the full-width forms the genre's patterns use (","
# and ":" stay between digits: 1,234 and 1:350), and brackets to the ASCII ones the reference
# data uses (家庭经济困难毕业生(含残疾)初次就业率).
FOLDED = {
    ":": "：", ";": "；", ",": "，", "!": "！", "?": "？", "（": "(", "）": ")",
}  # fmt: skip
BETWEEN_DIGITS = ",:"
# A figure written with spaces: between digit groups (51 536) and before its unit (12 个, 5 %).
# Digit groups join only before a unit: 6215 402 at a line's end are two cells of a table.
FIGURE_UNIT = "[%％‰万亿千百余多个所人名元项次倍班间台套册件家平米公岁]"
SPACED_FIGURE = re.compile(
    rf"(?<![0-9.])[0-9][0-9.,]*(?:(?: +[0-9]{{3}}(?![0-9]))+(?= *{FIGURE_UNIT}))?"
    rf"(?: +(?={FIGURE_UNIT}))?"
)
# OCR reads the numeral 一 of a heading as a dash: (-) （—）
OCR_HEADING = re.compile(r"(?<=[（(])(\s*)[-—–―－](?=\s*[)）])")
# A page's number printed as its footer (— 2 —, -3-, 第4页, 第4页 共9页, 5/12): no part of the
# report's text, it is dropped with the blank lines, so that the paragraph it cut rejoins.
PAGE_NUMBER = re.compile(
    r"^(?:[-—–―－~]\s*[0-9０-９]{1,3}\s*[-—–―－~]"
    r"|第\s*[0-9０-９]{1,3}\s*页(?:\s*[,，/]?\s*共\s*[0-9０-９]{1,3}\s*页)?"
    r"|[0-9０-９]{1,3}\s*/\s*[0-9０-９]{1,3})$"
)
# A script converter that failed leaves each character's pinyin after it, in ASCII brackets:
# 評(píng)估, 項(xiàng)目. A syllable with its tone mark, right after a CJK character, is no text.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,6}}\)")
PROSE = re.compile(r"[，。；,;]")  # a line with these inside is prose, not a title
SHORT_LINE = 0.85  # a line narrower than this share of the page width ends its paragraph


@dataclass(frozen=True, slots=True)
class Normalised:
    """The rejoined text, its paragraphs, and the map from its offsets to the source."""

    text: str
    origin: tuple[int, ...]  # origin[i] = source offset of text[i]
    line_starts: tuple[int, ...]  # source offsets where each source line begins
    paragraphs: tuple[tuple[int, int], ...]  # (begin, end) in text
    match: str = ""  # the text folded for matching, as long as `text` (see the module doc)
    moved: dict[int, int] = field(default_factory=dict)  # offset in match -> offset in text

    def __post_init__(self) -> None:
        if not self.match:
            squeezed, first = squeeze_figures(fold(self.text))
            match, second = close_spaced(squeezed)
            moved = {n: first.get(o, o) for n, o in second.items()}
            moved |= {n: o for n, o in first.items() if n not in second}
            moved = {n: o for n, o in moved.items() if n != o}
            object.__setattr__(self, "match", match)
            object.__setattr__(self, "moved", moved)

    def source_span(self, begin: int, end: int) -> tuple[int, int]:
        """The span of the text that holds the characters of match[begin:end]."""
        if not self.moved or end <= begin:
            return begin, end
        where = [self.moved.get(i, i) for i in range(begin, end) if not self.match[i].isspace()]
        return (min(where), max(where) + 1) if where else (begin, end)

    def line_of(self, offset: int) -> int:
        """1-based source line of a normalised offset."""
        source = self.origin[min(offset, len(self.origin) - 1)] if self.origin else 0
        return bisect.bisect_right(self.line_starts, source)


SENTENCE_BEFORE = re.compile(r"[\u4e00-\u9fff%）)”」』]")


def fold(text: str) -> str:
    """The matching copy of `text`: same length, one character for one (module doc)."""
    chars = list(simplified(text))
    for i, c in enumerate(chars):
        if "０" <= c <= "９" or "Ａ" <= c <= "ｚ":
            chars[i] = chr(ord(c) - 0xFEE0)
    for i, c in enumerate(chars):
        if c in FOLDED and not (c in BETWEEN_DIGITS and _between_digits(chars, i)):
            chars[i] = FOLDED[c]
        elif c == "．" and _between_digits(chars, i):
            chars[i] = "."
        elif c == "." and _ends_sentence(chars, i):
            chars[i] = "。"  # a web copy's ASCII full stop after words, not in a number
    folded = "".join(chars)
    return OCR_HEADING.sub(lambda m: m.group(1) + "一", folded)  # (-) → (一)


def squeeze_figures(text: str) -> tuple[str, dict[int, int]]:
    """Move the spaces inside each figure before it; returns the text and, for every moved
    character, its new offset -> its offset in `text`."""
    chars = list(text)
    moved: dict[int, int] = {}
    for m in SPACED_FIGURE.finditer(text):
        if " " not in m.group(0):
            continue
        order = sorted(range(m.start(), m.end()), key=lambda i: text[i] != " ")
        for new, old in enumerate(order, start=m.start()):
            chars[new] = text[old]
            if new != old:
                moved[new] = old
    return "".join(chars), moved


# A space a PDF's text puts on each side of a number (截至 2019 年 11 月, 提高 2.1 个 百分点,
# 达到 80% 以上): between a digit (or %) and a character. A paragraph with three or more is
# written so throughout; one with a space between two numbers is a table's row and keeps them.
SPACED_SIDE = re.compile(
    r"(?<=[0-9%‰])[ \u3000](?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[ \u3000](?=[0-9])"
)
SPACED_UNIT = re.compile(r"(?<=个)[ \u3000](?=百分点)")
TABLE_ROW = re.compile(r"[0-9%][ \u3000\t]+[0-9]")


def close_spaced(text: str) -> tuple[str, dict[int, int]]:
    """Move the spaces a PDF puts around numbers to the end of their paragraph, so that a date,
    a unit or a bound reads as written without them; returns the text and, for every moved
    character, its new offset -> its offset in `text`."""
    chars = list(text)
    moved: dict[int, int] = {}
    begin = 0
    for line in text.split("\n"):
        end = begin + len(line)
        spaces = [m.start() for m in SPACED_SIDE.finditer(line)]
        if len(spaces) >= 3 and not TABLE_ROW.search(line):
            drop = set(spaces) | {m.start() for m in SPACED_UNIT.finditer(line)}
            order = [i for i in range(len(line)) if i not in drop] + sorted(drop)
            for new, old in enumerate(order):
                chars[begin + new] = line[old]
                if new != old:
                    moved[begin + new] = begin + old
        begin = end + 1
    return "".join(chars), moved


_T2S = opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional to simplified script, kept to one character for one: a paragraph whose
    phrase-level conversion changes its length is converted character by character."""
    out = []
    for paragraph in text.split("\n"):
        converted = _T2S.convert(paragraph)
        if len(converted) != len(paragraph):
            converted = "".join(_one_for_one(c) for c in paragraph)
        out.append(converted)
    return "\n".join(out)


def _one_for_one(char: str) -> str:
    converted = _T2S.convert(char)
    return converted if len(converted) == 1 else char


def _ends_sentence(chars: list[str], i: int) -> bool:
    before = chars[i - 1] if i else ""
    after = chars[i + 1] if i + 1 < len(chars) else "\n"
    return bool(SENTENCE_BEFORE.match(before)) and not after.isdigit()


def _between_digits(chars: list[str], i: int) -> bool:
    return 0 < i < len(chars) - 1 and chars[i - 1].isdigit() and chars[i + 1].isdigit()


def display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def read_source(path: Path) -> str:
    """Decode a source file as UTF-8, naming the encoding problem when it is not."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read source: {exc.strerror}", source=str(path)) from None
    if not data.strip():
        raise InputError("the source file is empty", source=str(path))
    if b"\x00" in data[:4096]:
        raise InputError("not a text file (it holds binary data)", source=str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            data.decode("gb18030")
            hint = " (it looks like GBK/GB18030; convert it with: iconv -f GB18030 -t UTF-8)"
        except UnicodeDecodeError:
            pass
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"not UTF-8 text{hint}", source=str(path), line=line) from None


def normalise(raw: str) -> Normalised:
    """Rejoin broken lines into paragraphs separated by a single newline."""
    lines = _content_lines(raw)
    if not lines:
        return Normalised("", (), _line_starts(raw), ())
    page_width = max(display_width(text) for _, text in lines)
    wrapped = _wrapped(lines, page_width)
    glued = _glued(raw, lines)
    chars: list[str] = []
    origin: list[int] = []
    paragraphs: list[tuple[int, int]] = []
    start = 0
    for i, (offset, text) in enumerate(lines):
        if glued[i]:
            _keep(chars, origin, offset, text)  # a number on a line of its own, and neighbours
            continue
        if i and (not wrapped or _starts_paragraph(lines[i - 1][1], text, page_width)):
            if wrapped and _broken_number(lines[i - 1][1], text):
                _keep(chars, origin, offset, text)  # 42. / 63亿元: a number the page broke
                continue
            paragraphs.append((start, len(chars)))
            chars.append("\n")
            origin.append(offset - 1)
            start = len(chars)
        elif i and _needs_space(chars[-1] if chars else "", text[0]):
            chars.append(" ")
            origin.append(offset - 1)
        _keep(chars, origin, offset, text)
    paragraphs.append((start, len(chars)))
    text = "".join(chars)
    split = tuple(p for b, e in paragraphs for p in _inline_paragraphs(text, b, e))
    return Normalised(text, tuple(origin), _line_starts(raw), split)


def _keep(chars: list[str], origin: list[int], offset: int, line: str) -> None:
    """Add a line's characters and their source offsets, without a broken converter's pinyin."""
    at = 0
    for m in PINYIN.finditer(line):
        chars.extend(line[at : m.start()])
        origin.extend(range(offset + at, offset + m.start()))
        at = m.end()
    chars.extend(line[at:])
    origin.extend(range(offset + at, offset + len(line)))


def _inline_paragraphs(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """A web copy flattened to one line (一、自查工作 我区… 二、履职情况 (一)… 1.…): its parts,
    headings and items start paragraphs where a sentence or a space ends before them."""
    cuts = [m.start() for m in INLINE_MARKER.finditer(text, begin, end) if m.start() > begin]
    bounds = [begin, *cuts, end]
    out = []
    for b, e in itertools.pairwise(bounds):
        while e > b and text[e - 1] == " ":
            e -= 1
        out.append((b, e))
    return out


def _line_starts(raw: str) -> tuple[int, ...]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", raw))
    return tuple(starts)


def _content_lines(raw: str) -> list[tuple[int, str]]:
    """Non-blank lines with the source offset of their first kept character (a page's footer
    aside)."""
    out: list[tuple[int, str]] = []
    offset = 0
    for line in raw.split("\n"):
        stripped = line.strip(" \t\r\u3000\ufeff\f")
        if stripped and not PAGE_NUMBER.match(stripped):
            out.append((offset + line.index(stripped), stripped))
        offset += len(line) + 1
    return out


def _wrapped(lines: list[tuple[int, str]], page_width: int) -> bool:
    """Whether lines were broken at the page width (PDF text), not one line a paragraph (a web
    copy): full lines end in mid-sentence, and are not titles (a title has no comma or
    full stop inside, or is followed by a numbered line)."""
    full = [
        (text, following)
        for (_, text), (_, following) in zip(lines, [*lines[1:], (0, "")], strict=True)
        if display_width(text) >= SHORT_LINE * page_width
    ]
    mid = sum(
        1
        for text, following in full
        if text[-1] not in SENTENCE_END and PROSE.search(text) and not MARKER.match(following)
    )
    return mid >= 1 and mid * 2 >= len(full)


def _starts_paragraph(previous: str, line: str, page_width: int) -> bool:
    if display_width(previous) < SHORT_LINE * page_width:
        return True
    return bool(MARKER.match(line)) and previous[-1] in SENTENCE_END + "）)"


def _needs_space(before: str, after: str) -> bool:
    if before.isdigit() and after.isdigit():
        return False  # 6 / 12名: one number broken at the page width
    return before.isascii() and before.isalnum() and after.isascii() and after.isalnum()


# A line holding only a number (2316 / 93.5 / 63.5%): PDF text split at every run of digits.
NUMBER_LINE = re.compile(r"^[0-9０-９]+(?:[.．][0-9０-９]+)?[%％‰]?$")
LONE_MARKER = re.compile(r"^[0-9０-９]{1,3}[.．、]$")  # an item's number alone: 1.


def _glued(raw: str, lines: list[tuple[int, str]]) -> list[bool]:
    """Which lines go on the previous one with nothing between: a number that stands on a line
    of its own within a running sentence, the line after such a number (its unit, 年, 〕 …) and
    the line after an item's lone number. A blank line, a sentence's end before the number or a
    structural marker after it keeps the break, so tables and headings stay as they are."""
    out = [False] * len(lines)
    for i in range(1, len(lines)):
        (begin, before), (offset, text) = lines[i - 1], lines[i]
        if raw.count("\n", begin + len(before), offset) != 1:
            continue  # a blank line between: a paragraph's end
        if NUMBER_LINE.match(text):
            out[i] = before[-1] not in SENTENCE_END
        elif NUMBER_LINE.match(before) or LONE_MARKER.match(before):
            out[i] = not MARKER.match(text)
    return out


BROKEN_DECIMAL = re.compile(r"[0-9０-９][.．]$")


def _broken_number(previous: str, line: str) -> bool:
    """A line that ends in a number's decimal point (教育支出42.) goes on in the next line
    when that opens with digits and is not a numbered item."""
    return bool(BROKEN_DECIMAL.search(previous)) and line[0].isdigit() and not MARKER.match(line)
