"""
The employers' part of the demo park: profiles, demand plans and postings of the zone's enterprises.

Everything is written through ``services`` as the demo's actor, deterministically
for ``rng``; dates are relative to ``timezone.localdate()``. Most profiles are
approved and one awaits vetting (so the vetting queue is not empty); most
enterprises state their needs for the next year and the next three years; about
thirty postings are mostly approved, with a few awaiting vetting, one rejected
with a reason, one draft, one closed, internships and order-class seats.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from iepark.core.choices import Industry, OrganisationKind, Role
from iepark.core.demo import data as core_data
from iepark.core.models import Major, Organisation, Park

from ..choices import PlanHorizon, PostingKind, ShiftPattern, VettingStatus
from ..models import DemandLine, Posting
from . import services


@dataclass(frozen=True)
class Post:
    """A post an enterprise of the zone recruits for, with what it asks and pays."""

    name: str
    name_en: str
    major: str  # catalogue code
    certificates: str
    skills: str
    pay: tuple[int, int]
    shift: str
    duties: str
    duties_en: str


FOUR_THREE = ShiftPattern.FOUR_TEAMS_THREE_SHIFTS

MINING_POSTS = [
    Post(
        "采煤机司机",
        "Shearer operator",
        "520301",
        "煤矿特种作业操作证（采煤机司机）",
        "采煤机操作与日常维护；综采工作面作业规程",
        (8000, 12000),
        FOUR_THREE,
        "在综采工作面操作采煤机，负责割煤、调高和班前检查，严格执行“一通三防”规定。",
        "Operate the shearer on the fully mechanised longwall face: cutting, height control and pre-shift checks, "
        "following the mine's ventilation, gas and fire rules.",
    ),
    Post(
        "液压支架工",
        "Hydraulic support operator",
        "520301",
        "煤矿特种作业操作证（液压支架工）",
        "移架、推溜与顶板管理；液压系统巡检",
        (7500, 11000),
        FOUR_THREE,
        "负责综采工作面液压支架的移架、推溜和支护质量，及时处理液压系统故障。",
        "Advance the longwall's hydraulic roof supports and conveyor, keep the roof supported and fix hydraulic faults.",
    ),
    Post(
        "综采维修电工",
        "Longwall maintenance electrician",
        "520303",
        "特种作业操作证（电工作业）；煤矿井下电气作业证",
        "矿用隔爆电气设备检修；PLC 基础",
        (8000, 11500),
        ShiftPattern.THREE_SHIFTS,
        "负责综采工作面供电系统和隔爆电气设备的检修维护，保障设备完好率。",
        "Maintain the longwall's power supply and flameproof electrical equipment and keep it available.",
    ),
    Post(
        "矿井通风工",
        "Mine ventilation worker",
        "520304",
        "煤矿特种作业操作证（通风作业）",
        "测风与局部通风机管理；通风设施构筑",
        (7000, 10000),
        ShiftPattern.THREE_SHIFTS,
        "负责井下测风、局部通风机管理和风门、密闭等通风设施的构筑与维护。",
        "Measure airflow underground, run auxiliary fans and build and maintain doors, seals and other ventilation works.",
    ),
    Post(
        "瓦斯检查工",
        "Gas inspector",
        "520304",
        "煤矿特种作业操作证（瓦斯检查作业）",
        "光学瓦斯检定器使用；瓦斯巡检与记录",
        (7500, 10500),
        ShiftPattern.THREE_SHIFTS,
        "按规定路线巡回检查瓦斯、二氧化碳和温度，及时报告并处置超限情况。",
        "Check methane, carbon dioxide and temperature on set rounds, and report and act on any reading over the limit.",
    ),
    Post(
        "安全检查工",
        "Safety inspector",
        "520904",
        "煤矿特种作业操作证（安全检查作业）",
        "隐患排查与安全确认；安全生产标准化",
        (7000, 10000),
        ShiftPattern.DAY,
        "开展现场安全检查和隐患排查，督促整改闭环，参与安全生产标准化建设。",
        "Inspect workplaces, find hazards and follow their correction through; help keep the mine's safety standards.",
    ),
    Post(
        "矿山机电维修工",
        "Mine electromechanical fitter",
        "520303",
        "特种作业操作证（电工作业）",
        "带式输送机与提升机检修",
        (6500, 9500),
        ShiftPattern.TWO_SHIFTS,
        "负责带式输送机、提升机、水泵等固定设备的检修和点检。",
        "Service and inspect fixed plant: belt conveyors, hoists and pumps.",
    ),
]
OPEN_PIT_POST = Post(
    "露天矿挖掘机司机",
    "Open-pit excavator operator",
    "520301",
    "挖掘机操作证；露天煤矿安全培训合格证",
    "电铲与液压挖掘机操作；采装作业规程",
    (7000, 10000),
    ShiftPattern.TWO_SHIFTS,
    "在露天采场操作电铲和液压挖掘机完成剥离与采煤装车作业。",
    "Operate electric shovels and hydraulic excavators in the open pit, stripping overburden and loading coal.",
)
DUMP_TRUCK_POST = Post(
    "矿用自卸车司机",
    "Mining dump-truck driver",
    "520301",
    "机动车驾驶证（B2 及以上）；露天煤矿安全培训合格证",
    "大型矿用卡车驾驶；车辆日常点检",
    (7000, 10000),
    ShiftPattern.TWO_SHIFTS,
    "驾驶大型矿用自卸车完成剥离物和原煤运输，做好车辆日常点检和交接班记录。",
    "Drive large mining dump trucks hauling overburden and coal; check the truck daily and keep the shift log.",
)
POWER_POSTS = [
    Post(
        "锅炉运行值班员",
        "Boiler operator",
        "530204",
        "锅炉运行值班员职业技能等级证书（中级）",
        "DCS 监盘操作；锅炉燃烧调整",
        (6500, 9500),
        FOUR_THREE,
        "在集控室监视和调整锅炉燃烧、汽温汽压，按规程完成启停和事故处理。",
        "Watch and adjust the boiler's combustion, steam temperature and pressure from the control room; start-ups, "
        "shutdowns and incidents by the procedures.",
    ),
    Post(
        "汽轮机运行值班员",
        "Turbine operator",
        "530204",
        "汽轮机运行值班员职业技能等级证书",
        "汽轮机启停操作；辅机切换与定期试验",
        (6500, 9500),
        FOUR_THREE,
        "负责汽轮机及其辅机的运行监视、定期切换试验和启停操作。",
        "Run the steam turbine and its auxiliaries: monitoring, periodic switch-over tests, start-ups and shutdowns.",
    ),
    Post(
        "集控值班员",
        "Unit control room operator",
        "530204",
        "集控值班员职业技能等级证书（中级）",
        "机、炉、电集控运行；事故处理",
        (7000, 10000),
        FOUR_THREE,
        "在单元集控室负责机组的机、炉、电一体化运行和异常工况处理。",
        "Run the whole unit (boiler, turbine and generator) from the unit control room and handle abnormal conditions.",
    ),
    Post(
        "电气值班员",
        "Electrical operator",
        "530102",
        "特种作业操作证（高压电工作业）",
        "倒闸操作；升压站与厂用电设备巡检",
        (6500, 9000),
        FOUR_THREE,
        "负责升压站和厂用电系统的运行监视、倒闸操作和设备巡检。",
        "Operate the switchyard and station service power: monitoring, switching and equipment rounds.",
    ),
    Post(
        "继电保护员",
        "Relay protection technician",
        "560302",
        "继电保护员职业技能等级证书；特种作业操作证（高压电工作业）",
        "保护装置校验；二次回路检查",
        (7000, 9500),
        ShiftPattern.DAY,
        "负责发变组、线路保护装置的定期校验和二次回路维护。",
        "Test the generator, transformer and line protection relays and maintain the secondary circuits.",
    ),
    Post(
        "热工仪表检修工",
        "Thermal instrumentation technician",
        "560302",
        "仪表维修工职业技能等级证书",
        "DCS 组态基础；变送器与执行机构校验",
        (6500, 9000),
        ShiftPattern.DAY,
        "负责热工测点、变送器和执行机构的检修校验，配合 DCS 逻辑维护。",
        "Maintain and calibrate thermal measuring points, transmitters and actuators, and help maintain the DCS logic.",
    ),
    Post(
        "输煤值班员",
        "Coal handling operator",
        "560301",
        "",
        "皮带机运行与巡检；除铁除杂设备操作",
        (5500, 7500),
        FOUR_THREE,
        "负责输煤皮带、碎煤机和斗轮机的运行与巡检，保障锅炉上煤。",
        "Run and patrol the coal belts, crushers and stacker-reclaimer that feed the boilers.",
    ),
]
CHEMICAL_POSTS = [
    Post(
        "化工总控工",
        "Chemical process control operator",
        "570205",
        "化工总控工职业技能等级证书（中级）",
        "DCS 操作；工艺参数调整；装置开停车",
        (6500, 9500),
        FOUR_THREE,
        "在中控室操作 DCS，监控和调整装置工艺参数，参与装置开停车和应急处置。",
        "Run the plant from the central control room on the DCS, keep the process in range and take part in start-ups, "
        "shutdowns and emergencies.",
    ),
    Post(
        "气化炉操作工",
        "Gasifier operator",
        "570205",
        "特种作业操作证（危险化学品安全作业—煤化工工艺）",
        "气化炉运行控制；锁渣系统操作",
        (7000, 10000),
        FOUR_THREE,
        "负责煤气化装置的现场操作与巡检，控制气化炉运行工况和排渣系统。",
        "Operate and patrol the coal gasification unit in the field: gasifier conditions and the slag system.",
    ),
    Post(
        "仪表维修工",
        "Instrument maintenance technician",
        "560302",
        "仪表维修工职业技能等级证书（中级）",
        "调节阀与变送器检修；SIS 联锁测试",
        (6500, 9000),
        ShiftPattern.DAY,
        "负责装置仪表、调节阀和安全仪表系统的维护检修和联锁测试。",
        "Maintain the plant's instruments, control valves and safety instrumented system, and test its interlocks.",
    ),
    Post(
        "化学检验员",
        "Chemical analyst",
        "570208",
        "化学检验员职业技能等级证书（中级）",
        "气相色谱与滴定分析；实验室质量控制",
        (5500, 7500),
        ShiftPattern.TWO_SHIFTS,
        "负责原料、中间品和产品的取样分析，做好实验室质量控制和数据记录。",
        "Sample and analyse raw materials, intermediates and products; keep the laboratory's quality control and records.",
    ),
    Post(
        "化工设备维修工",
        "Chemical equipment maintenance technician",
        "570209",
        "特种作业操作证（焊接与热切割作业）优先",
        "机泵检修；压力容器与管道维护",
        (6000, 8500),
        ShiftPattern.DAY,
        "负责机泵、换热器、压力容器和工艺管道的检修维护。",
        "Overhaul and maintain pumps, heat exchangers, pressure vessels and process piping.",
    ),
    Post(
        "安全员",
        "Safety officer",
        "520904",
        "特种作业操作证；注册安全工程师（助理）优先",
        "作业票管理；隐患排查；应急演练",
        (6000, 8500),
        ShiftPattern.DAY,
        "负责特殊作业票证审核、现场安全监护、隐患排查和应急演练组织。",
        "Check permits for hazardous work, supervise work on site, find hazards and organise emergency drills.",
    ),
]
OLEFIN_POST = Post(
    "聚合工",
    "Polymerisation operator",
    "570205",
    "化工总控工职业技能等级证书",
    "聚丙烯装置操作；催化剂配制",
    (6500, 9000),
    FOUR_THREE,
    "负责聚丙烯装置聚合单元的操作和巡检，配制催化剂并控制产品牌号质量。",
    "Operate the polypropylene plant's polymerisation unit, prepare catalyst and keep each grade on specification.",
)
OTHER_POSTS = {
    "ent_changyi": [
        Post(
            "仓储管理员",
            "Warehouse keeper",
            "630903",
            "",
            "仓储管理系统操作；叉车证优先",
            (4500, 6500),
            ShiftPattern.TWO_SHIFTS,
            "负责化工产品和备品备件的出入库、盘点和库位管理。",
            "Receive, issue and count chemical products and spare parts and keep the stock locations in order.",
        ),
        Post(
            "运输调度员",
            "Transport dispatcher",
            "630903",
            "",
            "运输计划编制；车辆调度系统",
            (5000, 7000),
            ShiftPattern.TWO_SHIFTS,
            "负责煤炭和化工产品运输车辆的调度、在途跟踪和异常处理。",
            "Dispatch the trucks carrying coal and chemical products, follow them en route and sort out problems.",
        ),
    ],
    "ent_anlan": [
        Post(
            "环境监测员",
            "Environmental monitoring technician",
            "520801",
            "环境监测员职业技能等级证书",
            "在线监测设备运维；水质与烟气采样分析",
            (5000, 7000),
            ShiftPattern.DAY,
            "负责园区企业在线监测设备运维和水质、烟气的采样分析。",
            "Maintain online emission monitors at the zone's plants and sample and analyse water and flue gas.",
        ),
        Post(
            "污水处理工",
            "Wastewater treatment operator",
            "520801",
            "",
            "生化处理工艺操作；加药与污泥脱水",
            (5000, 7000),
            FOUR_THREE,
            "负责污水处理站生化系统、加药系统和污泥脱水设备的运行。",
            "Run the wastewater plant's biological treatment, chemical dosing and sludge dewatering.",
        ),
    ],
    "ent_ruituo": [
        Post(
            "机电设备维修工",
            "Electromechanical maintenance technician",
            "560301",
            "特种作业操作证（电工作业）",
            "机械装配与电气控制；设备点检",
            (5500, 8000),
            ShiftPattern.DAY,
            "为园区煤矿、电厂和化工企业提供机电设备的检修和点检服务。",
            "Service and inspect electromechanical equipment for the zone's mines, power plants and chemical plants.",
        ),
        Post(
            "维修电工",
            "Maintenance electrician",
            "560302",
            "特种作业操作证（低压电工作业）",
            "电机与变频器维修；PLC 控制回路",
            (5500, 7500),
            ShiftPattern.DAY,
            "负责客户现场电机、变频器和控制回路的故障诊断与维修。",
            "Diagnose and repair motors, drives and control circuits at customers' sites.",
        ),
    ],
}

AREAS_EN = {
    "五彩湾园区": "Wucaiwan area",
    "芨芨湖园区": "Jijihu area",
    "将军庙园区": "Jiangjunmiao area",
    "西黑山园区": "Xiheishan area",
    "大井园区": "Dajing area",
}

BENEFITS = (
    "五险一金；年度健康体检；带薪年休假；夜班及井下（高温）津贴；技能等级津贴；工作餐补助；每年两次探亲交通补贴。",
    "Social insurance and housing fund; annual health check; paid leave; night-shift and underground (heat) "
    "allowances; a skills-grade allowance; subsidised meals; travel home paid twice a year.",
)
HOUSING = (
    "园区职工公寓，两人一间，配空调、独立卫浴和洗衣房，免费入住；通勤班车往返五彩湾生活区。",
    "Staff apartments in the park, two to a room, with air conditioning, own bathroom and a laundry, free of charge; "
    "shuttle buses to the Wucaiwan living quarter.",
)
SUMMARIES = {
    Industry.COAL_MINING: (
        "{name}是准东经济技术开发区的煤炭生产企业，主营煤炭开采与洗选，年产原煤约{size}万吨，"
        "采用综合机械化开采和智能化工作面。公司实行“师带徒”和技能等级晋升制度，重视青年技术人才培养。",
        "{name} mines and washes coal in the Zhundong Economic and Technological Development Zone (about {size0} "
        "million tonnes a year) on fully mechanised, increasingly automated faces. Young technicians learn from "
        "master craftsmen and move up a skills-grade ladder.",
    ),
    Industry.COAL_POWER: (
        "{name}是准东经济技术开发区的燃煤发电企业，装机容量{size}兆瓦，以坑口电站为主，承担疆电外送任务。"
        "公司为新员工提供仿真机培训和系统的运行岗位成长通道。",
        "{name} runs mine-mouth coal-fired power plants of {size} MW in the Zhundong zone, sending power out of "
        "Xinjiang. New staff train on the plant simulator and follow a clear path through the operating posts.",
    ),
    Industry.COAL_CHEMICAL: (
        "{name}是准东经济技术开发区的现代煤化工企业，以当地煤炭为原料生产清洁燃料和化工产品，年转化煤炭约{size}万吨。"
        "装置自动化程度高，新员工经过系统培训后上岗。",
        "{name} is a modern coal-chemical producer in the Zhundong zone, turning about {size0} million tonnes of local "
        "coal a year into clean fuels and chemicals. Its plants are highly automated; new staff are trained "
        "thoroughly before they take a post.",
    ),
    Industry.OTHER: (
        "{name}为准东经济技术开发区的煤炭、电力和化工企业提供配套服务，业务稳定，注重员工培训和职业发展。",
        "{name} serves the coal, power and chemical enterprises of the Zhundong zone; steady work, with training and a "
        "career path for its staff.",
    ),
}
REJECTION_REASON = (
    "岗位描述中含有“限男性”“35周岁以下”等限制性表述，不符合就业促进相关规定；薪酬范围 4000–15000 元过宽，"
    "请按实际岗位标准写明后重新提交。"
)


def _area(org: Organisation) -> str:
    return next((area for area in AREAS_EN if area in org.address), core_data.ZONE_AREAS[0])


def _posts_for(key: str, org: Organisation) -> list[Post]:
    if key in OTHER_POSTS:
        return OTHER_POSTS[key]
    if org.industry == Industry.COAL_MINING:
        if "露天" in org.name:  # an open-pit mine: no longwall posts
            return [OPEN_PIT_POST, DUMP_TRUCK_POST, MINING_POSTS[6], MINING_POSTS[5]]
        return MINING_POSTS
    if org.industry == Industry.COAL_POWER:
        return POWER_POSTS
    if org.industry == Industry.COAL_CHEMICAL:
        return [OLEFIN_POST, *CHEMICAL_POSTS] if "烯烃" in org.name else CHEMICAL_POSTS
    return OTHER_POSTS["ent_ruituo"]


def build(park: Park, *, actor: Any, rng: random.Random, say: Any = None) -> None:
    """Add profiles, demand plans and postings of ``park``'s enterprises, through the services."""
    say = say or (lambda message: None)
    enterprises = list(park.organisations.filter(kind=OrganisationKind.ENTERPRISE, is_active=True).order_by("pk"))
    if not enterprises:
        return
    majors = {m.code: m for m in Major.objects.filter(park=park)}
    if not majors:
        return
    keys = {name: key for key, name, _name_en, _industry in core_data.ENTERPRISES}
    key_of = {org.pk: keys.get(org.name, f"org{org.pk}") for org in enterprises}
    hr_keys = [org_key for _login, role, org_key in core_data.LOGINS if role == Role.ENTERPRISE_HR]
    today = timezone.localdate()
    next_year = today.year + 1

    # The enterprise whose profile waits for vetting: the last one without a demo HR login.
    waiting = next((org for org in reversed(enterprises) if key_of[org.pk] not in hr_keys), enterprises[-1])

    def major_of(post: Post) -> Major:
        return majors.get(post.major) or next(iter(majors.values()))

    # Profiles.
    for org in enterprises:
        _profile(org, actor=actor, rng=rng, approve=org is not waiting)
    say(f"{len(enterprises)} employer profiles")

    # Demand plans: a three-year plan, then a yearly plan refining its first year.
    plan_lines: dict[int, dict[str, DemandLine]] = {}
    plan_count = 0
    skip_plans = {enterprises[-2].pk} if len(enterprises) > 3 else set()
    for org in enterprises:
        if org.pk in skip_plans:
            continue
        posts = _posts_for(key_of[org.pk], org)
        scale = 2 if org.industry in (Industry.COAL_MINING, Industry.COAL_CHEMICAL) else 1
        long_plan = services.demand_plan_create(
            actor=actor,
            enterprise=org,
            title=f"{next_year}—{next_year + 2}年技能人才需求规划",
            horizon=PlanHorizon.THREE_YEARS,
            year_from=next_year,
            notes="根据新建项目投产计划和人员自然减员测算。",
        )
        for offset in range(3):
            for post in rng.sample(posts, k=min(len(posts), rng.randint(2, 4))):
                headcount = rng.randint(2, 6 + 2 * offset) * scale
                _line(long_plan, post, major_of(post), year=next_year + offset, headcount=headcount, actor=actor)
        services.demand_plan_submit(actor=actor, plan=long_plan)
        plan_count += 1

        year_plan = services.demand_plan_create(
            actor=actor,
            enterprise=org,
            title=f"{next_year}年度用工需求计划",
            horizon=PlanHorizon.NEXT_YEAR,
            year_from=next_year,
            notes="含应届毕业生招聘和订单班录用计划。",
        )
        lines = {}
        for post in rng.sample(posts, k=min(len(posts), rng.randint(3, 5))):
            headcount = rng.randint(2, 8) * scale
            lines[post.name] = _line(year_plan, post, major_of(post), year=next_year, headcount=headcount, actor=actor)
        plan_count += 1
        # hr1's enterprise keeps its yearly plan as a draft, to show editing it.
        if key_of[org.pk] != (hr_keys[0] if hr_keys else None):
            services.demand_plan_submit(actor=actor, plan=year_plan)
        plan_lines[org.pk] = lines
    say(f"{plan_count} demand plans")

    # Postings.
    postings: list[Posting] = []
    hr2_key = hr_keys[1] if len(hr_keys) > 1 else None
    for n, org in enumerate(enterprises):
        key = key_of[org.pk]
        posts = _posts_for(key, org)
        area = _area(org)
        jobs = rng.sample(posts, k=min(len(posts), 1 + (n % 3 != 2)))
        for post in jobs:
            line = plan_lines.get(org.pk, {}).get(post.name)
            postings.append(_job(org, post, major_of(post), area, line, today, next_year, rng, actor))
        if n % 2 == 0:
            post = rng.choice(posts)
            postings.append(_internship(org, post, major_of(post), area, today, rng, actor))
        if n % 4 == 1 and org.industry != Industry.OTHER:
            postings.append(_order_seats(org, posts[0], major_of(posts[0]), area, today, next_year, rng, actor))
        if key == hr2_key:
            postings.append(_rejected(org, posts[0], major_of(posts[0]), area, next_year, actor))

    # Vet them: most approved; a few left awaiting vetting, one draft, one closed.
    waiting_postings = {p.pk for p in postings if p.enterprise_id == waiting.pk}
    others = [p for p in postings if p.pk not in waiting_postings and p.vetting_status == VettingStatus.DRAFT]
    hr1_draft = next((p for p in others if key_of[p.enterprise_id] == (hr_keys[0] if hr_keys else None)), None)
    candidates = [p for p in others if p is not hr1_draft]
    left_submitted = {p.pk for p in rng.sample(candidates, k=min(2, len(candidates)))}
    closed = next(
        (p for p in reversed(others) if p.kind == PostingKind.INTERNSHIP and p.pk not in left_submitted), None
    )
    for posting in postings:
        if posting is hr1_draft or posting.vetting_status != VettingStatus.DRAFT:
            continue
        posting = services.posting_submit(actor=actor, posting=posting)
        if posting.pk in waiting_postings or posting.pk in left_submitted:
            continue
        posting = services.posting_approve(actor=actor, posting=posting)
        if closed is not None and posting.pk == closed.pk:
            services.posting_close(actor=actor, posting=posting)
    say(f"{len(postings)} postings")


