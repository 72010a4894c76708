"""
The teaching part of the demo park, written through this app's services (deterministic for a seed).

- Room features (a coal-chemical process simulator, a DCS console...) and about twenty rooms and
  venues: classrooms of the operating company, training rooms of the industrial college and of an
  enterprise, labs, computer rooms, a gymnasium, a sports field and a meeting room; two rooms
  with weekly unavailable times.
- The current term (18 teaching weeks, five days of eight periods, the National Day holiday when it
  falls inside).
- Cooperation agreements in every state: two in force with the enterprises sponsoring order
  classes (one of them ending within its reminder period), a school–school agreement, a draft, a
  terminated one and one past its end date (shown as expired).
- About ten cohorts: regular classes of the colleges' largest groups of students, two order classes
  sponsored by demo enterprises and an agreement class, with their students enrolled (one student
  having left an order class, with the reason).
- About twenty courses (theory and practical) taught by the colleges' teachers to these cohorts,
  and a few teachers' unavailable times.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.utils import timezone

from iepark.core.choices import COLLEGE_KINDS, OrganisationKind, StudentStatus
from iepark.core.models import Organisation, Student, Teacher

from . import services
from .choices import AgreementScope, AgreementType, CohortType, CourseType, RoomKind
from .models import Cohort, Term

FEATURES = [
    ("煤化工仿真系统", "Coal-chemical process simulator"),
    ("DCS控制台", "DCS console"),
    ("化学通风橱", "Fume hood"),
    ("多媒体投影", "Multimedia projector"),
    ("电气实训台", "Electrical training bench"),
    ("采矿虚拟现实设备", "Mining VR equipment"),
]

# (building, number, name, kind, capacity, owner key, feature indexes)
ROOMS = [
    *[
        ("第一教学楼", f"{100 + i}", "", RoomKind.CLASSROOM, 60 if i % 3 else 120, "operator", (3,))
        for i in range(1, 9)
    ],
    ("实训中心", "A101", "煤化工仿真实训室", RoomKind.TRAINING_ROOM, 40, "industrial", (0, 1)),
    ("实训中心", "A102", "DCS操作实训室", RoomKind.TRAINING_ROOM, 36, "industrial", (1,)),
    ("实训中心", "B201", "电气实训室", RoomKind.TRAINING_ROOM, 32, "industrial", (4,)),
    ("企业实训基地", "E-1", "现场仿真实训室", RoomKind.TRAINING_ROOM, 30, "enterprise", (0,)),
    ("实验楼", "L301", "化学分析实验室", RoomKind.LAB, 32, "industrial", (2,)),
    ("实验楼", "L302", "化工原理实验室", RoomKind.LAB, 32, "industrial", (2,)),
    ("实验楼", "L303", "采矿虚拟仿真实验室", RoomKind.LAB, 30, "industrial", (5,)),
    ("信息楼", "C401", "第一机房", RoomKind.COMPUTER_ROOM, 60, "operator", (3,)),
    ("信息楼", "C402", "第二机房", RoomKind.COMPUTER_ROOM, 50, "operator", (3,)),
    ("体育馆", "G1", "综合体育馆", RoomKind.GYMNASIUM, 200, "operator", ()),
    ("运动场", "F1", "田径场", RoomKind.SPORTS_FIELD, 400, "operator", ()),
    ("综合楼", "M501", "第一会议室", RoomKind.MEETING_ROOM, 40, "operator", (3,)),
]

THEORY = [
    ("化工原理", "Principles of chemical engineering"),
    ("煤化工工艺学", "Coal-chemical processes"),
    ("安全生产管理", "Work safety management"),
    ("工程制图", "Engineering drawing"),
    ("高等数学", "Advanced mathematics"),
]
# (name, name_en, room kind, feature indexes)
PRACTICAL = [
    ("煤化工仿真实训", "Coal-chemical simulation practice", RoomKind.TRAINING_ROOM, (0,)),
    ("化学分析实验", "Chemical analysis lab", RoomKind.LAB, (2,)),
    ("计算机应用基础", "Computer basics", RoomKind.COMPUTER_ROOM, ()),
    ("体育", "Physical education", RoomKind.GYMNASIUM, ()),
]


DEMO_TIMETABLE_ITERATIONS = 60_000


def build(park: Any, *, actor: Any, seed: int = 0, say: Any = None) -> None:
    """Add the demo park's teaching (once per park)."""
    say = say or (lambda message: None)
    if Term.objects.filter(park=park).exists():
        return
    rng = random.Random(f"teaching-{seed}")
    orgs = list(Organisation.objects.filter(park=park).order_by("pk"))
    colleges = [o for o in orgs if o.kind in COLLEGE_KINDS]
    industrial = next((o for o in colleges if o.kind == OrganisationKind.INDUSTRIAL_COLLEGE), colleges[0])
    cooperative = [o for o in colleges if o.kind == OrganisationKind.COOPERATIVE_COLLEGE] or colleges
    enterprises = [o for o in orgs if o.kind == OrganisationKind.ENTERPRISE]
    operator = next((o for o in orgs if o.kind == OrganisationKind.OPERATOR), industrial)
    if not colleges or len(enterprises) < 2:
        return
    today = timezone.localdate()

    features = [
        services.room_feature_create(actor=actor, park=park, name=name, name_en=name_en) for name, name_en in FEATURES
    ]
    owners = {"operator": operator, "industrial": industrial, "enterprise": enterprises[0]}
    rooms = []
    for building, number, name, kind, capacity, owner, feature_ids in ROOMS:
        rooms.append(
            services.room_create(
                actor=actor,
                park=park,
                building=building,
                number=number,
                name=name,
                room_kind=kind,
                capacity=capacity,
                owner=owners[owner],
                features=[features[i] for i in feature_ids],
            )
        )
    services.room_unavailability_create(
        actor=actor, room=rooms[8], day_of_week=2, first_period=5, last_period=8, reason="设备例行维护"
    )
    services.room_unavailability_create(
        actor=actor, room=rooms[-1], day_of_week=0, first_period=1, last_period=2, reason="周一例会"
    )

    start = today - datetime.timedelta(days=today.weekday() + 28)
    end = start + datetime.timedelta(weeks=18, days=-3)
    holidays = [d for d in (datetime.date(start.year, 10, 1), datetime.date(end.year, 1, 1)) if start <= d <= end]
    term = services.term_create(
        actor=actor,
        park=park,
        name=f"{start.year}年第{1 if start.month >= 8 or start.month == 1 else 2}学期（演示）",
        start_date=start,
        end_date=end,
        teaching_weeks=18,
        days_per_week=5,
        periods_per_day=8,
        holidays=holidays,
    )

    agreements = _agreements(
        park, actor=actor, today=today, industrial=industrial, cooperative=cooperative, enterprises=enterprises
    )
    cohorts = _cohorts(
        park, actor=actor, rng=rng, today=today, colleges=colleges, enterprises=enterprises, agreements=agreements
    )
    courses = _courses(actor=actor, rng=rng, term=term, cohorts=cohorts, features=features, industrial=industrial)
    say(f"teaching: {len(rooms)} rooms, {len(agreements)} agreements, {len(cohorts)} cohorts, {courses} courses")
    _timetable(term, actor=actor, seed=seed, say=say)


