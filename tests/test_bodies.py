"""Bodies as whole names, by gazetteer and pattern; their roles by the clause; target groups."""

from __future__ import annotations

import pytest

from edugraph.ingest.extract import Extractor
from edugraph.records import Element, Metadata, Span
from edugraph.reference import Reference


def meta(region_zh: str = "临江县", region: str = "linjiang-county") -> Metadata:
    return Metadata(
        slug=f"{region}-2021", title="履行教育职责情况自评报告", issuer=f"{region_zh}人民政府",
        issuer_en="Linjiang County People's Government", region=region, region_zh=region_zh,
        region_en="Linjiang County", level="county", period_start="2021-01-01",
        period_end="2021-12-31", issued="2022",
    )  # fmt: skip


def named(reference: Reference, text: str, m: Metadata | None = None) -> list[tuple[str, str, str]]:
    """(name as written, body id, role) of every body the text names, in order."""
    extractor = Extractor(reference, m or meta(), text)
    mentions = extractor.named(Span(0, len(text), text, 1), line_of=lambda _: 1)
    return [(x.span.text, x.body, x.role) for x in mentions if x.span]


def names(reference: Reference, text: str, m: Metadata | None = None) -> list[str]:
    return [n for n, _, _ in named(reference, text, m)]


@pytest.mark.parametrize(
    "text",
    [
        "县教育局认真贯彻《国务院办公厅关于进一步调整优化结构提高教育经费使用效益的意见》。",
        "县教育局落实国办发〔2017〕49号文件要求。",
        "县教育局按照教督〔2019〕3 号文件开展自评。",
    ],
)
def test_no_body_inside_a_title_or_a_document_number(reference: Reference, text: str) -> None:
    assert names(reference, text) == ["县教育局"]


@pytest.mark.parametrize(
    "text",
    [
        "教育部门加强统筹。",
        "严格落实中央八项规定精神。",
        "各级各类学校党组织实现全覆盖。",
        "设置区县政府教育督导机构。",
        "抓好教育部署的各项任务。",
        "全县共有各级各类学校97所。",
        "加强城市委托管理。",
    ],
)
def test_a_name_inside_a_longer_word_is_no_body(reference: Reference, text: str) -> None:
    assert names(reference, text) == []


def test_region_qualified_names_by_pattern(reference: Reference) -> None:
    text = (
        "省委办公厅、省政府办公厅印发通知，省委教育工委牵头，省政府常务会议专题研究，"
        "县人大、县政协开展视察，县纪委监委开展专项监督，县人大常委会会议审议报告，县政协办公室组织调研。"
    )
    found = {n: b for n, b, _ in named(reference, text)}
    assert found == {
        "省委办公厅": "linjiang-county-province-party-committee-office",
        "省政府办公厅": "linjiang-county-province-government-office",
        "省委教育工委": "linjiang-county-province-education-work-committee",
        "省政府常务会议": "linjiang-county-province-government-executive-meeting",
        "县人大": "linjiang-county-people-congress",
        "县政协": "linjiang-county-cppcc",
        "县纪委监委": "linjiang-county-discipline-commission",
        "县人大常委会会议": "linjiang-county-people-congress-meeting",
        "县政协办公室": "linjiang-county-cppcc-office",
    }


def test_a_name_the_gazetteer_lacks_becomes_a_body_to_curate(reference: Reference) -> None:
    text = "县人大常委会听取教育工作报告，县教育局作了汇报。"
    extractor = Extractor(reference, meta(), text)
    extractor.named(Span(0, len(text), text, 1), line_of=lambda _: 1)
    assert list(extractor.finder.found) == ["linjiang-county-people-congress"]
    body = extractor.finder.found["linjiang-county-people-congress"]
    assert (body.zh, body.type, body.span.text) == (
        "临江县人大常委会",
        "Legislature",
        "县人大常委会",
    )
    # the education bureau is in the gazetteer: nothing to curate
    assert "linjiang-county-education-department" not in extractor.finder.found


def test_a_meeting_found_by_pattern_is_part_of_its_organ(reference: Reference) -> None:
    text = "省委常委会会议研究教育工作。"
    extractor = Extractor(reference, meta(), text)
    extractor.named(Span(0, len(text), text, 1), line_of=lambda _: 1)
    found = extractor.finder.found
    meeting = found["linjiang-county-province-party-standing-committee-meeting"]
    assert meeting.type == "Meeting"
    assert meeting.parent == "linjiang-county-province-party-standing-committee"
    assert found[meeting.parent].parent == "linjiang-county-province-party-committee"


