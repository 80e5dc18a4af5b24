"""A synthetic corpus of self-evaluation reports for benchmarks: R reports of the genre, as
PDF text with TOML metadata, so that the whole pipeline runs on them.

    .venv/bin/python benchmarks/corpus.py --reports 30 --out /tmp/corpus [--seed 8]

Every report is made from the Chongqing report (data/sources/chongqing-2020.txt), the genre's
model: its achievements, practice headings and items, problems and improvement measures are
sampled (in order) and rewritten for an invented region (province, prefecture, county or
district: 省委/市委/县委 …, 全省/全县, 区县/市县/乡镇), a year (every year in the text is
shifted), the region's size (every figure is scaled; figures of one sentence by one factor, so
that parts, wholes, shares, differences and growth still agree) and responsible bodies drawn
from the gazetteer (data/reference/bodies.toml: universities, 教育部, 中国科学院, 企业, and
the region's own 教育厅/教育局, 财政厅, 人社厅, 编办, 教育督导委员会 …). Three structures:

- `chongqing`: 一、工作成效 (一)… / 二、主要做法 (一) 1. 2. … / 三、存在问题及改进措施 with
  一是…二是… and (一)…;
- `jiangbei`: full-width numbering （一） １．, one part 主要做法和成效, problems as 第一，第二，
  in their own part, then 下一步工作打算;
- `county`: achievements as items, practice headings that carry their own text (no items),
  and 存在的问题 / 下一步措施 as sub-parts with items.

The text is laid out as PDF text: lines broken at a fixed width (40 full-width characters)
with a blank line between lines and page breaks every 24 lines, mid-paragraph where they fall.
Deterministic: the same seed and R give the same bytes. Each report's expected element counts
are returned (and written to manifest.json) so a test can check that ingestion finds them.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "data" / "sources" / "chongqing-2020.txt"
BODIES = ROOT / "data" / "reference" / "bodies.toml"
sys.path.insert(0, str(ROOT / "src"))

from edugraph.ingest.text import MARKER, normalise  # noqa: E402

WIDTH = 80  # display columns of a full line: 40 full-width characters, as in the model
PAGE_LINES = 24
NUMERALS = "一二三四五六七八九十"

# (chinese, pinyin) syllables of invented region names; none is a stage or body cue word
SYLLABLES = [
    ("云", "yun"), ("川", "chuan"), ("江", "jiang"), ("河", "he"), ("山", "shan"),
    ("青", "qing"), ("平", "ping"), ("安", "an"), ("宁", "ning"), ("华", "hua"),
    ("林", "lin"), ("东", "dong"), ("阳", "yang"), ("州", "zhou"), ("海", "hai"),
    ("泰", "tai"), ("丰", "feng"), ("兴", "xing"), ("德", "de"), ("永", "yong"),
    ("昌", "chang"), ("龙", "long"), ("凤", "feng"), ("金", "jin"), ("桂", "gui"),
    ("湘", "xiang"), ("岳", "yue"), ("松", "song"), ("柳", "liu"), ("嘉", "jia"),
]  # fmt: skip
TAKEN = {"山东", "江北", "临江", "华山"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗郑"
GIVEN = "建国明华志伟军红平海涛斌俊文杰敏静丽强磊洋勇"
LEVELS = [  # level, suffix, share of reports, (scale of figures), subordinate governments
    ("province", "省", 0.35, (0.5, 1.5), "市县"),
    ("prefecture", "市", 0.3, (0.15, 0.5), "区县"),
    ("county", "县", 0.25, (0.03, 0.12), "乡镇"),
    ("county", "区", 0.1, (0.03, 0.12), "乡镇"),
]
DEPARTMENTS = {  # the model's 市教委 … as each level names them (all in the gazetteer)
    "省": ("省教育厅", "省财政厅", "省人社厅"),
    "市": ("市教育局", "市财政局", "市人社局"),
    "县": ("县教育局", "县财政局", "县人社局"),
    "区": ("区教育局", "区财政局", "区人社局"),
}
# Measures naming gazetteer bodies in every role (in the model's terms: 市…, 2019), added to
# the sampled ones. `higher`: only for regions that have universities.
EXTRA_ITEMS: list[tuple[str, bool]] = [
    ("市教委会同市财政局、市人社局完善义务教育教师工资长效联动机制，2019年下达义务教育"
     "教师绩效工资补助资金4.2亿元。", False),
    ("与教育部签订共建协议，支持{U1}建设一流学科，推进高等教育内涵发展，2019年投入资金"
     "3.5亿元。", True),
    ("市委编办核定中小学教职工编制2.6万名，市人社局统筹招聘义务教育学校教师3200名。", False),
    ("推动市属高校与中国科学院12个研究所开展深度合作，共建高等教育重点实验室18个。", True),
    ("由市政府教育督导委员会牵头，组织开展义务教育优质均衡发展督导评估，督导检查学校"
     "860所。", False),
    ("市委教育工作领导小组印发学前教育普及普惠工作要点，2019年新建改扩建公办幼儿园"
     "320所。", False),
    ("市财政局安排奖补资金5.2亿元，支持农村公办幼儿园建设，惠及幼儿12.6万人。", False),
    ("支持{U2}与企业共建产业学院，推进职业教育产教融合，建成职业教育实训基地46个。", True),
]  # fmt: skip
# Problems and their improvement measures beyond the model's five (from the fixtures' genre).
EXTRA_PAIRS = [
    ("教师队伍仍有短板。乡村教师队伍结构性缺员问题仍然存在，义务教育教师补充渠道不畅。",
     "加强乡村教师队伍建设。补充义务教育乡村教师，优化乡村教师队伍结构。"),
    ("城区学位仍有缺口。城区义务教育学位供给仍然紧张，城区学校大班额反弹压力较大。",
     "扩大城区学位供给。加快城区义务教育学校建设，新增学位3000个，防止大班额反弹。"),
    ("学前教育公办资源仍然不足。公办幼儿园在园幼儿占比为43%，距离50%的目标仍有差距。",
     "扩大公办学前教育资源。新建公办幼儿园200所，到2021年公办幼儿园在园幼儿占比达到50%。"),
]  # fmt: skip
HIGHER = ("高校", "高等", "双一流", "博士", "高职", "大学")  # content a county report lacks


@dataclass
class Model:
    """The model report cut into its pieces (bodies without their numbering)."""

    preamble: str
    achievements: list[str]
    areas: list[tuple[str, list[str]]]
    pairs: list[tuple[str, str]]  # (problem, improvement measure)
    transition: str


@dataclass
class Region:
    slug: str
    zh: str  # 云川省
    short: str  # 云川
    en: str
    level: str
    suffix: str
    subordinate: str
    scale: tuple[float, float]


@dataclass
class Generated:
    slug: str
    text: str
    meta: dict[str, str]
    structure: str
    expected: dict[str, int] = field(default_factory=dict)


def read_model(path: Path = MODEL) -> Model:
    norm = normalise(path.read_text(encoding="utf-8"))
    paras = [norm.text[b:e] for b, e in norm.paragraphs]
    parts = [i for i, p in enumerate(paras) if re.match(rf"^[{NUMERALS}]+、", p)]
    preamble = paras[parts[0] - 1]
    achievements = [_body(p) for p in paras[parts[0] + 1 : parts[1]]]
    areas: list[tuple[str, list[str]]] = []
    for p in paras[parts[1] + 1 : parts[2]]:
        if p.startswith("("):
            areas.append((_body(p), []))
        else:
            areas[-1][1].append(_body(p))
    rest = paras[parts[2] + 1 :]
    problems = [s for s in re.split(rf"(?:^|(?<=。))[{NUMERALS}]是", rest[0]) if s]  # 一是…二是…
    plans = [_body(p) for p in rest[2:]]
    return Model(preamble, achievements, areas, list(zip(problems, plans, strict=True)), rest[1])


def _body(paragraph: str) -> str:
    return re.sub(r"^(?:[（(][一二三四五六七八九十]+[)）]|\d+\.)", "", paragraph)


def universities() -> list[str]:
    data = tomllib.loads(BODIES.read_text(encoding="utf-8"))
    return [b["zh"] for b in data["body"] if b.get("type") == "University"]


def regions(rng: random.Random, count: int) -> list[Region]:
    seen: set[str] = set()
    out: list[Region] = []
    weights = [level[2] for level in LEVELS]
    while len(out) < count:
        (a, pa), (b, pb) = rng.sample(SYLLABLES, 2)
        short = a + b
        level, suffix, _, scale, sub = rng.choices(LEVELS, weights)[0]
        zh = short + suffix
        if short in TAKEN or zh in seen:
            continue
        seen.add(zh)
        name = (pa + pb).capitalize()
        kind = {"县": "county", "区": "district"}.get(suffix)
        slug = f"{pa}{pb}-{kind}" if kind else f"{pa}{pb}"
        en = f"{name} {kind.capitalize()}" if kind else name
        out.append(Region(slug, zh, short, en, level, suffix, sub, scale))
    return out


class Rewriter:
    """Rewrite the model's text for a region, a year and a scale."""

    def __init__(self, region: Region, year: int, rng: random.Random, unis: list[str]):
        self.r = region
        self.shift = year - 2020
        self.rng = rng
        self.scale = rng.uniform(*region.scale)
        picked = rng.sample(unis, 6)
        self.unis = picked
        s = rng.choice(SURNAMES)
        self.secretary = s + "".join(rng.sample(GIVEN, 2))
        self.head = rng.choice(SURNAMES.replace(s, "")) + "".join(rng.sample(GIVEN, 2))

    def text(self, text: str) -> str:
        r, L = self.r, self.r.suffix
        u = self.unis
        edu, fin, hr = DEPARTMENTS[L]
        for old, new in (
            ("重庆市人民政府", f"{r.zh}人民政府"),
            ("市委书记陈敏尔、市长唐良智", f"{L}委书记{self.secretary}、{L}长{self.head}"),
            ("对重庆提出", f"对{r.short}提出"),
            ("大力推动成渝地区双城经济圈建设", f"大力推动{r.short}高质量发展"),
            ("支持重庆大学、西南大学", f"支持{u[0]}、{u[1]}"),
            ("长江生态环境学院、重庆中医药学院、重庆大学", f"{u[2]}、{u[3]}"),
            ("北京大学、清华大学、四川大学、山东大学、电子科技大学", f"{u[4]}、{u[5]}"),
            ("{U1}", u[0]),
            ("{U2}", u[1]),
            ("渝", r.short[0]),
            ("市教委", edu),
            ("市财政局", fin),
            ("市人社局", hr),
            ("区县", r.subordinate),
            ("全市", f"全{L}"),
            ("我市", f"我{L}"),
            ("兴市", f"兴{L}"),
            ("强市", f"强{L}"),
        ):
            text = text.replace(old, new)
        text = re.sub(r"市(?=委|政府|领导|长|属|疫情|、)", L, text)
        return self._figures(text)

    def _figures(self, text: str) -> str:
        """Shift years; scale figures, one factor per sentence (so parts, wholes, shares and
        changes stay consistent); keep ratios, standards, stated targets and class sizes."""
        out = []
        for sentence in re.split(r"(?<=[。；])", text):
            factor = self.scale * self.rng.uniform(0.85, 1.15)
            pct = self.rng.uniform(0.92, 1.06)
            sentence = re.sub(
                r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])",
                lambda m, f=factor, p=pct: self._number(m, f, p),
                sentence,
            )
            out.append(_consistent(sentence))
        return "".join(out)

    def _number(self, m: re.Match[str], factor: float, pct: float) -> str:
        s, text = m.group(0), m.string
        before, after = text[max(0, m.start() - 1) : m.start()], text[m.end() : m.end() + 4]
        if re.fullmatch(r"20[0-3]\d", s) and (after[:1] in "年届、" or before == "到"):
            return str(int(s) + self.shift)
        if before in "前+︰:" or after[:1] in "+︰:月日" or after.startswith(("人以上", "%的目标")):
            return s
        decimals = len(s.split(".")[1]) if "." in s else 0
        value = float(s)
        per_head = after[:1] == "元"  # pay per head does not grow with the region
        if after.startswith(("%", "个百分点")) or (value < 1 and decimals) or per_head:
            new = value * pct
            if value <= 100 and after.startswith("%"):
                new = min(new, 99.9 if decimals else 99)
        else:
            new = value * factor
        if decimals == 0:
            return str(max(1, round(new)))
        return f"{max(new, 10**-decimals):.{decimals}f}"


