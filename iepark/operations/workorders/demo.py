"""
The work orders of the demo park, written through this app's services.

About forty faults reported over the last four months by students and staff
of the park, in every state: confirmed and rated, resolved and waiting for
their reporter, reopened, in progress, assigned, new, cancelled, and some
overdue (escalated by the daily run); the park's own service levels; three
preventive plans, one of them due (its orders created by the same run). The
history is back-dated after the services wrote it, so that deadlines and
compliance figures look like months of work. Deterministic for a seed.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db.models import Q
from django.utils import timezone

from iepark.core.models import Person
from iepark.operations.models import DormRoom

from . import selectors, services
from .choices import PlaceKind, Urgency
from .models import WorkOrder, WorkOrderEvent

# (place kind, category, urgency, title, description, location)
FAULTS: list[tuple[str, str, str, str, str, str]] = [
    (PlaceKind.DORMITORY, "plumbing", Urgency.HIGH, "卫生间下水道堵塞", "淋浴间地漏积水，排不下去。", ""),
    (PlaceKind.DORMITORY, "electrical", Urgency.NORMAL, "宿舍灯管闪烁", "进门左侧灯管一直闪烁。", ""),
    (PlaceKind.DORMITORY, "furniture", Urgency.LOW, "衣柜门合页松动", "衣柜右门合页脱落，关不上。", ""),
    (PlaceKind.DORMITORY, "hvac", Urgency.HIGH, "暖气不热", "房间暖气片冰凉，室温只有十二度。", ""),
    (PlaceKind.DORMITORY, "network", Urgency.NORMAL, "宿舍网口无信号", "书桌旁的网口插上网线没有反应。", ""),
    (
        PlaceKind.TRAINING_ROOM,
        "equipment",
        Urgency.HIGH,
        "数控车床无法启动",
        "2号数控车床开机报警，主轴不转。",
        "实训中心A区 数控实训室",
    ),
    (
        PlaceKind.TRAINING_ROOM,
        "equipment",
        Urgency.NORMAL,
        "化工仿真工作站蓝屏",
        "3号工位电脑开机蓝屏。",
        "实训中心B区 化工仿真实训室",
    ),
    (
        PlaceKind.TRAINING_ROOM,
        "electrical",
        Urgency.CRITICAL,
        "实训室配电箱跳闸冒烟",
        "配电箱有焦味，已断电。",
        "实训中心C区 电工实训室",
    ),
    (
        PlaceKind.ROOM,
        "equipment",
        Urgency.NORMAL,
        "教室投影仪无信号",
        "HDMI接入后投影没有画面。",
        "教学楼2号楼 305教室",
    ),
    (PlaceKind.ROOM, "furniture", Urgency.LOW, "课桌椅损坏", "第三排两张椅子椅腿断裂。", "教学楼1号楼 204教室"),
    (PlaceKind.ROOM, "hvac", Urgency.NORMAL, "教室空调不制冷", "空调开机只吹自然风。", "教学楼2号楼 410教室"),
    (PlaceKind.GYMNASIUM, "electrical", Urgency.NORMAL, "体育馆照明灯不亮", "篮球场东侧三盏灯不亮。", "体育馆 篮球场"),
    (
        PlaceKind.GYMNASIUM,
        "plumbing",
        Urgency.HIGH,
        "更衣室水管漏水",
        "男更衣室洗手池下水管漏水。",
        "体育馆 一层更衣室",
    ),
    (
        PlaceKind.PUBLIC_AREA,
        "network",
        Urgency.HIGH,
        "图书馆无线网络中断",
        "二楼阅览室连不上校园网。",
        "图书馆 二楼阅览室",
    ),
    (PlaceKind.PUBLIC_AREA, "plumbing", Urgency.NORMAL, "饮水机不出热水", "一楼大厅饮水机热水不出。", "食堂一楼大厅"),
    (
        PlaceKind.PUBLIC_AREA,
        "electrical",
        Urgency.NORMAL,
        "路灯不亮",
        "宿舍区到食堂的路上两盏路灯不亮。",
        "生活区主干道",
    ),
]
FIXES = {
    "plumbing": "已疏通管道并更换密封圈。",
    "electrical": "已更换灯管（镇流器）并检查线路。",
    "furniture": "已更换合页并紧固。",
    "hvac": "已排气、清洗过滤网，恢复正常。",
    "network": "已重新压接网线水晶头，交换机端口恢复。",
    "equipment": "已联系厂家技术支持，更换故障部件。",
}
COMMENTS = ["", "", "维修很及时，谢谢！", "师傅态度很好。", "修得有点慢。", "问题解决了。"]
# (title, description, place, location, category, every, unit, next due in days)
PLANS = [
    (
        "体育馆通风系统月度检查",
        "检查风机、清洗过滤网、记录运行参数。",
        PlaceKind.GYMNASIUM,
        "体育馆",
        "hvac",
        1,
        "month",
        -3,
    ),
    (
        "实训中心网络设备周检",
        "检查交换机、无线AP运行状态与日志。",
        PlaceKind.TRAINING_ROOM,
        "实训中心机房",
        "network",
        1,
        "week",
        2,
    ),
    (
        "宿舍楼电气安全季度巡检",
        "检查配电箱、漏电保护器和应急照明。",
        PlaceKind.DORMITORY,
        "各宿舍楼配电间",
        "electrical",
        3,
        "month",
        20,
    ),
]


def _reporters(park: Any, rng: random.Random) -> list[Person]:
    """Students and staff of the park, the demo student logins first (so they have reports to follow)."""
    logins = list(
        Person.objects.filter(park=park, user__isnull=False, student__isnull=False).order_by("user__username")[:2]
    )
    students = list(
        Person.objects.filter(park=park, student__isnull=False).order_by("pk").values_list("pk", flat=True)[:400]
    )
    staff = list(
        Person.objects.filter(park=park, memberships__isnull=False, student__isnull=True)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    picked = rng.sample(students, min(len(students), 24)) + rng.sample(staff, min(len(staff), 8))
    others = list(Person.objects.filter(pk__in=picked).order_by("pk"))
    rng.shuffle(others)
    return logins + [p for p in others if p not in logins]


def _room_of(person: Person) -> DormRoom | None:
    return (
        DormRoom.objects.filter(beds__assignments__student__person=person, beds__assignments__end_date__isnull=True)
        .select_related("building")
        .first()
    )


def _backdate(order: WorkOrder, **stamps: datetime.datetime | None) -> None:
    """Move the order's step times (and its timeline lines) back to when they happened in the story."""
    WorkOrder.objects.filter(pk=order.pk).update(**stamps)
    kinds = {
        "assigned": stamps.get("assigned_at"),
        "started": stamps.get("started_at"),
        "resolved": stamps.get("resolved_at"),
        "confirmed": stamps.get("confirmed_at"),
        "rated": stamps.get("rated_at"),
        "cancelled": stamps.get("cancelled_at"),
    }
    for kind, at in kinds.items():
        if at is not None:
            WorkOrderEvent.objects.filter(order=order, kind=kind).update(at=at)


