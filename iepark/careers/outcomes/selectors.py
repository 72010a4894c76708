"""
Reads of employment records, claims, headcount confirmations and graduate destinations, scoped by the policy.

Conventions shared with the services and the analytics:

- a record is **current on a day D** when ``start_date <= D`` and it has no
  end date or ``end_date > D``: the end date is the day the graduate left
  (from that day on they no longer work there), so a transfer's follow-on
  record may start on the previous record's end date;
- a graduate's **destination on a day D** is their latest destination with
  ``as_of <= D``; a graduate without one counts as not yet placed;
- the **graduating class of year G** is the cohort that entered in
  ``G - settings.IEPARK_PROGRAMME_YEARS``; its graduates are those students
  with the status "graduated".
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from iepark.core import policy
from iepark.core import selectors as core_selectors
from iepark.core.choices import OrganisationKind, Role, StudentStatus
from iepark.core.models import Organisation, Park, Student
from iepark.core.policy import Action

from ..choices import ClaimStatus, ContractType, DestinationCategory
from ..models import (
    Application,
    EmploymentClaim,
    EmploymentRecord,
    GraduateDestination,
    HeadcountConfirmation,
)

# --- dates -------------------------------------------------------------------------------------


def current_on_q(day: datetime.date, prefix: str = "") -> Q:
    """Return the ``Q`` of employment records current on ``day`` (``prefix`` reaches the record)."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day})
    )


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def headcount_as_of(month: datetime.date, today: datetime.date | None = None) -> datetime.date:
    """Return the day a month's headcount speaks of: the month's last day, or today during the month itself."""
    today = today or timezone.localdate()
    return min(month_end(month), today)


def graduation_cohort(graduation_year: int) -> int:
    """Return the cohort year of the students graduating in ``graduation_year``."""
    return graduation_year - settings.IEPARK_PROGRAMME_YEARS


# --- employment records --------------------------------------------------------------------


def employment_record_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[EmploymentRecord]:
    qs = EmploymentRecord.objects.select_related(
        "student__person", "student__college", "student__major", "employer", "offer"
    )
    return policy.restrict(qs, user, action)


def employment_records_of(*, user: Any, student: Student) -> QuerySet[EmploymentRecord]:
    """Return the graduate's records the user may see, oldest first (the spells in order)."""
    return employment_record_list(user=user).filter(student=student).order_by("start_date", "pk")


def records_current_on(student_ids: Any, day: datetime.date) -> dict[int, list[EmploymentRecord]]:
    """
    Return ``{student id: [records current on day]}`` for the given students, unscoped.

    Services use it to compare a claim with the records; the caller has already
    been allowed to act on these students.
    """
    result: dict[int, list[EmploymentRecord]] = defaultdict(list)
    rows = EmploymentRecord.objects.filter(student_id__in=list(student_ids)).filter(current_on_q(day))
    for record in rows.select_related("employer").order_by("start_date", "pk"):
        result[record.student_id].append(record)
    return result


def employable_students(*, user: Any) -> QuerySet[Student]:
    """
    Return the students the user may open an employment record for.

    The students the user may see, and for an enterprise's HR also the students
    who applied to the enterprise's postings (HR cannot list the park's students,
    but it hires its applicants).
    """
    visible = policy.restrict(Student.objects.all(), user)
    actor = policy.actor_for(user)
    hr_orgs = actor.orgs([Role.ENTERPRISE_HR]) if actor.is_authenticated else set()
    q = Q(pk__in=visible.values("pk"))
    if hr_orgs and not actor.is_superuser:
        applicants = policy.restrict(Application.objects.filter(posting__enterprise__in=hr_orgs), user)
        q |= Q(pk__in=applicants.values("student_id"))
    return Student.objects.filter(q).select_related("person", "college").order_by("college__name", "student_number")


