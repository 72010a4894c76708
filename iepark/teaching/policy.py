"""
Access rules of teaching, registered in the one policy (``iepark.core.policy``).

- The park's teaching is run by its **park administrators** and the Modern Industrial
  College's **coordinators** (``TEACHING_ADMIN_ROLES``): they add, change and delete
  everything of teaching in their park. The **committee** reads everything of its park.
- **Agreements**: the administrators of a college and the HR of an enterprise see the
  agreements their organisation is party to (read-only).
- **Cohorts and enrolments**: a college's administrators manage their own cohorts and
  enrolments; its student managers read them. An enterprise's HR sees the order classes it
  sponsors and their enrolments (the students' names), read-only. A teacher sees the cohorts
  taking their courses (and their rosters); a student sees their own cohorts and enrolments.
- **Courses**: a college's administrators manage the courses their college organises and see
  those taken by their cohorts; teachers see their courses; students the courses of their
  current cohorts. Teachers' unavailable times: the teacher and their college's administrators.
- **Terms, rooms and room features**: everybody in the park sees them; the teaching
  administrators keep them.
- **Timetables**: runs and their entries are the teaching administrators' (the committee
  reads them). The entries of a term's **published** run are also seen by the parties of each
  course: its teachers, the students currently in a cohort taking it, the administrators and
  student managers of the colleges whose cohorts take it (or which organise it), and the HR of
  an enterprise sponsoring an order class taking it. A calendar feed token is its user's own.
"""

from __future__ import annotations

from django.db.models import Q

from iepark.core.attachments import register_attachable
from iepark.core.choices import Role
from iepark.core.models import Organisation
from iepark.core.policy import NOTHING, Action, Actor, _in_orgs, _in_parks, add_rule, extend_rule, rule

from .choices import TimetableStatus
from .models import (
    Cohort,
    CooperationAgreement,
    Course,
    Enrolment,
    Room,
    RoomFeature,
    RoomUnavailability,
    TeacherUnavailability,
    Term,
    TimetableEntry,
    TimetableFeedToken,
    TimetableRun,
)

TEACHING_ADMIN_ROLES = frozenset({Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR})
TEACHING_READ_ROLES = TEACHING_ADMIN_ROLES | {Role.COMMITTEE_OFFICER}
COLLEGE_MANAGER_ROLES = frozenset({Role.COLLEGE_ADMIN})
COLLEGE_READER_ROLES = frozenset({Role.COLLEGE_ADMIN, Role.STUDENT_MANAGER})


def runs_teaching(actor: Actor, park_id: int | None = None) -> bool:
    """Return whether ``actor`` runs the teaching of ``park_id`` (of any park when None)."""
    if actor.is_superuser:
        return True
    parks = actor.parks(TEACHING_ADMIN_ROLES)
    return bool(parks) if park_id is None else park_id in parks


def manages_college(actor: Actor, college_id: int | None = None) -> bool:
    """Return whether ``actor`` administers ``college_id`` (any college when None)."""
    orgs = actor.orgs(COLLEGE_MANAGER_ROLES)
    return bool(orgs) if college_id is None else college_id in orgs


def _park_wide(actor: Actor, action: Action, lookup: str) -> Q:
    roles = TEACHING_READ_ROLES if action == Action.VIEW else TEACHING_ADMIN_ROLES
    return _in_parks(actor, roles, lookup)


def _subquery(model, condition: Q) -> Q:
    """Rows of ``model`` matching a join ``condition``, as ``pk__in`` (no repeated rows)."""
    return Q(pk__in=model.objects.filter(condition).values("pk"))


# --- agreements ----------------------------------------------------------------------------------


@rule(CooperationAgreement)
def agreement_scope(actor: Actor, action: Action) -> Q:
    q = _park_wide(actor, action, "park")
    if action == Action.VIEW:
        orgs = actor.orgs({Role.COLLEGE_ADMIN, Role.ENTERPRISE_HR})
        if orgs:
            q |= _subquery(CooperationAgreement, Q(parties__in=orgs))
    return q


@add_rule(CooperationAgreement)
def agreement_add(actor: Actor, instance: CooperationAgreement | None) -> bool:
    return runs_teaching(actor, None if instance is None else instance.park_id)