def _profile(org: Organisation, *, actor: Any, rng: random.Random, approve: bool) -> None:
    industry = org.industry if org.industry in SUMMARIES else Industry.OTHER
    if industry == Industry.COAL_POWER:
        size = rng.choice([660, 1320, 2000, 2640])
        size0 = size
    else:
        size0 = rng.choice([3, 5, 8, 10, 15, 20])
        size = size0 * 100
    summary, summary_en = SUMMARIES[industry]
    profile = services.employer_profile_create(
        actor=actor,
        organisation=org,
        summary=summary.format(name=org.name, size=size),
        summary_en=summary_en.format(name=org.name_en or org.name, size=size, size0=size0),
        employees=rng.randint(3, 40) * 50 if industry != Industry.OTHER else rng.randint(4, 30) * 10,
        benefits=BENEFITS[0],
        benefits_en=BENEFITS[1],
        housing=HOUSING[0],
        housing_en=HOUSING[1],
        commute=f"通勤班车约 {rng.choice([15, 20, 25, 35, 45])} 分钟",
        contact_email=f"zhaopin{org.pk}@example.com",
    )
    services.employer_profile_submit(actor=actor, profile=profile)
    if approve:
        services.employer_profile_approve(actor=actor, profile=profile)


def _line(plan: Any, post: Post, major: Major, *, year: int, headcount: int, actor: Any) -> DemandLine:
    return services.demand_line_create(
        actor=actor,
        plan=plan,
        year=year,
        post=post.name,
        major=major,
        certificates=post.certificates,
        skills=post.skills,
        headcount=headcount,
        pay_min=post.pay[0],
        pay_max=post.pay[1],
        shift_pattern=post.shift,
        location=_area(plan.enterprise),
        housing_provided=True,
    )