def test_collective_and_central_bodies(reference: Reference) -> None:
    text = "各市州政府、设区市政府和县（市、区）政府落实责任，国务院教育督导委员会办公室、国务院、教育部给予指导。"
    found = {n: b for n, b, _ in named(reference, text)}
    assert found["各市州政府"] == found["设区市政府"] == found["县（市、区）政府"]
    assert found["各市州政府"] == "linjiang-county-subordinate-governments"
    central = [found["国务院教育督导委员会办公室"], found["国务院"], found["教育部"]]
    assert central == [
        "state-council-education-supervision-office",
        "state-council",
        "ministry-of-education",
    ]


def test_traditional_script(reference: Reference) -> None:
    province = meta("江北省", "jiangbei")
    found = named(reference, "省教育廳會同省財政廳，對鄉村小規模學校給予補助。", province)
    assert found == [
        ("省教育廳", "jiangbei-education-department", "lead"),
        ("省財政廳", "jiangbei-finance-department", "participant"),
    ]


def test_named_schools(reference: Reference) -> None:
    found = named(
        reference, "新建城南小学和城东幼儿园，县第一中学设立党总支。全县小学入学率达到100%。"
    )
    assert [(n, r) for n, _, r in found] == [
        ("城南小学", "beneficiary"),
        ("城东幼儿园", "beneficiary"),
        ("县第一中学", "lead"),
    ]


def test_a_county_s_standard_departments_at_any_level(reference: Reference) -> None:
    text = (
        "县卫健局、县公安分局、县工业和信息化局、县农业农村局、县退役军人事务局、县医保局、"
        "县妇联、县科协、县总工会、县委统战部、县委政法委和团县委共同参与。市场监管局之外，省级财政安排专项资金。"
    )
    assert names(reference, text) == [
        "县卫健局", "县公安分局", "县工业和信息化局", "县农业农村局", "县退役军人事务局",
        "县医保局", "县妇联", "县科协", "县总工会", "县委统战部", "县委政法委", "团县委",
        "省级财政",
    ]  # fmt: skip
    district = meta("蘭水區", "lanshui-district")
    found = named(reference, "區衛健局會同區公安分局開展檢查。", district)
    assert [(n, r) for n, _, r in found] == [("區衛健局", "lead"), ("區公安分局", "participant")]


def test_schools_and_colleges_by_name(reference: Reference) -> None:
    text = (
        "新建县城第三小学，开工建设城东九年一贯制学校，县政府与石门师范学院签署协议，"
        "临江县实验幼儿园投入使用。全县中等职业学校招生3000人。"
    )
    assert [(n, r) for n, _, r in named(reference, text)] == [
        ("县城第三小学", "beneficiary"),
        ("城东九年一贯制学校", "beneficiary"),
        ("县政府", "lead"),
        ("石门师范学院", "partner"),
        ("临江县实验幼儿园", "beneficiary"),
    ]
    text = "推动县中等职业学校在校生规模达到2000人，白沙镇中心小学、城关镇第二初级中学入选示范校。各乡镇中心小学全部达标。"
    assert [(n, r) for n, _, r in named(reference, text)] == [
        ("县中等职业学校", "beneficiary"),
        ("白沙镇中心小学", "beneficiary"),
        ("城关镇第二初级中学", "beneficiary"),
        ("各乡镇中心小学", "lead"),
    ]
    assert names(reference, "各级各类学校在校生12万人。") == []
    text = "县职业中学与青禾食品有限公司共建实训基地，联合临江建工集团有限公司开展培训。"
    found = named(reference, text)
    assert [n for n, _, _ in found] == ["县职业中学", "青禾食品有限公司", "临江建工集团有限公司"]
    assert names(reference, "全县各类有限公司积极参与，鼓励有限公司捐资。") == []
    text = "县回族中学、县第一中学和县职业高中联合开展研学。"
    assert names(reference, text) == ["县回族中学", "县第一中学", "县职业高中"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全市辖8个县（市、区），户籍人口300万人。", []),
        ("累计12个县（市、区）通过国家认定，部分县（市、区）财力紧张。", []),
        (
            "市政府组织市直有关部门和8个县（市、区）开展自查。",
            ["市政府", "市直有关部门", "县（市、区）"],
        ),
        ("县政府与14个乡镇签订责任书，乡镇寄宿制学校全部达标。", ["县政府", "乡镇"]),
        ("县教育局组织12个部门和5个苏木镇开展自查。", ["县教育局", "12个部门", "5个苏木镇"]),
        ("县政府和9个镇（街道）签订目标责任书。", ["县政府", "9个镇（街道）"]),
        ("市财政局督促6个县（市、区）足额安排经费。", ["市财政局", "县（市、区）"]),
        ("部分县中办学条件薄弱。", []),
        ("按照对县级人民政府履行教育职责评价的要求开展自查。", []),
    ],
)
def test_collectives_act_but_are_not_counted(
    reference: Reference, text: str, expected: list[str]
) -> None:
    assert names(reference, text, meta("临江市", "linjiang")) == expected


