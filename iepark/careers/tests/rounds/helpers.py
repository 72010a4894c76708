"""Scene-setting for the rounds' tests: rounds, positions, extra students and lists, written directly."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from iepark.careers.choices import RoundStatus
from iepark.careers.models import MatchingRound, RoundMatch, RoundPosition, RoundStudentList, StudentProfile
from iepark.careers.testing import make_posting
from iepark.core.choices import StudentStatus
from iepark.core.models import Organisation, Person, Student
from iepark.testing import World

COHORT = 2024  # the persona students' cohort


def make_round(
    world: World, *, status: str = RoundStatus.OPEN, cohort_year: int = COHORT, **fields: Any
) -> MatchingRound:
    return MatchingRound.objects.create(
        park=fields.pop("park", world.park),
        name=fields.pop("name", f"{cohort_year} 届毕业双选"),
        cohort_year=cohort_year,
        deadline=fields.pop("deadline", timezone.now() + datetime.timedelta(days=7)),
        offer_deadline=fields.pop("offer_deadline", timezone.localdate() + datetime.timedelta(days=14)),
        status=status,
        **fields,
    )


def make_position(
    world: World, matching_round: MatchingRound, enterprise: Organisation | None = None, *, capacity: int = 1, **fields
) -> RoundPosition:
    posting = make_posting(world, enterprise, title=fields.pop("title", "操作工"), **fields)
    return RoundPosition.objects.create(round=matching_round, posting=posting, capacity=capacity)


def make_student(
    world: World, serial: int, *, college: Organisation | None = None, cohort_year: int = COHORT, **fields
) -> Student:
    person = Person.objects.create(park=world.park, name=f"学生{serial}", name_en=f"Student {serial}")
    return Student.objects.create(
        person=person,
        college=college or world.college_a,
        major=fields.pop("major", world.major),
        student_number=f"S{serial:04d}",
        cohort_year=cohort_year,
        status=fields.pop("status", StudentStatus.IN_PARK),
    )


def make_list(matching_round: MatchingRound, student: Student, positions: list[RoundPosition]) -> RoundStudentList:
    return RoundStudentList.objects.create(
        round=matching_round, student=student, preferences=[p.pk for p in positions], submitted_at=timezone.now()
    )


def make_profile(student: Student, **fields: Any) -> StudentProfile:
    return StudentProfile.objects.create(student=student, **fields)


def make_match(matching_round: MatchingRound, student: Student, position: RoundPosition | None, **fields) -> RoundMatch:
    return RoundMatch.objects.create(
        round=matching_round,
        student=student,
        position=position,
        choice_rank=fields.pop("choice_rank", 1 if position else None),
        explanation=fields.pop("explanation", []),
    )


class Scene:
    """
    A small round: three positions (E1 × 2, E2 × 1), the two persona students and ten more, with lists.

    Popularity is skewed (most want E1's first position); E1 ranks its first
    position with a tie, E2 submits no ranking (everyone acceptable, tied).
    """

    def __init__(self, world: World, *, status: str = RoundStatus.OPEN, seed: int | None = None) -> None:
        self.world = world
        self.round = make_round(world, status=status, seed=seed)
        self.p1 = make_position(world, self.round, capacity=2, title="化工操作工")
        self.p2 = make_position(world, self.round, capacity=3, title="设备维修工")
        self.p3 = make_position(world, self.round, world.enterprise_2, capacity=2, title="电厂运行值班员")
        extra = [make_student(world, i, college=world.college_a if i % 2 else world.college_b) for i in range(1, 11)]
        self.students = [world.a_student, world.b_student, *extra]
        orders = [
            [self.p1, self.p2, self.p3],
            [self.p1, self.p3],
            [self.p1, self.p2],
            [self.p1, self.p3, self.p2],
            [self.p1],
            [self.p2, self.p1],
            [self.p1, self.p2, self.p3],
            [self.p3, self.p1],
            [self.p1, self.p3],
            [self.p2],
            [self.p1, self.p2],
            [self.p3, self.p2, self.p1],
        ]
        self.lists = [make_list(self.round, s, order) for s, order in zip(self.students, orders, strict=True)]
        applicants_p1 = [s.pk for s, order in zip(self.students, orders, strict=True) if self.p1 in order]
        # E1 ranks its first position: the first two tied, then the rest, leaving one unranked.
        self.p1.ranking = [applicants_p1[:2], *applicants_p1[2:-1]]
        self.p1.ranking_submitted_at = timezone.now()
        self.p1.save()