def _job(org, post: Post, major: Major, area: str, line, today, next_year, rng, actor) -> Posting:
    return services.posting_create(
        actor=actor,
        enterprise=org,
        kind=PostingKind.JOB,
        title=post.name,
        title_en=post.name_en,
        description=(
            f"{post.duties}\n任职要求：{major.name}等相关专业，{next_year}届或往届毕业生"
            f"{'，持' + post.certificates if post.certificates else ''}。"
            "\n入职后安排岗前培训和师带徒，按技能等级晋升。"
        ),
        description_en=(
            f"{post.duties_en}\nWe look for graduates (class of {next_year} or earlier) of {major.name_en} or a related "
            "major. New staff get induction training and a mentor, and progress by skills grade."
        ),
        majors=[major],
        certificates=post.certificates,
        skills=post.skills,
        headcount=rng.randint(2, 10),
        pay_min=post.pay[0],
        pay_max=post.pay[1],
        shift_pattern=post.shift,
        location=area,
        housing_provided=True,
        start_date=datetime.date(next_year, 7, 1),
        closes_on=today + datetime.timedelta(days=rng.randint(30, 120)),
        demand_line=line,
        is_public=rng.random() < 0.9,
    )


def _internship(org, post: Post, major: Major, area: str, today, rng, actor) -> Posting:
    start = (today.replace(day=1) + datetime.timedelta(days=45)).replace(day=1)
    return services.posting_create(
        actor=actor,
        enterprise=org,
        kind=PostingKind.INTERNSHIP,
        title=f"{post.name}（顶岗实习）",
        title_en=f"{post.name_en} (placement internship)",
        description=(
            f"{post.duties}\n实习期六个月，提供实习补贴、免费食宿和意外伤害保险；表现优秀者毕业后可直接录用。"
        ),
        description_en=(
            f"{post.duties_en}\nSix months' placement with an allowance, free board and lodging and accident "
            "insurance; the best interns are offered a job on graduating."
        ),
        majors=[major],
        certificates="",
        skills=post.skills,
        headcount=rng.randint(4, 12),
        pay_min=3000,
        pay_max=4500,
        shift_pattern=ShiftPattern.DAY if post.shift == ShiftPattern.DAY else ShiftPattern.TWO_SHIFTS,
        location=area,
        housing_provided=True,
        start_date=start,
        closes_on=today + datetime.timedelta(days=rng.randint(14, 40)),
        is_public=True,
    )


