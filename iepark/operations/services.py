"""
Writes of park operations. Every write checks the policy, validates, saves and
records its audit event in one transaction; nothing else saves these models.

Sections: service points (their opening hours and notices); dormitories
(buildings, rooms with their beds, check-in and check-out, allocation runs of
the engine in ``engines.allocation``); housing wishes (accessibility needs and
roommate requests, read by allocation runs); room transfer requests.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from iepark.core import policy
from iepark.core.audit import audited_bulk_create, audited_create, audited_delete, audited_update
from iepark.core.models import Park, Student
from iepark.core.policy import Action
from iepark.core.tasks import job_start

from . import hours, notifications
from .choices import (
    OPEN_TRANSFER_STATUSES,
    AllocationStatus,
    CheckoutCondition,
    DormGenderPolicy,
    TransferStatus,
    Weekday,
)
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

SERVICE_POINT_FIELDS = [
    "kind",
    "name",
    "name_en",
    "place",
    "place_en",
    "hours_note",
    "hours_note_en",
    "phone",
    "operator",
    "is_active",
]
SERVICE_NOTICE_FIELDS = ["title", "title_en", "body", "body_en", "valid_from", "valid_to", "closes_point"]

PeriodInput = hours.Period | Mapping[str, Any]


def _only(data: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items() if k in names}


# --- opening hours ---------------------------------------------------------------------------------


def _time(value: Any, name: str) -> datetime.time:
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, str):
        try:
            return datetime.time.fromisoformat(value.strip()).replace(second=0, microsecond=0)
        except ValueError:
            pass
    raise ValidationError(
        {"periods": _("Give the %(name)s time of each period as HH:MM.") % {"name": name}}, code="bad_time"
    )


def clean_periods(periods: Iterable[PeriodInput]) -> list[hours.Period]:
    """Return ``periods`` as sorted ``hours.Period`` rows; refuse bad weekdays or times and overlaps."""
    labels = {"opens": _("opening"), "closes": _("closing")}
    result = set()
    for row in periods:
        if isinstance(row, hours.Period):
            weekday, opens, closes = row.weekday, row.opens, row.closes
        else:
            weekday, opens, closes = row.get("weekday"), row.get("opens"), row.get("closes")
        if weekday not in Weekday.values:
            raise ValidationError({"periods": _("Each period needs a weekday.")}, code="bad_weekday")
        result.add(hours.Period(int(weekday), _time(opens, labels["opens"]), _time(closes, labels["closes"])))
    clashes = hours.overlapping(result)
    if clashes:
        first, second = clashes[0]
        raise ValidationError(
            {
                "periods": _("Opening periods overlap: %(first)s and %(second)s.")
                % {"first": _period_label(first), "second": _period_label(second)}
            },
            code="overlap",
        )
    return sorted(result)


def _period_label(period: hours.Period) -> str:
    return f"{Weekday(period.weekday).label} {period.opens:%H:%M}–{period.closes:%H:%M}"


def _write_periods(*, actor: Any, service_point: ServicePoint, periods: list[hours.Period]) -> None:
    """Replace the point's periods with ``periods``: only the removed and added rows are written."""
    existing = {p.as_period(): p for p in service_point.periods.all()}
    wanted = set(periods)
    for period, row in existing.items():
        if period not in wanted:
            audited_delete(actor=actor, instance=row)
    for period in sorted(wanted - set(existing)):
        audited_create(
            actor=actor,
            instance=OpeningPeriod(
                service_point=service_point, weekday=period.weekday, opens=period.opens, closes=period.closes
            ),
        )


def service_point_set_hours(*, actor: Any, service_point: ServicePoint, periods: Iterable[PeriodInput]) -> ServicePoint:
    """Set the weekly opening periods of ``service_point`` (all of them: missing ones are removed)."""
    policy.require(actor, Action.CHANGE, service_point)
    cleaned = clean_periods(periods)
    with transaction.atomic():
        _write_periods(actor=actor, service_point=service_point, periods=cleaned)
    return service_point


# --- service points --------------------------------------------------------------------------------


def service_point_create(
    *, actor: Any, park: Park, periods: Iterable[PeriodInput] | None = None, **fields: Any
) -> ServicePoint:
    """Add a service point to ``park``, with its weekly opening periods."""
    point = ServicePoint(park=park, **_only(fields, SERVICE_POINT_FIELDS))
    if not policy.can_add(actor, point):
        raise PermissionDenied
    cleaned = clean_periods(periods or [])
    with transaction.atomic():
        audited_create(actor=actor, instance=point)
        _write_periods(actor=actor, service_point=point, periods=cleaned)
    return point


def service_point_update(
    *, actor: Any, service_point: ServicePoint, data: Mapping[str, Any], periods: Iterable[PeriodInput] | None = None
) -> ServicePoint:
    """Change a service point (it stays in its park); ``periods``, when given, replace its opening periods."""
    policy.require(actor, Action.CHANGE, service_point)
    cleaned = clean_periods(periods) if periods is not None else None
    with transaction.atomic():
        audited_update(actor=actor, instance=service_point, data=_only(data, SERVICE_POINT_FIELDS))
        if cleaned is not None:
            _write_periods(actor=actor, service_point=service_point, periods=cleaned)
    return service_point