def build(park: Any, *, actor: Any, seed: int, say: Any) -> None:
    """Add the demo park's work orders, service levels and preventive plans (once per park)."""
    if WorkOrder.objects.filter(park=park).exists():
        return
    rng = random.Random(f"workorders-{seed}")
    staff = list(selectors.operator_staff(park))
    if not staff:
        return
    services.service_level_set(actor=actor, park=park, urgency=Urgency.HIGH, response_hours=2, resolution_hours=24)
    services.service_level_set(actor=actor, park=park, urgency=Urgency.NORMAL, response_hours=12, resolution_hours=72)
    reporters = _reporters(park, rng)
    if not reporters:
        return
    levels = services.service_levels_for(park)
    now = timezone.now()
    total = 40
    made = 0
    for i in range(total):
        reporter = reporters[i % len(reporters)] if i < 6 else rng.choice(reporters)
        place, category, urgency, title, description, location = rng.choice(FAULTS)
        room = _room_of(reporter) if place == PlaceKind.DORMITORY else None
        if place == PlaceKind.DORMITORY and room is None:
            location = "2号公寓楼 3层公共卫生间" if category == "plumbing" else "宿舍楼公共区域"
        # Older orders first: from about 120 days ago to a few hours ago.
        age_hours = max(2.0, (total - i) * 72 - rng.uniform(0, 48))
        reported = now - datetime.timedelta(hours=age_hours)
        order = services.work_order_report(
            actor=actor,
            park=park,
            place_kind=place,
            category=category,
            urgency=urgency,
            title=title,
            description=description,
            room=room,
            location=location,
            reported_at=reported,
            reporter=reporter,
        )
        response_h, resolution_h = levels[urgency]
        late = rng.random() < 0.2
        assigned = reported + datetime.timedelta(hours=min(response_h * 0.3, 1.0))
        started = reported + datetime.timedelta(
            hours=response_h * (rng.uniform(1.2, 2.5) if late else rng.uniform(0.3, 0.9))
        )
        resolved = reported + datetime.timedelta(
            hours=resolution_h * (rng.uniform(1.1, 2.0) if late else rng.uniform(0.3, 0.95))
        )
        stage = _stage(i, total, rng)
        worker = staff[i % len(staff)]
        if stage == "new" or started > now:
            made += 1
            continue
        if stage == "cancelled":
            services.work_order_cancel(actor=actor, order=order, reason="重复报修，已合并到其他工单。")
            _backdate(order, cancelled_at=assigned)
            made += 1
            continue
        services.work_order_assign(actor=actor, order=order, assignee=worker)
        if stage == "assigned":
            _backdate(order, assigned_at=assigned)
            made += 1
            continue
        services.work_order_start(actor=actor, order=order)
        if stage == "in_progress" or resolved > now:
            _backdate(order, assigned_at=assigned, started_at=started)
            made += 1
            continue
        services.work_order_resolve(actor=actor, order=order, note=FIXES[category])
        stamps: dict[str, Any] = {"assigned_at": assigned, "started_at": started, "resolved_at": resolved}
        if stage == "reopened":
            services.work_order_reopen(actor=actor, order=order, reason="过了两天又出现同样的问题。")
            WorkOrderEvent.objects.filter(order=order, kind="resolved").update(at=resolved)
            stamps.pop("resolved_at")
        elif stage in ("confirmed", "rated"):
            rating = None
            if stage == "rated":
                rating = rng.choice([5, 5, 4, 4, 4, 3, 2]) if not late else rng.choice([4, 3, 3, 2, 1])
            services.work_order_confirm(
                actor=actor, order=order, rating=rating, comment=rng.choice(COMMENTS) if rating else ""
            )
            confirmed = min(now, resolved + datetime.timedelta(hours=rng.uniform(2, 30)))
            stamps.update(confirmed_at=confirmed, rated_at=confirmed if rating else None)
        _backdate(order, **stamps)
        made += 1
    plans = _plans(park, actor=actor, staff=staff)
    result = services.tick(actor=actor, park=park)
    escalated = WorkOrder.objects.filter(park=park).filter(~Q(escalation_level=0)).count()
    say(
        f"{made} work orders, {len(plans)} preventive plans ({result['created']} preventive orders), "
        f"{escalated} escalated"
    )


def _stage(i: int, total: int, rng: random.Random) -> str:
    """The state an order reached: old orders are mostly done, the latest still open."""
    if i == 3:
        return "reopened"
    if i in (5, 17):
        return "cancelled"
    if i in (8, 14):  # old and still open: overdue and escalated
        return "assigned" if i == 8 else "new"
    if i >= total - 4:
        return rng.choice(["new", "assigned", "in_progress"])
    if i >= total - 9:
        return rng.choice(["in_progress", "resolved", "rated"])
    return rng.choice(["rated", "rated", "rated", "confirmed", "resolved"])


def _plans(park: Any, *, actor: Any, staff: list[Person]) -> list[Any]:
    today = timezone.localdate()
    plans = []
    for n, (title, description, place, location, category, every, unit, due_in) in enumerate(PLANS):
        plans.append(
            services.maintenance_plan_create(
                actor=actor,
                park=park,
                title=title,
                description=description,
                place_kind=place,
                location=location,
                category=category,
                every=every,
                unit=unit,
                next_due=today + datetime.timedelta(days=due_in),
                default_assignee=staff[n % len(staff)],
            )
        )
    return plans
