"""
The safety part of the demo park, written through this app's services (deterministic for a seed).

Templates for dormitories, training rooms and canteens with their checklists; a weekly schedule per
dormitory building and a monthly one per college's training rooms; eight weeks of completed rounds
with findings whose rectifications are in every state (open, overdue, reported done, reopened after a
failed re-inspection, closed); today's due rounds; and a register of 60 items of fire equipment,
some due for their check, some overdue and a few expired.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from iepark.core.choices import OrganisationKind, Role
from iepark.core.models import Membership, Organisation

from . import services
from .models import InspectionTemplate

D = datetime.timedelta

TEMPLATES: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (
        "宿舍安全检查",
        "dormitory",
        "both",
        [
            ("无违规电器（电热毯、热得快、电炉等）", "打开柜门和床下查看；发现即为问题。"),
            ("无私拉乱接电线、插线板不串接", "插线板不得放在床上或被褥旁。"),
            ("楼道和疏散通道畅通，无杂物堆放", "安全出口门不得上锁。"),
            ("灭火器在位、压力指针在绿区", "每层至少两具，检查铅封和有效期。"),
            ("应急照明和疏散指示灯正常", "按下测试按钮查看。"),
            ("门禁和监控正常", "查看门禁记录仪和摄像头指示灯。"),
            ("无明火、无吸烟痕迹", ""),
            ("阳台和窗户护栏完好", ""),
        ],
    ),
    (
        "实训室消防安全检查",
        "training_room",
        "fire",
        [
            ("设备断电、气源阀门关闭（下课后）", "查看总闸和气瓶阀门。"),
            ("危险化学品按规定存放并有台账", "易燃品放防爆柜，台账与实物一致。"),
            ("灭火器、灭火毯在位有效", ""),
            ("安全操作规程上墙", ""),
            ("通风和排烟设施正常", ""),
            ("疏散通道畅通、安全出口标识清楚", ""),
            ("个人防护用品齐全", "护目镜、手套、工作服。"),
            ("电气线路无老化、破损", ""),
        ],
    ),
    (
        "食堂消防检查",
        "canteen",
        "fire",
        [
            ("燃气管道和阀门无泄漏", "用检漏液或报警器检查。"),
            ("烟道定期清洗并有记录", ""),
            ("灭火器和灭火毯在位", ""),
            ("燃气泄漏报警器正常", ""),
            ("后厨通道畅通", ""),
            ("员工会使用灭火器和灭火毯", "随机抽问一名员工。"),
        ],
    ),
]

FINDING_TEXTS = {
    "dormitory": [
        ("发现违规电器（热得快）", "medium"),
        ("插线板串接，放在床铺上", "high"),
        ("楼道堆放纸箱，影响疏散", "medium"),
        ("灭火器压力不足", "high"),
        ("疏散指示灯不亮", "medium"),
        ("安全出口门上锁", "critical"),
        ("阳台护栏松动", "low"),
    ],
    "training_room": [
        ("下课后设备未断电", "medium"),
        ("酒精未放入防爆柜", "high"),
        ("危化品台账与实物不符", "medium"),
        ("灭火毯缺失", "low"),
        ("排烟风机不转", "high"),
    ],
    "canteen": [
        ("烟道清洗记录缺失", "low"),
        ("燃气报警器故障", "critical"),
        ("后厨通道堆放食材", "medium"),
    ],
}


def _operator_people(park) -> list[Any]:
    rows = (
        Membership.objects.filter(organisation__park=park, role=Role.OPERATOR_STAFF)
        .select_related("person")
        .order_by("person_id")
    )
    return [m.person for m in rows]


def build(park: Any, *, actor: Any, seed: int, say: Any = lambda message: None) -> None:
    """Add the park's safety data (once per park)."""
    if InspectionTemplate.objects.filter(park=park).exists():
        return
    from iepark.operations.models import DormBuilding

    rng = random.Random(f"safety-{seed}")
    today = timezone.localdate()
    inspectors = _operator_people(park)
    inspector = inspectors[0] if inspectors else None
    operator_org = Organisation.objects.filter(park=park, kind=OrganisationKind.OPERATOR).order_by("pk").first()
    colleges = list(
        Organisation.objects.filter(
            park=park, kind__in=[OrganisationKind.COOPERATIVE_COLLEGE, OrganisationKind.INDUSTRIAL_COLLEGE]
        ).order_by("pk")[:3]
    )
    buildings = list(DormBuilding.objects.filter(park=park).order_by("name", "pk"))

    templates = {
        area: services.template_create(
            actor=actor,
            park=park,
            name=name,
            area_kind=area,
            kind=kind,
            description="",
            items=[{"text": text, "guidance": guidance} for text, guidance in items],
        )
        for name, area, kind, items in TEMPLATES
    }

    # Places: each dormitory building (the operating company rectifies), each college's training rooms.
    places: list[tuple[str, str, Any, Any, int, str]] = []
    for building in buildings:
        places.append(("dormitory", str(building), building, operator_org, 1, "week"))
    if not buildings:
        places.append(("dormitory", "学生公寓", None, operator_org, 1, "week"))
    for college in colleges:
        places.append(("training_room", f"{college.name}实训室", None, college, 2, "week"))
    places.append(("canteen", "第一学生食堂后厨", None, operator_org, 1, "month"))

    rounds = findings = 0
    for area, place, building, owner, every, unit in places:
        template = templates[area]
        items = list(template.items.order_by("position"))
        step = D(weeks=every) if unit == "week" else D(days=30)
        history = 8 if unit == "week" and every == 1 else 4 if unit == "week" else 2
        for n in range(history, 0, -1):
            day = today - step * n
            inspection = services.round_create(
                actor=actor,
                template=template,
                place=place,
                building=building,
                owner=owner,
                scheduled_date=day,
                inspector=inspector,
            )
            rounds += 1
            for item in items:
                draw = rng.random()
                if draw < 0.1:
                    text, severity = rng.choice(FINDING_TEXTS[area])
                    finding = services.finding_create(
                        actor=actor,
                        inspection=inspection,
                        item=item,
                        description=text,
                        severity=severity,
                        place=f"{rng.randint(1, 6)}{rng.randint(1, 20):02d}室" if area == "dormitory" else "",
                        found_on=day,
                    )
                    findings += 1
                    _progress_task(actor, finding.task, day, today, rng, inspector)
                else:
                    result = "not_applicable" if draw > 0.96 else "ok"
                    services.round_answer(actor=actor, inspection=inspection, item=item, result=result)
            services.round_complete(actor=actor, inspection=inspection, note="")
        services.schedule_create(
            actor=actor,
            template=template,
            place=place,
            building=building,
            owner=owner,
            every=every,
            unit=unit,
            next_date=today - D(days=rng.randint(0, 2)) if unit == "week" and every == 1 else today + step,
            inspector=inspector,
        )
    due = services.rounds_generate(actor=actor, park=park, today=today)
    say(
        f"{len(templates)} inspection templates, {len(places)} schedules, {rounds} completed rounds with "
        f"{findings} findings, {len(due)} rounds due today"
    )
    _equipment(park, actor=actor, rng=rng, today=today, buildings=buildings, inspector=inspector, say=say)


