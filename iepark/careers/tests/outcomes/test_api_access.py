"""Standard access tests of the outcome endpoints and their pages (see iepark.testing.ApiAccessSuite)."""

import datetime

from django.utils import timezone

from iepark.careers.choices import ClaimStatus, DestinationCategory, LeaveReason, RecordSource
from iepark.careers.models import EmploymentClaim, EmploymentRecord, GraduateDestination, HeadcountConfirmation
from iepark.careers.testing import make_employment
from iepark.core.models import Person, Student
from iepark.testing import ApiAccessSuite

START = datetime.date(2025, 7, 1)


def _students(world, college, n, start):
    """Return ``n`` new graduates of ``college``."""
    result = []
    for i in range(n):
        person = Person.objects.create(park=world.park, name=f"毕业生{start + i}")
        result.append(
            Student.objects.create(
                person=person, college=college, major=world.major, student_number=f"S{start + i}", cohort_year=2023
            )
        )
    return result


def _last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


class TestEmploymentRecordAccess(ApiAccessSuite):
    basename = "employmentrecord"
    readers = ("college_a_admin", "manager_a", "coordinator", "hr_e1", "park_admin")
    readonly = ("committee", "teacher_a", "student_a")
    writer = "college_a_admin"
    outsiders = ("hr_e2", "college_b_admin", "student_b", "mentor_e1", "operator", "other_admin", "outsider")
    page_list, page_detail, page_edit = "employmentrecord_list", "employmentrecord_detail", "employmentrecord_edit"

    def own(self, world):
        return EmploymentRecord.objects.filter(student=world.a_student, employer=world.enterprise_1).first() or (
            make_employment(world.a_student, world.enterprise_1, START)
        )

    def create_payload(self, world):
        return {
            "student": world.a_student.pk,
            "employer": world.enterprise_2.pk,
            "post": "锅炉值班员",
            "start_date": "2024-03-01",
            "end_date": "2025-02-01",
            "leave_reason": LeaveReason.RESIGNED,
        }

    def update_payload(self, world, obj):
        return {"post": "化工操作工（班长）"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), student=world.b_student.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), end_date="2024-01-01"), "end_date"

    def deletable(self, world):
        return make_employment(world.a_student, None, START, employer_name="区外公司")

    def make_many(self, world, n, start):
        for student in _students(world, world.college_a, n, start):
            make_employment(student, world.enterprise_1, START)


class TestEmploymentClaimAccess(ApiAccessSuite):
    basename = "employmentclaim"
    readers = ("college_a_admin", "manager_a", "coordinator")
    readonly = ("committee", "teacher_a", "student_a", "hr_e1", "park_admin")
    writer = "manager_a"
    outsiders = ("hr_e2", "college_b_admin", "student_b", "mentor_e1", "operator", "other_admin", "outsider")
    page_list, page_detail = "employmentclaim_list", "employmentclaim_detail"

    def own(self, world):
        return EmploymentClaim.objects.filter(student=world.a_student).first() or EmploymentClaim.objects.create(
            student=world.a_student,
            source=RecordSource.COLLEGE_SURVEY,
            as_of=START,
            employed=True,
            employer=world.enterprise_1,
            status=ClaimStatus.CONFLICT,
        )

    def create_payload(self, world):
        return {
            "student": world.a_student.pk,
            "as_of": "2026-01-15",
            "employed": True,
            "employer": world.enterprise_1.pk,
        }

    def foreign_payload(self, world):
        return dict(self.create_payload(world), student=world.b_student.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), as_of="2100-01-01"), "as_of"

    def make_many(self, world, n, start):
        for student in _students(world, world.college_a, n, start):
            EmploymentClaim.objects.create(
                student=student, source=RecordSource.STUDENT, as_of=START, employed=False, status=ClaimStatus.AGREES
            )


class TestHeadcountConfirmationAccess(ApiAccessSuite):
    basename = "headcountconfirmation"
    readers = ("hr_e1", "coordinator")
    readonly = ("committee", "park_admin")
    writer = "hr_e1"
    outsiders = ("hr_e2", "college_a_admin", "manager_a", "student_a", "mentor_e1", "other_admin", "outsider")
    page_list, page_detail = "headcountconfirmation_list", "headcountconfirmation_detail"

    def own(self, world):
        month = _last_month().replace(year=_last_month().year - 1)
        return HeadcountConfirmation.objects.get_or_create(enterprise=world.enterprise_1, month=month)[0]

    def _record(self, world):
        return EmploymentRecord.objects.filter(student=world.a_student, employer=world.enterprise_1).first() or (
            make_employment(world.a_student, world.enterprise_1, START)
        )

    def create_payload(self, world):
        record = self._record(world)
        return {
            "enterprise": world.enterprise_1.pk,
            "month": f"{_last_month():%Y-%m}",
            "lines": [{"record": record.pk, "employed": True}],
        }

    def foreign_payload(self, world):
        return dict(self.create_payload(world), enterprise=world.enterprise_2.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), month="2100-01"), "month"

    def make_many(self, world, n, start):
        for i in range(n):
            HeadcountConfirmation.objects.create(
                enterprise=world.enterprise_1, month=datetime.date(2000 + start // 10, 1 + i, 1)
            )


class TestGraduateDestinationAccess(ApiAccessSuite):
    basename = "graduatedestination"
    readers = ("college_a_admin", "manager_a", "coordinator", "park_admin")
    readonly = ("committee", "teacher_a", "student_a")
    writer = "manager_a"
    outsiders = ("hr_e1", "hr_e2", "college_b_admin", "student_b", "operator", "other_admin", "outsider")
    page_list, page_detail, page_edit = (
        "graduatedestination_list",
        "graduatedestination_detail",
        "graduatedestination_edit",
    )

    def own(self, world):
        return GraduateDestination.objects.get_or_create(
            student=world.a_student, as_of=START, defaults={"category": DestinationCategory.NOT_PLACED}
        )[0]

    def create_payload(self, world):
        return {
            "student": world.a_student.pk,
            "category": DestinationCategory.CONTRACT_EMPLOYMENT,
            "as_of": "2026-08-31",
            "employer": world.enterprise_1.pk,
            "detail": "化工操作工",
        }

    def update_payload(self, world, obj):
        return {"category": DestinationCategory.FURTHER_STUDY}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), student=world.b_student.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), category=DestinationCategory.FURTHER_STUDY), "employer"

    def deletable(self, world):
        return GraduateDestination.objects.create(
            student=world.a_student, as_of=START - datetime.timedelta(days=30), category=DestinationCategory.NOT_PLACED
        )

    def make_many(self, world, n, start):
        for student in _students(world, world.college_a, n, start):
            GraduateDestination.objects.create(student=student, as_of=START, category=DestinationCategory.NOT_PLACED)