# Signed documents of an agreement (seen by whoever sees the agreement; added by its keepers).
register_attachable(CooperationAgreement)


# --- rooms and terms -------------------------------------------------------------------------------


def _park_resource(actor: Actor, action: Action, lookup: str) -> Q:
    if action == Action.VIEW:
        return _in_parks(actor, Role.values, lookup)
    return _in_parks(actor, TEACHING_ADMIN_ROLES, lookup)


@rule(Term)
def term_scope(actor: Actor, action: Action) -> Q:
    return _park_resource(actor, action, "park")


@add_rule(Term)
def term_add(actor: Actor, instance: Term | None) -> bool:
    return runs_teaching(actor, None if instance is None else instance.park_id)


@rule(RoomFeature)
def room_feature_scope(actor: Actor, action: Action) -> Q:
    return _park_resource(actor, action, "park")


@add_rule(RoomFeature)
def room_feature_add(actor: Actor, instance: RoomFeature | None) -> bool:
    return runs_teaching(actor, None if instance is None else instance.park_id)


@rule(Room)
def room_scope(actor: Actor, action: Action) -> Q:
    return _park_resource(actor, action, "park")


@add_rule(Room)
def room_add(actor: Actor, instance: Room | None) -> bool:
    return runs_teaching(actor, None if instance is None else instance.park_id)


@rule(RoomUnavailability)
def room_unavailability_scope(actor: Actor, action: Action) -> Q:
    return _park_resource(actor, action, "room__park")


@add_rule(RoomUnavailability)
def room_unavailability_add(actor: Actor, instance: RoomUnavailability | None) -> bool:
    return runs_teaching(actor, None if instance is None else instance.room.park_id)


# --- cohorts and enrolments --------------------------------------------------------------------------


def _cohort_q(actor: Actor, action: Action, prefix: str = "") -> Q:
    """The cohorts (under ``prefix``) the actor may act on."""
    p = prefix
    q = _park_wide(actor, action, f"{p}college__park") | _in_orgs(actor, COLLEGE_MANAGER_ROLES, f"{p}college")
    if action == Action.VIEW:
        q |= _in_orgs(actor, COLLEGE_READER_ROLES, f"{p}college")
        q |= _in_orgs(actor, {Role.ENTERPRISE_HR}, f"{p}sponsor")
        if actor.person_id:
            taught = Cohort.objects.filter(courses__teachers__person_id=actor.person_id).values("pk")
            own = Cohort.objects.filter(enrolments__student__person_id=actor.person_id).values("pk")
            q |= Q(**{f"{p}pk__in": taught}) | Q(**{f"{p}pk__in": own})
    return q


@rule(Cohort)
def cohort_scope(actor: Actor, action: Action) -> Q:
    return _cohort_q(actor, action)


@add_rule(Cohort)
def cohort_add(actor: Actor, instance: Cohort | None) -> bool:
    if instance is None:
        return runs_teaching(actor) or manages_college(actor)
    return runs_teaching(actor, instance.college.park_id) or manages_college(actor, instance.college_id)


@rule(Enrolment)
def enrolment_scope(actor: Actor, action: Action) -> Q:
    q = _park_wide(actor, action, "cohort__college__park") | _in_orgs(actor, COLLEGE_MANAGER_ROLES, "cohort__college")
    if action == Action.VIEW:
        q |= _in_orgs(actor, COLLEGE_READER_ROLES, "cohort__college")
        q |= _in_orgs(actor, {Role.ENTERPRISE_HR}, "cohort__sponsor")
        if actor.person_id:
            taught = Cohort.objects.filter(courses__teachers__person_id=actor.person_id).values("pk")
            q |= Q(cohort__in=taught) | Q(student__person_id=actor.person_id)
    return q


@add_rule(Enrolment)
def enrolment_add(actor: Actor, instance: Enrolment | None) -> bool:
    if instance is None:
        return runs_teaching(actor) or manages_college(actor)
    cohort = instance.cohort
    return runs_teaching(actor, cohort.college.park_id) or manages_college(actor, cohort.college_id)


# --- courses --------------------------------------------------------------------------------------------


