"""When a figure is: periods by scope.

A sentence's own date (2018年至2020年, 截至2020年8月, 2020届, 今年 / 上年 against the report's
year, 近三年) dates its figures; a year in a parenthesis, a title or another clause that dates
an event does not; a paragraph's governing year dates what states none; what is still undated
takes the period of the same figure stated elsewhere, else the year the report evaluates.
"""

from __future__ import annotations

import re

import cn2an

from edugraph.ingest.placed import Found, latest_actuals, update_latest
from edugraph.ingest.text import simplified
from edugraph.records import Metadata

# Periods a sentence states: 2018年至2020年, 截至2020年8月 (and 到2021年底，: as of), 2020年8月,
# 2020届, 2019、2020年度, 2019年; and the relative 今年/当年 (the report's year), 上年/去年
# (the year before), 近三年 (the last three years, the report's year the last; by cn2an) and a
# five-year plan's span (“十三五”期间).
PERIOD = re.compile(
    r"(?:截至|截止)(?P<dotted>\d{4})[.．](?P<dotted_month>\d{1,2})(?![\d.．])"  # 截至2023.12
    r"|(?<![到至较比从])(?P<since>\d{4}) ?年(?:至今|以来)"  # 2017年至今: to the report's year
    r"|(?<![到至较比从])(?P<from>\d{4})\s*年?\s*(?:至|到|—|-|~)\s*(?P<to>\d{4})\s*学?年(?!底前)"
    r"|(?!(?<=与)\d{4}年(?:同比|相比))"  # 2023年与2022年同比: the base dates nothing
    r"(?:(?<![到至较比从])(?<![到至较比从] )|(?<=到)(?=\d{4}年[底末]，))(?:截至|截止)?"
    r"(?P<opens>(?<![^，,。；;\n]))?(?P<years>\d{4}(?:、\d{4})*) ?年"
    r"(?:度|(?P<end>底|末)(?!前))?"
    r"(?: ?(?P<month>\d{1,2}) ?月|(?P<term>秋季|春季)(?=学期(?![前起])))?"
    # 由2021年7月的1085家, 是2016年的1.37倍: a base; ，2019年的教育支出 opening a clause: a date
    r"(?(opens)(?![底末]?的(?![\u4e00-\u9fff])|[底末]?的(?:基础|水平|标准|同期|基数|数字))"
    r"|(?![底末]?的))(?!以来|底前| ?\d{1,2} ?月[底末]?的)"
    r"|(?P<class>\d{4})届"
    r"|(?<![到至较比从])(?P<relative>今年|本年|当年|上年|去年)(?!同期|[底末]?的)"
    r"|(?P<now>(?:截至|截止)(?:目前|当前))"
    r"|(?:截至|截止)(?P<bare_month>\d{1,2})月(?:底|末)?"  # 截至5月底: this year's May
    r"|(?:近|最近|连续)(?P<recent>[两二三四五六七八九十]|[2-9])年(?:来)?"
    r"|(?<![第\d])(?P<summed>[两二三四五六七八九十]|[2-9])年(?=累计)"  # 五年累计投入
    r"|[“\"]?十(?P<plan>[一二三四五])五[”\"]?(?:期间|时期)"  # “十三五”期间: 2016/2020
    r"|[“\"]?十(?P<plan_since>[一二三四五])五[”\"]?以来"  # “十四五”以来: 2021 to this year
)
# 全县2019年已通过…认定: a year that dates what was already done then governs nothing after
DONE_THEN = re.compile(r"[^，,。；;\d]{0,2}(?:就|便)?已(?:经)?")
WHOLE_YEAR = re.compile(r"全年|年内|每年|(?<![0-9０-９])年度")  # not 2023年度, a year's name
# 组织…7个县…自查，梳理38项; 区直21个部门…对照评价细则逐项自查: when the self-check was done
# 经自查，完全落实的测评点84个: what the self-check found, when it was done too
# 自评过程中，…抽查学校64所 and 自评期间，派出3个核查组: what was done while checking, too
# 自查采取…相结合的方式，实地核查学校38所: how the self-check was done; 对照…逐项查摆 too
# (not past a full stop: （本项分值20分，自评得分19分） after one dates nothing before it)
# 自评得分92.5分 after the self-check's month (县政府于2021年12月…自评得分): the score is of the
# year evaluated, however the sentence is dated (of the year written when the period reaches it)
SELF_SCORE = re.compile(r"自[评查][^，。；0-9]{0,4}得分[为是达]?\s*$")
SELF_CHECK = re.compile(
    r"(?:组织|部门|单位|对照|参与)[^。！？]*?(?:自查|自评|查摆)|^\s*经(?:过)?(?:自查|自评)[，,]"
    r"|^\s*(?:在|本次|此次)?(?:自查|自评)(?:自查|自评)?(?:工作)?(?:过程中|期间|中[，,]|采取|采用|通过)"
)
# 开展2021年度对…履行教育职责评价工作, 做好2023年度县级人民政府履行…: a year that names the
# evaluation dates nothing after it
EVALUATION_YEAR = re.compile(
    r"(?:度)?(?:对[^，,。；;]{0,16}?|(?:[省市州县区旗]级)?(?:人民)?政府)?(?:履行|督导评价|评价)"
)
DUTIES_YEAR = re.compile(r"度?(?:对[^，,。；;]{0,16}?|(?:[省市州县区旗]级)?(?:人民)?政府)?履行")
TERMS = {"秋季": "9", "春季": "3"}  # 2022年秋季学期: the term opens in September (March)
# The ends of a change over a span of years: 由x (the first year) … 增加到y (the last).
SPAN_ENDS = re.compile(r"(?:(由|从)|(?:增加|增长|提高|下降|降低|减少|扩大|上升)(?:到|至))\s*$")
PREVIOUS_YEAR_BASE = re.compile(r"[比较由从](?:上年|去年)(?:同期|(?P<end>[底末]))?的\s*$")
# 较2019年的89.37亿元: the value of the year compared with, stated beside this year's
YEAR_BASE = re.compile(
    r"[比较由从] ?(\d{4}) ?年(?:同期|(?P<end>[底末])| ?(?P<month>\d{1,2}) ?月(?:份)?)?的\s*$"
)
# “十四五”规划确定的50%目标: a plan's goal is for its last year
PLAN_GOAL = re.compile(r"十(?P<plan>[一二三四五])五[”\"]?(?:规划|时期|期间|末)[^，,。；;]{0,12}$")
# 由“十三五”末的55.9亿元: the value at the plan's last year
PLAN_END_BASE = re.compile(r"[比较由从] ?[“\"]?十(?P<plan>[一二三四五])五[”\"]?[末期]末?的\s*$")
# …8.62亿元，2018年为7.94亿元，增长8.6%: a year that opens a clause of its own (…年为) gives
# an earlier year's value; it dates that clause only
ASIDE = re.compile(r"[，,]\s*$")
ASIDE_AFTER = re.compile(r"\s*(?:为|是)")
CLAUSE = re.compile(r"[，,；;]")
DEADLINE_VERBS = ("力争", "争取", "确保", "计划", "预计")
# 到2021年, 2021年底前: a deadline (not 下降到2019年)
DEADLINE = re.compile(r"(?<![加降少减高升长])(?:到|至) ?(\d{4}) ?年|(\d{4}) ?年(?:底|末)?前")
ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def date(
    item: Found,
    explicit: list[tuple[int, int, str]],
    governing: str | None,
    *,
    size: int,
    meta: Metadata,
    checking: bool = False,
) -> None:
    """When a figure is: its own period hint, the self-check's year, a target's deadline, the
    year before for a 比上年的 baseline, the nearest date before it in its sentence (in scope),
    else the paragraph's governing year (settled later when none)."""
    m, text = item.mention, item.sentence.text
    deadlines = [d for d in DEADLINE.finditer(text) if d.end() <= m.start]
    item.deadline = _deadline(deadlines[-1]) if deadlines else None
    before = [
        (end, p)
        for _, end, p in explicit
        if end <= m.start
        and not in_parenthesis(text, end, m.start)
        and "\n" not in text[end : m.start]  # a row's date (整改时限) dates its own line
    ]
    simple = simplified(text)
    check = checking or SELF_CHECK.search(simple)
    dated = [(e, p) for e, p in before if not EVALUATION_YEAR.match(simple, e)]
    asides = {e for s, e, _ in explicit if aside(text, s, e)}
    scope = [  # 核查其2019年度履行…情况，走访学校108所: the duties' year dates no visit
        (e, p)
        for e, p in before
        if not DUTIES_YEAR.match(simple, e)
        and (e not in asides or not CLAUSE.search(text, e, m.start))
        and not (EVALUATION_YEAR.match(simple, e) and CLAUSE.search(text, e, m.start))
    ]
    evaluations = [p for e, p in before if EVALUATION_YEAR.match(simple, e)]
    base = YEAR_BASE.search(text, 0, m.start)
    plan_end = PLAN_END_BASE.search(text, 0, m.start)
    if m.period_hint and m.comparison != "base-year":
        item.period = m.period_hint
    elif plan_end:
        item.value_type = "baseline"
        item.period = str(plan_start(plan_end["plan"]) + 4)
    elif base:
        item.value_type = "baseline"  # 较2019年的4.21%: that year's value
        year = base[1].translate(ASCII_DIGITS)
        month = "12" if base["end"] else base["month"]  # 由2021年底的86家: as of December
        item.period = f"{year}-{int(month):02d}" if month else year
    elif evaluations and _counts_problems(simple, m.start, m.end):
        item.period = evaluations[-1]  # 对2022年度…开展评价，反馈问题53个: that evaluation's
    elif m.unit.code == "point" and SELF_SCORE.search(simple[max(0, m.start - 12) : m.start]):
        item.period = current_year(meta)
    elif check and m.unit.code != "point" and not dated:
        # …等18个部门参加，于2022年11月完成自查: the self-check's own month, else the year written
        later = [p for s, _, p in explicit if s >= m.end and "-" in p and "/" not in p]
        item.period = later[0] if later else meta.issued[:4]
    elif item.value_type == "target" and (goal := PLAN_GOAL.search(text, 0, m.start)):
        item.period = str(plan_start(goal["plan"]) + 4)
    elif item.value_type == "target" and item.deadline:
        item.period = item.deadline
    elif previous := PREVIOUS_YEAR_BASE.search(text, 0, m.start):
        item.value_type = "baseline"  # 比上年的10587.12元: last year's value
        year = before[-1][1][:4] if before else evaluated_year(meta)
        december = "-12" if previous["end"] else ""  # 由上年底的97.3亿元: as of its December
        item.period = f"{int(year) - 1}{december}"
    elif scope:
        end, period = scope[-1]
        if end in asides and len(scope) > 1 and period < scope[0][1]:
            item.value_type = "baseline"  # 2019年…8.62亿元，2018年为7.94亿元
        # a month dates its sentence, but not what was done 全年 (the whole year)
        item.period = year_only(period) if WHOLE_YEAR.search(text, end, m.start) else period
        years = period.split("/")
        if len(years) == 2 and m.group is not None and size == int(years[1]) - int(years[0]) + 1:
            item.period = str(int(years[0]) + m.index)  # 2018年至2020年…分别为x、y、z
        elif len(years) == 2 and (ends := SPAN_ENDS.search(text, end, m.start)):
            # 2018—2020年，…由1438.6亿元增加到1652.9亿元: from the first year to the last
            item.period = years[0] if ends[1] else years[1]
    else:  # settled in _careful_periods once every figure of the report is known
        item.period = governing or ""
        item.period_inferred = True
    if item.value_type == "target" and item.deadline is None and "任务" in item.sentence.text:
        item.deadline = item.period  # a quota is due in the year it is set for