def employer_choices(*, user: Any) -> QuerySet[Organisation]:
    """
    Return the zone enterprises the user may name as an employer.

    The enterprises the user may see, and the active enterprises of the parks
    the user belongs to: a college recording where its graduates work, or a
    student saying where they work, names the zone's enterprises, whose names
    are public in the park (the careers portal lists them).
    """
    actor = policy.actor_for(user)
    orgs = policy.restrict(Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE), user)
    q = Q(pk__in=orgs.values("pk"))
    if actor.is_authenticated and actor.parks():
        q |= Q(park__in=actor.parks(), is_active=True)
    return Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).filter(q).order_by("name")


def own_student(*, user: Any) -> Student | None:
    """Return the requesting user's own student record, if they are a student."""
    actor = policy.actor_for(user)
    if not actor.person_id:
        return None
    return core_selectors.student_list(user=user).filter(person_id=actor.person_id).first()


# --- claims and confirmations ----------------------------------------------------------------


def employment_claim_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[EmploymentClaim]:
    qs = EmploymentClaim.objects.select_related(
        "student__person", "student__college", "record__employer", "employer", "settled_by"
    )
    return policy.restrict(qs, user, action)


def conflicts_to_settle(*, user: Any) -> QuerySet[EmploymentClaim]:
    """Return the disagreements the user may settle (claims in conflict within the user's CHANGE scope)."""
    return employment_claim_list(user=user, action=Action.CHANGE).filter(status=ClaimStatus.CONFLICT)


def headcount_confirmation_list(*, user: Any) -> QuerySet[HeadcountConfirmation]:
    return policy.restrict(HeadcountConfirmation.objects.select_related("enterprise"), user)


def headcount_roster(*, enterprise: Organisation, month: datetime.date) -> QuerySet[EmploymentRecord]:
    """
    Return the records an enterprise confirms for a month: its graduates current on the month's day.

    Unscoped: the caller shows it only to those allowed to confirm (or read) the
    enterprise's headcount.
    """
    day = headcount_as_of(month_start(month))
    return (
        EmploymentRecord.objects.filter(employer=enterprise)
        .filter(current_on_q(day))
        .select_related("student__person", "student__college", "student__major", "employer")
        .order_by("student__person__name", "pk")
    )


def headcount_claims(*, user: Any, confirmation: HeadcountConfirmation) -> QuerySet[EmploymentClaim]:
    """Return the per-person claims a confirmation made (the enterprise's claims dated in its month)."""
    return employment_claim_list(user=user).filter(
        source="enterprise",
        employer=confirmation.enterprise,
        as_of__gte=confirmation.month,
        as_of__lte=month_end(confirmation.month),
    )


# --- destinations ----------------------------------------------------------------------------


def destination_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[GraduateDestination]:
    qs = GraduateDestination.objects.select_related("student__person", "student__college", "student__major", "employer")
    return policy.restrict(qs, user, action)


# Contract types that make a contract (or flexible) employment destination.
CONTRACT_DESTINATION = {
    ContractType.OPEN_ENDED: DestinationCategory.CONTRACT_EMPLOYMENT,
    ContractType.FIXED_TERM: DestinationCategory.CONTRACT_EMPLOYMENT,
    ContractType.APPRENTICESHIP: DestinationCategory.CONTRACT_EMPLOYMENT,
    ContractType.DISPATCH: DestinationCategory.CONTRACT_EMPLOYMENT,
    ContractType.FLEXIBLE: DestinationCategory.FLEXIBLE_EMPLOYMENT,
}


def destination_suggestion(*, user: Any, student: Student, as_of: datetime.date) -> dict[str, Any]:
    """
    Return the destination a graduate's zone employment suggests on ``as_of`` (empty if none).

    The graduate's current zone record (one the user may see) prefills a
    contract or flexible employment at that employer; an internship agreement
    suggests nothing.
    """
    record = (
        employment_record_list(user=user)
        .filter(student=student, employer__isnull=False)
        .filter(current_on_q(as_of))
        .order_by("-start_date", "-pk")
        .first()
    )
    if record is None or record.contract_type not in CONTRACT_DESTINATION:
        return {}
    return {
        "category": CONTRACT_DESTINATION[record.contract_type],
        "employer": record.employer,
        "detail": record.post,
        "record": record,
    }


