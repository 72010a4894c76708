"""
Reads of the analytics, always scoped by the acting user through the policy.

Each reader sees the figures of the rows the careers policy lets them see:
the committee, park administrators and coordinators the zone's records, a
college its own graduates, an enterprise its own employees. Every function
runs a fixed number of queries (``values()`` rows, no query per row).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language

from iepark.core import policy
from iepark.core.choices import COLLEGE_KINDS, OrganisationKind, StudentStatus
from iepark.core.models import Major, Organisation, Park, Student

from ..choices import PlanStatus
from ..employers import selectors as employers_selectors
from ..models import DemandLine, DemandPlan, EmploymentRecord, StudentProfile
from ..outcomes import selectors as outcomes_selectors
from .retention import Employment


def display_name(name: str, name_en: str) -> str:
    """Return the name in the active language (the Chinese name when there is no English one)."""
    return name_en if (get_language() or "").startswith("en") and name_en else name


def programme_years() -> int:
    return int(getattr(settings, "IEPARK_PROGRAMME_YEARS", 3))


# ---------------------------------------------------------------------------
# Employment records.
# ---------------------------------------------------------------------------


def employment_record_list(
    *,
    user: Any,
    park: Park | None = None,
    cohort: int | None = None,
    college: Organisation | None = None,
    major: Major | None = None,
) -> QuerySet[EmploymentRecord]:
    """
    Return the employment records ``user`` may see, of graduates matching the filters.

    The filters are about the person (park, cohort, college, major), never
    about the employer: leaving one enterprise for another must stay visible
    to tell a move within the zone from leaving it.
    """
    qs = outcomes_selectors.employment_record_list(user=user)
    if park is not None:
        qs = qs.filter(student__college__park=park)
    if cohort is not None:
        qs = qs.filter(student__cohort_year=cohort)
    if college is not None:
        qs = qs.filter(student__college=college)
    if major is not None:
        qs = qs.filter(student__major=major)
    return qs


@dataclass
class Labels:
    """Display names of the groups found in the records, by id."""

    colleges: dict[int, str] = field(default_factory=dict)
    majors: dict[int, str] = field(default_factory=dict)
    enterprises: dict[int, str] = field(default_factory=dict)


EMPLOYMENT_FIELDS = (
    "pk",
    "student_id",
    "employer_id",
    "start_date",
    "end_date",
    "leave_reason",
    "social_insurance_start",
    "via_order_class",
    "student__cohort_year",
    "student__college_id",
    "student__college__name",
    "student__college__name_en",
    "student__major_id",
    "student__major__name",
    "student__major__name_en",
    "employer__name",
    "employer__name_en",
)


def employments(
    *,
    user: Any,
    park: Park | None = None,
    cohort: int | None = None,
    college: Organisation | None = None,
    major: Major | None = None,
) -> tuple[list[Employment], Labels]:
    """Return the visible records as the retention engine's ``Employment`` values, with the groups' names (1 query)."""
    records = []
    labels = Labels()
    rows = employment_record_list(user=user, park=park, cohort=cohort, college=college, major=major).values_list(
        *EMPLOYMENT_FIELDS
    )
    for (
        pk,
        student_id,
        employer_id,
        start,
        end,
        reason,
        insured_from,
        order_class,
        cohort_year,
        college_id,
        college_name,
        college_name_en,
        major_id,
        major_name,
        major_name_en,
        employer_name,
        employer_name_en,
    ) in rows.order_by().iterator(chunk_size=5000):
        records.append(
            Employment(
                person=student_id,
                employer=employer_id,
                start=start,
                end=end,
                reason=reason,
                insured_from=insured_from,
                attrs={"cohort": cohort_year, "college": college_id, "major": major_id, "order_class": order_class},
                id=pk,
            )
        )
        if college_id not in labels.colleges:
            labels.colleges[college_id] = display_name(college_name, college_name_en)
        if major_id not in labels.majors:
            labels.majors[major_id] = display_name(major_name, major_name_en)
        if employer_id is not None and employer_id not in labels.enterprises:
            labels.enterprises[employer_id] = display_name(employer_name, employer_name_en)
    return records, labels


# ---------------------------------------------------------------------------
# Choices of the filters: what the user may see, or meets in the records they may see.
# ---------------------------------------------------------------------------


def park_list(*, user: Any) -> QuerySet[Park]:
    return policy.restrict(Park.objects.all(), user)


def enterprise_list(*, user: Any, park: Park | None = None) -> QuerySet[Organisation]:
    """Return the enterprises ``user`` may see, or whose employees' records they may see."""
    visible = policy.restrict(Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE), user).values("pk")
    employers = employment_record_list(user=user).filter(employer__isnull=False).values("employer_id")
    qs = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).filter(Q(pk__in=visible) | Q(pk__in=employers))
    if park is not None:
        qs = qs.filter(park=park)
    return qs.order_by("name")


def visible_enterprise_ids(*, user: Any) -> list[int]:
    """Return the ids of the enterprises ``user`` may see (the choices of the records list's employer filter)."""
    return list(
        policy.restrict(Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE), user).values_list(
            "pk", flat=True
        )
    )