PROBLEMS_BEFORE = re.compile(r"问题\s*$")


def checks_on(text: str, checking: bool) -> bool:
    """经自查，完全落实的84个；基本落实的6个；…。: the self-check's findings run on past the
    semicolons to the full stop."""
    opens = checking or bool(re.match(r"\s*经(?:过)?(?:自查|自评)[，,]", simplified(text)))
    return opens and text.rstrip().endswith(("；", ";"))


def _counts_problems(simple: str, start: int, end: int) -> bool:
    """反馈问题53个, 发现的37个问题: a count of the problems an evaluation found."""
    return simple.startswith("问题", end) or bool(PROBLEMS_BEFORE.search(simple, 0, start))


def settle(found: list[Found], meta: Metadata) -> None:
    """An undated figure takes the period of the same figure stated with a date elsewhere
    (巩固率达到95% in a measure is the 2019 rate of the achievements), the period of the
    figure it is a margin of, or else the year the report evaluates (the next one for what
    a plan sets out), or the period the whole report covers (2019年以来)."""
    dated = {
        (f.indicator.id, f.mention.value): f.period
        for f in found
        if f.indicator and f.period and not f.period_inferred
    }
    latest = latest_actuals(found)
    for item in found:
        if item.period:
            continue
        key = (item.indicator.id, item.mention.value) if item.indicator else None
        base = item.indicator.difference_of if item.indicator else None
        actual = latest.get(base) if base else None
        year = report_year(meta)
        if key in dated:
            item.period = dated[key]
        elif actual and actual.period:
            item.period = actual.period
        elif year and item.value_type == "target" and item.subject.startswith("plan/"):
            item.period = str(int(year) + 1)  # what a plan sets out is for the next year
        elif year:
            item.period = year
        else:
            item.period = f"{meta.period_start}/{meta.period_end}"
        update_latest(latest, item)  # its period is now known: it may be the latest