def placement(user: Any, graduation_year: int, as_of: datetime.date, park: Park | None = None) -> dict[str, Any]:
    """
    Return the placement of the graduating class of ``graduation_year`` on ``as_of``, as the user may see it.

    Graduates are the students of cohort ``graduation_year - IEPARK_PROGRAMME_YEARS``
    with the status "graduated" that the user may see (in ``park`` when given).
    Each counts under their latest destination on or before ``as_of``; one
    without a destination counts as not yet placed. The placement rate is
    ``(graduates - not yet placed) / graduates`` (None without graduates).
    Two queries whatever the number of graduates.

    Returns::

        {
            "graduation_year": int, "cohort_year": int, "as_of": date,
            "graduates": int, "placed": int, "not_placed": int,
            "without_destination": int,          # included in not_placed
            "rate": float | None,                # placed / graduates
            "categories": {category value: int, ...},  # every DestinationCategory; not_placed includes
                                                       # the graduates without a destination
            "colleges": [                         # one per college with graduates, by name
                {"college_id": int, "college": str, "graduates": int, "placed": int, "not_placed": int,
                 "without_destination": int, "rate": float | None, "categories": {...}},
            ],
        }
    """
    cohort = graduation_cohort(graduation_year)
    graduates = policy.restrict(Student.objects.filter(cohort_year=cohort, status=StudentStatus.GRADUATED), user)
    if park is not None:
        graduates = graduates.filter(college__park=park)
    latest = (
        GraduateDestination.objects.filter(student=OuterRef("pk"), as_of__lte=as_of)
        .order_by("-as_of", "-pk")
        .values("category")[:1]
    )
    rows = (
        graduates.annotate(destination=Subquery(latest))
        .order_by()
        .values("college_id", "destination")
        .annotate(n=Count("pk"))
    )
    per_college: dict[int, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        per_college[row["college_id"]][row["destination"]] += row["n"]
    names = {org.pk: str(org) for org in Organisation.objects.filter(pk__in=list(per_college))}

    def summary(counts: dict[str | None, int]) -> dict[str, Any]:
        total = sum(counts.values())
        without = counts.get(None, 0)
        categories = {value: counts.get(value, 0) for value in DestinationCategory.values}
        categories[DestinationCategory.NOT_PLACED] += without
        not_placed = categories[DestinationCategory.NOT_PLACED]
        return {
            "graduates": total,
            "placed": total - not_placed,
            "not_placed": not_placed,
            "without_destination": without,
            "rate": (total - not_placed) / total if total else None,
            "categories": categories,
        }

    overall: dict[str | None, int] = defaultdict(int)
    for counts in per_college.values():
        for key, n in counts.items():
            overall[key] += n
    colleges = [
        {"college_id": college_id, "college": names.get(college_id, ""), **summary(counts)}
        for college_id, counts in per_college.items()
    ]
    colleges.sort(key=lambda c: c["college"])
    return {
        "graduation_year": graduation_year,
        "cohort_year": cohort,
        "as_of": as_of,
        **summary(overall),
        "colleges": colleges,
    }


def graduation_years(*, user: Any) -> list[int]:
    """Return the graduation years of the cohorts with graduates the user may see, latest first."""
    cohorts = (
        policy.restrict(Student.objects.filter(status=StudentStatus.GRADUATED), user)
        .order_by()
        .values_list("cohort_year", flat=True)
        .distinct()
    )
    return sorted({c + settings.IEPARK_PROGRAMME_YEARS for c in cohorts}, reverse=True)