def test_the_issuer_over_a_title_or_under_a_signature_is_mentioned(reference: Reference) -> None:
    text = "临江县人民政府\n关于2021年度履行教育职责情况的自查报告\n市政府教育督导室：\n县政府加强统筹。\n临江县人民政府\n2022年1月"
    assert [r for _, _, r in named(reference, text)] == [
        "mentioned", "mentioned", "lead", "mentioned",
    ]  # fmt: skip
    title = "临江县人民政府关于2021年度履行教育职责情况的自评报告"
    assert [r for _, _, r in named(reference, title)] == ["mentioned"]


def test_an_addressee_with_its_place_name_is_mentioned(reference: Reference) -> None:
    text = "临江县人民政府\n关于履行教育职责情况的自查报告\n云岙市人民政府教育督导委员会办公室：\n县政府加强统筹。"
    assert [r for _, _, r in named(reference, text)][-2:] == ["mentioned", "lead"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("县委、县政府主要领导带头到学校调研。", {"县委": "lead", "县政府": "lead"}),
        ("由县政府分管领导牵头，组建工作专班。", {"县政府": "lead"}),
        ("在县委的统一领导下，各部门协同推进。", {"县委": "lead"}),
        (
            "县教育局会同县财政局、县人社局制定方案。",
            {"县教育局": "lead", "县财政局": "participant", "县人社局": "participant"},
        ),
        # 与B联合… makes B take part, whatever the verb (README: bodies the sets agree on)
        ("县教育局与县人社局联合招聘教师。", {"县教育局": "lead", "县人社局": "participant"}),
        (
            "县卫健局与县教育局联合为中小学配备校医。",
            {"县卫健局": "lead", "县教育局": "participant"},
        ),
        (
            "县残联与县教育局共同建立残疾学生资助制度。",
            {"县残联": "lead", "县教育局": "participant"},
        ),
        (
            "县公安局与县教育局一道对校园周边开展整治。",
            {"县公安局": "lead", "县教育局": "participant"},
        ),
        (
            "县第一中学与白沙职业技术学院联合办学。",
            {"县第一中学": "lead", "白沙职业技术学院": "partner"},
        ),
        ("在县政府常务会议上专题研究教育工作。", {"县政府常务会议": "participant"}),
        ("将教育工作纳入县委、县政府重要议事日程。", {"县委": "lead", "县政府": "lead"}),
        ("工作经验得到教育部充分肯定。", {"教育部": "mentioned"}),
        ("严格落实教育部“四不准”规定。", {"教育部": "mentioned"}),
        ("以县政府教育督导委员会名义印发方案。", {"县政府教育督导委员会": "lead"}),
        ("推动县属高校“双一流”建设。", {"县属高校": "beneficiary"}),
        ("开展乡镇政府履行教育职责评价。", {"乡镇政府": "beneficiary"}),
        ("组织各级各类学校开展安全教育。", {"各级各类学校": "participant"}),
        ("引导企业积极参与校企合作。", {"企业": "participant"}),
        ("县财政局等部门联合印发通知。", {"县财政局": "lead"}),
        ("成立由县长任组长的自查工作领导小组，逐项开展自查。", {"自查工作领导小组": "lead"}),
        ("针对省政府教育督导室反馈的问题逐项整改。", {"省政府教育督导室": "lead"}),
        (
            "支持县职业中专与本地企业共建实训基地。",
            {"县职业中专": "beneficiary", "企业": "partner"},
        ),
        ("县职业中专入选省级示范学校。", {"县职业中专": "beneficiary"}),
        ("全年召开全县教育大会2次。", {"全县教育大会": "participant"}),
        ("县委、县政府部署的重点工作全部完成。", {"县委": "lead", "县政府": "lead"}),
        ("认真贯彻市委、市政府的一系列教育部署。", {"市委": "mentioned", "市政府": "mentioned"}),
        (
            "县教育局、县财政局等部门积极配合。",
            {"县教育局": "participant", "县财政局": "participant"},
        ),
        # a superior's inspection office whose arrangement or notice is followed is cited
        ("按照市政府教育督导室的统一部署开展自查。", {"市政府教育督导室": "mentioned"}),
        (
            "根据省政府教育督导委员会办公室《关于开展评价的通知》，",
            {"省政府教育督导委员会办公室": "mentioned"},
        ),
        ("按照县委的统一部署，县教育局开展专项整治。", {"县委": "lead", "县教育局": "lead"}),
        ("县第一中学等3所学校已于9月建成投用。", {"县第一中学": "beneficiary"}),
        ("县教育局与县残联联合开展入学评估。", {"县教育局": "lead", "县残联": "participant"}),
        ("推进各乡镇开展控辍保学。", {"各乡镇": "participant"}),
        (
            "由县教育局牵头，县直各部门分工负责。",
            {"县教育局": "lead", "县直各部门": "participant"},
        ),
        ("县教育局与12家龙头企业共建产业学院。", {"县教育局": "lead", "企业": "partner"}),
        ("县教育局开展调研，县人社局也积极配合。", {"县教育局": "lead", "县人社局": "participant"}),
        ("达到91%.县公安局推行一校一警。", {"县公安局": "lead"}),
        # an item's number or heading opens the clause; so does the space after an ASCII comma
        (
            "【扩大学位供给】县住建局会同县自然资源局落实配套学校建设。",
            {"县住建局": "lead", "县自然资源局": "participant"},
        ),
        ("2)县公安局在学校周边设立护学岗。", {"县公安局": "lead"}),
        ("③县卫健局为中小学配备卫生人员。", {"县卫健局": "lead"}),
        ("开展执法检查, 县政协围绕职业教育开展专题调研。", {"县政协": "lead"}),
        (
            "县住建局、县自然资源局配合县教育局完成学校布局规划。",
            {"县住建局": "participant", "县自然资源局": "participant", "县教育局": "lead"},
        ),
        ("恳请市政府加大专项债券支持。", {"市政府": "lead"}),
        (
            "以县实验小学、县第一中学为龙头组建教育集团。",
            {"县实验小学": "lead", "县第一中学": "lead"},
        ),
        ("县实验小学平均班额达到60人。", {"县实验小学": "participant"}),
        (
            "县人大常委会对县政府教育工作开展专题询问。",
            {"县人大常委会": "lead", "县政府": "participant"},
        ),
        (
            "县直15个部门和各乡镇对照评价细则逐项自查。",
            {"县直15个部门": "participant", "各乡镇": "participant"},
        ),
        ("县教育局对照评价指标逐项自查。", {"县教育局": "lead"}),
        (
            "推动县职业中学与本地企业签署订单培养协议。",
            {"县职业中学": "lead", "企业": "partner"},
        ),
        ("县第一中学托管县第三中学。", {"县第一中学": "lead", "县第三中学": "beneficiary"}),
        ("投入资金建设县民族中学新校区。", {"县民族中学": "beneficiary"}),
        ("完成县实验小学教学楼改扩建。", {"县实验小学": "beneficiary"}),
        (
            "1 学位紧张 新建学校1所 县教育局、县住建局 2021年8月",
            {"县教育局": "lead", "县住建局": "lead"},
        ),
        (
            "县人社局对市职业技术学院给予经费支持。",
            {"县人社局": "lead", "市职业技术学院": "beneficiary"},
        ),
        ("组织12家规上企业与学校共建实训车间。", {"企业": "partner"}),
        (
            "县住建局、县国土资源局会同县教育局出台办法。",
            {"县住建局": "lead", "县国土资源局": "lead", "县教育局": "participant"},
        ),
        ("县教育局与白沙理工大学签署协议。", {"县教育局": "lead", "白沙理工大学": "partner"}),
        ("成立由县长任组长的整改工作领导小组，逐项整改。", {"整改工作领导小组": "lead"}),
    ],
)
def test_roles_by_the_clause(reference: Reference, text: str, expected: dict[str, str]) -> None:
    assert {n: r for n, _, r in named(reference, text)} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the longest cue first, none inside a title
            "对普惠性民办幼儿园给予补助，改善乡村小规模学校办学条件，资助家庭经济困难毕业生。"
            "《关于支持民办学校发展的意见》",
            ["inclusive-kindergartens", "small-rural-schools", "students-in-financial-need"],
        ),
        (
            "为边境学校补充教师，加强青年教师培养，保障适龄儿童少年入学，向财力薄弱县倾斜。",
            ["border-schools", "young-teachers", "school-age-children", "weak-areas"],
        ),
    ],
)
def test_target_groups_by_their_cues(reference: Reference, text: str, expected: list[str]) -> None:
    assert Extractor(reference, meta(), "").target_groups(text) == expected


