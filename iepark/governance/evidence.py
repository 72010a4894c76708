"""
The facts an assessment reads, and the only module of governance that reads other apps' data.

Careers data (``EmploymentRecord``) is read here with read-only queries, the
way ``iepark.careers.outcomes.selectors.records_current_on`` does; nothing
else in governance imports careers models. Certificates (the certification
capability) and apprenticeships do not exist in the platform yet: their
sources are clean interfaces returning ``None`` ("no such data"), which a run
reports as missing data instead of paying nothing silently. When those
capabilities land, only ``certificate_facts`` and ``apprenticeship_facts``
change.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q

from iepark.core.models import Park

from .rules import ApprenticeshipFact, CertificateFact, EmploymentFact


def employment_facts(
    *, park: Park, start: datetime.date, end: datetime.date, look_back_months: int = 60
) -> list[EmploymentFact]:
    """
    Return the employment records of the park's graduates that may qualify in ``start``..``end``, oldest id first.

    A record qualifies on a date after its start, so records started after the period or ended
    long before it are left out; ``look_back_months`` bounds how far back a hire may lie.
    """
    from iepark.careers.models import EmploymentRecord

    earliest = datetime.date(start.year - look_back_months // 12 - 1, 1, 1)
    rows = (
        EmploymentRecord.objects.filter(student__college__park=park, start_date__lte=end, start_date__gte=earliest)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("pk")
        .values_list(
            "pk",
            "student_id",
            "student__person_id",
            "student__college_id",
            "employer_id",
            "start_date",
            "end_date",
            "social_insurance_start",
            "via_order_class",
            "contract_type",
            "student__cohort_year",
        )
    )
    years = settings.IEPARK_PROGRAMME_YEARS
    return [
        EmploymentFact(
            record_id=pk,
            student_id=student_id,
            person_id=person_id,
            college_id=college_id,
            employer_id=employer_id,
            start_date=started.isoformat(),
            end_date=ended.isoformat() if ended else None,
            insured_from=insured.isoformat() if insured else None,
            via_order_class=bool(order),
            contract_type=contract,
            graduation_year=cohort + years,
        )
        for pk, student_id, person_id, college_id, employer_id, started, ended, insured, order, contract, cohort in rows
    ]


def certificate_facts(*, park: Park, start: datetime.date, end: datetime.date) -> list[CertificateFact] | None:
    """Return the skill certificates of the park's graduates issued by ``end``; None: the platform keeps none yet."""
    return None


def apprenticeship_facts(*, park: Park, start: datetime.date, end: datetime.date) -> list[ApprenticeshipFact] | None:
    """Return the apprenticeships (新型学徒制) in the park's enterprises; None: the platform keeps none yet."""
    return None


def employment_record_url(record_id: Any) -> str | None:
    """Return the page of an employment record (careers), for evidence links."""
    from iepark.core.generic_views import object_url_for

    return object_url_for("careers.employmentrecord", record_id)
