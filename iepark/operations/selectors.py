"""
Reads of park operations, always scoped by the acting user through the policy
(or, for the public portal, by ``policy.public``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from iepark.core import policy
from iepark.core.models import Park
from iepark.core.policy import Action

from . import hours
from .models import (
    AllocationRun,
    Bed,
    BedAssignment,
    DormBuilding,
    DormRoom,
    HousingWish,
    OpeningPeriod,
    RoomTransferRequest,
    ServiceNotice,
    ServicePoint,
)
from .policy import current_notice_q

# --- service points -----------------------------------------------------------------------------


def _closed_on(day: datetime.date, point_ref: str) -> QuerySet[ServiceNotice]:
    """Return the closing notices valid on ``day`` of the outer query's service point (``OuterRef(point_ref)``)."""
    return ServiceNotice.objects.filter(service_point=OuterRef(point_ref), closes_point=True).filter(
        current_notice_q(day)
    )


def open_now_condition(when: datetime.datetime | None = None) -> Q:
    """
    Return the condition "open at ``when``" over service points, in SQL (``hours.is_open``'s rule).

    Open if active, not closed by a notice today, and either a period of today has
    started and not ended (or runs past midnight), or a period of yesterday runs past
    midnight and has not ended yet (unless yesterday was closed by a notice).
    """
    moment = hours.local(when or timezone.now())
    today, now = moment.date(), moment.time()
    yesterday = today - datetime.timedelta(days=1)
    overnight = Q(closes__lte=F("opens"))
    started_today = OpeningPeriod.objects.filter(
        service_point=OuterRef("pk"), weekday=today.weekday(), opens__lte=now
    ).filter(overnight | Q(closes__gt=now))
    from_yesterday = (
        OpeningPeriod.objects.filter(service_point=OuterRef("pk"), weekday=yesterday.weekday(), closes__gt=now)
        .filter(overnight)
        .exclude(Exists(_closed_on(yesterday, "service_point")))
    )
    closed_today = _closed_on(today, "pk")
    return Q(is_active=True) & (Exists(started_today) | Exists(from_yesterday)) & ~Exists(closed_today)


def annotate_open_now(queryset: QuerySet[ServicePoint], when: datetime.datetime | None = None) -> QuerySet:
    """Annotate each service point with ``open_now`` at ``when`` (one query for the whole list)."""
    return queryset.annotate(open_now=ExpressionWrapper(open_now_condition(when), output_field=BooleanField()))


def service_point_list(
    *, user: Any, action: Action = Action.VIEW, when: datetime.datetime | None = None
) -> QuerySet[ServicePoint]:
    """Return the service points ``user`` may see (or change), each annotated with ``open_now``."""
    qs = ServicePoint.objects.select_related("park", "operator").prefetch_related("periods")
    return annotate_open_now(policy.restrict(qs, user, action), when)


def service_notice_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[ServiceNotice]:
    return policy.restrict(ServiceNotice.objects.select_related("service_point", "service_point__park"), user, action)


def current_notices(*, notices: QuerySet[ServiceNotice], today: datetime.date | None = None) -> QuerySet:
    """Return the notices of ``notices`` valid on ``today``."""
    return notices.filter(current_notice_q(today))


# --- what a page shows of a point's week ------------------------------------------------------------


@dataclass
class DayHours:
    weekday: int
    label: str
    periods: list[hours.Period]
    closed: bool = False  # closed by a notice (today only)
    is_today: bool = False


@dataclass
class WeekHours:
    """A point's week as pages show it: each day's periods, today marked, whether it is open now."""

    days: list[DayHours] = field(default_factory=list)
    open_now: bool = False

    @property
    def today(self) -> DayHours | None:
        return next((d for d in self.days if d.is_today), None)


def week_hours(
    point: ServicePoint, *, closed_dates: set[datetime.date] | None = None, when: datetime.datetime | None = None
) -> WeekHours:
    """Return ``point``'s week (its periods prefetched or loaded: one query at most)."""
    from .choices import Weekday

    moment = hours.local(when or timezone.now())
    periods = [p.as_period() for p in point.periods.all()]
    closed_dates = closed_dates or set()
    today = moment.date()
    days = [
        DayHours(
            weekday=day.value,
            label=str(day.label),
            periods=hours.periods_on(periods, day.value),
            closed=day.value == today.weekday() and today in closed_dates,
            is_today=day.value == today.weekday(),
        )
        for day in Weekday
    ]
    is_open = point.is_active and hours.is_open(periods, moment, closed_dates)
    return WeekHours(days=days, open_now=is_open)