def _timetable(term: Term, *, actor: Any, seed: int, say: Any) -> None:
    """Make the demo term's timetable with the engine (a fixed number of iterations: deterministic) and publish it."""
    from iepark.core.audit import audited_create

    from .models import TimetableRun

    run = audited_create(actor=actor, instance=TimetableRun(term=term, seconds=5, seed=seed, created_by=actor))
    run = services.timetable_compute(actor=actor, run=run, max_iterations=DEMO_TIMETABLE_ITERATIONS)
    if not run.hard_violations:
        services.timetable_publish(actor=actor, run=run)
    say(f"teaching: timetable with {run.entries.count()} lectures, {run.hard_violations} hard violations")


def _agreements(park, *, actor, today, industrial, cooperative, enterprises) -> dict[str, Any]:
    def make(key, title, kind, parties, scopes, start, end, **extra):
        agreement = services.agreement_create(
            actor=actor,
            park=park,
            title=title,
            number=f"HZ-{start.year}-{key.upper()}",
            agreement_type=kind,
            parties=parties,
            scopes=scopes,
            start_date=start,
            end_date=end,
            reminder_days=extra.pop("reminder_days", 30),
        )
        return agreement

    years = datetime.timedelta(days=365)
    college = cooperative[0]
    result = {}
    result["order1"] = make(
        "o1",
        f"{enterprises[0].name}订单班合作协议",
        AgreementType.SCHOOL_ENTERPRISE,
        [industrial, college, enterprises[0]],
        [AgreementScope.ORDER_CLASS, AgreementScope.INTERNSHIP, AgreementScope.TRAINING_BASE],
        today - 2 * years,
        today + 2 * years,
    )
    result["order2"] = make(
        "o2",
        f"{enterprises[1].name}订单班与协议班合作协议",
        AgreementType.SCHOOL_ENTERPRISE,
        [college, enterprises[1]],
        [AgreementScope.ORDER_CLASS, AgreementScope.AGREEMENT_CLASS, AgreementScope.INTERNSHIP],
        today - years,
        today + datetime.timedelta(days=20),  # ends soon: within its 30-day reminder period
    )
    result["schools"] = make(
        "s1",
        "1+N 师资培训与课程共建协议",
        AgreementType.SCHOOL_SCHOOL,
        [industrial, *cooperative[:2]] if len(cooperative) > 1 else [industrial, college],
        [AgreementScope.STAFF_TRAINING, AgreementScope.RESEARCH],
        today - years,
        today + 3 * years,
    )
    for key in ("order1", "order2", "schools"):
        services.agreement_sign(actor=actor, agreement=result[key], signed_on=result[key].start_date)
        services.agreement_activate(actor=actor, agreement=result[key])
    other = enterprises[2] if len(enterprises) > 2 else enterprises[0]
    result["draft"] = make(
        "d1",
        f"{other.name}联合研发协议（草案）",
        AgreementType.SCHOOL_ENTERPRISE,
        [industrial, other],
        [AgreementScope.RESEARCH],
        today + datetime.timedelta(days=30),
        today + 3 * years,
    )
    terminated = make(
        "t1",
        f"{other.name}实习基地协议",
        AgreementType.SCHOOL_ENTERPRISE,
        [college, other],
        [AgreementScope.INTERNSHIP],
        today - 2 * years,
        today + years,
    )
    services.agreement_sign(actor=actor, agreement=terminated, signed_on=terminated.start_date)
    result["terminated"] = services.agreement_terminate(
        actor=actor,
        agreement=terminated,
        reason="企业产线调整，实习岗位取消",
        terminated_on=today - datetime.timedelta(days=60),
    )
    expired = make(
        "x1",
        f"{enterprises[0].name}员工培训协议（2021–2024）",
        AgreementType.SCHOOL_ENTERPRISE,
        [industrial, enterprises[0]],
        [AgreementScope.STAFF_TRAINING],
        today - 4 * years,
        today - datetime.timedelta(days=90),
    )
    # Signed back then and past its end date now: it reads as expired.
    result["expired"] = services.agreement_sign(actor=actor, agreement=expired, signed_on=expired.start_date)
    return result