def test_target_groups_of_children_areas_and_colleges(reference: Reference) -> None:
    extractor = Extractor(reference, meta(), "")
    text = (
        "为困境儿童建立档案，对涉农专业学生给予资助，向欠发达地区倾斜，支持3所省属高校发展，"
        "为8个县（市、区）调剂编制。"
    )
    assert extractor.target_groups(text) == [
        "children-in-difficulty",
        "agricultural-programme-students",
        "poor-areas",
        "provincial-universities",
        "county-governments",
    ]


def test_default_lead_only_where_the_text_names_none(reference: Reference) -> None:
    text = "1.县委常委会会议专题研究教育工作，县教育局会同县财政局落实经费。"
    extractor = Extractor(reference, meta(), text)
    element = Element("measure", 1, "1", text, Span(0, len(text), text, 1))
    extractor.enrich(element, line_of=lambda _: 1)
    assert not any(m.default for m in element.bodies)
    plain = "2.加强乡村小规模学校建设，县教育局积极配合。"
    extractor = Extractor(reference, meta(), plain)
    element = Element("measure", 2, "2", plain, Span(0, len(plain), plain, 1))
    extractor.enrich(element, line_of=lambda _: 1)
    assert [(m.body, m.role, m.default) for m in element.bodies] == [
        ("linjiang-county-education-department", "participant", False),
        ("linjiang-county-government", "lead", True),
    ]
    assert element.target_groups == ["small-rural-schools"]


