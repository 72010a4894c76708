"""
Writes of park operations. Every write checks the policy, validates, saves and
records its audit event in one transaction; nothing else saves these models.

Sections: service points (their opening hours and notices); dormitories
(buildings, rooms with their beds, check-in and check-out, allocation runs of
the engine in ``engines.allocation``).
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

from . import hours
from .choices import AllocationStatus, DormGenderPolicy, Weekday
from .models import (
    AllocationRun,
    Bed,
    BedAssignment,
    DormBuilding,
    DormRoom,
    OpeningPeriod,
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
DORM_ROOM_UPDATE_FIELDS = ["accessible", "facilities", "monthly_fee"]


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


def dorm_room_update(*, actor: Any, room: DormRoom, data: Mapping[str, Any]) -> DormRoom:
    """Change a room's accessibility, facilities or fee (its place, gender and beds stay)."""
    policy.require(actor, Action.CHANGE, room)
    return audited_update(actor=actor, instance=room, data=_only(data, DORM_ROOM_UPDATE_FIELDS))


def _student_gender(student: Student) -> str:
    return student.person.gender or ""


def _check_bed_for(student: Student, bed: Bed, *, needs_accessible: bool = False) -> None:
    """Refuse a bed that does not suit ``student`` (park, gender, accessibility)."""
    room = bed.room
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


def bed_check_out(
    *, actor: Any, assignment: BedAssignment, end_date: datetime.date | None = None, inspection_note: str = ""
) -> BedAssignment:
    """End a current assignment on ``end_date`` (today by default), with the room inspection's note."""
    policy.require(actor, Action.CHANGE, assignment)
    end_date = end_date or timezone.localdate()
    with transaction.atomic():
        assignment = BedAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.end_date is not None:
            raise _error("end_date", _("The student has already checked out of this bed."), "ended")
        if end_date < assignment.start_date:
            raise _error("end_date", _("The check-out cannot be before the check-in."), "before")
        return audited_update(
            actor=actor,
            instance=assignment,
            data={"end_date": end_date, "inspection_note": (inspection_note or "").strip()},
        )


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


def _engine_instance(park: Park, students: list[Student], seed: int, weights: dict[str, int]):
    """Map ``park``'s beds (taken ones marked) and ``students`` into an ``engines.allocation.Instance``."""
    from engines.allocation import Building, Floor, Instance, Room, Weights
    from engines.allocation import Student as EngineStudent

    rooms = DormRoom.objects.filter(building__park=park).select_related("building").prefetch_related("beds")
    taken = set(
        BedAssignment.objects.filter(bed__room__building__park=park, end_date__isnull=True).values_list(
            "bed_id", flat=True
        )
    )
    buildings: dict[int, dict[int, list]] = {}
    for room in rooms.order_by("building__name", "building_id", "floor", "number"):
        beds = tuple(str(b.pk) for b in sorted(room.beds.all(), key=lambda b: (b.label, b.pk)))
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
                college=str(s.college_id),
            )
            for s in students
        ),
        taken=frozenset(str(pk) for pk in taken),
        weights=Weights(**weights),
        seed=seed,
    )
    return instance, taken


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
    instance, taken = _engine_instance(park, chosen, run.seed, run.weights or {})
    say(1, 4, _("Allocating the beds"))
    result = solve(instance)
    verification = check(instance, result.assignment)
    if not verification.valid:  # pragma: no cover - the engine keeps the hard constraints
        raise _error("students", "; ".join(verification.errors), "engine_error")
    say(2, 4, _("Explaining the unmet wishes"))
    explanations = explain(instance, result.assignment)
    placed = {int(sid): int(bed) for sid, bed in result.assignment.items() if bed is not None}
    unplaced = [int(sid) for sid, bed in result.assignment.items() if bed is None]
    summary = {
        "students": len(students),
        "placed": len(placed),
        "unplaced": unplaced,
        "skipped": skipped,
        "explanations": {sid: [explanation_to_dict(e) for e in items] for sid, items in explanations.items()},
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