@rule(Course)
def course_scope(actor: Actor, action: Action) -> Q:
    q = _park_wide(actor, action, "term__park") | _in_orgs(actor, COLLEGE_MANAGER_ROLES, "college")
    if action == Action.VIEW:
        orgs = actor.orgs(COLLEGE_READER_ROLES)
        if orgs:
            q |= Q(college__in=orgs) | _subquery(Course, Q(cohorts__college__in=orgs))
        if actor.person_id:
            q |= _subquery(Course, Q(teachers__person_id=actor.person_id))
            q |= _subquery(
                Course,
                Q(cohorts__enrolments__student__person_id=actor.person_id, cohorts__enrolments__end_date__isnull=True),
            )
    return q


@add_rule(Course)
def course_add(actor: Actor, instance: Course | None) -> bool:
    if instance is None:
        return runs_teaching(actor) or manages_college(actor)
    return runs_teaching(actor, instance.term.park_id) or manages_college(actor, instance.college_id)


@rule(TeacherUnavailability)
def teacher_unavailability_scope(actor: Actor, action: Action) -> Q:
    q = _park_wide(actor, action, "term__park") | _in_orgs(actor, COLLEGE_MANAGER_ROLES, "teacher__organisation")
    if action == Action.VIEW:
        q |= _in_orgs(actor, COLLEGE_READER_ROLES, "teacher__organisation")
        if actor.person_id:
            q |= Q(teacher__person_id=actor.person_id)
    return q


@add_rule(TeacherUnavailability)
def teacher_unavailability_add(actor: Actor, instance: TeacherUnavailability | None) -> bool:
    if instance is None:
        return runs_teaching(actor) or manages_college(actor)
    return runs_teaching(actor, instance.term.park_id) or manages_college(actor, instance.teacher.organisation_id)


@extend_rule(Organisation)
def organisation_for_teaching_admins(actor: Actor, action: Action) -> Q:
    """Coordinators run the park's teaching: they see its enterprises and operator (agreement parties, room owners)."""
    if action != Action.VIEW:
        return NOTHING
    return _in_parks(actor, {Role.COLLEGE_COORDINATOR}, "park")


# --- timetabling runs -----------------------------------------------------------------------------


@rule(TimetableRun)
def timetable_run_scope(actor: Actor, action: Action) -> Q:
    return _park_wide(actor, action, "term__park")


@add_rule(TimetableRun)
def timetable_run_add(actor: Actor, instance: TimetableRun | None) -> bool:
    return runs_teaching(actor, None if instance is None else instance.term.park_id)


@rule(TimetableEntry)
def timetable_entry_scope(actor: Actor, action: Action) -> Q:
    """Runs' entries: the teaching administrators and the committee; the **published** run's also its parties.

    A published entry is seen by the course's teachers, the students currently enrolled in a cohort
    taking the course, the administrators and student managers of the colleges whose cohorts take it
    (or which organise it), and the HR of the enterprises sponsoring an order class taking it.
    Drafts and other runs stay with the teaching administrators and the committee.
    """
    if action != Action.VIEW:
        return NOTHING  # entries are written by the run only
    q = _park_wide(actor, action, "run__term__park")
    courses = Q()
    orgs = actor.orgs(COLLEGE_READER_ROLES)
    if orgs:
        courses |= Q(college__in=orgs) | Q(cohorts__college__in=orgs)
    sponsors = actor.orgs({Role.ENTERPRISE_HR})
    if sponsors:
        courses |= Q(cohorts__sponsor__in=sponsors)
    if actor.person_id:
        courses |= Q(teachers__person_id=actor.person_id)
        courses |= Q(
            cohorts__enrolments__student__person_id=actor.person_id, cohorts__enrolments__end_date__isnull=True
        )
    if courses:
        published = Course.objects.filter(courses).values("pk")
        q |= Q(run__status=TimetableStatus.PUBLISHED, course__in=published)
    return q


@rule(TimetableFeedToken)
def timetable_feed_token_scope(actor: Actor, action: Action) -> Q:
    """A calendar feed token is its user's only (they see and regenerate it)."""
    if not actor.is_authenticated:
        return NOTHING
    return Q(user_id=actor.user.pk)


@add_rule(TimetableFeedToken)
def timetable_feed_token_add(actor: Actor, instance: TimetableFeedToken | None) -> bool:
    return actor.is_authenticated and (instance is None or instance.user_id == actor.user.pk)