def _students_by_group(colleges) -> dict[tuple, list[Student]]:
    groups: dict[tuple, list[Student]] = defaultdict(list)
    rows = (
        Student.objects.filter(college__in=colleges, status__in=[StudentStatus.IN_PARK, StudentStatus.ENROLLED])
        .select_related("person")
        .order_by("college_id", "major_id", "cohort_year", "person__user", "student_number", "pk")
    )
    for student in rows:
        groups[(student.college_id, student.major_id, student.cohort_year)].append(student)
    return groups


def _cohorts(park, *, actor, rng, today, colleges, enterprises, agreements) -> list[Cohort]:
    groups = _students_by_group(colleges)
    # Students with a demo login first, then the largest groups.
    ranked = sorted(
        groups.items(),
        key=lambda kv: (-any(s.person.user_id for s in kv[1]), -len(kv[1]), kv[0]),
    )
    cohorts: list[Cohort] = []
    college_by_id = {c.pk: c for c in colleges}
    joined = today - datetime.timedelta(days=60)
    for index, ((college_id, _major_id, year), students) in enumerate(ranked[:7]):
        college = college_by_id[college_id]
        cohort = services.cohort_create(
            actor=actor,
            college=college,
            major=students[0].major,
            name=f"{students[0].major.name}{year % 100:02d}{index + 1:02d}班",
            intake_year=year,
        )
        cohorts.append(cohort)
        for student in students[:30]:
            services.enrol(actor=actor, cohort=cohort, student=student, start_date=joined)
    # Two order classes and an agreement class, of the cooperative college in the agreements.
    college = agreements["order2"].parties.filter(kind__in=list(COLLEGE_KINDS)).order_by("pk").first()
    pool = [s for key, rows in groups.items() if key[0] == college.pk for s in rows]
    pool.sort(key=lambda s: (s.person.user_id is None, s.student_number))
    specs = [
        (enterprises[0], agreements["order1"], CohortType.ORDER_CLASS, 30, 25),
        (enterprises[1], agreements["order2"], CohortType.ORDER_CLASS, 24, 24),
        (None, agreements["order2"], CohortType.AGREEMENT_CLASS, None, 20),
    ]
    cursor = 0
    for sponsor, agreement, kind, seats, count in specs:
        first = pool[cursor] if cursor < len(pool) else (pool[0] if pool else None)
        if first is None:
            break
        label = sponsor.name if sponsor else agreement.parties.filter(kind=OrganisationKind.ENTERPRISE).first().name
        cohort = services.cohort_create(
            actor=actor,
            college=college,
            major=first.major,
            name=f"{label}{'订单班' if kind == CohortType.ORDER_CLASS else '协议班'}",
            intake_year=first.cohort_year,
            cohort_type=kind,
            sponsor=sponsor,
            seats=seats,
            hiring_commitment=(seats - 4) if seats else None,
            hiring_terms="毕业考核合格并取得职业技能等级证书者，企业全部录用，签订不少于三年劳动合同。"
            if sponsor
            else "",
            agreement=agreement,
        )
        cohorts.append(cohort)
        members = pool[cursor : cursor + count]
        cursor += count
        enrolments = [services.enrol(actor=actor, cohort=cohort, student=s, start_date=joined) for s in members]
        if kind == CohortType.ORDER_CLASS and sponsor == enterprises[0] and len(enrolments) > 3:
            services.enrolment_end(
                actor=actor,
                enrolment=enrolments[-1],
                reason="个人志愿变更，转入普通班",
                end_date=today - datetime.timedelta(days=10),
            )
    return cohorts