def service_point_delete(*, actor: Any, service_point: ServicePoint) -> None:
    """Delete a service point with its periods and notices (each deletion audited)."""
    policy.require(actor, Action.DELETE, service_point)
    with transaction.atomic():
        for notice in service_point.notices.all():
            audited_delete(actor=actor, instance=notice)
        for period in service_point.periods.all():
            audited_delete(actor=actor, instance=period)
        audited_delete(actor=actor, instance=service_point)


# --- notices -----------------------------------------------------------------------------------------


def service_notice_create(*, actor: Any, service_point: ServicePoint, **fields: Any) -> ServiceNotice:
    """Post a notice on ``service_point`` (e.g. "closed for maintenance on Saturday")."""
    notice = ServiceNotice(service_point=service_point, **_only(fields, SERVICE_NOTICE_FIELDS))
    if not policy.can_add(actor, notice):
        raise PermissionDenied
    return audited_create(actor=actor, instance=notice)


def service_notice_update(*, actor: Any, notice: ServiceNotice, data: Mapping[str, Any]) -> ServiceNotice:
    """Change a notice's texts, dates or closing (it stays on its service point)."""
    policy.require(actor, Action.CHANGE, notice)
    return audited_update(actor=actor, instance=notice, data=_only(data, SERVICE_NOTICE_FIELDS))


def service_notice_delete(*, actor: Any, notice: ServiceNotice) -> None:
    policy.require(actor, Action.DELETE, notice)
    audited_delete(actor=actor, instance=notice)


# --- dormitories -------------------------------------------------------------------------------------

ALLOCATION_TASK = "operations.allocation"


def _error(field: str, message: str, code: str) -> ValidationError:
    """Return a ``ValidationError`` on ``field`` whose code survives in ``error_dict``."""
    return ValidationError({field: ValidationError(message, code=code)})


DORM_BUILDING_FIELDS = ["name", "name_en", "gender_policy"]
DORM_ROOM_FIELDS = ["floor", "number", "gender", "beds_count", "accessible", "facilities", "monthly_fee"]
DORM_ROOM_UPDATE_FIELDS = [
    "floor",
    "number",
    "gender",
    "beds_count",
    "accessible",
    "facilities",
    "monthly_fee",
    "in_service",
]


def dorm_building_create(*, actor: Any, park: Park, **fields: Any) -> DormBuilding:
    """Add a dormitory building to ``park``."""
    building = DormBuilding(park=park, **_only(fields, DORM_BUILDING_FIELDS))
    if not policy.can_add(actor, building):
        raise PermissionDenied
    return audited_create(actor=actor, instance=building)


def dorm_building_update(*, actor: Any, building: DormBuilding, data: Mapping[str, Any]) -> DormBuilding:
    """Rename a building or change its gender policy (it stays in its park)."""
    policy.require(actor, Action.CHANGE, building)
    data = _only(data, DORM_BUILDING_FIELDS)
    policy_value = data.get("gender_policy")
    if policy_value and policy_value != DormGenderPolicy.MIXED:
        if building.rooms.exclude(gender=policy_value).exists():
            raise _error(
                "gender_policy",
                _("The building has rooms of the other gender: change them first."),
                "rooms_of_other_gender",
            )
    return audited_update(actor=actor, instance=building, data=data)


def dorm_room_create(*, actor: Any, building: DormBuilding, **fields: Any) -> DormRoom:
    """Add a room to ``building`` with its beds (labelled 1, 2, ...), each write audited."""
    room = DormRoom(building=building, **_only(fields, DORM_ROOM_FIELDS))
    if not policy.can_add(actor, room):
        raise PermissionDenied
    with transaction.atomic():
        audited_create(actor=actor, instance=room)
        audited_bulk_create(
            actor=actor, instances=[Bed(room=room, label=str(n)) for n in range(1, room.beds_count + 1)]
        )
    return room


def _has_history(beds) -> bool:
    """Return whether any of ``beds`` (a queryset) was ever assigned."""
    return BedAssignment.objects.filter(bed__in=beds).exists()


def _current_count(room: DormRoom) -> int:
    return BedAssignment.objects.filter(bed__room=room, end_date__isnull=True).count()


def _next_labels(room: DormRoom, n: int) -> list[str]:
    """Return ``n`` new bed labels for ``room``: the next numbers after its numeric labels."""
    used = set(room.beds.values_list("label", flat=True))
    labels, k = [], 1
    while len(labels) < n:
        if str(k) not in used:
            labels.append(str(k))
        k += 1
    return labels


def dorm_room_update(*, actor: Any, room: DormRoom, data: Mapping[str, Any]) -> DormRoom:
    """
    Change a room: its place, number, gender, beds, accessibility, facilities, fee, or whether it is in service.

    The gender changes and the room goes out of service only while nobody
    lives in it. A different ``beds_count`` adds beds (labelled with the next
    numbers) or removes free beds never assigned (the highest labels first);
    fewer beds than current residents, or than the beds that can go, is refused.
    """
    policy.require(actor, Action.CHANGE, room)
    data = _only(data, DORM_ROOM_UPDATE_FIELDS)
    with transaction.atomic():
        room = DormRoom.objects.select_for_update().select_related("building").get(pk=room.pk)
        residents = _current_count(room)
        if "gender" in data and data["gender"] != room.gender and residents:
            raise _error(
                "gender", _("Students live in this room: its gender cannot change until they move out."), "occupied"
            )
        if data.get("in_service") is False and room.in_service and residents:
            raise _error(
                "in_service",
                _("Students live in this room: move them out before taking it out of service."),
                "occupied",
            )
        wanted = data.get("beds_count")
        have = room.beds.count()
        if wanted is not None and wanted != have:
            wanted = int(wanted)
            if wanted < residents:
                raise _error(
                    "beds_count",
                    _("%(n)d students live in this room: it cannot have fewer beds.") % {"n": residents},
                    "below_occupancy",
                )
            if wanted < have:
                removable = sorted(
                    room.beds.exclude(assignments__isnull=False),
                    key=lambda b: (b.label.isdigit(), int(b.label) if b.label.isdigit() else 0, b.label, b.pk),
                    reverse=True,
                )
                if len(removable) < have - wanted:
                    raise _error(
                        "beds_count",
                        _(
                            "Only beds never assigned can be removed (%(n)d here): take the others out of "
                            "service instead."
                        )
                        % {"n": len(removable)},
                        "bed_history",
                    )
                for bed in removable[: have - wanted]:
                    audited_delete(actor=actor, instance=bed)
            elif 1 <= wanted <= 12:
                audited_bulk_create(
                    actor=actor, instances=[Bed(room=room, label=label) for label in _next_labels(room, wanted - have)]
                )
        return audited_update(actor=actor, instance=room, data=data)