def _order_seats(org, post: Post, major: Major, area: str, today, next_year, rng, actor) -> Posting:
    """Return seats of an order class chosen from this year's second-year students, hired on graduating."""
    cohort = today.year - 1
    short = org.name.removeprefix("准东")[:2]
    start = (today.replace(day=1) + datetime.timedelta(days=95)).replace(day=1)
    return services.posting_create(
        actor=actor,
        enterprise=org,
        kind=PostingKind.ORDER_SEAT,
        title=f"{cohort}级{major.name}订单班（{short}班）",
        title_en=f"{major.name_en} order class, {cohort} cohort ({org.name_en or org.name})",
        description=(
            f"从{cohort}级{major.name}专业在校生中选拔组建，企业与学院共同制定后续培养方案，企业导师参与授课，"
            f"学生享受企业奖学金；第三学年到企业顶岗实习，毕业考核合格后录用为{post.name}。"
        ),
        description_en=(
            f"Chosen from the {cohort} cohort of {major.name_en}: the enterprise and the college design the rest of "
            "the programme together, the enterprise's mentors teach in it and students receive its scholarship; "
            f"they spend their third year on placement and, passing the final assessment, are hired as "
            f"{post.name_en.lower()}s."
        ),
        majors=[major],
        certificates=post.certificates,
        skills=post.skills,
        headcount=rng.choice([20, 25, 30, 40]),
        pay_min=post.pay[0],
        pay_max=post.pay[1],
        shift_pattern=post.shift,
        location=area,
        housing_provided=True,
        start_date=start,
        closes_on=today + datetime.timedelta(days=rng.randint(45, 80)),
        is_public=True,
    )


def _rejected(org, post: Post, major: Major, area: str, next_year, actor) -> Posting:
    """Return a posting the park rejects (its text breaks the rules on discrimination), with the reason."""
    posting = services.posting_create(
        actor=actor,
        enterprise=org,
        kind=PostingKind.JOB,
        title=f"{post.name}（急招）",
        title_en=f"{post.name_en} (urgent)",
        description=f"{post.duties}\n限男性，35周岁以下，能吃苦耐劳。",
        description_en=f"{post.duties_en}\nMen under 35 only.",
        majors=[major],
        headcount=15,
        pay_min=4000,
        pay_max=15000,
        shift_pattern=post.shift,
        location=area,
        housing_provided=True,
        start_date=datetime.date(next_year, 3, 1),
    )
    services.posting_submit(actor=actor, posting=posting)
    return services.posting_reject(actor=actor, posting=posting, reason=REJECTION_REASON)