def closed_dates_around(point: ServicePoint, when: datetime.datetime | None = None) -> set[datetime.date]:
    """Return which of yesterday and today a closing notice of ``point`` covers (what ``is_open`` needs)."""
    today = hours.local(when or timezone.now()).date()
    days = {today - datetime.timedelta(days=1), today}
    rows = point.notices.filter(closes_point=True, valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today - datetime.timedelta(days=1))
    )
    return {d for d in days for n in rows if n.is_current(d)}


# --- the public portal ------------------------------------------------------------------------------


def service_point_public_list(*, park: Park, when: datetime.datetime | None = None) -> QuerySet[ServicePoint]:
    """Return ``park``'s active service points with their periods and today's notices (three queries)."""
    notices = policy.public(ServiceNotice.objects.all()).order_by("valid_from", "pk")
    return annotate_open_now(
        policy.public(ServicePoint.objects.filter(park=park))
        .prefetch_related("periods", Prefetch("notices", queryset=notices, to_attr="public_notices"))
        .order_by("kind", "name", "pk"),
        when,
    )


def service_point_public_week(point: ServicePoint, when: datetime.datetime | None = None) -> WeekHours:
    """Return the week of a point from ``service_point_public_list`` (its notices prefetched: no query)."""
    today = hours.local(when or timezone.now()).date()
    closed = {today} if any(n.closes_point for n in getattr(point, "public_notices", [])) else set()
    return week_hours(point, closed_dates=closed, when=when)


# --- dormitories ---------------------------------------------------------------------------------


def _current(prefix: str = "") -> Q:
    return Q(**{f"{prefix}end_date__isnull": True})


def dorm_building_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[DormBuilding]:
    """Return the buildings ``user`` may see, each with ``beds_total`` and ``beds_taken`` (one query)."""
    qs = (
        DormBuilding.objects.select_related("park")
        .annotate(
            beds_total=Count("rooms__beds", distinct=True),
            beds_taken=Count(
                "rooms__beds__assignments",
                filter=Q(rooms__beds__assignments__end_date__isnull=True),
                distinct=True,
            ),
        )
        .order_by("name", "pk")
    )
    return policy.restrict(qs, user, action)


def dorm_room_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[DormRoom]:
    """Return the rooms ``user`` may see, each with ``beds_taken``."""
    qs = (
        DormRoom.objects.select_related("building", "building__park")
        .annotate(
            beds_taken=Count("beds__assignments", filter=Q(beds__assignments__end_date__isnull=True), distinct=True)
        )
        .order_by("building__name", "floor", "number", "pk")
    )
    return policy.restrict(qs, user, action)


def bed_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Bed]:
    return policy.restrict(Bed.objects.select_related("room", "room__building"), user, action)


def free_bed_list(*, user: Any) -> QuerySet[Bed]:
    """Return the beds in service without a current student that ``user`` may assign."""
    taken = BedAssignment.objects.filter(bed=OuterRef("pk"), end_date__isnull=True)
    return (
        bed_list(user=user, action=Action.CHANGE)
        .filter(in_service=True, room__in_service=True)
        .exclude(Exists(taken))
        .order_by("room__building__name", "room__floor", "room__number", "label")
    )


def bed_assignment_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[BedAssignment]:
    qs = BedAssignment.objects.select_related(
        "bed", "bed__room", "bed__room__building", "student", "student__person", "student__college"
    )
    return policy.restrict(qs, user, action)


def allocation_run_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[AllocationRun]:
    return policy.restrict(AllocationRun.objects.select_related("park", "job", "created_by"), user, action)


def occupancy(*, user: Any, park: Park | None = None) -> list[dict[str, Any]]:
    """Return beds, taken and free per visible building and room gender (one query), buildings by name."""
    rooms = policy.restrict(DormRoom.objects.all(), user)
    if park is not None:
        rooms = rooms.filter(building__park=park)
    rows = (
        rooms.values("building_id", "gender")
        .annotate(
            bed_count=Count("beds", distinct=True),
            taken_count=Count("beds__assignments", filter=Q(beds__assignments__end_date__isnull=True), distinct=True),
        )
        .order_by("building_id", "gender")
    )
    rows = list(rows)
    buildings = DormBuilding.objects.in_bulk({r["building_id"] for r in rows})
    result = [
        {
            "building": buildings[r["building_id"]],
            "gender": r["gender"],
            "beds": r["bed_count"],
            "taken": r["taken_count"],
            "free": r["bed_count"] - r["taken_count"],
        }
        for r in rows
    ]
    return sorted(result, key=lambda r: (r["building"].name, r["building"].pk, r["gender"]))


