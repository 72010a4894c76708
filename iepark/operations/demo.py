"""
The operations part of the demo park, written through this app's services.

Service points: two canteens, the supermarket, the clinic, two barber shops,
the express collection point, a bank ATM, a print shop and the gym, with
realistic hours (meal times, an ATM open around the clock, a night clinic
service running past midnight), one notice valid today and one upcoming closure.

Dormitories: four buildings (two for women, two for men) sized for the park's
students in the park (rooms of four beds, ten to a floor, the first room of
each floor accessible, about 12% spare beds), and the students allocated by the
engine through the same service as the allocation page (synchronously). Before
the allocation, some students have recorded housing wishes (about 1% needing an
accessible room, mutual roommate pairs within their cohort, one one-sided
request); after it, four room transfer requests: one awaiting the student
manager, one approved and awaiting the move, one rejected, one carried out.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from iepark.core import selectors as core_selectors
from iepark.core.choices import OrganisationKind, StudentStatus

from . import hours, selectors, services
from .choices import ServicePointKind

WEEKDAYS = range(0, 5)
WEEKEND = range(5, 7)
WEEK = range(0, 7)


def _t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _periods(*rows: tuple[range | tuple[int, ...], str, str]) -> list[hours.Period]:
    return [hours.Period(day, _t(opens), _t(closes)) for days, opens, closes in rows for day in days]


MEALS = _periods(
    (WEEK, "06:30", "09:00"),
    (WEEK, "11:00", "13:30"),
    (WEEK, "17:00", "19:30"),
)

# (key, kind, name, name_en, place, place_en, phone, operated by the operating company, periods, note, note_en)
POINTS: list[tuple[str, str, str, str, str, str, str, bool, list[hours.Period], str, str]] = [
    (
        "canteen1",
        ServicePointKind.CANTEEN,
        "第一学生食堂",
        "Student Canteen No. 1",
        "生活区1号楼一层、二层",
        "Living area, building 1, ground and first floor",
        "0994-5812301",
        True,
        MEALS,
        "清真窗口在一层东侧。",
        "The halal counters are on the east side of the ground floor.",
    ),
    (
        "canteen2",
        ServicePointKind.CANTEEN,
        "第二食堂（教工餐厅）",
        "Canteen No. 2 (staff restaurant)",
        "实训楼南侧",
        "South of the training building",
        "0994-5812302",
        True,
        _periods((WEEK, "07:00", "09:00"), (WEEK, "11:30", "13:30"), (WEEK, "17:30", "22:00")),
        "晚间22:00前供应夜宵。",
        "Late snacks until 22:00.",
    ),
    (
        "supermarket",
        ServicePointKind.SUPERMARKET,
        "园区生活超市",
        "Park supermarket",
        "生活区商业街1号",
        "Living area, shopping street no. 1",
        "0994-5812310",
        True,
        _periods((WEEK, "08:00", "22:30")),
        "",
        "",
    ),
    (
        "clinic",
        ServicePointKind.CLINIC,
        "园区卫生服务站",
        "Park health station",
        "综合服务楼一层",
        "Service centre, ground floor",
        "0994-5812120",
        True,
        _periods((WEEKDAYS, "08:00", "12:00"), (WEEKDAYS, "14:30", "18:00"), (WEEK, "20:00", "02:00")),
        "夜间值班20:00至次日2:00；急症请拨120。",
        "Night duty 20:00–02:00; for emergencies call 120.",
    ),
    (
        "barber1",
        ServicePointKind.BARBER,
        "理发店（生活区）",
        "Barber shop (living area)",
        "生活区商业街5号",
        "Living area, shopping street no. 5",
        "13899512345",
        False,
        _periods((WEEK, "10:00", "21:00")),
        "",
        "",
    ),
    (
        "barber2",
        ServicePointKind.BARBER,
        "理发店（实训区）",
        "Barber shop (training area)",
        "实训区服务中心二层",
        "Training area service centre, first floor",
        "13899512346",
        False,
        _periods((WEEKDAYS, "12:00", "14:00"), (WEEKDAYS, "17:30", "20:30"), (WEEKEND, "10:00", "18:00")),
        "",
        "",
    ),
    (
        "express",
        ServicePointKind.EXPRESS,
        "快递驿站",
        "Express collection point",
        "生活区北门",
        "Living area, north gate",
        "0994-5812330",
        True,
        _periods((WEEK, "09:00", "20:00")),
        "取件请出示取件码。",
        "Show your pick-up code to collect a parcel.",
    ),
    (
        "atm",
        ServicePointKind.BANK,
        "银行自助服务点（ATM）",
        "Bank ATM",
        "综合服务楼门厅",
        "Service centre entrance hall",
        "",
        False,
        _periods((WEEK, "00:00", "00:00")),
        "24小时自助服务。",
        "Self-service around the clock.",
    ),
    (
        "print",
        ServicePointKind.PRINT_SHOP,
        "文印中心",
        "Print shop",
        "教学楼一层",
        "Teaching building, ground floor",
        "0994-5812340",
        True,
        _periods((WEEKDAYS, "08:00", "18:00")),
        "周末休息。",
        "Closed at weekends.",
    ),
    (
        "gym",
        ServicePointKind.GYM,
        "体育馆健身房",
        "Gymnasium fitness room",
        "体育馆二层",
        "Gymnasium, first floor",
        "0994-5812350",
        True,
        _periods((WEEKDAYS, "16:00", "22:00"), (WEEKEND, "09:00", "21:00")),
        "凭校园卡入场。",
        "Entry with the campus card.",
    ),
]


def build(park: Any, *, actor: Any, seed: int = 0, say: Any = None) -> None:
    """Add the demo park's service points and dormitories (once per park; deterministic for ``seed``)."""
    say = say or (lambda message: None)
    build_service_points(park, actor=actor, say=say)
    build_dormitories(park, actor=actor, seed=seed, say=say)