# The date under the signature (2019年11月20日), on a line of its own near the end.
SIGNED = re.compile(r"^\s*(\d{4})年(\d{1,2})月(?:\d{1,2}日)?\s*$", re.M)


def signed_month(text: str) -> str | None:
    """The month the report was signed in (YYYY-MM): what 截至目前 means."""
    found = [m for m in SIGNED.finditer(text) if m.start() >= len(text) * 3 // 4]
    return f"{found[-1][1]}-{int(found[-1][2]):02d}" if found else None


def stated_period(m: re.Match[str], year: str, signed: str | None = None) -> str:
    """The period a match states; `year` is the one 今年 means, `signed` the month the report
    was signed in (截至目前)."""
    if m["now"]:
        return signed or year
    if m["bare_month"]:
        return f"{year}-{int(m['bare_month'].translate(ASCII_DIGITS)):02d}"
    if m["from"]:
        return f"{m['from']}/{m['to']}".translate(ASCII_DIGITS)
    if m["dotted"]:
        return f"{m['dotted']}-{int(m['dotted_month']):02d}".translate(ASCII_DIGITS)
    if m["since"]:
        since = m["since"].translate(ASCII_DIGITS)
        return f"{since}/{year}" if since < year else ""  # 2024年以来 in a 2024 report: no span
    if m["plan"] or m["plan_since"]:  # the n-th plan runs from 1951 + 5n (十一五: 2006–2010)
        first = plan_start(m["plan"] or m["plan_since"])
        last = first + 4 if m["plan"] else int(year)
        return f"{first}/{last}" if first < last else ""
    if m["class"]:
        return m["class"].translate(ASCII_DIGITS)
    if m["relative"]:
        return year if m["relative"] in ("今年", "本年", "当年") else str(int(year) - 1)
    if m["recent"] or m["summed"]:  # 近三年 of a 2018 report: 2016/2018
        span = int(cn2an.cn2an(m["recent"] or m["summed"], "smart"))
        return f"{int(year) - span + 1}/{year}"
    years = m["years"].translate(ASCII_DIGITS).split("、")
    if len(years) > 1:
        return f"{years[0]}/{years[-1]}"  # 2019、2020年度
    # 截至2022年底: as of December; 力争2023年底…达到: a deadline, the year it falls in
    deadline = m.string[: m.start()].removesuffix("到").endswith(DEADLINE_VERBS)
    month = "12" if m["end"] and not deadline else m["month"] or TERMS.get(m["term"] or "")
    return f"{years[0]}-{int(month):02d}" if month else years[0]


# 2020年度…报告, and a year that qualifies the duties (2023年履行教育职责…); not 2019年某省…
EVALUATED_YEAR = re.compile(r"(\d{4})年(?:度|(?=(?:党政领导干部)?履行))")


def plan_start(number: str) -> int:
    """The first year of the 十n五 plan (十三 → 2016)."""
    return 1951 + 5 * (10 + int(cn2an.cn2an(number, "smart")))


def report_year(meta: Metadata) -> str | None:
    """The one year a report evaluates (2020年度…报告, else the year its period opens); None
    for a report over the years since a date (2019年以来)."""
    if "以来" in meta.title:
        return None
    title = simplified(meta.title)
    stated = {str(y) for y in re.findall(EVALUATED_YEAR, title)}
    if len(stated) == 1:
        return next(iter(stated))
    return meta.period_start[:4]


def carries(period: str, meta: Metadata) -> bool:
    """Whether a sentence's year goes on to date the undated sentences after it: not a year
    before the one the report evaluates (2018年全县教育总投入… in a report on 2019 gives last
    year's accounts; what follows is the report's year)."""
    year = report_year(meta)
    return not year or year_only(period)[:4] >= year


def evaluated_year(meta: Metadata) -> str:
    """The year 今年 means: the one the report evaluates, else the last of its period."""
    return report_year(meta) or meta.period_end[:4]


def current_year(meta: Metadata) -> str:
    """The year 今年 means: the one the report was written in when its period reaches it (a
    report on 2023 and on the first months of 2024, signed in 2024), else the one it evaluates."""
    written = meta.issued[:4]
    if meta.period_start[:4] < written <= meta.period_end[:4]:
        return written
    return evaluated_year(meta)


def aside(text: str, start: int, end: int) -> bool:
    """，2018年为7.94亿元: a year opening a clause that only states that year's value."""
    return bool(ASIDE.search(text, 0, start) and ASIDE_AFTER.match(text, end))


def in_parenthesis(text: str, end: int, at: int) -> bool:
    """A period that closes inside a parenthesis or a title (《…2022年…方案》) before `at`
    says nothing about what follows."""
    for opening, closing in (("（(", "）)"), ("《", "》")):
        opened = max(text.rfind(o, 0, end) for o in opening)
        if opened < 0 or any(0 <= text.find(c, opened) < end for c in closing):
            continue
        closed = min((c for c in (text.find(c, end) for c in closing) if c >= 0), default=-1)
        if 0 <= closed < at and not PERIOD.fullmatch(text[opened + 1 : closed].strip()):
            return True  # …（2019年秋投入使用）dates nothing after it; 近三年（2018年至2020年）does
    return False


def _deadline(m: re.Match[str]) -> str:
    """到2021年 and 到2021年底 → 2021: a deadline is the year it falls in."""
    return (m.group(1) or m.group(2)).translate(ASCII_DIGITS)


def year_only(period: str) -> str:
    """2018年10月 in another clause dates an event, not the figures after it: its year does."""
    return period if "/" in period else period[:4]


# 现将有关情况报告如下：⏎截至2019年10月，…: a line that ends in a colon leads into the sentence
# on the next line, which opens there
LEAD_IN = re.compile(r"^[^。；;！？]*[：:]\s*\n\s*")
NUMBERED = re.compile(r"^\s*(?:\d+[、.．]|[（(]\d+[）)]|[一二三四五六七八九十]+[、是])?\s*")


def as_of_going_on(text: str, free: list[str], current: str | None) -> str | None:
    """截至2022年底，全县有学校142所；在校学生7.12万人。: an as-of month that opens a sentence
    dates it to its full stop, past the semicolons that cut it into clauses."""
    stock = stock_month(text, free, current)
    return stock if text.rstrip().endswith(("；", ";")) else None


def stock_month(text: str, free: list[str], current: str | None) -> str | None:
    """The as-of month a sentence opens with (截至2022年底，…), else the one it goes on with;
    a next sentence that opens with 其中 breaks that stock down and keeps it."""
    opening = PERIOD.match(NUMBERED.sub("", LEAD_IN.sub("", text, count=1), count=1))
    if opening and (opening["end"] or opening[0].startswith(("截至", "截止"))):
        return free[-1] if free and "-" in free[-1] else current
    if opening and opening["to"] and opening[0].endswith("学年"):  # 2021—2022学年，…；…
        return f"{opening['from']}/{opening['to']}".translate(ASCII_DIGITS)
    return current


# 其中…, 按学段分，…, 分学段看，…, 在各级各类学校中，…: a sentence that breaks down the stock
# the sentence before stated
PART_OF = re.compile(
    r"^\s*(?:其中|按[^，,。；;\d]{1,6}分[，,]|分[^，,。；;\d]{1,6}看[，,]|在[^，,。；;\d]{1,12}中[，,])"
)
PLAN_NAMED = re.compile(r"(?:纳入|列入|写入)\s*$")  # 已纳入2024年…重点工作: a plan's year


def governing_years(
    text: str, explicit: list[tuple[int, int, str]], *, evaluation: bool = False
) -> list[str]:
    """The dates of a sentence that go on to govern its paragraph: not one in a parenthesis,
    a span (2018年至2020年, 近三年), a year of what was already done then, the year that names
    the evaluation (反馈的2022年度评价问题) or an earlier year's aside (，2018年为…)."""
    simple = simplified(text)
    spans = {
        m.end()
        for m in PERIOD.finditer(text)
        if m["from"] or m["since"] or m["plan_since"] or m["recent"] or m["summed"]
    }
    return [
        p
        for start, end, p in explicit
        if not in_parenthesis(text, end, len(text))
        and end not in spans
        and not DONE_THEN.match(text, end)
        and (evaluation or not EVALUATION_YEAR.match(simple, end))
        and not aside(text, start, end)
        and not PLAN_NAMED.search(text, 0, start)
    ]
