"""
Fixtures of the careers tests, over the persona world of ``iepark.testing``.

They write rows directly (like ``build_world``): tests of a service call the
service; these only set the scene.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from iepark.core.models import Organisation, Student
from iepark.testing import World

from .choices import ApplicationStatus, OfferStatus, PostingKind, VettingStatus
from .models import Application, EmployerProfile, EmploymentRecord, Offer, Posting


def make_employer(org: Organisation, *, status: str = VettingStatus.APPROVED) -> EmployerProfile:
    profile, _ = EmployerProfile.objects.update_or_create(
        organisation=org,
        defaults={
            "summary": f"{org.name}简介",
            "summary_en": f"About {org.name_en or org.name}",
            "vetting_status": status,
        },
    )
    return profile


def make_posting(
    world: World,
    enterprise: Organisation | None = None,
    *,
    title: str = "化工操作工",
    status: str = VettingStatus.APPROVED,
    kind: str = PostingKind.JOB,
    headcount: int = 3,
    employer_status: str = VettingStatus.APPROVED,
    **fields: Any,
) -> Posting:
    """Return a posting of ``enterprise`` (E1 by default), its employer profile vetted as ``employer_status``."""
    enterprise = enterprise or world.enterprise_1
    make_employer(enterprise, status=employer_status)
    posting = Posting.objects.create(
        enterprise=enterprise,
        kind=kind,
        title=title,
        title_en=fields.pop("title_en", "Chemical operator"),
        description=fields.pop("description", "负责煤化工装置的操作与巡检。"),
        headcount=headcount,
        pay_min=fields.pop("pay_min", 5000),
        pay_max=fields.pop("pay_max", 7000),
        vetting_status=status,
        **fields,
    )
    posting.majors.add(world.major)
    return posting


def make_application(
    posting: Posting, student: Student, *, status: str = ApplicationStatus.APPLIED, **fields: Any
) -> Application:
    return Application.objects.create(posting=posting, student=student, status=status, **fields)


def make_offer(application: Application, *, status: str = OfferStatus.PENDING, **fields: Any) -> Offer:
    today = timezone.localdate()
    application.status = ApplicationStatus.OFFER if status == OfferStatus.PENDING else application.status
    application.save(update_fields=["status"])
    return Offer.objects.create(
        application=application,
        post=fields.pop("post", application.posting.title),
        monthly_pay=fields.pop("monthly_pay", 6000),
        start_date=fields.pop("start_date", today + datetime.timedelta(days=30)),
        deadline=fields.pop("deadline", today + datetime.timedelta(days=7)),
        status=status,
        **fields,
    )


def make_employment(
    student: Student,
    employer: Organisation | None,
    start: datetime.date,
    end: datetime.date | None = None,
    *,
    reason: str = "",
    insured: bool = True,
    **fields: Any,
) -> EmploymentRecord:
    return EmploymentRecord.objects.create(
        student=student,
        employer=employer,
        employer_name=fields.pop("employer_name", "" if employer else "区外企业"),
        post=fields.pop("post", "操作工"),
        start_date=start,
        end_date=end,
        leave_reason=reason,
        social_insurance_start=start if insured else None,
        **fields,
    )
