"""The teaching part of the demo park: built through the services, deterministic, fast."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from iepark.core.demo import builder
from iepark.teaching import demo
from iepark.teaching.choices import AgreementStatus, CohortType
from iepark.teaching.models import Cohort, CooperationAgreement, Course, Enrolment, Room, Term
from iepark.teaching.selectors import agreement_list
from iepark.testing import audit_count


@pytest.fixture
def demo_park(db, monkeypatch):
    """A small demo park (other apps' parts left out), with the teaching part built and timed."""
    monkeypatch.setattr(builder, "DEMO_EXTENSIONS", [])
    actor = builder.system_user()
    park = builder.build_park(builder.plan_for_database(seed=7, students=400), actor=actor)
    started = time.monotonic()
    demo.build(park, actor=actor, seed=7)
    return park, actor, time.monotonic() - started


def test_demo_is_registered():
    from iepark.core.demo.builder import DEMO_EXTENSIONS

    assert demo.build in DEMO_EXTENSIONS


def test_demo_builds_teaching_through_the_services(demo_park):
    park, actor, seconds = demo_park
    print(f"teaching demo: {seconds:.2f} s")
    assert seconds < 10
    assert Term.objects.filter(park=park).count() == 1
    assert 18 <= Room.objects.filter(park=park).count() <= 25
    cohorts = Cohort.objects.filter(college__park=park)
    assert 8 <= cohorts.count() <= 12
    order_classes = cohorts.filter(cohort_type=CohortType.ORDER_CLASS)
    assert order_classes.count() == 2
    for cohort in order_classes:
        current = cohort.enrolments.filter(end_date__isnull=True).count()
        assert 0 < current <= cohort.seats
    assert Enrolment.objects.filter(end_date__isnull=False).exclude(leave_reason="").exists()
    assert 15 <= Course.objects.filter(term__park=park).count() <= 25
    statuses = {a.current_status for a in agreement_list(user=actor).filter(park=park)}
    assert statuses == {
        AgreementStatus.ACTIVE,
        AgreementStatus.DRAFT,
        AgreementStatus.TERMINATED,
        AgreementStatus.EXPIRED,
    }
    today = timezone.localdate()
    soon = CooperationAgreement.objects.filter(
        park=park, end_date__lte=today + timezone.timedelta(days=30), end_date__gte=today
    )
    assert soon.exists()
    assert audit_count(Enrolment, "create") == Enrolment.objects.count()
    demo.build(park, actor=actor, seed=7)  # once per park
    assert Term.objects.filter(park=park).count() == 1


def test_demo_publishes_an_engine_timetable(demo_park):
    from iepark.teaching.choices import TimetableStatus
    from iepark.teaching.models import TimetableRun

    park, _actor, _seconds = demo_park
    run = TimetableRun.objects.get(term__park=park)
    assert run.status == TimetableStatus.PUBLISHED and run.hard_violations == 0
    lectures = sum(Course.objects.filter(term=run.term).values_list("lectures_per_week", flat=True))
    assert run.entries.count() == lectures