def dorm_room_delete(*, actor: Any, room: DormRoom) -> None:
    """Delete a room with its beds, only if none of its beds was ever assigned (else: take it out of service)."""
    policy.require(actor, Action.DELETE, room)
    with transaction.atomic():
        if _has_history(room.beds.all()):
            raise _error(
                "room",
                _(
                    "Students have stayed in this room, and their records must be kept: it cannot be deleted. "
                    "Take it out of service instead."
                ),
                "has_history",
            )
        if RoomTransferRequest.objects.filter(preferred_room=room, status__in=OPEN_TRANSFER_STATUSES).exists():
            raise _error(
                "room", _("An open transfer request prefers this room: decide it first."), "preferred_by_request"
            )
        for bed in room.beds.all():
            audited_delete(actor=actor, instance=bed)
        audited_delete(actor=actor, instance=room)


def dorm_building_delete(*, actor: Any, building: DormBuilding) -> None:
    """Delete a building with its rooms and beds, only if none of its beds was ever assigned."""
    policy.require(actor, Action.DELETE, building)
    with transaction.atomic():
        if _has_history(Bed.objects.filter(room__building=building)):
            raise _error(
                "building",
                _(
                    "Students have stayed in this building, and their records must be kept: it cannot be deleted. "
                    "Take its rooms out of service instead."
                ),
                "has_history",
            )
        for room in building.rooms.all():
            for bed in room.beds.all():
                audited_delete(actor=actor, instance=bed)
            audited_delete(actor=actor, instance=room)
        audited_delete(actor=actor, instance=building)


def _sync_beds_count(*, actor: Any, room: DormRoom) -> None:
    count = room.beds.count()
    if count != room.beds_count:
        audited_update(actor=actor, instance=room, data={"beds_count": count})


def bed_add(*, actor: Any, room: DormRoom, label: str = "", in_service: bool = True) -> Bed:
    """Add a bed to ``room`` (labelled with the next number when ``label`` is empty); a room has 12 beds at most."""
    label = (label or "").strip()
    with transaction.atomic():
        room = DormRoom.objects.select_for_update().get(pk=room.pk)
        bed = Bed(room=room, label=label or _next_labels(room, 1)[0], in_service=in_service)
        if not policy.can_add(actor, bed):
            raise PermissionDenied
        if room.beds.count() >= 12:
            raise _error("room", _("A room has between 1 and 12 beds."), "too_many_beds")
        audited_create(actor=actor, instance=bed)
        _sync_beds_count(actor=actor, room=room)
    return bed


def bed_update(*, actor: Any, bed: Bed, data: Mapping[str, Any]) -> Bed:
    """Relabel a bed or take it out of (or back into) service; an occupied bed stays in service."""
    policy.require(actor, Action.CHANGE, bed)
    data = _only(data, ["label", "in_service"])
    with transaction.atomic():
        bed = Bed.objects.select_for_update().get(pk=bed.pk)
        if data.get("in_service") is False and BedAssignment.objects.filter(bed=bed, end_date__isnull=True).exists():
            raise _error(
                "in_service",
                _("A student sleeps in this bed: check them out or move them before taking it out of service."),
                "occupied",
            )
        return audited_update(actor=actor, instance=bed, data=data)


def bed_delete(*, actor: Any, bed: Bed) -> None:
    """Delete a bed never assigned (the room keeps one bed at least); else take it out of service."""
    policy.require(actor, Action.DELETE, bed)
    with transaction.atomic():
        room = DormRoom.objects.select_for_update().get(pk=bed.room_id)
        if BedAssignment.objects.filter(bed=bed, end_date__isnull=True).exists():
            raise _error("bed", _("A student sleeps in this bed: it cannot be removed."), "occupied")
        if BedAssignment.objects.filter(bed=bed).exists():
            raise _error(
                "bed",
                _("Students have slept in this bed and their records must be kept: take it out of service instead."),
                "has_history",
            )
        if room.beds.count() <= 1:
            raise _error("bed", _("A room has between 1 and 12 beds."), "last_bed")
        audited_delete(actor=actor, instance=bed)
        _sync_beds_count(actor=actor, room=room)


def _student_gender(student: Student) -> str:
    return student.person.gender or ""


def _needs_accessible(student: Student) -> bool:
    """Return whether ``student``'s recorded wishes say they need an accessible room."""
    return HousingWish.objects.filter(student=student, needs_accessible=True).exists()


