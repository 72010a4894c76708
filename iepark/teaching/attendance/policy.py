"""
Access rules of attendance, registered in the one policy (``iepark.core.policy``).

- **Sessions** (a lecture on a date, with its records): the course's **teachers** see them and take or
  correct their attendance (CHANGE); the **administrators and student managers of a college** read the
  sessions of courses their cohorts take; the park's **teaching administrators** (park administrators,
  coordinators) and the **committee** read the park's. Nobody deletes a session.
- **Records**: written only through the session (its teachers) and by leave decisions; read by the
  course's teachers, the student's **home college's** administrators and student managers, the
  **student** themself, and the park's teaching administrators and committee.
- **Leave requests**: a student asks for their own leave (a college's administrator or student manager
  may file one for a student of their college); the student's home college's student managers and
  administrators decide it (CHANGE); the student withdraws their pending request; the park's teaching
  administrators and committee read them. Attachments (a doctor's note) follow the request.
- **Settings** (the threshold): everybody in the park reads them; the park's teaching administrators
  change them.
- Nothing of another park is visible.
"""

from __future__ import annotations

from django.db.models import Q

from iepark.core.attachments import register_attachable
from iepark.core.choices import Role
from iepark.core.policy import NOTHING, Action, Actor, _in_orgs, _in_parks, add_rule, rule
from iepark.teaching.models import Cohort
from iepark.teaching.policy import TEACHING_ADMIN_ROLES, TEACHING_READ_ROLES, runs_teaching

from .choices import LeaveStatus
from .models import AttendanceRecord, AttendanceSession, AttendanceSetting, LeaveRequest

# Who keeps an eye on a college's students' attendance and decides their leave.
COLLEGE_WATCH_ROLES = frozenset({Role.COLLEGE_ADMIN, Role.STUDENT_MANAGER})


def watches_college(actor: Actor, college_id: int | None = None) -> bool:
    """Return whether ``actor`` is an administrator or student manager of ``college_id`` (any when None)."""
    orgs = actor.orgs(COLLEGE_WATCH_ROLES)
    return bool(orgs) if college_id is None else college_id in orgs


def reads_park(actor: Actor, park_id: int | None = None) -> bool:
    """Return whether ``actor`` reads the attendance of the whole park (teaching administrators, committee)."""
    if actor.is_superuser:
        return True
    parks = actor.parks(TEACHING_READ_ROLES)
    return bool(parks) if park_id is None else park_id in parks


def teaches(actor: Actor) -> bool:
    return bool(actor.person_id) and Role.TEACHER in actor.roles


def sees_rates(actor: Actor) -> bool:
    """Who the rates pages are for: college administrators and student managers, park readers, teachers."""
    return actor.is_superuser or watches_college(actor) or reads_park(actor) or teaches(actor)


@rule(AttendanceSession)
def session_scope(actor: Actor, action: Action) -> Q:
    if action == Action.DELETE:
        return NOTHING
    q = NOTHING
    if actor.person_id:
        q = Q(course__teachers__person_id=actor.person_id)
        # A subquery keeps rows single when a course has several teachers.
        q = Q(pk__in=AttendanceSession.objects.filter(q).values("pk"))
    if action == Action.VIEW:
        q |= _in_parks(actor, TEACHING_READ_ROLES, "course__term__park")
        orgs = actor.orgs(COLLEGE_WATCH_ROLES)
        if orgs:
            q |= Q(course__in=Cohort.objects.filter(college__in=orgs).values("courses"))
    return q


@add_rule(AttendanceSession)
def session_add(actor: Actor, instance: AttendanceSession | None) -> bool:
    """A course's teachers take its attendance (which creates the session)."""
    if instance is None:
        return teaches(actor)
    return bool(actor.person_id) and instance.course.teachers.filter(person_id=actor.person_id).exists()


@rule(AttendanceRecord)
def record_scope(actor: Actor, action: Action) -> Q:
    if action != Action.VIEW:
        return NOTHING  # written through the session's services only
    q = _in_parks(actor, TEACHING_READ_ROLES, "session__course__term__park")
    q |= _in_orgs(actor, COLLEGE_WATCH_ROLES, "student__college")
    if actor.person_id:
        q |= Q(student__person_id=actor.person_id)
        q |= Q(session__course__in=_taught_courses(actor))
    return q


def _taught_courses(actor: Actor):
    from iepark.teaching.models import Course

    return Course.objects.filter(teachers__person_id=actor.person_id).values("pk")


@rule(LeaveRequest)
def leave_scope(actor: Actor, action: Action) -> Q:
    if action == Action.DELETE:
        return NOTHING  # a request is withdrawn, never deleted
    # Only the student and their college's student managers and administrators: a request's reason
    # and proof (often a doctor's note) are health data, which the park's administrators and the
    # committee do not need (they read attendance rates, where excused sessions count as excused).
    q = _in_orgs(actor, COLLEGE_WATCH_ROLES, "student__college")
    if action == Action.VIEW:
        if actor.person_id:
            q |= Q(student__person_id=actor.person_id)
    elif actor.person_id:
        # The student changes their own request while it is pending (withdraws it).
        q |= Q(student__person_id=actor.person_id, status=LeaveStatus.PENDING)
    return q


@add_rule(LeaveRequest)
def leave_add(actor: Actor, instance: LeaveRequest | None) -> bool:
    if instance is None:
        return watches_college(actor) or (bool(actor.person_id) and Role.STUDENT in actor.roles)
    student = instance.student
    if actor.person_id and student.person_id == actor.person_id:
        return True
    return watches_college(actor, student.college_id)


# A doctor's note or other proof hangs on the request: seen by whoever sees the request.
register_attachable(LeaveRequest)


@rule(AttendanceSetting)
def setting_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return _in_parks(actor, Role.values, "park")
    if action == Action.CHANGE:
        return _in_parks(actor, TEACHING_ADMIN_ROLES, "park")
    return NOTHING


@add_rule(AttendanceSetting)
def setting_add(actor: Actor, instance: AttendanceSetting | None) -> bool:
    return runs_teaching(actor, None if instance is None else instance.park_id)
