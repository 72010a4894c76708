"""
Access rules of the operations models, registered in the one policy (``iepark.core.policy``).

Service points: everybody in the park sees them; park administrators and the
operating company's staff (operator staff of the park) add, change and delete
them, their opening hours and notices. The public portal shows active points
and their notices valid today.

Dormitories: park administrators and operator staff of the park keep the
buildings, rooms and beds, check students in and out and run allocations. The
committee and the colleges' administrators, coordinators and student managers
of the park see the buildings and rooms (with their occupancy figures); a
college's administrators and student managers see the assignments of their own
students (read-only); a student sees their own assignments and the room and
building of their current bed. Nobody else sees anything of the dormitories.

Housing wishes (accessibility needs, a roommate request): the student records
their own; their college's administrators and student managers, and the park's
dormitory keepers, see and record them for the student.

Room transfer requests: the student (or their college's staff on their behalf)
asks; the college's student managers and administrators approve or reject;
the park's dormitory keepers see every request of the park and carry out the
approved ones. Each step checks its own role (``decides_transfers``,
``keeps_dormitories``, ``is_own_student``) on top of the scope below.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from iepark.core.attachments import register_attachable
from iepark.core.choices import Role
from iepark.core.models import Student
from iepark.core.policy import NOTHING, Action, Actor, _in_orgs, _in_parks, add_rule, extend_rule, public_rule, rule

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

# Who keeps the park's service points.
SERVICE_KEEPER_ROLES = frozenset({Role.PARK_ADMIN, Role.OPERATOR_STAFF})


def keeps_service_points(actor: Actor, park_id: int | None = None) -> bool:
    """Return whether ``actor`` keeps the service points of ``park_id`` (of any park when None)."""
    parks = actor.parks(SERVICE_KEEPER_ROLES)
    return bool(parks) if park_id is None else park_id in parks


def _service_point_q(actor: Actor, action: Action, prefix: str = "") -> Q:
    if action == Action.VIEW:
        return _in_parks(actor, Role.values, f"{prefix}park")
    return _in_parks(actor, SERVICE_KEEPER_ROLES, f"{prefix}park")


# --- service points -----------------------------------------------------------------------------


@rule(ServicePoint)
def service_point_scope(actor: Actor, action: Action) -> Q:
    return _service_point_q(actor, action)


@add_rule(ServicePoint)
def service_point_add(actor: Actor, instance: ServicePoint | None) -> bool:
    return keeps_service_points(actor, None if instance is None else instance.park_id)


@public_rule(ServicePoint)
def service_point_public() -> Q:
    return Q(is_active=True)


@rule(OpeningPeriod)
def opening_period_scope(actor: Actor, action: Action) -> Q:
    return _service_point_q(actor, action, "service_point__")


@add_rule(OpeningPeriod)
def opening_period_add(actor: Actor, instance: OpeningPeriod | None) -> bool:
    return keeps_service_points(actor, None if instance is None else instance.service_point.park_id)


@public_rule(OpeningPeriod)
def opening_period_public() -> Q:
    return Q(service_point__is_active=True)


@rule(ServiceNotice)
def service_notice_scope(actor: Actor, action: Action) -> Q:
    return _service_point_q(actor, action, "service_point__")


@add_rule(ServiceNotice)
def service_notice_add(actor: Actor, instance: ServiceNotice | None) -> bool:
    return keeps_service_points(actor, None if instance is None else instance.service_point.park_id)


def current_notice_q(today=None, prefix: str = "") -> Q:
    """Return the notices valid on ``today`` (the park's date by default)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}valid_from__lte": today}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": today})
    )


@public_rule(ServiceNotice)
def service_notice_public() -> Q:
    return Q(service_point__is_active=True) & current_notice_q()


# --- dormitories ---------------------------------------------------------------------------------

# Who keeps the park's dormitories (buildings, rooms, check-in and check-out, allocations).
DORM_KEEPER_ROLES = frozenset({Role.PARK_ADMIN, Role.OPERATOR_STAFF})
# Who else sees the buildings and rooms of the park, with their occupancy figures.
DORM_PARK_READER_ROLES = frozenset(
    {Role.COMMITTEE_OFFICER, Role.COLLEGE_ADMIN, Role.COLLEGE_COORDINATOR, Role.STUDENT_MANAGER}
)
# College staff who see their own students' dormitory records.
DORM_COLLEGE_ROLES = frozenset({Role.COLLEGE_ADMIN, Role.STUDENT_MANAGER})


def keeps_dormitories(actor: Actor, park_id: int | None = None) -> bool:
    """Return whether ``actor`` keeps the dormitories of ``park_id`` (of any park when None)."""
    parks = actor.parks(DORM_KEEPER_ROLES)
    return bool(parks) if park_id is None else park_id in parks


def sees_dormitories(actor: Actor) -> bool:
    """Return whether ``actor`` sees the dormitory pages (buildings and occupancy)."""
    return actor.is_superuser or bool(actor.parks(DORM_KEEPER_ROLES | DORM_PARK_READER_ROLES))


def _own_room_q(actor: Actor, prefix: str) -> Q:
    """The rooms (under ``prefix``) where the actor, a student, holds a current bed."""
    if not actor.person_id:
        return NOTHING
    return Q(
        **{
            f"{prefix}beds__assignments__student__person_id": actor.person_id,
            f"{prefix}beds__assignments__end_date__isnull": True,
        }
    )


