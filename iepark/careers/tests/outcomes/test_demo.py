"""This area's part of the demo park, built on a small core park: three cohorts of history with turnover."""

from __future__ import annotations

import datetime
import random
from collections import Counter

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from iepark.careers.choices import ClaimStatus, LeaveReason, NotificationKind, RecordSource
from iepark.careers.models import (
    EmploymentClaim,
    EmploymentRecord,
    GraduateDestination,
    HeadcountConfirmation,
    Notification,
)
from iepark.careers.outcomes import demo, selectors
from iepark.core.audit import verify_chain
from iepark.core.choices import Role, StudentStatus
from iepark.core.demo import builder
from iepark.core.models import AuditEvent, Membership

STUDENTS = 240


@pytest.fixture(scope="module")
def park(django_db_setup, django_db_blocker):
    """Build a small core park (without the other areas' demo parts), then this area's demo."""
    with django_db_blocker.unblock(), transaction.atomic():
        actor = builder.system_user()
        saved = list(builder.DEMO_EXTENSIONS)
        builder.DEMO_EXTENSIONS.clear()
        try:
            park = builder.build_park(builder.plan_for_database(students=STUDENTS), actor=actor)
        finally:
            builder.DEMO_EXTENSIONS.extend(saved)
        demo.build(park, actor=actor, rng=random.Random("42-outcomes"), say=lambda message: None)
        yield park
        transaction.set_rollback(True)


def _first_zone_spells(park):
    first = {}
    for record in EmploymentRecord.objects.filter(student__college__park=park, employer__isnull=False).order_by(
        "start_date", "pk"
    ):
        first.setdefault(record.student_id, record)
    return list(first.values())


def _left_within_a_year(records):
    today = timezone.localdate()
    followed = [r for r in records if (today - r.start_date).days >= 365]
    left = [r for r in followed if r.end_date and (r.end_date - r.start_date).days < 365]
    return len(left) / len(followed)


def test_three_cohorts_hired_over_three_years(park, db):
    spells = _first_zone_spells(park)
    cohorts = Counter(r.student.cohort_year for r in spells)
    assert len(cohorts) == 3 and min(cohorts.values()) >= 10
    years = Counter(r.start_date.year for r in spells)
    assert len(years) >= 3
    assert all(r.start_date <= timezone.localdate() for r in spells)
    # Every record was written through the services: one creation event each.
    created = AuditEvent.objects.filter(object_type="careers.employmentrecord", action="create").count()
    assert created == EmploymentRecord.objects.filter(student__college__park=park).count()
    assert verify_chain() is None


def test_turnover_is_realistic_and_order_classes_stay_longer(park, db):
    spells = _first_zone_spells(park)
    overall = _left_within_a_year(spells)
    assert 0.15 <= overall <= 0.45, overall
    order = _left_within_a_year([r for r in spells if r.via_order_class])
    other = _left_within_a_year([r for r in spells if not r.via_order_class])
    assert order < other, (order, other)


def test_some_move_within_the_zone_and_some_leave_it(park, db):
    records = EmploymentRecord.objects.filter(student__college__park=park)
    transfers = records.filter(leave_reason=LeaveReason.TRANSFERRED)
    assert transfers.exists()
    for record in transfers:
        follow_on = records.filter(student=record.student, start_date=record.end_date, employer__isnull=False)
        assert follow_on.exclude(employer=record.employer).exists()
    assert records.filter(employer__isnull=True).exists()  # work outside the zone
    assert records.filter(leave_reason__in=[LeaveReason.RESIGNED, LeaveReason.DISMISSED]).exists()
    insured = records.filter(employer__isnull=False, social_insurance_start__isnull=False).count()
    assert insured / records.filter(employer__isnull=False).count() > 0.8


def test_headcount_confirmations_of_the_last_three_months(park, db):
    today = timezone.localdate()
    months = sorted(set(HeadcountConfirmation.objects.filter(enterprise__park=park).values_list("month", flat=True)))
    assert len(months) == 3 and months[-1] < today.replace(day=1)
    hr1 = Membership.objects.get(person__user__username="hr1", role=Role.ENTERPRISE_HR).organisation
    assert HeadcountConfirmation.objects.filter(enterprise=hr1).count() == 3
    assert not HeadcountConfirmation.objects.filter(enterprise=hr1, month=today.replace(day=1)).exists()
    for confirmation in HeadcountConfirmation.objects.filter(enterprise__park=park):
        claims = EmploymentClaim.objects.filter(
            source=RecordSource.ENTERPRISE,
            employer=confirmation.enterprise,
            as_of__gte=confirmation.month,
            as_of__lte=selectors.month_end(confirmation.month),
        )
        assert claims.filter(employed=True).count() == confirmation.confirmed
        assert claims.filter(employed=False).count() == confirmation.left
    assert sum(HeadcountConfirmation.objects.filter(enterprise__park=park).values_list("left", flat=True)) > 0


def test_college1_has_disagreements_to_settle(park, db):
    college1 = Membership.objects.get(person__user__username="college1", role=Role.COLLEGE_ADMIN)
    conflicts = EmploymentClaim.objects.filter(status=ClaimStatus.CONFLICT, student__college=college1.organisation)
    assert conflicts.count() >= 3
    assert Notification.objects.filter(recipient=college1.person.user, kind=NotificationKind.CLAIM_CONFLICT).exists()
    user = college1.person.user
    assert selectors.conflicts_to_settle(user=user).count() == conflicts.count()
    statuses = set(EmploymentClaim.objects.filter(student__college__park=park).values_list("status", flat=True))
    assert {ClaimStatus.AGREES, ClaimStatus.CONFLICT, ClaimStatus.DISMISSED, ClaimStatus.APPLIED} <= statuses


def test_graduates_have_destinations_and_a_placement_rate(park, db):
    destinations = GraduateDestination.objects.filter(student__college__park=park)
    assert destinations.exists()
    assert not destinations.exclude(student__status=StudentStatus.GRADUATED).exists()
    cohort = destinations.values_list("student__cohort_year", flat=True).first()
    year = cohort + settings.IEPARK_PROGRAMME_YEARS
    as_of = min(timezone.localdate(), datetime.date(year, 12, 31))
    result = selectors.placement(builder.system_user(), year, as_of, park=park)
    assert result["graduates"] > 0 and 0.5 < result["rate"] <= 1