def _check_bed_for(student: Student, bed: Bed, *, needs_accessible: bool = False) -> None:
    """Refuse a bed that does not suit ``student`` (park, in service, gender, accessibility)."""
    room = bed.room
    if not (bed.in_service and room.in_service):
        raise _error("bed", _("This bed is out of service."), "out_of_service")
    if student.college.park_id != room.building.park_id:
        raise _error("student", _("The student studies in another park."), "other_park")
    gender = _student_gender(student)
    if not gender:
        raise _error(
            "student", _("The student's gender is not recorded: record it before assigning a bed."), "no_gender"
        )
    if gender != room.gender:
        message = _("Room %(room)s is for %(gender)s students only.")
        raise _error("bed", message % {"room": room, "gender": room.get_gender_display()}, "gender_mismatch")
    if needs_accessible and not room.accessible:
        raise _error(
            "bed",
            _("The student needs an accessible room; room %(room)s is not accessible.") % {"room": room},
            "not_accessible",
        )


def bed_assign(
    *,
    actor: Any,
    bed: Bed,
    student: Student,
    start_date: datetime.date | None = None,
    needs_accessible: bool = False,
) -> BedAssignment:
    """
    Check ``student`` in to ``bed`` from ``start_date`` (today by default).

    The bed's row is locked first, so two concurrent check-ins of one bed
    queue: the second sees the first and is refused. The partial unique
    constraints of ``BedAssignment`` guarantee the same in the database.
    """
    assignment = BedAssignment(bed=bed, student=student, start_date=start_date or timezone.localdate())
    if not policy.can_add(actor, assignment):
        raise PermissionDenied
    if not policy.can(actor, Action.VIEW, student):
        raise _error("student", _("Choose a student of the park."), "unknown_student")
    needs_accessible = needs_accessible or _needs_accessible(student)
    _check_bed_for(student, bed, needs_accessible=needs_accessible)
    try:
        with transaction.atomic():
            Bed.objects.select_for_update().filter(pk=bed.pk).first()
            if BedAssignment.objects.filter(bed=bed, end_date__isnull=True).exists():
                raise _error("bed", _("This bed is already taken."), "bed_taken")
            if BedAssignment.objects.filter(student=student, end_date__isnull=True).exists():
                raise _error("student", _("This student already has a bed: check them out first."), "has_bed")
            audited_create(actor=actor, instance=assignment)
    except IntegrityError:
        raise _error(
            "bed", _("The bed or the student was assigned at the same moment by someone else."), "bed_taken"
        ) from None
    return assignment


def _clean_condition(condition: str, damage_description: str) -> tuple[str, str]:
    condition = (condition or "").strip()
    damage_description = (damage_description or "").strip()
    if condition and condition not in CheckoutCondition.values:
        raise _error("checkout_condition", _("Choose the room's condition."), "bad_condition")
    if condition == CheckoutCondition.DAMAGE and not damage_description:
        raise _error("damage_description", _("Describe the damage found."), "no_damage_description")
    if condition != CheckoutCondition.DAMAGE:
        damage_description = ""
    return condition, damage_description


def bed_check_out(
    *,
    actor: Any,
    assignment: BedAssignment,
    end_date: datetime.date | None = None,
    inspection_note: str = "",
    checkout_condition: str = "",
    damage_description: str = "",
    photos: Iterable[Any] = (),
) -> BedAssignment:
    """
    End a current assignment on ``end_date`` (today by default), with the room inspection.

    The inspection is the room's condition (good, or damage found with its
    description), a free note and any photos (attached to the stay, all or
    nothing with the check-out); a check-out before the check-in is refused.
    """
    from iepark.core.attachments import attach_files

    policy.require(actor, Action.CHANGE, assignment)
    end_date = end_date or timezone.localdate()
    condition, damage = _clean_condition(checkout_condition, damage_description)
    with transaction.atomic():
        assignment = BedAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.end_date is not None:
            raise _error("end_date", _("The student has already checked out of this bed."), "ended")
        if end_date < assignment.start_date:
            raise _error("end_date", _("The check-out cannot be before the check-in."), "before")
        assignment = audited_update(
            actor=actor,
            instance=assignment,
            data={
                "end_date": end_date,
                "inspection_note": (inspection_note or "").strip(),
                "checkout_condition": condition,
                "damage_description": damage,
            },
        )
        photos = list(photos or ())
        if photos:
            attach_files(actor=actor, parent=assignment, files=photos, caption=_("Check-out inspection"))
        return assignment


# --- allocation ------------------------------------------------------------------------------------------


def clean_weights(weights: Mapping[str, Any] | None) -> dict[str, int]:
    """Return the soft goals' weights as integers; refuse unknown goals and negative or non-integer weights."""
    from engines.allocation import Weights

    cleaned: dict[str, int] = {}
    for name, value in (weights or {}).items():
        if name not in Weights.names():
            raise _error("weights", _("Unknown goal %(name)s.") % {"name": name}, "unknown_goal")
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
            number = -1
        else:
            number = int(value)
        if number < 0:
            raise _error(
                "weights",
                _("The weight of %(name)s must be a whole number of 0 or more.") % {"name": name},
                "bad_weight",
            )
        cleaned[name] = number
    return cleaned


