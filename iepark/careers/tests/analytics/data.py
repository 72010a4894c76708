"""Database fixtures of the analytics tests: ``fixtures.HISTORY`` as employment records of the persona world."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from iepark.careers.choices import DestinationCategory, PlanHorizon, PlanStatus
from iepark.careers.models import DemandLine, DemandPlan, GraduateDestination, StudentProfile
from iepark.careers.testing import make_employment
from iepark.core.choices import StudentStatus
from iepark.core.models import Major, Person, Student
from iepark.testing import World

from .fixtures import E1, HISTORY, d

COHORT = 2020  # graduates in 2023 (IEPARK_PROGRAMME_YEARS = 3)
GRADUATION_YEAR = 2023


def make_student(world: World, college: Any, serial: int, *, cohort: int = COHORT, major: Major | None = None, **extra):
    person = Person.objects.create(park=world.park, name=f"毕业生{serial}", name_en=f"Graduate {serial}")
    return Student.objects.create(
        person=person,
        college=college,
        major=major or world.major,
        student_number=f"G{serial:05d}",
        cohort_year=cohort,
        **extra,
    )


def build_history(world: World) -> dict[str, Student]:
    """Write the hand-computed history (people A–I) and return their students by letter."""
    colleges = {"ca": world.college_a, "cb": world.college_b}
    employers = {E1: world.enterprise_1, "E2": world.enterprise_2, None: None}
    students: dict[str, Student] = {}
    for person, employer, start, end, reason, insured, college, order_class in HISTORY:
        if person not in students:
            students[person] = make_student(
                world, colleges[college], 100 + len(students), status=StudentStatus.GRADUATED
            )
        record = make_employment(
            students[person],
            employers[employer],
            d(start),
            d(end) if end else None,
            reason=reason,
            insured=insured is not None,
            via_order_class=order_class,
        )
        if insured not in (None, "start"):
            record.social_insurance_start = d(insured)
            record.save(update_fields=["social_insurance_start"])
    for letter, category in (("A", "contract_employment"), ("B", "contract_employment"), ("C", "not_placed")):
        GraduateDestination.objects.create(
            student=students[letter], category=DestinationCategory(category), as_of=datetime.date(2023, 7, 1)
        )
    return students


def make_hires(world: World, n: int, start: int, *, college: Any = None, employer: Any = None) -> None:
    """Add ``n`` graduates hired by E1 in 2023, half of whom left (for query counts)."""
    for i in range(n):
        student = make_student(world, college or world.college_a, 1000 + start + i)
        make_employment(
            student,
            employer or world.enterprise_1,
            datetime.date(2023, 1, 1) + datetime.timedelta(days=i),
            datetime.date(2023, 9, 1) if i % 2 else None,
            reason="resigned" if i % 2 else "",
        )


def build_supply_and_demand(world: World, *, year: int | None = None) -> dict[str, Any]:
    """
    Give E1 a submitted plan asking for 10 of ``world.major`` in ``year`` (next year by default), and 6
    students of that major graduating then (one withdrawn, two with certificates).
    """
    year = year or timezone.localdate().year + 1
    plan = DemandPlan.objects.create(
        enterprise=world.enterprise_1,
        title="三年用工计划",
        horizon=PlanHorizon.THREE_YEARS,
        year_from=year,
        year_to=year + 2,
        status=PlanStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    DemandLine.objects.create(
        plan=plan, year=year, post="化工操作工", major=world.major, headcount=10, skills="焊接、DCS操作"
    )
    for i in range(6):
        student = make_student(
            world,
            world.college_a if i < 4 else world.college_b,
            500 + i,
            cohort=year - 3,
            status=StudentStatus.WITHDRAWN if i == 5 else StudentStatus.ENROLLED,
        )
        if i < 2:
            StudentProfile.objects.create(student=student, certificates="化工总控工", skills="DCS操作")
    return {"year": year, "plan": plan}
