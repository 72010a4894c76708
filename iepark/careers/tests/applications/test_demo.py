"""This area's part of the demo park, built on a small core park with a few open postings."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.db import transaction

from iepark.careers.applications import demo
from iepark.careers.choices import ApplicationStatus, InterviewStatus, OfferStatus, RecordSource, VettingStatus
from iepark.careers.models import Application, EmployerProfile, EmploymentRecord, Interview, Offer, Posting
from iepark.core.choices import OrganisationKind
from iepark.core.demo import builder
from iepark.core.models import AuditEvent, Membership

from .helpers import in_days

STUDENTS = 120


@pytest.fixture(scope="module")
def park(django_db_setup, django_db_blocker):
    """Build a small core park (without the other areas' demo parts), add postings, run this area's demo."""
    with django_db_blocker.unblock(), transaction.atomic():
        actor = builder.system_user()
        saved = list(builder.DEMO_EXTENSIONS)
        builder.DEMO_EXTENSIONS.clear()
        try:
            park = builder.build_park(builder.plan_for_database(students=STUDENTS), actor=actor)
        finally:
            builder.DEMO_EXTENSIONS.extend(saved)
        hr1 = Membership.objects.get(person__user__username="hr1").organisation
        enterprises = [hr1, *park.organisations.filter(kind=OrganisationKind.ENTERPRISE).exclude(pk=hr1.pk)[:3]]
        for n, enterprise in enumerate(enterprises):
            EmployerProfile.objects.create(
                organisation=enterprise, summary="简介", vetting_status=VettingStatus.APPROVED
            )
            for k in range(2):
                posting = Posting.objects.create(
                    enterprise=enterprise,
                    title=f"岗位{n}-{k}",
                    description="职责",
                    pay_min=5000,
                    pay_max=8000,
                    start_date=in_days(200),
                    closes_on=in_days(60),
                    vetting_status=VettingStatus.APPROVED,
                )
                posting.majors.set(park.majors.all()[k::2])
        Posting.objects.create(
            enterprise=hr1,
            title="已截止",
            description="x",
            closes_on=in_days(-1),
            vetting_status=VettingStatus.APPROVED,
        )
        demo.build(park, actor=actor, rng=random.Random("42-applications"), say=lambda message: None)
        yield park
        transaction.set_rollback(True)


def test_applications_span_every_status_and_stay_within_the_park(park, db):
    applications = Application.objects.filter(posting__enterprise__park=park)
    statuses = Counter(applications.values_list("status", flat=True))
    assert set(statuses) == set(ApplicationStatus.values)
    assert not applications.filter(posting__title="已截止").exists()  # only open postings
    assert not applications.exclude(student__college__park=park).exists()
    # Every application was written through the service: one creation event each.
    created = AuditEvent.objects.filter(object_type="careers.application", action="create")
    assert created.count() == applications.count()


def test_hr1s_enterprise_has_applicants_in_every_column(park, db):
    hr1 = Membership.objects.get(person__user__username="hr1").organisation
    statuses = Counter(Application.objects.filter(posting__enterprise=hr1).values_list("status", flat=True))
    assert all(statuses[status] >= 1 for status in ApplicationStatus.values), statuses


def test_student1_has_a_time_to_choose_and_offers_to_answer(park, db):
    mine = Application.objects.filter(student__person__user__username="student1")
    assert mine.count() >= 3
    assert Interview.objects.filter(
        application__in=mine, application__status=ApplicationStatus.INTERVIEW, status=InterviewStatus.PROPOSED
    ).exists()
    pending = Offer.objects.filter(application__in=mine, status=OfferStatus.PENDING)
    assert pending.count() >= 1 and all(o.deadline > in_days(0) for o in pending)


def test_accepted_offers_became_employment_records_and_each_student_has_one_offer_at_most(park, db):
    accepted = Offer.objects.filter(status=OfferStatus.ACCEPTED)
    assert accepted.exists() and Offer.objects.filter(status=OfferStatus.DECLINED).exists()
    records = EmploymentRecord.objects.filter(source=RecordSource.OFFER)
    assert set(records.values_list("offer_id", flat=True)) == set(accepted.values_list("pk", flat=True))
    per_student = Counter(
        Offer.objects.exclude(application__student__person__user__username="student1").values_list(
            "application__student_id", flat=True
        )
    )
    assert max(per_student.values()) == 1


def test_a_share_of_students_have_profiles_and_the_demo_logins_do(park, db):
    from iepark.careers.models import StudentProfile

    profiles = StudentProfile.objects.filter(student__college__park=park)
    assert STUDENTS * 0.3 < profiles.count() < STUDENTS * 0.6
    assert profiles.filter(student__person__user__username__in=["student1", "student2"]).count() == 2