def _park_students(actor: Any, students: Iterable[Student | int]) -> list[Student]:
    """Return the students of ``students`` (rows or ids) that ``actor`` may see, in the given order."""
    ids = [s.pk if isinstance(s, Student) else int(s) for s in students]
    rows = policy.restrict(Student.objects.select_related("person", "college", "major"), actor).in_bulk(ids)
    return [rows[i] for i in dict.fromkeys(ids) if i in rows]


def allocation_start(
    *,
    actor: Any,
    park: Park,
    students: Iterable[Student | int],
    seed: int = 0,
    weights: Mapping[str, Any] | None = None,
) -> AllocationRun:
    """Record an allocation run and queue it as a background job (``operations.allocation``)."""
    ids = [s.pk if isinstance(s, Student) else int(s) for s in students]
    run = AllocationRun(park=park, seed=seed, students=ids, weights=clean_weights(weights), created_by=actor)
    if not policy.can_add(actor, run):
        raise PermissionDenied
    if not ids:
        raise _error("students", _("Choose at least one student to place."), "no_students")
    with transaction.atomic():
        audited_create(actor=actor, instance=run)
        job = job_start(actor=actor, kind=ALLOCATION_TASK, park=park, params={"run": run.pk})
        audited_update(actor=actor, instance=run, data={"job": job})
    return run


def allocate(
    *,
    actor: Any,
    park: Park,
    students: Iterable[Student | int],
    seed: int = 0,
    weights: Mapping[str, Any] | None = None,
) -> AllocationRun:
    """Allocate ``students`` to ``park``'s free beds here and now (the demo, scripts); see ``allocation_compute``."""
    ids = [s.pk if isinstance(s, Student) else int(s) for s in students]
    run = AllocationRun(park=park, seed=seed, students=ids, weights=clean_weights(weights), created_by=actor)
    if not policy.can_add(actor, run):
        raise PermissionDenied
    with transaction.atomic():
        audited_create(actor=actor, instance=run)
        return allocation_compute(actor=actor, run=run)


def _engine_instance(
    park: Park,
    students: list[Student],
    seed: int,
    weights: dict[str, int],
    wishes: Mapping[int, HousingWish] | None = None,
):
    """
    Map ``park``'s beds (taken ones marked) and ``students`` into an ``engines.allocation.Instance``.

    Rooms and beds out of service are left out. ``wishes`` (by student id) give
    each student's accessibility need and roommate request; a request for a
    student outside this run is left out of the instance (the run explains it).
    """
    from engines.allocation import Building, Floor, Instance, Room, Weights
    from engines.allocation import Student as EngineStudent

    wishes = wishes or {}
    in_run = {s.pk for s in students}
    rooms = (
        DormRoom.objects.filter(building__park=park, in_service=True)
        .select_related("building")
        .prefetch_related("beds")
    )
    taken = set(
        BedAssignment.objects.filter(bed__room__building__park=park, end_date__isnull=True).values_list(
            "bed_id", flat=True
        )
    )
    buildings: dict[int, dict[int, list]] = {}
    for room in rooms.order_by("building__name", "building_id", "floor", "number"):
        beds = tuple(str(b.pk) for b in sorted(room.beds.all(), key=lambda b: (b.label, b.pk)) if b.in_service)
        if not beds:
            continue
        engine_room = Room(id=f"r{room.pk}", gender=room.gender, beds=beds, accessible=room.accessible)
        buildings.setdefault(room.building_id, {}).setdefault(room.floor, []).append(engine_room)
    instance = Instance(
        buildings=tuple(
            Building(
                id=f"b{building_id}",
                floors=tuple(Floor(id=str(floor), rooms=tuple(rooms)) for floor, rooms in floors.items()),
            )
            for building_id, floors in buildings.items()
        ),
        students=tuple(
            EngineStudent(
                id=str(s.pk),
                gender=_student_gender(s),
                cohort=f"{s.college_id}-{s.cohort_year}-{s.major_id}",
                college=f"k{s.college_id}",
                needs_accessible=bool(wishes.get(s.pk) and wishes[s.pk].needs_accessible),
                roommate=_roommate_in_run(wishes.get(s.pk), in_run),
            )
            for s in students
        ),
        taken=frozenset(str(pk) for pk in taken),
        weights=Weights(**weights),
        seed=seed,
    )
    return instance, taken


def _roommate_in_run(wish: HousingWish | None, in_run: set[int]) -> str | None:
    if wish is None or wish.roommate_id is None or wish.roommate_id not in in_run:
        return None
    return str(wish.roommate_id)


def _wish_figures(chosen: list[Student], wishes: Mapping[int, HousingWish], placed: Mapping[int, int]) -> dict:
    """Return the run's figures of recorded wishes: accessibility needs met, mutual requests honoured."""
    beds = Bed.objects.in_bulk(set(placed.values()))
    room_of = {sid: beds[bed].room_id for sid, bed in placed.items() if bed in beds}
    in_run = {s.pk for s in chosen}
    need = [s.pk for s in chosen if wishes.get(s.pk) and wishes[s.pk].needs_accessible]
    mutual = {
        tuple(sorted((sid, w.roommate_id)))
        for sid, w in wishes.items()
        if sid in in_run
        and w.roommate_id in in_run
        and wishes.get(w.roommate_id)
        and wishes[w.roommate_id].roommate_id == sid
    }
    honoured = sum(1 for a, b in mutual if a in room_of and room_of.get(a) == room_of.get(b))
    return {
        "accessible_needs": len(need),
        "accessible_placed": sum(1 for sid in need if sid in placed),
        "roommate_requests": sum(1 for sid in in_run if wishes.get(sid) and wishes[sid].roommate_id),
        "mutual_pairs": len(mutual),
        "mutual_honoured": honoured,
    }