def _courses(*, actor, rng, term, cohorts, features, industrial) -> int:
    teachers_by_college: dict[int, list[Teacher]] = defaultdict(list)
    for teacher in Teacher.objects.filter(organisation__park=term.park).order_by("organisation_id", "staff_number"):
        teachers_by_college[teacher.organisation_id].append(teacher)
    shared = teachers_by_college.get(industrial.pk, [])
    count = 0
    for index, cohort in enumerate(cohorts):
        own = teachers_by_college.get(cohort.college_id) or shared
        if not own:
            continue
        name, name_en = THEORY[index % len(THEORY)]
        services.course_create(
            actor=actor,
            term=term,
            college=cohort.college,
            code=f"T{index + 1:03d}",
            name=name,
            name_en=name_en,
            course_type=CourseType.THEORY,
            lectures_per_week=rng.choice([2, 3, 4]),
            min_working_days=2,
            teachers=[own[index % len(own)]],
            cohorts=[cohort],
        )
        name, name_en, kind, feature_ids = PRACTICAL[index % len(PRACTICAL)]
        services.course_create(
            actor=actor,
            term=term,
            college=cohort.college,
            code=f"P{index + 1:03d}",
            name=name,
            name_en=name_en,
            course_type=CourseType.PRACTICAL,
            lectures_per_week=2,
            min_working_days=1,
            teachers=[own[(index + 1) % len(own)]],
            cohorts=[cohort],
            required_room_kind=kind,
            required_features=[features[i] for i in feature_ids],
        )
        count += 2
    if shared and len(cohorts) > 2:
        # A shared course of the industrial college for several colleges' cohorts.
        services.course_create(
            actor=actor,
            term=term,
            college=industrial,
            code="S001",
            name="产业导论",
            name_en="Introduction to the park's industries",
            course_type=CourseType.THEORY,
            lectures_per_week=2,
            min_working_days=2,
            teachers=shared[:2],
            cohorts=cohorts[:3],
        )
        count += 1
    for teacher in [t for rows in teachers_by_college.values() for t in rows[:1]][:4]:
        services.teacher_unavailability_create(
            actor=actor, term=term, teacher=teacher, day_of_week=4, first_period=5, last_period=8, reason="教研活动"
        )
    return count