def college_list(*, user: Any, park: Park | None = None) -> QuerySet[Organisation]:
    """Return the colleges ``user`` may see, or whose graduates' records they may see."""
    visible = policy.restrict(Organisation.objects.filter(kind__in=COLLEGE_KINDS), user).values("pk")
    graduates = employment_record_list(user=user).values("student__college_id")
    qs = Organisation.objects.filter(kind__in=COLLEGE_KINDS).filter(Q(pk__in=visible) | Q(pk__in=graduates))
    if park is not None:
        qs = qs.filter(park=park)
    return qs.order_by("name")


def major_list(*, user: Any, park: Park | None = None) -> QuerySet[Major]:
    qs = policy.restrict(Major.objects.all(), user)
    if park is not None:
        qs = qs.filter(park=park)
    return qs.order_by("code")


# ---------------------------------------------------------------------------
# Graduates: supply and placement.
# ---------------------------------------------------------------------------


def student_list(*, user: Any, park: Park | None = None) -> QuerySet[Student]:
    """Return the students ``user`` may see who have not withdrawn."""
    qs = policy.restrict(Student.objects.exclude(status=StudentStatus.WITHDRAWN), user)
    if park is not None:
        qs = qs.filter(college__park=park)
    return qs


def expected_graduates(*, user: Any, years: Iterable[int], park: Park | None = None) -> list[dict[str, Any]]:
    """
    Return the students expected to graduate in ``years``, by year and major (2 queries).

    A cohort that entered in year C graduates in C + ``IEPARK_PROGRAMME_YEARS``;
    withdrawn students do not count. ``certified`` counts those whose career
    profile lists a certificate. Rows: ``{"year", "major_id", "major", "code",
    "expected", "certified"}``, by year then major code.
    """
    span = programme_years()
    cohorts = sorted({year - span for year in years})
    students = student_list(user=user, park=park).filter(cohort_year__in=cohorts)
    counts = (
        students.values("cohort_year", "major_id", "major__code", "major__name", "major__name_en")
        .annotate(n=Count("pk"))
        .order_by()
    )
    profiles = (
        policy.restrict(StudentProfile.objects.exclude(certificates="").filter(student__in=students), user)
        .values("student__cohort_year", "student__major_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    certified = {(row["student__cohort_year"], row["student__major_id"]): row["n"] for row in profiles}
    rows = [
        {
            "year": row["cohort_year"] + span,
            "major_id": row["major_id"],
            "major": display_name(row["major__name"], row["major__name_en"]),
            "code": row["major__code"],
            "expected": row["n"],
            "certified": certified.get((row["cohort_year"], row["major_id"]), 0),
        }
        for row in counts
    ]
    rows.sort(key=lambda row: (row["year"], row["code"], row["major_id"]))
    return rows


def graduate_profiles(*, user: Any, years: Iterable[int], park: Park | None = None) -> list[tuple[int, str]]:
    """Return ``(graduation year, skills and certificates text)`` of the visible graduating students' profiles."""
    span = programme_years()
    students = student_list(user=user, park=park).filter(cohort_year__in={year - span for year in years})
    rows = policy.restrict(StudentProfile.objects.filter(student__in=students), user).values_list(
        "student__cohort_year", "skills", "certificates"
    )
    return [(cohort + span, f"{skills}\n{certificates}") for cohort, skills, certificates in rows.order_by()]


def placement(*, user: Any, graduation_year: int, as_of: datetime.date, park: Park | None = None) -> dict[str, Any]:
    """Return the placement of the graduating class of ``graduation_year`` (the outcomes area's definition)."""
    return outcomes_selectors.placement(user, graduation_year, as_of, park=park)


def graduation_years(*, user: Any) -> list[int]:
    return outcomes_selectors.graduation_years(user=user)


# ---------------------------------------------------------------------------
# Demand.
# ---------------------------------------------------------------------------


def zone_demand(*, user: Any, park: Park | None = None) -> list[dict[str, Any]]:
    """Return the demand by year and major of the submitted plans ``user`` may see (the employers area's roll-up)."""
    return employers_selectors.zone_demand(user, park=park)


def demand_skill_lines(*, user: Any, years: Iterable[int], park: Park | None = None) -> list[dict[str, Any]]:
    """
    Return the demand lines of ``years`` with their skills and certificates (2 queries).

    The lines counted are those ``zone_demand`` counts: of submitted plans, and
    where an enterprise submitted several plans covering a year, only the one
    submitted last.
    """
    years = set(years)
    plans = policy.restrict(DemandPlan.objects.filter(status=PlanStatus.SUBMITTED), user)
    if park is not None:
        plans = plans.filter(enterprise__park=park)
    earliest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    latest: dict[tuple[int, int], tuple[datetime.datetime, int]] = {}
    for pk, enterprise_id, year_from, year_to, submitted_at in plans.values_list(
        "pk", "enterprise_id", "year_from", "year_to", "submitted_at"
    ):
        for year in years & set(range(year_from, year_to + 1)):
            rank = (submitted_at or earliest, pk)
            if (enterprise_id, year) not in latest or rank > latest[(enterprise_id, year)]:
                latest[(enterprise_id, year)] = rank
    winners = {(enterprise_id, year): rank[1] for (enterprise_id, year), rank in latest.items()}
    if not winners:
        return []
    lines = policy.restrict(DemandLine.objects.filter(plan_id__in=set(winners.values()), year__in=years), user).values(
        "plan_id", "plan__enterprise_id", "year", "skills", "certificates", "headcount"
    )
    return [
        line for line in lines.order_by() if winners.get((line["plan__enterprise_id"], line["year"])) == line["plan_id"]
    ]