def test_organs_listed_after_one_with_its_level_share_that_level(reference: Reference) -> None:
    text = "由县委宣传部、组织部、编办、县发改局、住建局、自然资源局等12个单位对照自查。"
    found = named(reference, text)
    assert [n for n, _, _ in found] == [
        "县委宣传部", "组织部", "编办", "县发改局", "住建局", "自然资源局",
    ]  # fmt: skip
    own = {body for _, body, _ in found}
    assert len(own) == 6 and all(b.startswith("linjiang-county") for b in own), own


def test_a_bare_organ_outside_a_list_is_no_body(reference: Reference) -> None:
    assert names(reference, "加强组织部门与学校的联系，住建局长表示支持。") == []


def test_places_graded_in_brackets_after_a_count_are_their_governments(
    reference: Reference,
) -> None:
    city = meta("桐川市", "tongchuan-city")
    text = "评价结果为：优秀2个（东溪区、北岭县），良好1个（南湖县），合格1个（西坪区）。"
    assert names(reference, text, city) == ["东溪区", "北岭县", "南湖县", "西坪区"]


def test_the_seat_of_a_body_is_a_place_not_the_body(reference: Reference) -> None:
    text = "县城距市人民政府驻地95公里，县政府所在地海拔1200米。县教育局牵头开展自查。"
    assert names(reference, text) == ["县教育局"]


def test_governments_evaluated_for_a_named_year_are_its_object(reference: Reference) -> None:
    city = meta("桐川市", "tongchuan-city")
    text = "市政府教育督导委员会对各县人民政府2021年度履行教育职责情况开展评价。"
    assert dict((n, r) for n, _, r in named(reference, text, city))["县人民政府"] == "beneficiary"
    text = "市政府教育督导委员会对8个县（市）人民政府2021年度履行教育职责情况开展评价。"
    assert dict((n, r) for n, _, r in named(reference, text, city))["县（市）"] == "beneficiary"