def _consistent(sentence: str) -> str:
    """Recompute the figures that the text states as arithmetic of others."""

    sentence = re.sub(
        r"(任务)(\d+\.\d)(万人，实际完成)(\d+\.\d)万人，超额完成\d+\.\d",
        lambda m: (
            f"{m.group(1)}{m.group(2)}{m.group(3)}{m.group(4)}万人，超额完成"
            f"{float(m.group(4)) - float(m.group(2)):.1f}"
        ),
        sentence,
    )

    def share(m: re.Match[str]) -> str:
        whole, part = int(m.group(1)), int(m.group(3))
        return f"{m.group(1)}{m.group(2)}{m.group(3)}所，完成率{100 * part / whole:.1f}%"

    sentence = re.sub(r"(\d+)(所[^，。]*?登记)(\d+)所，完成率[\d.]+%", share, sentence)
    return sentence


def generate(count: int, seed: int = 8) -> list[Generated]:
    """`count` reports, the same for the same seed."""
    rng = random.Random(seed)
    model = read_model()
    unis = universities()
    places = regions(rng, max(1, count // 2 + 1))
    seen: set[str] = set()
    out: list[Generated] = []
    while len(out) < count:
        region = rng.choice(places)
        year = rng.randint(2019, 2023)
        slug = f"{region.slug}-{year}"
        if slug in seen:
            continue
        seen.add(slug)
        if region.level == "county":
            structure = rng.choice(["county", "county", "chongqing"])
        else:
            structure = rng.choices(["chongqing", "jiangbei"], [0.7, 0.3])[0]
        rw = Rewriter(region, year, random.Random(f"{seed}/{slug}"), unis)
        out.append(_report(model, region, year, structure, rw))
    return out


def _sample(rng: random.Random, items: list[object], low: int, high: int) -> list[int]:
    k = min(len(items), rng.randint(low, high))
    return sorted(rng.sample(range(len(items)), k))


def _report(model: Model, region: Region, year: int, structure: str, rw: Rewriter) -> Generated:
    rng = rw.rng
    county = region.level == "county"

    def fits(text: str) -> bool:
        return not county or not any(w in text for w in HIGHER)

    achievements = [a for a in model.achievements if fits(a)]
    achievements = [achievements[i] for i in _sample(rng, achievements, 4, 6)]
    areas = [(h, [i for i in items if fits(i)]) for h, items in model.areas if fits(h)]
    areas = [areas[i] for i in _sample(rng, areas, 8, 12) if areas[i][1]]
    extras = [t for t, higher in EXTRA_ITEMS if not (higher and county)]
    for text in rng.sample(extras, rng.randint(2, 4)):
        heading, items = areas[rng.randrange(len(areas))]
        items.insert(rng.randint(0, len(items)), text)
    pairs = [p for p in model.pairs + EXTRA_PAIRS if fits(p[0] + p[1])]
    pairs = [pairs[i] for i in _sample(rng, pairs, 3, 6)]

    ach = [rw.text(a) for a in achievements]
    practice = [(rw.text(h), [rw.text(i) for i in items]) for h, items in areas]
    problems = [rw.text(p) for p, _ in pairs]
    plans = [rw.text(p) for _, p in pairs]
    preamble = rw.text(model.preamble)
    transition = rw.text(model.transition)

    issuer = f"{region.zh}人民政府"
    kind_en = {"省": "Provincial", "市": "Municipal", "县": "County", "区": "District"}
    issuer_en = f"{region.en.split()[0]} {kind_en[region.suffix]} People's Government"
    paras: list[str] = []
    expected = {"achievement": 0, "area": 0, "measure": 0, "problem": len(pairs),
                "plan": len(pairs)}  # fmt: skip
    if structure == "chongqing":
        title = f"{year - 1}年以来履行教育职责情况自查自评报告"
        period = (f"{year - 1}-01-01", f"{year}-08-31", str(year))
        paras += [preamble, "一、工作成效"]
        paras += [f"({_cn(k)}){a}" for k, a in enumerate(ach, 1)]
        paras.append("二、主要做法")
        n = 0
        for k, (heading, items) in enumerate(practice, 1):
            paras.append(f"({_cn(k)}){heading}")
            for item in items:
                n += 1
                paras.append(f"{n}.{item}")
        paras.append("三、存在问题及改进措施")
        paras.append("".join(f"{_cn(k)}是{p}" for k, p in enumerate(problems, 1)))
        paras.append(transition)
        paras += [f"({_cn(k)}){p}" for k, p in enumerate(plans, 1)]
        expected.update(achievement=len(ach), area=len(practice), measure=n)
    elif structure == "jiangbei":
        title = f"关于{year}年度履行教育职责情况的自查报告"
        period = (f"{year}-01-01", f"{year}-12-31", f"{year + 1}-03")
        paras += [preamble, "一、主要做法和成效"]
        n = 0
        for k, (heading, items) in enumerate(practice, 1):
            paras.append(f"（{_cn(k)}）{heading}")
            for item in items:
                n += 1
                paras.append(f"{_fullwidth(n)}．{item}")
        paras.append("二、存在问题")
        paras.append("".join(f"第{_cn(k)}，{p}" for k, p in enumerate(problems, 1)))
        paras.append("三、下一步工作打算")
        paras += [f"（{_cn(k)}）{p}" for k, p in enumerate(plans, 1)]
        expected.update(area=len(practice), measure=n)
    else:
        title = f"{year}年度履行教育职责自评报告"
        period = (f"{year}-01-01", f"{year}-12-31", str(year + 1))
        paras += [preamble, "一、工作成效"]
        paras += [f"{k}.{a}" for k, a in enumerate(ach, 1)]
        paras.append("二、主要做法")
        for k, (heading, items) in enumerate(practice, 1):
            paras.append(f"({_cn(k)}){heading}{''.join(items[:3])}")
        paras.append("三、存在的问题和下一步措施")
        paras.append("(一)存在的问题")
        paras += [f"{k}.{p}" for k, p in enumerate(problems, 1)]
        paras.append("(二)下一步措施")
        paras += [f"{k}.{p}" for k, p in enumerate(plans, 1)]
        expected.update(achievement=len(ach), area=len(practice), measure=len(practice))
    meta = {
        "title": title,
        "issuer": issuer,
        "issuer_en": issuer_en,
        "region": region.slug,
        "region_zh": region.zh,
        "region_en": region.en,
        "level": region.level,
        "period_start": period[0],
        "period_end": period[1],
        "issued": period[2],
        "note": f"Synthetic benchmark report ({structure} structure), generated from the "
        "Chongqing report by benchmarks/corpus.py.",
    }
    slug = f"{region.slug}-{year}"
    return Generated(slug, layout([issuer, title, *paras]), meta, structure, expected)


def _cn(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    return "十" + (NUMERALS[n - 11] if n > 10 else "")


def _fullwidth(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(paragraph: str, width: int = WIDTH) -> list[str]:
    """Break at the width; a run of ASCII (a number, 2019年's digits, ESI) is never split,
    as PDF layout keeps Latin words whole."""
    lines, line, used = [], "", 0
    for token in re.findall(r"[\x21-\x7e]+|.", paragraph):
        w = _width(token)
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0
        line += token
        used += w
    lines.append(line)
    return lines


FILLER = "对此，我们将认真研究，切实加以解决。"


def layout(paragraphs: list[str]) -> str:
    """PDF text: lines at a fixed width, a blank line after each, page breaks (three blank
    lines) every PAGE_LINES lines. A paragraph whose last line happens to fill the width and
    whose successor opens with no marker would run on into it: it gets a closing sentence."""
    out = [""]
    count = 0
    for k, paragraph in enumerate(paragraphs):
        lines = wrap(paragraph)
        following = paragraphs[k + 1] if k + 1 < len(paragraphs) else "一、"
        tries = 0
        while _width(lines[-1]) >= 0.8 * WIDTH and not MARKER.match(following) and tries < 4:
            paragraph += FILLER
            lines = wrap(paragraph)
            tries += 1
        for line in lines:
            out.append(line)
            out.append("")
            count += 1
            if count % PAGE_LINES == 0:
                out += ["", ""]
    return "\n".join(out) + "\n"


def toml_text(meta: dict[str, str]) -> str:
    return "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items())


def write(reports: list[Generated], out: Path) -> Path:
    """Write `<slug>.txt` + `<slug>.toml` into out/sources and a manifest; return sources."""
    sources = out / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    (out / "curation").mkdir(exist_ok=True)
    for old in sources.glob("*"):
        old.unlink()
    for report in reports:
        (sources / f"{report.slug}.txt").write_text(report.text, encoding="utf-8")
        (sources / f"{report.slug}.toml").write_text(toml_text(report.meta), encoding="utf-8")
    manifest = {r.slug: {"structure": r.structure, **r.expected} for r in reports}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return sources


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=30)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    reports = generate(args.reports, args.seed)
    sources = write(reports, args.out)
    size = sum(len(r.text.encode("utf-8")) for r in reports)
    print(f"{len(reports)} reports, {size / 1e6:.2f} MB of text -> {sources}")


if __name__ == "__main__":
    main()