def build_service_points(park: Any, *, actor: Any, say: Any) -> None:
    """Add the demo park's service points and notices (once per park)."""
    if selectors.service_point_list(user=actor).filter(park=park).exists():
        return
    operator = (
        core_selectors.organisation_list(user=actor)
        .filter(park=park, kind=OrganisationKind.OPERATOR)
        .order_by("pk")
        .first()
    )
    points = {}
    for key, kind, name, name_en, place, place_en, phone, run_by_operator, periods, note, note_en in POINTS:
        points[key] = services.service_point_create(
            actor=actor,
            park=park,
            kind=kind,
            name=name,
            name_en=name_en,
            place=place,
            place_en=place_en,
            phone=phone,
            operator=operator if run_by_operator else None,
            hours_note=note,
            hours_note_en=note_en,
            periods=periods,
        )
    today = timezone.localdate()
    services.service_notice_create(
        actor=actor,
        service_point=points["canteen1"],
        title="二楼装修，一楼照常供餐",
        title_en="First floor under renovation; the ground floor serves as usual",
        body="第一学生食堂二楼本周装修，请到一楼或第二食堂就餐。",
        body_en="The first floor of Canteen No. 1 is being renovated this week: please eat on the ground floor "
        "or at Canteen No. 2.",
        valid_from=today - datetime.timedelta(days=1),
        valid_to=today + datetime.timedelta(days=6),
    )
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
    services.service_notice_create(
        actor=actor,
        service_point=points["barber2"],
        title="周六设备检修，暂停营业",
        title_en="Closed on Saturday for maintenance",
        body="因设备检修，本周六暂停营业一天。",
        body_en="Closed for one day on Saturday while the equipment is serviced.",
        valid_from=saturday,
        valid_to=saturday,
        closes_point=True,
    )
    say(f"{len(points)} service points with their opening hours and notices")


# --- dormitories ---------------------------------------------------------------------------------

ROOMS_PER_FLOOR = 10
BEDS_PER_ROOM = 4
SPARE = 0.12  # share of beds left free for later arrivals
# (name, name_en, gender) of the four buildings: two for women, two for men.
DORM_BUILDINGS = [
    ("1号公寓楼（女）", "Residence 1 (women)", "female"),
    ("2号公寓楼（女）", "Residence 2 (women)", "female"),
    ("3号公寓楼（男）", "Residence 3 (men)", "male"),
    ("4号公寓楼（男）", "Residence 4 (men)", "male"),
]


def _floors_for(students: int) -> int:
    beds = math.ceil(students * (1 + SPARE))
    return max(1, math.ceil(beds / (ROOMS_PER_FLOOR * BEDS_PER_ROOM)))