def test_members_summed_up_that_check_themselves_take_part(reference: Reference) -> None:
    text = "县政府办公室牵头，县教育局、县财政局、县人社局等15个部门对照评价细则逐项自查。"
    roles = [r for _, _, r in named(reference, text)]
    assert roles == ["lead", "participant", "participant", "participant"]


def test_a_clause_after_a_parenthesised_item_number_opens_with_its_subject(
    reference: Reference,
) -> None:
    found = named(reference, "⑵县公安局在全县中小学推行护学岗。⒈县财政局安排专项资金。")
    assert [r for _, _, r in found] == ["lead", "lead"]


def test_organs_of_one_class_stay_distinct_bodies(reference: Reference) -> None:
    """县司法局 and 县文旅局 share a pattern, not an identity: each is a body of its own."""
    text = "县司法局、县文旅局联合开展普法进校园。县红十字会、县教育发展基金会捐资助学。"
    bodies = [b for _, b, _ in named(reference, text)]
    assert len(bodies) == len(set(bodies)) == 4


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("县人民法院向中小学选派法治副校长。", "县人民法院", "JudicialBody"),
        ("市中级人民法院少年法庭开展巡回审判。", "市中级人民法院少年法庭", "JudicialBody"),
        ("县人民检察院发出督促令。", "县人民检察院", "JudicialBody"),
        ("县红十字会开展应急救护培训。", "县红十字会", "OtherBody"),
        ("县疾控中心开展学校卫生监测。", "县疾控中心", "OtherBody"),
        ("市城投集团承建学校。", "市城投集团", "Enterprise"),
        ("市校园安全工作联席会议定期会商。", "市校园安全工作联席会议", "LeadingGroup"),
        ("石桥镇人民政府落实控辍保学责任。", "石桥镇人民政府", "Government"),
        ("村民委员会配合劝返。", "村民委员会", "OtherBody"),
        ("县公安局和驻县武警中队开展校园周边巡逻。", "县武警中队", "OtherBody"),
        ("县委全体会议审议教育强县规划。", "县委全体会议", "Meeting"),
        ("县第二职业中专生均设备值偏低。", "县第二职业中专", "School"),
        ("县人武部、县军分区组织学生军训。", "县军分区", "OtherBody"),
        ("县语委开展普通话推广周活动。", "县语委", "LeadingGroup"),
        ("县电视台开设家庭教育专栏。", "县电视台", "OtherBody"),
        ("县林业和草原局开展自然教育。", "县林业和草原局", "GovernmentDepartment"),
        ("由青禾保险某某支公司承保校方责任险。", "青禾保险某某支公司", "Enterprise"),
        (
            "县第十七届人民代表大会第五次会议审议通过条例。",
            "县第十七届人民代表大会第五次会议",
            "Meeting",
        ),
        ("县人民代表大会常务委员会开展执法检查。", "县人民代表大会常务委员会", "Legislature"),
        ("区住房城乡建委、区经济信息委配合。", "区住房城乡建委", "GovernmentDepartment"),
        ("区精神卫生中心开展心理危机干预。", "区精神卫生中心", "OtherBody"),
    ],
)
def test_bodies_beyond_the_government_are_named_and_typed(
    reference: Reference, text: str, name: str, kind: str
) -> None:
    extractor = Extractor(reference, meta(), text)
    mentions = extractor.named(Span(0, len(text), text, 1), line_of=lambda _: 1)
    [m] = [m for m in mentions if m.span and m.span.text == name]
    found = extractor.finder.found.get(m.body)
    assert (found.type if found else extractor.local.body(m.body).type) == kind


@pytest.mark.parametrize(
    "text",
    [
        "县政府统筹中央、省、市转移支付资金保障学校运转。",  # money named by its levels
        "在各级各类学校中，小学41所、初中12所。",  # the frame of a breakdown
        "到2026年全市优质均衡县（市、区）比例达到六成。",  # a share of a class
        "组织名师送教，覆盖全县所有乡镇中心学校。",  # the class a service reaches
        "区文旅局在辖区企业建设研学基地。",  # enterprises as the site, uncounted
        "部分企业参与职业学校办学的积极性不高。",  # a class's willingness, in a problem
        "不含中央财政对本省的教育转移支付。",  # money a level passes down
        "专家随机复核县（市、区）18个。",  # a count of the class
        "2个市的全部县（市、区）均已通过评估。",  # every one of a class
        "区政府接收3所企业办幼儿园。",  # kindergartens an enterprise runs
        "全省高校思政课专职教师与学生之比达到1:350。",  # a staff ratio, not the colleges acting
        "其中中央资金31亿元、省级资金28亿元。",  # money named by its source
    ],
)
def test_classes_funds_and_shares_are_no_body(reference: Reference, text: str) -> None:
    assert [n for n in names(reference, text) if n not in ("县政府", "区文旅局", "区政府")] == []