def _outside_run_explanations(chosen: list[Student], wishes: Mapping[int, HousingWish]) -> dict[str, list[dict]]:
    """Explain roommate requests naming a student outside the run (already housed, or not chosen)."""
    in_run = {s.pk for s in chosen}
    out: dict[str, list[dict]] = {}
    outside = {w.roommate_id for sid, w in wishes.items() if sid in in_run and w.roommate_id}
    outside -= in_run
    housed = set(
        BedAssignment.objects.filter(student_id__in=outside, end_date__isnull=True).values_list("student_id", flat=True)
    )
    for s in chosen:
        wish = wishes.get(s.pk)
        if wish and wish.roommate_id and wish.roommate_id not in in_run:
            code = "roommate_housed" if wish.roommate_id in housed else "roommate_not_in_run"
            out.setdefault(str(s.pk), []).append({"code": code, "params": {"roommate": str(wish.roommate_id)}})
    return out


def allocation_compute(
    *,
    actor: Any,
    run: AllocationRun,
    progress: Callable[[int, int, str], None] | None = None,
) -> AllocationRun:
    """
    Run the engine for ``run`` and write its assignments, all or nothing; return the run with its summary.

    Students of another park, already holding a bed, or without a recorded
    gender are left out (listed in the summary as ``skipped`` with a code).
    The engine's unplaced students and unmet wishes are stored as codes and
    parameters (``summary["explanations"]``), translated when shown.
    """
    from engines.allocation.check import check
    from engines.allocation.explain import explain
    from engines.allocation.io import cost_to_dict, explanation_to_dict
    from engines.allocation.solver import solve

    policy.require(actor, Action.CHANGE, run)
    say = progress or (lambda done, total, message: None)
    park = run.park
    say(0, 4, _("Reading the beds and the students"))
    students = _park_students(actor, run.students)
    housed = set(
        BedAssignment.objects.filter(student__in=students, end_date__isnull=True).values_list("student_id", flat=True)
    )
    skipped, chosen = [], []
    for s in students:
        code = (
            "other_park"
            if s.college.park_id != park.pk
            else "has_bed"
            if s.pk in housed
            else "no_gender"
            if not _student_gender(s)
            else None
        )
        if code:
            skipped.append({"student": s.pk, "code": code})
        else:
            chosen.append(s)
    wishes = {w.student_id: w for w in HousingWish.objects.filter(student__in=chosen)}
    instance, taken = _engine_instance(park, chosen, run.seed, run.weights or {}, wishes)
    say(1, 4, _("Allocating the beds"))
    result = solve(instance)
    verification = check(instance, result.assignment)
    if not verification.valid:  # pragma: no cover - the engine keeps the hard constraints
        raise _error("students", "; ".join(verification.errors), "engine_error")
    say(2, 4, _("Explaining the unmet wishes"))
    explanations = explain(instance, result.assignment)
    placed = {int(sid): int(bed) for sid, bed in result.assignment.items() if bed is not None}
    unplaced = [int(sid) for sid, bed in result.assignment.items() if bed is None]
    explained = {sid: [explanation_to_dict(e) for e in items] for sid, items in explanations.items()}
    for sid, items in _outside_run_explanations(chosen, wishes).items():
        explained.setdefault(sid, []).extend(items)
    summary = {
        "students": len(students),
        "placed": len(placed),
        "unplaced": unplaced,
        "skipped": skipped,
        "explanations": explained,
        "wishes": _wish_figures(chosen, wishes, placed),
        "cost": cost_to_dict(result.cost),
        "iterations": result.iterations,
        "stopped_by": result.stopped_by,
        "free_beds_before": sum(len(r.beds) for b in instance.buildings for f in b.floors for r in f.rooms)
        - len(taken),
    }
    say(3, 4, _("Saving the assignments"))
    today = timezone.localdate()
    try:
        with transaction.atomic():
            run = AllocationRun.objects.select_for_update().get(pk=run.pk)
            bed_ids, student_ids = list(placed.values()), list(placed)
            locked = list(Bed.objects.select_for_update().filter(pk__in=bed_ids).values_list("pk", flat=True))
            if (
                len(locked) != len(placed)
                or BedAssignment.objects.filter(
                    Q(bed_id__in=bed_ids) | Q(student_id__in=student_ids), end_date__isnull=True
                ).exists()
            ):
                raise _error("students", _("Beds or students changed while the allocation ran: run it again."), "stale")
            beds = Bed.objects.select_related("room__building").in_bulk(bed_ids)
            by_id = {s.pk: s for s in chosen}
            audited_bulk_create(
                actor=actor,
                instances=[
                    BedAssignment(bed=beds[bed], student=by_id[sid], start_date=today, allocated_by_run=run)
                    for sid, bed in placed.items()
                ],
            )
            audited_update(
                actor=actor,
                instance=run,
                data={
                    "status": AllocationStatus.DONE,
                    "placed": len(placed),
                    "unplaced": len(unplaced) + len(skipped),
                    "summary": summary,
                    "finished_at": timezone.now(),
                },
            )
    except IntegrityError:
        raise _error(
            "students", _("Beds or students changed while the allocation ran: run it again."), "stale"
        ) from None
    say(
        4, 4, _("Done: %(placed)d of %(students)d students placed") % {"placed": len(placed), "students": len(students)}
    )
    return run


