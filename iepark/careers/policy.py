"""
Access rules of the careers models, registered in the one policy module (``iepark.core.policy``).

In short (``docs/access.md`` has the table):

- an enterprise's HR sees and changes only its own profile, plans, postings,
  applicants, offers and employees; its mentors see its postings and applicants;
- the park's vetters (park administrators, committee officers, the industrial
  college's coordinators and college administrators) see what awaits vetting;
- students see vetted postings of vetted employers, and their own profile,
  applications, lists, results and records;
- a college's staff see their own students' applications and outcomes;
- the committee (park-wide roles) and the coordinator see the zone's records.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from iepark.core.choices import Role
from iepark.core.models import Student
from iepark.core.policy import (
    COLLEGE_STAFF_ROLES,
    NOTHING,
    PARK_WIDE_READ_ROLES,
    STUDENT_EDITOR_ROLES,
    Action,
    Actor,
    _in_orgs,
    _in_parks,
    add_rule,
    extend_rule,
    public_rule,
    rule,
)

from .choices import RoundStatus, VettingStatus
from .models import (
    Application,
    DemandLine,
    DemandPlan,
    EmployerProfile,
    EmploymentClaim,
    EmploymentRecord,
    GraduateDestination,
    HeadcountConfirmation,
    Interview,
    LivingSection,
    MatchingRound,
    Notification,
    Offer,
    Posting,
    RoundMatch,
    RoundPosition,
    RoundStudentList,
    StudentProfile,
)

# Who vets new employers and postings for the park.
VETTER_ROLES = frozenset({Role.PARK_ADMIN, Role.COMMITTEE_OFFICER, Role.COLLEGE_COORDINATOR, Role.COLLEGE_ADMIN})
# Who reads the zone's careers records and aggregates.
ZONE_READ_ROLES = PARK_WIDE_READ_ROLES | {Role.COLLEGE_COORDINATOR}
# Who runs matching rounds.
ROUND_MANAGER_ROLES = frozenset({Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR})
# Who keeps graduates' outcomes for a college.
OUTCOME_EDITOR_ROLES = STUDENT_EDITOR_ROLES


def is_vetter(actor: Actor, park_id: int) -> bool:
    return actor.is_superuser or park_id in actor.parks(VETTER_ROLES)


def manages_rounds(actor: Actor, park_id: int) -> bool:
    return actor.is_superuser or park_id in actor.parks(ROUND_MANAGER_ROLES)


def _own_student(actor: Actor, prefix: str) -> Q:
    return Q(**{f"{prefix}person_id": actor.person_id}) if actor.person_id else NOTHING


def _students_outcomes_read(actor: Actor, prefix: str) -> Q:
    """Rows about students (``prefix`` reaches the Student): own, own college's, or the zone's."""
    return (
        _own_student(actor, prefix)
        | _in_orgs(actor, COLLEGE_STAFF_ROLES, f"{prefix}college")
        | _in_parks(actor, ZONE_READ_ROLES, f"{prefix}college__park")
    )


# --- employers and demand ----------------------------------------------------------------


@rule(EmployerProfile)
def employer_profile_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return (
            _in_orgs(actor, [Role.ENTERPRISE_HR, Role.ENTERPRISE_MENTOR], "organisation")
            | _in_parks(actor, VETTER_ROLES, "organisation__park")
            | (Q(vetting_status=VettingStatus.APPROVED) & _in_parks(actor, Role.values, "organisation__park"))
        )
    if action == Action.CHANGE:
        return _in_orgs(actor, [Role.ENTERPRISE_HR], "organisation") | _in_parks(
            actor, [Role.PARK_ADMIN], "organisation__park"
        )
    return _in_parks(actor, [Role.PARK_ADMIN], "organisation__park")


@add_rule(EmployerProfile)
def employer_profile_add(actor: Actor, instance: EmployerProfile | None) -> bool:
    if instance is None:
        return bool(actor.orgs([Role.ENTERPRISE_HR]) or actor.parks([Role.PARK_ADMIN]))
    org = instance.organisation
    return org.pk in actor.orgs([Role.ENTERPRISE_HR]) or org.park_id in actor.parks([Role.PARK_ADMIN])


@public_rule(EmployerProfile)
def employer_profile_public() -> Q:
    return Q(vetting_status=VettingStatus.APPROVED, organisation__is_active=True)


def _plan_scope(actor: Actor, action: Action, prefix: str) -> Q:
    p = prefix
    if action == Action.VIEW:
        return (
            _in_orgs(actor, [Role.ENTERPRISE_HR], f"{p}enterprise")
            | _in_parks(actor, ZONE_READ_ROLES, f"{p}enterprise__park")
            | (Q(**{f"{p}status": "submitted"}) & _in_parks(actor, [Role.COLLEGE_ADMIN], f"{p}enterprise__park"))
        )
    return _in_orgs(actor, [Role.ENTERPRISE_HR], f"{p}enterprise")


@rule(DemandPlan)
def demand_plan_scope(actor: Actor, action: Action) -> Q:
    return _plan_scope(actor, action, "")


@add_rule(DemandPlan)
def demand_plan_add(actor: Actor, instance: DemandPlan | None) -> bool:
    if instance is None:
        return bool(actor.orgs([Role.ENTERPRISE_HR]))
    return instance.enterprise_id in actor.orgs([Role.ENTERPRISE_HR])


@rule(DemandLine)
def demand_line_scope(actor: Actor, action: Action) -> Q:
    return _plan_scope(actor, action, "plan__")


@add_rule(DemandLine)
def demand_line_add(actor: Actor, instance: DemandLine | None) -> bool:
    if instance is None:
        return bool(actor.orgs([Role.ENTERPRISE_HR]))
    return instance.plan.enterprise_id in actor.orgs([Role.ENTERPRISE_HR])


def visible_posting_q(prefix: str = "") -> Q:
    """Postings students and the public may see: vetted, of a vetted employer."""
    return Q(
        **{
            f"{prefix}vetting_status": VettingStatus.APPROVED,
            f"{prefix}enterprise__employer_profile__vetting_status": VettingStatus.APPROVED,
        }
    )


@rule(Posting)
def posting_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return (
            _in_orgs(actor, [Role.ENTERPRISE_HR, Role.ENTERPRISE_MENTOR], "enterprise")
            | (~Q(vetting_status=VettingStatus.DRAFT) & _in_parks(actor, VETTER_ROLES, "enterprise__park"))
            | (visible_posting_q() & _in_parks(actor, Role.values, "enterprise__park"))
        )
    if action == Action.CHANGE:
        return _in_orgs(actor, [Role.ENTERPRISE_HR], "enterprise") | _in_parks(
            actor, [Role.PARK_ADMIN], "enterprise__park"
        )
    return _in_orgs(actor, [Role.ENTERPRISE_HR], "enterprise")


@add_rule(Posting)
def posting_add(actor: Actor, instance: Posting | None) -> bool:
    if instance is None:
        return bool(actor.orgs([Role.ENTERPRISE_HR]))
    return instance.enterprise_id in actor.orgs([Role.ENTERPRISE_HR])


@public_rule(Posting)
def posting_public() -> Q:
    return visible_posting_q() & Q(is_public=True, enterprise__is_active=True)


# --- students' side -----------------------------------------------------------------------


@rule(StudentProfile)
def student_profile_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        q = _students_outcomes_read(actor, "student__")
        hr = actor.orgs([Role.ENTERPRISE_HR, Role.ENTERPRISE_MENTOR])
        if hr:
            # An employer sees the profiles of the students who applied to it.
            q |= Q(student__in=Application.objects.filter(posting__enterprise__in=hr).values("student_id"))
        return q
    if action == Action.CHANGE:
        return _own_student(actor, "student__") | _in_orgs(actor, STUDENT_EDITOR_ROLES, "student__college")
    return NOTHING


@add_rule(StudentProfile)
def student_profile_add(actor: Actor, instance: StudentProfile | None) -> bool:
    if instance is None:
        return Role.STUDENT in actor.roles or bool(actor.orgs(STUDENT_EDITOR_ROLES))
    student = instance.student
    return student.person_id == actor.person_id or student.college_id in actor.orgs(STUDENT_EDITOR_ROLES)


def _application_scope(actor: Actor, action: Action, prefix: str) -> Q:
    p = prefix
    if action == Action.VIEW:
        return _students_outcomes_read(actor, f"{p}student__") | _in_orgs(
            actor, [Role.ENTERPRISE_HR, Role.ENTERPRISE_MENTOR], f"{p}posting__enterprise"
        )
    if action == Action.CHANGE:
        # The enterprise moves the pipeline; the student answers and withdraws (the services say which step).
        return _in_orgs(actor, [Role.ENTERPRISE_HR], f"{p}posting__enterprise") | _own_student(actor, f"{p}student__")
    return NOTHING


@rule(Application)
def application_scope(actor: Actor, action: Action) -> Q:
    return _application_scope(actor, action, "")


@add_rule(Application)
def application_add(actor: Actor, instance: Application | None) -> bool:
    if instance is None:
        return Role.STUDENT in actor.roles
    return actor.person_id is not None and instance.student.person_id == actor.person_id


@rule(Interview)
def interview_scope(actor: Actor, action: Action) -> Q:
    return _application_scope(actor, action, "application__")


@add_rule(Interview)
def interview_add(actor: Actor, instance: Interview | None) -> bool:
    if instance is None:
        return bool(actor.orgs([Role.ENTERPRISE_HR]))
    return instance.application.posting.enterprise_id in actor.orgs([Role.ENTERPRISE_HR])


@rule(Offer)
def offer_scope(actor: Actor, action: Action) -> Q:
    return _application_scope(actor, action, "application__")


@add_rule(Offer)
def offer_add(actor: Actor, instance: Offer | None) -> bool:
    if instance is None:
        return bool(actor.orgs([Role.ENTERPRISE_HR]))
    return instance.application.posting.enterprise_id in actor.orgs([Role.ENTERPRISE_HR])


@rule(Notification)
def notification_scope(actor: Actor, action: Action) -> Q:
    if action in (Action.VIEW, Action.CHANGE):
        return Q(recipient_id=actor.user.pk)
    return NOTHING


@add_rule(Notification)
def notification_add(actor: Actor, instance: Any) -> bool:
    return False  # sent by the services only


# --- matching rounds -----------------------------------------------------------------------


def _round_participants(actor: Actor, prefix: str) -> Q:
    """
    Rounds (under ``prefix``) past their draft that a park member takes part in or follows.

    Staff, enterprises and colleges of the park see every such round; a student
    sees only the rounds of their own cohort.
    """
    p = prefix
    q = _in_parks(actor, set(Role.values) - {Role.STUDENT}, f"{p}park")
    if Role.STUDENT in actor.roles and actor.person_id:
        from iepark.core.models import Student

        own_cohorts = Student.objects.filter(person_id=actor.person_id).values("cohort_year")
        q |= _in_parks(actor, [Role.STUDENT], f"{p}park") & Q(**{f"{p}cohort_year__in": own_cohorts})
    return ~Q(**{f"{p}status": RoundStatus.DRAFT}) & q


@rule(MatchingRound)
def matching_round_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return _in_parks(actor, ROUND_MANAGER_ROLES | ZONE_READ_ROLES, "park") | _round_participants(actor, "")
    return _in_parks(actor, ROUND_MANAGER_ROLES, "park")


@add_rule(MatchingRound)
def matching_round_add(actor: Actor, instance: MatchingRound | None) -> bool:
    if instance is None:
        return bool(actor.parks(ROUND_MANAGER_ROLES))
    return instance.park_id in actor.parks(ROUND_MANAGER_ROLES)


@rule(RoundPosition)
def round_position_scope(actor: Actor, action: Action) -> Q:
    managers = _in_parks(actor, ROUND_MANAGER_ROLES, "round__park")
    if action == Action.VIEW:
        return (
            managers
            | _in_parks(actor, ZONE_READ_ROLES, "round__park")
            | _in_orgs(actor, [Role.ENTERPRISE_HR], "posting__enterprise")
            | _round_participants(actor, "round__")
        )
    if action == Action.CHANGE:
        # The enterprise submits its ranking of the position's applicants.
        return managers | _in_orgs(actor, [Role.ENTERPRISE_HR], "posting__enterprise")
    return managers


@add_rule(RoundPosition)
def round_position_add(actor: Actor, instance: RoundPosition | None) -> bool:
    if instance is None:
        return bool(actor.parks(ROUND_MANAGER_ROLES))
    return instance.round.park_id in actor.parks(ROUND_MANAGER_ROLES)


@rule(RoundStudentList)
def round_list_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return (
            _own_student(actor, "student__")
            | _in_parks(actor, ROUND_MANAGER_ROLES, "round__park")
            | _in_orgs(actor, COLLEGE_STAFF_ROLES, "student__college")
        )
    if action == Action.CHANGE:
        return _own_student(actor, "student__")
    return NOTHING


@add_rule(RoundStudentList)
def round_list_add(actor: Actor, instance: RoundStudentList | None) -> bool:
    if instance is None:
        return Role.STUDENT in actor.roles
    return actor.person_id is not None and instance.student.person_id == actor.person_id


@rule(RoundMatch)
def round_match_scope(actor: Actor, action: Action) -> Q:
    if action != Action.VIEW:
        return NOTHING  # computed by the engine, never edited
    published = Q(round__status=RoundStatus.PUBLISHED)
    return _in_parks(actor, ROUND_MANAGER_ROLES | ZONE_READ_ROLES, "round__park") | (
        published
        & (
            _own_student(actor, "student__")
            | _in_orgs(actor, COLLEGE_STAFF_ROLES, "student__college")
            | _in_orgs(actor, [Role.ENTERPRISE_HR], "position__posting__enterprise")
        )
    )


@add_rule(RoundMatch)
def round_match_add(actor: Actor, instance: Any) -> bool:
    return False


# --- outcomes --------------------------------------------------------------------------------


def _outcome_change(actor: Actor, prefix: str) -> Q:
    return _in_orgs(actor, OUTCOME_EDITOR_ROLES, f"{prefix}college") | _in_parks(
        actor, [Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR], f"{prefix}college__park"
    )


@rule(EmploymentRecord)
def employment_record_scope(actor: Actor, action: Action) -> Q:
    employer = _in_orgs(actor, [Role.ENTERPRISE_HR], "employer")
    if action == Action.VIEW:
        return _students_outcomes_read(actor, "student__") | employer
    if action == Action.CHANGE:
        return _outcome_change(actor, "student__") | employer
    return _in_parks(actor, [Role.PARK_ADMIN], "student__college__park") | _in_orgs(
        actor, [Role.COLLEGE_ADMIN], "student__college"
    )


@add_rule(EmploymentRecord)
def employment_record_add(actor: Actor, instance: EmploymentRecord | None) -> bool:
    editors = OUTCOME_EDITOR_ROLES | {Role.ENTERPRISE_HR}
    if instance is None:
        return bool(actor.orgs(editors) or actor.parks([Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR]))
    college = instance.student.college
    return (
        college.pk in actor.orgs(OUTCOME_EDITOR_ROLES)
        or college.park_id in actor.parks([Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR])
        or (instance.employer_id is not None and instance.employer_id in actor.orgs([Role.ENTERPRISE_HR]))
    )


@rule(EmploymentClaim)
def employment_claim_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return _students_outcomes_read(actor, "student__") | _in_orgs(actor, [Role.ENTERPRISE_HR], "employer")
    if action == Action.CHANGE:
        return _outcome_change(actor, "student__")  # settling a disagreement
    return NOTHING


@add_rule(EmploymentClaim)
def employment_claim_add(actor: Actor, instance: EmploymentClaim | None) -> bool:
    if instance is None:
        return bool(actor.roles & (OUTCOME_EDITOR_ROLES | {Role.ENTERPRISE_HR, Role.STUDENT}))
    student = instance.student
    return (
        student.person_id == actor.person_id
        or student.college_id in actor.orgs(OUTCOME_EDITOR_ROLES)
        or (instance.employer_id is not None and instance.employer_id in actor.orgs([Role.ENTERPRISE_HR]))
    )


@rule(HeadcountConfirmation)
def headcount_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return _in_orgs(actor, [Role.ENTERPRISE_HR], "enterprise") | _in_parks(
            actor, ZONE_READ_ROLES, "enterprise__park"
        )
    return NOTHING  # a confirmation is a record of what was said; a new month gets a new one


@add_rule(HeadcountConfirmation)
def headcount_add(actor: Actor, instance: HeadcountConfirmation | None) -> bool:
    if instance is None:
        return bool(actor.orgs([Role.ENTERPRISE_HR]))
    return instance.enterprise_id in actor.orgs([Role.ENTERPRISE_HR])


@rule(GraduateDestination)
def destination_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return _students_outcomes_read(actor, "student__")
    return _outcome_change(actor, "student__")


@add_rule(GraduateDestination)
def destination_add(actor: Actor, instance: GraduateDestination | None) -> bool:
    if instance is None:
        return bool(actor.orgs(OUTCOME_EDITOR_ROLES) or actor.parks([Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR]))
    college = instance.student.college
    return college.pk in actor.orgs(OUTCOME_EDITOR_ROLES) or college.park_id in actor.parks(
        [Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR]
    )


# --- the public portal's "living in the park" ---------------------------------------------------


@rule(LivingSection)
def living_section_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return _in_parks(actor, Role.values, "park")
    return _in_parks(actor, [Role.PARK_ADMIN, Role.OPERATOR_STAFF], "park")


@add_rule(LivingSection)
def living_section_add(actor: Actor, instance: LivingSection | None) -> bool:
    roles = [Role.PARK_ADMIN, Role.OPERATOR_STAFF]
    if instance is None:
        return bool(actor.parks(roles))
    return instance.park_id in actor.parks(roles)


@public_rule(LivingSection)
def living_section_public() -> Q:
    return Q()


# --- what careers grants on core models ------------------------------------------------------


@extend_rule(Student)
def student_scope_for_employers(actor: Actor, action: Action) -> Q:
    """An enterprise's HR and mentors see the student records of their applicants and (former) employees."""
    if action != Action.VIEW:
        return NOTHING
    orgs = actor.orgs([Role.ENTERPRISE_HR, Role.ENTERPRISE_MENTOR])
    if not orgs:
        return NOTHING
    return Q(pk__in=Application.objects.filter(posting__enterprise__in=orgs).values("student_id")) | Q(
        pk__in=EmploymentRecord.objects.filter(employer__in=orgs).values("student_id")
    )