def test_no_body_inside_a_bundle_s_table_of_contents(reference: Reference) -> None:
    text = (
        "目录\n1.临江县人民政府关于教育工作的自评报告2\n"
        "2.县人民政府2022年履行教育职责情况自查自评报告9\n一、基本情况\n县政府统筹推进。"
    )
    assert names(reference, text) == ["县政府"]


@pytest.mark.parametrize(
    ("text", "name", "body"),
    [  # levels run together name the class, not the level written last
        ("开展旗县市区人民政府履行教育职责评价。", "旗县市区人民政府", "subordinate-governments"),
        ("各县市党委均设立教育工作领导小组。", "各县市党委", "subordinate-party-committees"),
        ("领导小组由县市委书记任组长。", "县市委", "subordinate-party-committees"),
    ],
)
def test_levels_run_together_name_the_class(
    reference: Reference, text: str, name: str, body: str
) -> None:
    assert (name, f"linjiang-{body}") in [
        (n, b) for n, b, _ in named(reference, text, meta("临江市", "linjiang"))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市教育局和 5 个县市人民政府对照指标开展自查。", ["市教育局", "5 个县市"]),
        ("市政府还指导4个县（市、区）人民政府同步自评。", ["市政府", "县（市、区）人民政府"]),
        ("职业学校与辖区45家企业开展订单培养。", ["企业"]),
        (
            "省政府印发方案，11个设区市政府和19个省直部门逐项自查。",
            ["省政府", "11个设区市政府", "19个省直部门"],
        ),
        (
            "市教育局等9个部门和3个街道办事处、4个镇人民政府开展自查。",
            ["市教育局", "街道办事处", "4个镇人民政府"],
        ),
    ],
)
def test_collectives_counted_where_they_act(
    reference: Reference, text: str, expected: list[str]
) -> None:
    assert names(reference, text, meta("临江市", "linjiang")) == expected


def test_places_listed_then_counted_are_their_governments(reference: Reference) -> None:
    text = "全市通过评估，其中东岙区、南屿县2个县（区）列入优质均衡创建县。"
    assert [(n, r) for n, _, r in named(reference, text, meta("临江市", "linjiang"))] == [
        ("东岙区", "participant"),
        ("南屿县", "participant"),
    ]


def test_schools_named_by_a_place_inside_the_region(reference: Reference) -> None:
    text = "新建临江县北岸初级中学，完成县职教中心实训楼建设，临江县所有小学开设课后服务。"
    assert names(reference, text) == ["临江县北岸初级中学", "县职教中心"]


def test_target_groups_of_minority_language_schools_and_remote_places(
    reference: Reference,
) -> None:
    text = (
        "提高蒙古语授课学校公用经费，补充蒙古语授课教师，向偏远学校倾斜，资助各级各类学生，"
        "培训校级领导干部，让牧区孩子就近入学，为特殊教育学生送教。"
    )
    assert Extractor(reference, meta(), "").target_groups(text) == [
        "ethnic-schools",
        "ethnic-language-teachers",
        "rural-schools",
        "students-of-every-stage",
        "school-leaders",
        "rural-students",
        "children-with-disabilities",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # prefectures and subdistricts counted where they act, by the genre's short names
        ("省政府组织省教育厅和9个市州对照方案开展自查。", ["省政府", "省教育厅", "9个市州"]),
        ("省教育厅组织7个设区市开展自评。", ["省教育厅", "7个设区市"]),
        ("区政府对15个镇街开展教育履职考核。", ["区政府", "15个镇街"]),
        ("省教育厅为各县市区调剂编制。", ["省教育厅", "各县市区"]),
    ],
)
def test_prefectures_and_subdistricts_by_their_short_names(
    reference: Reference, text: str, expected: list[str]
) -> None:
    assert names(reference, text, meta("临江省", "linjiang")) == expected