def allocation_fail(*, actor: Any, run: AllocationRun, error: str) -> AllocationRun:
    """Record that ``run`` stopped without writing anything."""
    return audited_update(
        actor=actor,
        instance=AllocationRun.objects.get(pk=run.pk),
        data={"status": AllocationStatus.FAILED, "summary": {"error": error[:500]}, "finished_at": timezone.now()},
    )


def allocation_run_job(ctx: Any) -> dict[str, Any]:
    """Run the allocation of an ``operations.allocation`` job (called by the task runner)."""
    run = AllocationRun.objects.select_related("park").get(pk=ctx.params["run"])
    actor = ctx.job.created_by
    try:
        run = allocation_compute(actor=actor, run=run, progress=ctx.progress)
    except Exception as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        allocation_fail(actor=actor, run=run, error=message)
        raise
    return {"run": run.pk, "placed": run.placed, "unplaced": run.unplaced}


# --- housing wishes ------------------------------------------------------------------------------------

HOUSING_WISH_FIELDS = ["needs_accessible", "accessibility_note"]


def find_roommate(*, student: Student, student_number: str, name: str) -> Student:
    """
    Return the student of ``student``'s park with this student number and name (Chinese or English).

    Both must match, so that a student can name a classmate without being
    able to look up who holds a number.
    """
    number, name = (student_number or "").strip(), (name or "").strip()
    if not number or not name:
        raise _error("roommate", _("Give the roommate's student number and name."), "roommate_missing")
    matches = [
        s
        for s in Student.objects.select_related("person").filter(
            college__park_id=student.college.park_id, student_number__iexact=number
        )
        if name.casefold() in {(s.person.name or "").casefold(), (s.person.name_en or "").casefold()}
    ]
    if len(matches) != 1:
        raise _error("roommate", _("No student of the park has this student number and name."), "roommate_not_found")
    return matches[0]