def _dorm_structure_q(actor: Actor, action: Action, model: type, park_lookup: str, room_prefix: str) -> Q:
    q = _in_parks(actor, DORM_KEEPER_ROLES, park_lookup)
    if action == Action.VIEW:
        q |= _in_parks(actor, DORM_PARK_READER_ROLES, park_lookup)
        own = _own_room_q(actor, room_prefix)
        if own is not NOTHING:
            # A join over the student's beds, wrapped in ``pk__in`` so that rows are not repeated.
            q |= Q(pk__in=model.objects.filter(own).values("pk"))
    return q


@rule(DormBuilding)
def dorm_building_scope(actor: Actor, action: Action) -> Q:
    return _dorm_structure_q(actor, action, DormBuilding, "park", "rooms__")


@add_rule(DormBuilding)
def dorm_building_add(actor: Actor, instance: DormBuilding | None) -> bool:
    return keeps_dormitories(actor, None if instance is None else instance.park_id)


@rule(DormRoom)
def dorm_room_scope(actor: Actor, action: Action) -> Q:
    return _dorm_structure_q(actor, action, DormRoom, "building__park", "")


@add_rule(DormRoom)
def dorm_room_add(actor: Actor, instance: DormRoom | None) -> bool:
    return keeps_dormitories(actor, None if instance is None else instance.building.park_id)


@rule(Bed)
def bed_scope(actor: Actor, action: Action) -> Q:
    q = _in_parks(actor, DORM_KEEPER_ROLES, "room__building__park")
    if action == Action.VIEW:
        q |= _in_parks(actor, DORM_PARK_READER_ROLES, "room__building__park")
    return q


@add_rule(Bed)
def bed_add(actor: Actor, instance: Bed | None) -> bool:
    return keeps_dormitories(actor, None if instance is None else instance.room.building.park_id)


@rule(BedAssignment)
def bed_assignment_scope(actor: Actor, action: Action) -> Q:
    q = _in_parks(actor, DORM_KEEPER_ROLES, "bed__room__building__park")
    if action == Action.VIEW:
        q |= _in_orgs(actor, DORM_COLLEGE_ROLES, "student__college")
        if actor.person_id:
            q |= Q(student__person_id=actor.person_id)
    return q


# Photos of the damage found at check-out (seen by whoever sees the stay; added by the keepers).
register_attachable(BedAssignment)


@add_rule(BedAssignment)
def bed_assignment_add(actor: Actor, instance: BedAssignment | None) -> bool:
    return keeps_dormitories(actor, None if instance is None else instance.bed.room.building.park_id)


@rule(AllocationRun)
def allocation_run_scope(actor: Actor, action: Action) -> Q:
    return _in_parks(actor, DORM_KEEPER_ROLES, "park")


@add_rule(AllocationRun)
def allocation_run_add(actor: Actor, instance: AllocationRun | None) -> bool:
    return keeps_dormitories(actor, None if instance is None else instance.park_id)


@extend_rule(Student)
def student_for_dorm_keepers(actor: Actor, action: Action) -> Q:
    """Operator staff see the students of their park (to check them in and out and allocate beds)."""
    if action != Action.VIEW:
        return NOTHING
    parks = actor.parks({Role.OPERATOR_STAFF})
    return Q(college__park__in=parks) if parks else NOTHING


# --- housing wishes and room transfers ---------------------------------------------------------------


def is_own_student(actor: Actor, student: Student) -> bool:
    """Return whether ``student`` is the actor's own student record."""
    return bool(actor.person_id) and student.person_id == actor.person_id


def decides_transfers(actor: Actor, student: Student) -> bool:
    """Return whether ``actor`` approves or rejects ``student``'s transfer requests (their college's managers)."""
    return actor.is_superuser or student.college_id in actor.orgs(DORM_COLLEGE_ROLES)


def records_wishes_for(actor: Actor, student: Student) -> bool:
    """Return whether ``actor`` may record ``student``'s housing wishes (the student, college staff, keepers)."""
    return (
        actor.is_superuser
        or is_own_student(actor, student)
        or student.college_id in actor.orgs(DORM_COLLEGE_ROLES)
        or keeps_dormitories(actor, student.college.park_id)
    )


def _student_records_q(actor: Actor, prefix: str = "student__") -> Q:
    """The rows (of a student under ``prefix``) the student, their college's staff and the park's keepers see."""
    q = _in_parks(actor, DORM_KEEPER_ROLES, f"{prefix}college__park") | _in_orgs(
        actor, DORM_COLLEGE_ROLES, f"{prefix}college"
    )
    if actor.person_id:
        q |= Q(**{f"{prefix}person_id": actor.person_id})
    return q


@rule(HousingWish)
def housing_wish_scope(actor: Actor, action: Action) -> Q:
    return _student_records_q(actor)


@add_rule(HousingWish)
def housing_wish_add(actor: Actor, instance: HousingWish | None) -> bool:
    if instance is None:
        return actor.has_role(Role.STUDENT) or bool(actor.orgs(DORM_COLLEGE_ROLES)) or keeps_dormitories(actor)
    return records_wishes_for(actor, instance.student)


@rule(RoomTransferRequest)
def room_transfer_scope(actor: Actor, action: Action) -> Q:
    if action == Action.DELETE:
        return NOTHING  # requests are cancelled or rejected, never deleted
    return _student_records_q(actor)


@add_rule(RoomTransferRequest)
def room_transfer_add(actor: Actor, instance: RoomTransferRequest | None) -> bool:
    if instance is None:
        return actor.has_role(Role.STUDENT) or bool(actor.orgs(DORM_COLLEGE_ROLES))
    student = instance.student
    return is_own_student(actor, student) or student.college_id in actor.orgs(DORM_COLLEGE_ROLES)