def students_without_bed(*, user: Any, park: Park) -> QuerySet:
    """Return the park's students ``user`` may see who hold no current bed."""
    from iepark.core.models import Student

    housed = BedAssignment.objects.filter(student=OuterRef("pk"), end_date__isnull=True)
    qs = Student.objects.filter(college__park=park).exclude(Exists(housed))
    return policy.restrict(qs.select_related("person", "college"), user)


@dataclass
class ExplanationLine:
    student_id: int
    student: str
    code: str
    text: str


def allocation_explanations(run: AllocationRun, *, user: Any) -> list[ExplanationLine]:
    """Return the run's unmet wishes and unplaced students as sentences in the reader's language."""
    from iepark.core.models import Major, Organisation, Student

    from .allocation_messages import render

    summary = run.summary or {}
    ids = {int(sid) for sid in summary.get("explanations", {})} | {row["student"] for row in summary.get("skipped", [])}
    ids |= {
        int(item["params"]["roommate"])
        for items in summary.get("explanations", {}).values()
        for item in items
        if str(item.get("params", {}).get("roommate", "")).isdigit()
    }
    students = {
        s.pk: str(s.person) for s in policy.restrict(Student.objects.select_related("person"), user).filter(pk__in=ids)
    }
    names = {
        **{f"b{b.pk}": str(b) for b in DormBuilding.objects.filter(park=run.park_id)},
        **{f"r{r.pk}": str(r) for r in DormRoom.objects.filter(building__park=run.park_id).select_related("building")},
        **{str(o.pk): str(o) for o in Organisation.objects.filter(park=run.park_id)},
        **{f"k{o.pk}": str(o) for o in Organisation.objects.filter(park=run.park_id)},
        **{f"m{m.pk}": str(m) for m in Major.objects.filter(park=run.park_id)},
    }
    lines = []
    for row in summary.get("skipped", []):
        sid = row["student"]
        lines.append(ExplanationLine(sid, students.get(sid, f"#{sid}"), row["code"], render(row["code"], {}, names)))
    for sid, items in summary.get("explanations", {}).items():
        for item in items:
            lines.append(
                ExplanationLine(
                    int(sid),
                    students.get(int(sid), f"#{sid}"),
                    item["code"],
                    render(item["code"], item["params"], {**names, **{str(k): v for k, v in students.items()}}),
                )
            )
    return lines


# --- housing wishes and room transfers -------------------------------------------------------------


def housing_wish_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[HousingWish]:
    """Return the wishes ``user`` may see, each with ``mutual`` (the roommate asked for this student too)."""
    theirs = HousingWish.objects.filter(student=OuterRef("roommate"), roommate=OuterRef("student"))
    qs = HousingWish.objects.select_related(
        "student", "student__person", "student__college", "roommate", "roommate__person"
    ).annotate(mutual=Exists(theirs))
    return policy.restrict(qs, user, action)


def room_transfer_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[RoomTransferRequest]:
    qs = RoomTransferRequest.objects.select_related(
        "student",
        "student__person",
        "student__college",
        "assignment",
        "assignment__bed",
        "assignment__bed__room",
        "assignment__bed__room__building",
        "preferred_building",
        "preferred_room",
        "preferred_room__building",
        "new_assignment",
        "new_assignment__bed",
        "new_assignment__bed__room",
        "new_assignment__bed__room__building",
        "decided_by",
    )
    return policy.restrict(qs, user, action)


def transfer_bed_choices(*, user: Any, transfer: RoomTransferRequest) -> QuerySet[Bed]:
    """Return the free beds that suit the transfer's student (gender; accessible if they need it), preferred first."""
    from django.db.models import Case, IntegerField, Value, When

    student = transfer.student
    beds = free_bed_list(user=user).filter(
        room__building__park_id=student.college.park_id, room__gender=student.person.gender or "-"
    )
    if HousingWish.objects.filter(student=student, needs_accessible=True).exists():
        beds = beds.filter(room__accessible=True)
    preferred = []
    if transfer.preferred_room_id:
        preferred.append(When(room_id=transfer.preferred_room_id, then=Value(0)))
    if transfer.preferred_building_id:
        preferred.append(When(room__building_id=transfer.preferred_building_id, then=Value(1)))
    return beds.annotate(preference=Case(*preferred, default=Value(2), output_field=IntegerField())).order_by(
        "preference", "room__building__name", "room__floor", "room__number", "label"
    )