def housing_wish_set(
    *,
    actor: Any,
    student: Student,
    needs_accessible: bool = False,
    accessibility_note: str = "",
    roommate: Student | None = None,
) -> HousingWish:
    """
    Record ``student``'s housing wishes (creating or replacing them), as read by the next allocation runs.

    The roommate must be another student of the same park and gender (rooms
    are single-gender); the request is honoured when it is mutual.
    """
    from .policy import records_wishes_for

    if not records_wishes_for(policy.actor_for(actor), student):
        raise PermissionDenied
    if roommate is not None:
        if roommate.pk == student.pk:
            raise _error("roommate", _("A student cannot ask to room with themselves."), "roommate_self")
        if roommate.college.park_id != student.college.park_id:
            raise _error("roommate", _("The roommate must study in the same park."), "roommate_other_park")
        if (
            _student_gender(roommate)
            and _student_gender(student)
            and _student_gender(roommate) != _student_gender(student)
        ):
            raise _error(
                "roommate",
                _("Rooms are for one gender: %(name)s cannot share a room with this student.") % {"name": roommate},
                "roommate_other_gender",
            )
    data = {
        "needs_accessible": bool(needs_accessible),
        "accessibility_note": (accessibility_note or "").strip(),
        "roommate": roommate,
        "updated_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    with transaction.atomic():
        wish = HousingWish.objects.select_for_update().filter(student=student).first()
        if wish is None:
            wish = HousingWish(student=student, **data)
            if not policy.can_add(actor, wish):
                raise PermissionDenied
            return audited_create(actor=actor, instance=wish)
        return audited_update(actor=actor, instance=wish, data=data)


def housing_wish_delete(*, actor: Any, wish: HousingWish) -> None:
    """Remove a student's recorded wishes."""
    policy.require(actor, Action.DELETE, wish)
    audited_delete(actor=actor, instance=wish)


# --- room transfers ------------------------------------------------------------------------------------


def _current_assignment(student: Student) -> BedAssignment | None:
    return (
        BedAssignment.objects.select_related("bed__room__building")
        .filter(student=student, end_date__isnull=True)
        .first()
    )


def transfer_request(
    *,
    actor: Any,
    student: Student,
    reason: str,
    preferred_building: DormBuilding | None = None,
    preferred_room: DormRoom | None = None,
) -> RoomTransferRequest:
    """
    Ask for ``student`` to move to another bed (the student, or their college's staff for them).

    The student must hold a bed and have no other request in progress; the
    preferred building and room, if any, are of the student's park (the room
    in the preferred building when both are given).
    """
    reason = (reason or "").strip()
    current = _current_assignment(student)
    transfer = RoomTransferRequest(
        student=student,
        assignment=current,
        reason=reason,
        preferred_building=preferred_building,
        preferred_room=preferred_room,
        created_by=actor,
    )
    if not policy.can_add(actor, transfer):
        raise PermissionDenied
    if current is None:
        raise _error("student", _("The student has no dormitory bed to move out of."), "no_bed")
    if not reason:
        raise _error("reason", _("Say why the student wants to move."), "no_reason")
    park_id = student.college.park_id
    if preferred_building is not None and preferred_building.park_id != park_id:
        raise _error("preferred_building", _("Choose a building of the student's park."), "other_park")
    if preferred_room is not None:
        if preferred_room.building.park_id != park_id:
            raise _error("preferred_room", _("Choose a room of the student's park."), "other_park")
        if preferred_building is not None and preferred_room.building_id != preferred_building.pk:
            raise _error("preferred_room", _("The preferred room is not in the preferred building."), "other_building")
        if preferred_room.gender != _student_gender(student):
            raise _error(
                "preferred_room",
                _("Room %(room)s is for %(gender)s students only.")
                % {"room": preferred_room, "gender": preferred_room.get_gender_display()},
                "gender_mismatch",
            )
    try:
        with transaction.atomic():
            if RoomTransferRequest.objects.filter(student=student, status__in=OPEN_TRANSFER_STATUSES).exists():
                raise _error("student", _("The student already has a transfer request in progress."), "already_open")
            audited_create(actor=actor, instance=transfer)
            notifications.transfer_step(transfer, actor)
    except IntegrityError:
        raise _error("student", _("The student already has a transfer request in progress."), "already_open") from None
    return transfer


def _locked_transfer(transfer: RoomTransferRequest) -> RoomTransferRequest:
    return RoomTransferRequest.objects.select_for_update().select_related("student__college").get(pk=transfer.pk)


def transfer_cancel(*, actor: Any, transfer: RoomTransferRequest) -> RoomTransferRequest:
    """Withdraw a request not yet carried out (the student, or whoever asked for them)."""
    from .policy import is_own_student

    policy.require(actor, Action.VIEW, transfer)
    a = policy.actor_for(actor)
    if not (
        a.is_superuser or is_own_student(a, transfer.student) or transfer.created_by_id == getattr(actor, "pk", None)
    ):
        raise PermissionDenied
    with transaction.atomic():
        transfer = _locked_transfer(transfer)
        if not transfer.is_open:
            raise _error("status", _("This request is no longer in progress."), "closed")
        return audited_update(actor=actor, instance=transfer, data={"status": TransferStatus.CANCELLED})


def transfer_decide(*, actor: Any, transfer: RoomTransferRequest, approve: bool, note: str = "") -> RoomTransferRequest:
    """Approve or reject a request (the student manager or administrator of the student's college); a rejection says why."""
    from .policy import decides_transfers

    policy.require(actor, Action.VIEW, transfer)
    if not decides_transfers(policy.actor_for(actor), transfer.student):
        raise PermissionDenied
    note = (note or "").strip()
    if not approve and not note:
        raise _error("decision_note", _("Say why the request is rejected."), "no_reason")
    with transaction.atomic():
        transfer = _locked_transfer(transfer)
        if transfer.status != TransferStatus.REQUESTED:
            raise _error("status", _("This request has already been decided."), "decided")
        transfer = audited_update(
            actor=actor,
            instance=transfer,
            data={
                "status": TransferStatus.APPROVED if approve else TransferStatus.REJECTED,
                "decision_note": note,
                "decided_by": actor,
                "decided_at": timezone.now(),
            },
        )
        notifications.transfer_step(transfer, actor)
        return transfer


def transfer_carry_out(
    *, actor: Any, transfer: RoomTransferRequest, bed: Bed, move_date: datetime.date | None = None
) -> RoomTransferRequest:
    """
    Move the student of an approved request to ``bed`` on ``move_date`` (today by default), in one step.

    The old stay ends and the new one starts on the same date; the bed must be
    free, in service and suit the student (park, gender, an accessible room if
    they need one). The beds are locked first, so a concurrent check-in or
    move of the same bed is refused rather than doubled.
    """
    from .policy import keeps_dormitories

    policy.require(actor, Action.VIEW, transfer)
    student = transfer.student
    if not (
        policy.actor_for(actor).is_superuser or keeps_dormitories(policy.actor_for(actor), student.college.park_id)
    ):
        raise PermissionDenied
    move_date = move_date or timezone.localdate()
    try:
        with transaction.atomic():
            transfer = _locked_transfer(transfer)
            if transfer.status != TransferStatus.APPROVED:
                raise _error("status", _("Only an approved request can be carried out."), "not_approved")
            list(
                Bed.objects.select_for_update()
                .filter(pk__in=[bed.pk, transfer.assignment.bed_id])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            old = BedAssignment.objects.select_for_update().get(pk=transfer.assignment_id)
            if old.end_date is not None:
                raise _error(
                    "status", _("The student has left the bed of this request: it cannot be carried out."), "stale"
                )
            if bed.pk == old.bed_id:
                raise _error("bed", _("Choose another bed than the student's current one."), "same_bed")
            bed = Bed.objects.select_related("room__building").get(pk=bed.pk)
            _check_bed_for(student, bed, needs_accessible=_needs_accessible(student))
            if BedAssignment.objects.filter(bed=bed, end_date__isnull=True).exists():
                raise _error("bed", _("This bed is already taken."), "bed_taken")
            if move_date < old.start_date:
                raise _error("move_date", _("The move cannot be before the student's check-in."), "before")
            audited_update(
                actor=actor,
                instance=old,
                data={
                    "end_date": move_date,
                    "inspection_note": _("Moved to %(bed)s (room transfer).") % {"bed": bed},
                },
            )
            new = audited_create(actor=actor, instance=BedAssignment(bed=bed, student=student, start_date=move_date))
            transfer = audited_update(
                actor=actor,
                instance=transfer,
                data={
                    "status": TransferStatus.DONE,
                    "new_assignment": new,
                    "done_by": actor,
                    "done_at": timezone.now(),
                },
            )
            notifications.transfer_step(transfer, actor)
            return transfer
    except IntegrityError:
        raise _error("bed", _("The bed was taken at the same moment by someone else."), "bed_taken") from None
