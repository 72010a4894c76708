"""Reads of matching rounds, always scoped by the acting user through the policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from iepark.core import policy
from iepark.core.choices import Role, StudentStatus
from iepark.core.models import Student
from iepark.core.policy import Action

from ..models import MatchingRound, RoundMatch, RoundPosition, RoundStudentList, StudentProfile
from ..policy import ROUND_MANAGER_ROLES, ZONE_READ_ROLES, manages_rounds

# Students in these states take no part in a round of their cohort.
NOT_ELIGIBLE_STATUSES = (StudentStatus.WITHDRAWN, StudentStatus.GRADUATED)


def round_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[MatchingRound]:
    return policy.restrict(MatchingRound.objects.select_related("park", "job"), user, action)


def round_position_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[RoundPosition]:
    qs = RoundPosition.objects.select_related("round", "posting", "posting__enterprise")
    return policy.restrict(qs, user, action)


def round_student_list_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[RoundStudentList]:
    qs = RoundStudentList.objects.select_related(
        "round", "student", "student__person", "student__college", "student__major"
    )
    return policy.restrict(qs, user, action)


def round_match_list(*, user: Any) -> QuerySet[RoundMatch]:
    qs = RoundMatch.objects.select_related(
        "round",
        "student",
        "student__person",
        "student__college",
        "student__major",
        "position",
        "position__posting",
        "position__posting__enterprise",
    )
    return policy.restrict(qs, user)


def sees_round_report(user: Any, matching_round: MatchingRound) -> bool:
    """Return whether ``user`` reads the round's whole results: its managers and the zone's readers."""
    actor = policy.actor_for(user)
    return actor.is_superuser or matching_round.park_id in actor.parks(ROUND_MANAGER_ROLES | ZONE_READ_ROLES)


def sees_explanation(user: Any, match: RoundMatch) -> bool:
    """
    Return whether ``user`` may read why ``match``'s student did not get their higher choices.

    The explanation tells how other enterprises ranked the student, so only the
    student and those who read the whole round see it; the student's college and
    the employer see the outcome only.
    """
    actor = policy.actor_for(user)
    return sees_round_report(user, match.round) or (
        actor.person_id is not None and match.student.person_id == actor.person_id
    )


def graduating_cohort(today: datetime.date) -> int:
    """Return the cohort that graduates at the end of the school year of ``today`` (years start in September)."""
    years = getattr(settings, "IEPARK_PROGRAMME_YEARS", 3)
    return today.year + (1 if today.month >= 9 else 0) - years


def eligible_students(matching_round: MatchingRound) -> QuerySet[Student]:
    """
    Return the students who may take part in ``matching_round`` (not scoped: for services).

    They are the park's students of the round's cohort year who have neither
    withdrawn nor graduated.
    """
    return Student.objects.filter(
        college__park_id=matching_round.park_id, cohort_year=matching_round.cohort_year
    ).exclude(status__in=NOT_ELIGIBLE_STATUSES)


def student_of(user: Any) -> Student | None:
    """Return the acting user's own student record, if they are a student."""
    actor = policy.actor_for(user)
    if actor.person_id is None:
        return None
    return Student.objects.select_related("college", "major").filter(person_id=actor.person_id).first()


def is_eligible(student: Student | None, matching_round: MatchingRound) -> bool:
    return (
        student is not None
        and student.college.park_id == matching_round.park_id
        and student.cohort_year == matching_round.cohort_year
        and student.status not in NOT_ELIGIBLE_STATUSES
    )


def applicant_ids(position: RoundPosition) -> list[int]:
    """Return the ids of the students who put ``position`` on their list (not scoped: for services)."""
    rows = RoundStudentList.objects.filter(round_id=position.round_id).values_list("student_id", "preferences")
    return sorted(student_id for student_id, preferences in rows if position.pk in (preferences or []))


@dataclass
class Applicant:
    """A student who listed a position, as the enterprise ranking it sees them."""

    student: Student
    profile: StudentProfile | None
    rank: int | None  # the rank number the enterprise gave (equal numbers tie), None when unranked

    @property
    def eligible(self) -> bool:
        return self.student.status not in NOT_ELIGIBLE_STATUSES


def rank_numbers(ranking: list[Any]) -> dict[int, int]:
    """Return each ranked student's rank number (1-based, tied students share theirs) from a stored ranking."""
    numbers: dict[int, int] = {}
    for number, entry in enumerate(ranking or [], start=1):
        for student_id in entry if isinstance(entry, list) else [entry]:
            numbers[int(student_id)] = number
    return numbers


def round_position_applicants(*, user: Any, position: RoundPosition) -> list[Applicant]:
    """
    Return the students who listed ``position``, with their career profiles and rank numbers.

    Only who ranks the position (its enterprise's HR, the round's managers) may
    read its applicants: access comes from the position, since the students'
    lists and records are otherwise not the enterprise's to see. The students'
    other choices are not exposed.
    """
    if not policy.can(user, Action.CHANGE, position):
        raise PermissionDenied
    ids = applicant_ids(position)
    students = Student.objects.filter(pk__in=ids).select_related("person", "college", "major")
    profiles = {p.student_id: p for p in StudentProfile.objects.filter(student_id__in=ids)}
    numbers = rank_numbers(position.ranking)
    applicants = [Applicant(student=s, profile=profiles.get(s.pk), rank=numbers.get(s.pk)) for s in students]
    applicants.sort(key=lambda a: (a.rank is None, a.rank or 0, a.student.student_number, a.student.pk))
    return applicants


def manages_round(user: Any, matching_round: MatchingRound) -> bool:
    """Return whether ``user`` runs ``matching_round`` (a coordinator or administrator of its park)."""
    return manages_rounds(policy.actor_for(user), matching_round.park_id)


def hr_enterprises(user: Any) -> set[int]:
    """Return the enterprises whose HR the user is."""
    return policy.actor_for(user).orgs([Role.ENTERPRISE_HR])