def _progress_task(actor: Any, task: Any, found: datetime.date, today: datetime.date, rng: random.Random, inspector):
    """Move a demo rectification to a state that fits its age: recent ones open, older ones mostly closed."""
    age = (today - found).days
    if age < 10:
        return  # still open, within or just past its deadline
    fate = rng.random()
    if fate < 0.2:
        return  # left open: overdue
    report = min(today, found + D(days=rng.randint(1, 5)))
    services.task_report_done(actor=actor, task=task, note="已整改，请复查。", reported_on=report)
    if fate < 0.35:
        return  # reported done, waiting for the re-inspection
    check = min(today, report + D(days=rng.randint(1, 3)))
    if fate < 0.45:
        services.task_reinspect(
            actor=actor,
            task=task,
            passed=False,
            inspected_on=check,
            note="整改不到位。",
            new_deadline=check + D(days=rng.choice([3, 7, 14])),
            inspector=inspector,
        )
        return
    services.task_reinspect(actor=actor, task=task, passed=True, inspected_on=check, note="", inspector=inspector)


EQUIPMENT_LAYOUT = [
    # (kind, code prefix, how many per place, description)
    ("extinguisher", "MHQ", 6, "4 kg 干粉灭火器"),
    ("hydrant", "XHS", 1, "室内消火栓"),
    ("alarm", "BJ", 2, "烟感报警器"),
    ("emergency_lighting", "YJ", 3, "应急照明灯"),
]


def _equipment(park, *, actor, rng, today, buildings, inspector, say) -> None:
    places: list[tuple[str, Any]] = [(str(b), b) for b in buildings[:4]]
    for extra in ("实训楼", "第一学生食堂", "综合服务楼", "图书馆"):
        if len(places) >= 5:
            break
        places.append((extra, None))
    count = 0
    expired_left = 3
    for index, (place, building) in enumerate(places, start=1):
        for kind, prefix, many, description in EQUIPMENT_LAYOUT:
            for n in range(1, many + 1):
                installed = today - D(days=rng.randint(200, 1800))
                interval = 90 if kind == "alarm" else 30
                last = today - D(days=rng.randint(0, interval + 3))
                expiry = None
                if kind == "extinguisher":
                    expiry = installed + D(days=5 * 365)
                    if expired_left and rng.random() < 0.15:
                        expiry = today - D(days=rng.randint(1, 60))
                        installed = expiry - D(days=5 * 365)
                        expired_left -= 1
                services.equipment_create(
                    actor=actor,
                    park=park,
                    kind=kind,
                    code=f"{prefix}-{index:02d}-{n:02d}",
                    description=description,
                    location=f"{place} {rng.randint(1, 5)}层{rng.choice(['东', '西', '南', '北'])}侧",
                    building=building,
                    installed_on=installed,
                    last_checked_on=max(last, installed),
                    expiry_date=expiry,
                )
                count += 1
    say(f"{count} items of fire equipment")