def build_dormitories(park: Any, *, actor: Any, seed: int, say: Any) -> None:
    """Add four buildings sized for the park's students in the park and allocate those students (once per park)."""
    if selectors.dorm_building_list(user=actor).filter(park=park).exists():
        return
    rows = list(
        core_selectors.student_list(user=actor)
        .filter(college__park=park, status__in=[StudentStatus.IN_PARK, StudentStatus.ENROLLED])
        .exclude(person__gender="")
        .order_by("college_id", "cohort_year", "major_id", "student_number", "pk")
        .values_list("pk", "person__gender", "college_id", "cohort_year", "major_id")
    )
    students = [(pk, gender) for pk, gender, *_rest in rows]
    counts = {g: sum(1 for _pk, gender in students if gender == g) for g in ("female", "male")}
    rooms = 0
    for index, (name, name_en, gender) in enumerate(DORM_BUILDINGS):
        floors = math.ceil(_floors_for(counts[gender]) / 2)  # the gender's two buildings share its floors
        building = services.dorm_building_create(
            actor=actor, park=park, name=name, name_en=name_en, gender_policy=gender
        )
        for floor in range(1, floors + 1):
            for n in range(1, ROOMS_PER_FLOOR + 1):
                services.dorm_room_create(
                    actor=actor,
                    building=building,
                    floor=floor,
                    number=f"{index + 1}{floor:02d}{n:02d}",
                    gender=gender,
                    beds_count=BEDS_PER_ROOM,
                    accessible=n == 1,
                    facilities="独立卫生间、书桌、空调" if n % 2 else "书桌、空调",
                    monthly_fee=Decimal("150.00") if n % 2 else Decimal("100.00"),
                )
                rooms += 1
    rng = random.Random(seed)
    wishes = record_housing_wishes(rows, actor=actor, rng=rng)
    run = services.allocate(actor=actor, park=park, students=[pk for pk, _gender in students], seed=seed)
    transfers = build_transfers(park, actor=actor, rng=rng)
    say(
        f"{len(DORM_BUILDINGS)} dormitory buildings, {rooms} rooms; {wishes} students' housing wishes; "
        f"{run.placed} students allocated to beds; {transfers} room transfer requests"
    )


MUTUAL_PAIRS = 12


def record_housing_wishes(rows: list[tuple], *, actor: Any, rng: random.Random) -> int:
    """Record wishes before the allocation: ~1% accessible needs, mutual pairs in a cohort, one one-sided request."""
    from iepark.core.models import Student

    if not rows:
        return 0
    records = Student.objects.select_related("person", "college").in_bulk([r[0] for r in rows])
    groups: dict[tuple, list[int]] = defaultdict(list)
    for pk, gender, college, year, major in rows:
        groups[(college, year, major, gender)].append(pk)
    written: set[int] = set()
    pairs = 0
    for key in sorted(groups):
        members = groups[key]
        if len(members) < 4 or pairs >= MUTUAL_PAIRS:
            continue
        a, b = rng.sample(members, 2)
        services.housing_wish_set(actor=actor, student=records[a], roommate=records[b])
        services.housing_wish_set(actor=actor, student=records[b], roommate=records[a])
        written |= {a, b}
        pairs += 1
    free = [r[0] for r in rows if r[0] not in written]
    for pk in rng.sample(free, max(1, len(free) // 100)):
        services.housing_wish_set(
            actor=actor, student=records[pk], needs_accessible=True, accessibility_note="行动不便，需无障碍房间"
        )
        written.add(pk)
    # A one-sided request: the other student did not ask back (the run explains it).
    lonely = [r for r in rows if r[0] not in written]
    if len(lonely) >= 2 and lonely[0][1] == lonely[1][1]:
        services.housing_wish_set(actor=actor, student=records[lonely[0][0]], roommate=records[lonely[1][0]])
        written.add(lonely[0][0])
    return len(written)


def build_transfers(park: Any, *, actor: Any, rng: random.Random) -> int:
    """Add four transfer requests of housed students: requested, approved, rejected and carried out."""
    from .models import BedAssignment

    housed = list(
        BedAssignment.objects.filter(bed__room__building__park=park, end_date__isnull=True)
        .select_related("student__person", "student__college")
        .order_by("pk")
    )
    if len(housed) < 4:
        return 0
    chosen = rng.sample(housed, 4)
    reasons = [
        "室友作息时间差异较大，希望调换到同专业同学的宿舍。",
        "希望搬到低楼层，方便训练后搬运器材。",
        "想与同班同学同住，便于共同完成实训项目。",
        "宿舍靠近设备间，夜间噪音较大，影响休息。",
    ]
    made = []
    for stay, reason in zip(chosen, reasons, strict=True):
        made.append(services.transfer_request(actor=actor, student=stay.student, reason=reason))
    _requested, approved, rejected, done = made
    services.transfer_decide(actor=actor, transfer=approved, approve=True, note="同意调换，请运营公司安排床位。")
    services.transfer_decide(actor=actor, transfer=rejected, approve=False, note="本学期床位紧张，下学期再申请。")
    services.transfer_decide(actor=actor, transfer=done, approve=True, note="同意。")
    bed = selectors.transfer_bed_choices(user=actor, transfer=done).first()
    if bed is not None:
        services.transfer_carry_out(actor=actor, transfer=done, bed=bed)
    return len(made)