def test_places_listed_and_summed_up_are_their_governments(reference: Reference) -> None:
    text = "对北岙县、南屿县等财力薄弱县给予补助；东溪市、西岭市等3个市已全部通过认定。"
    assert [(n, r) for n, _, r in named(reference, text, meta("临江省", "linjiang"))] == [
        ("北岙县", "beneficiary"),
        ("南屿县", "beneficiary"),
        ("东溪市", "participant"),
        ("西岭市", "participant"),
    ]


def test_a_prefecture_governed_by_an_administrative_office(reference: Reference) -> None:
    m = meta("岚谷地区", "langu-prefecture")
    text = "地委、行署高度重视教育。地区财政局会同地委编办核定编制。当地政府落实责任。"
    assert [(n, b, r) for n, b, r in named(reference, text, m)] == [
        ("地委", "langu-prefecture-party-committee", "lead"),
        ("行署", "langu-prefecture-government", "lead"),
        ("地区财政局", "langu-prefecture-finance-department", "lead"),
        ("地委编办", "langu-prefecture-establishment-office", "participant"),
    ]
    assert names(reference, "当地政府和各地教育局落实责任。", m) == ["教育局"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市电教馆录制优质课例。", ["市电教馆"]),
        ("县职业技术教育中心开设专业9个。", ["县职业技术教育中心"]),
        (
            "新建临江县实验学校和东岸实验学校，三所实验学校均已招生。",
            ["临江县实验学校", "东岸实验学校"],
        ),
        ("县民政局会同各镇乡人民政府建立台账。", ["县民政局", "各镇乡人民政府"]),
        (
            "组织县直19个相关单位以及6个镇、3个街道开展自查。",
            ["县直19个相关单位", "6个镇", "3个街道"],
        ),
        ("县政府对5个县（市、区）政府履行教育职责情况开展评价。", ["县政府", "县（市、区）政府"]),
    ],
)
def test_centres_schools_and_counted_units_of_the_genre(
    reference: Reference, text: str, expected: list[str]
) -> None:
    assert names(reference, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("● 县财政局将公用经费定额提高。", {"县财政局": "lead"}),  # a bullet opens the clause
        ("培训经费由县财政局全额保障。", {"县财政局": "lead"}),
        (
            "落实乡镇人民政府、村民委员会和学校控辍保学责任。",
            {"乡镇人民政府": "participant", "村民委员会": "participant"},
        ),
        ("启动县职业中专实训楼建设。", {"县职业中专": "beneficiary"}),
        ("县职业中专招生计划完成率不高。", {"县职业中专": "participant"}),
        ("县职业中专与县内外 12 家企业开展订单培养。", {"县职业中专": "lead", "企业": "partner"}),
    ],
)
def test_roles_of_bullets_funds_duties_and_schools(
    reference: Reference, text: str, expected: dict[str, str]
) -> None:
    assert {n: r for n, _, r in named(reference, text)} == expected


def test_target_groups_of_infants_working_parents_and_plateau_schools(
    reference: Reference,
) -> None:
    text = "新增3岁以下婴幼儿托位，为双职工家庭子女提供课后服务，为高海拔学校供氧，资助高中阶段学生和孤儿。"
    assert Extractor(reference, meta(), "").target_groups(text) == [
        "infants",
        "children-of-working-parents",
        "high-altitude-schools",
        "upper-secondary-students",
        "children-in-difficulty",
    ]


def test_mountain_counties_are_a_target_group_and_their_land_is_not(reference: Reference) -> None:
    extractor = Extractor(reference, meta(), "")
    assert extractor.target_groups("市财政加大对山区县的转移支付。") == ["mountain-areas"]
    assert extractor.target_groups("全县山区面积占九成。") == []


def test_a_count_that_sums_up_the_names_before_it_is_no_body(reference: Reference) -> None:
    text = "县教育局与岚溪新材料有限公司等6家企业共建科学教育实践基地。"
    assert names(reference, text) == ["县教育局", "岚溪新材料有限公司"]


def test_good_schools_counted_where_they_act(reference: Reference) -> None:
    text = "县教育局组织12所县内优质学校结对帮扶乡村学校。全县有优质学校12所。"
    assert names(reference, text) == ["县教育局", "12所县内优质学校"]
