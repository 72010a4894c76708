"""Standard access tests of every core API endpoint and its pages (see iepark.testing.ApiAccessSuite)."""

import datetime

from iepark.core import audit
from iepark.core.choices import Industry, OrganisationKind, Role
from iepark.core.models import Job, Major, Membership, Organisation, Park, Person, Student, Teacher
from iepark.testing import ApiAccessSuite, make_national_id, make_uscc

BAD_ID = "650100200405171230"  # wrong check digit
START = datetime.date(2024, 9, 1)


def _person(world, serial, **extra):
    return Person.objects.create(park=world.park, name=f"人员{serial}", national_id=make_national_id(serial), **extra)


class TestOrganisationAccess(ApiAccessSuite):
    basename = "organisation"
    readers = ("hr_e1",)
    readonly = ("committee", "mentor_e1")
    writer = "park_admin"
    outsiders = ("hr_e2", "college_a_admin", "student_a", "operator", "other_admin", "outsider")
    page_list, page_detail, page_edit = "organisation_list", "organisation_detail", "organisation_edit"

    def own(self, world):
        return world.enterprise_1

    def create_payload(self, world):
        return {
            "park": world.park.pk,
            "kind": OrganisationKind.ENTERPRISE,
            "name": "新能源企业",
            "industry": Industry.OTHER,
            "uscc": make_uscc(50),
        }

    def update_payload(self, world, obj):
        return {"address": "准东开发区五彩湾"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(
            self.create_payload(world),
            uscc=make_uscc(51)[:-1] + "0" if make_uscc(51)[-1] != "0" else make_uscc(51)[:-1] + "1",
        ), "uscc"

    def deletable(self, world):
        return Organisation.objects.create(park=world.park, kind=OrganisationKind.OPERATOR, name="待删除")

    def make_many(self, world, n, start):
        for i in range(n):
            Organisation.objects.create(
                park=world.park, kind=OrganisationKind.ENTERPRISE, name=f"企业{start + i}", industry=Industry.COAL_POWER
            )


class TestPersonAccess(ApiAccessSuite):
    basename = "person"
    readers = ("college_a_admin", "manager_a", "coordinator", "student_a")
    readonly = ("committee", "teacher_a")
    writer = "park_admin"
    outsiders = ("college_b_admin", "hr_e1", "student_b", "operator", "mentor_e1", "other_admin", "outsider")
    page_list, page_detail, page_edit = "person_list", "person_detail", "person_edit"

    def own(self, world):
        return world.persons["student_a"]

    def create_payload(self, world):
        return {"park": world.park.pk, "name": "王五", "national_id": make_national_id(300)}

    def update_payload(self, world, obj):
        return {"email": "changed@example.cn"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), national_id=BAD_ID), "national_id"

    def deletable(self, world):
        return _person(world, 301)

    def make_many(self, world, n, start):
        for i in range(n):
            p = _person(world, start + i)
            Membership.objects.create(person=p, organisation=world.college_a, role=Role.TEACHER, start_date=START)


class TestMembershipAccess(ApiAccessSuite):
    basename = "membership"
    readers = ("college_a_admin", "student_a", "coordinator")
    readonly = ("committee", "manager_a")
    writer = "college_a_admin"
    outsiders = ("college_b_admin", "hr_e1", "student_b", "other_admin", "outsider")
    page_edit = "membership_edit"

    def own(self, world):
        return Membership.objects.get(person=world.persons["student_a"])

    def create_payload(self, world):
        return {
            "person": world.persons["teacher_a"].pk,
            "organisation": world.college_a.pk,
            "role": Role.STUDENT_MANAGER,
            "start_date": "2025-09-01",
        }

    def update_payload(self, world, obj):
        return {"title": "班长"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), organisation=world.college_b.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), role=Role.ENTERPRISE_HR), "role"

    def deletable(self, world):
        return Membership.objects.create(
            person=world.persons["teacher_a"], organisation=world.college_a, role=Role.STUDENT_MANAGER, start_date=START
        )

    def make_many(self, world, n, start):
        for i in range(n):
            Membership.objects.create(
                person=_person(world, start + i), organisation=world.college_a, role=Role.STUDENT, start_date=START
            )


class TestMajorAccess(ApiAccessSuite):
    basename = "major"
    readers = ("student_a", "hr_e1", "teacher_a", "park_admin")
    readonly = ("committee", "college_a_admin")
    writer = "coordinator"
    outsiders = ("other_admin", "outsider")
    page_list, page_detail, page_edit = "major_list", "major_detail", "major_edit"

    def own(self, world):
        return world.major

    def create_payload(self, world):
        return {"park": world.park.pk, "code": "520301", "name": "煤矿开采技术", "name_en": "Coal mining technology"}

    def update_payload(self, world, obj):
        return {"name_en": "Coal chemical engineering technology"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), name_en=""), "name_en"

    def deletable(self, world):
        return Major.objects.create(park=world.park, code="999999", name="待删除", name_en="To delete")

    def make_many(self, world, n, start):
        for i in range(n):
            Major.objects.create(park=world.park, code=f"M{start + i}", name=f"专业{i}", name_en=f"Major {i}")


def _student(world, serial, college=None):
    return Student.objects.create(
        person=_person(world, serial),
        college=college or world.college_a,
        major=world.major,
        student_number=f"S{serial}",
        cohort_year=2025,
    )


class TestStudentAccess(ApiAccessSuite):
    basename = "student"
    readers = ("manager_a", "coordinator")
    # The operating company sees the park's students to house them (granted by operations), read-only.
    readonly = ("committee", "teacher_a", "student_a", "operator")
    writer = "college_a_admin"
    outsiders = ("college_b_admin", "student_b", "hr_e1", "mentor_e1", "other_admin", "outsider")
    page_list, page_detail, page_edit = "student_list", "student_detail", "student_edit"

    def own(self, world):
        return world.a_student

    def create_payload(self, world):
        return {
            "name": "李四",
            "national_id": make_national_id(400, female=True),
            "phone": "13912345678",
            "college": world.college_a.pk,
            "major": world.major.pk,
            "student_number": "A100",
            "cohort_year": 2025,
        }

    def update_payload(self, world, obj):
        return {"status": "in_park"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), college=world.college_b.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), national_id=BAD_ID), "national_id"

    def deletable(self, world):
        return _student(world, 401)

    def make_many(self, world, n, start):
        for i in range(n):
            _student(world, start + i)


class TestTeacherAccess(ApiAccessSuite):
    basename = "teacher"
    readers = ("coordinator",)
    readonly = ("committee", "teacher_a", "manager_a")
    writer = "college_a_admin"
    outsiders = ("college_b_admin", "student_a", "student_b", "hr_e1", "other_admin", "outsider")
    page_list, page_detail, page_edit = "teacher_list", "teacher_detail", "teacher_edit"

    def own(self, world):
        return world.a_teacher

    def create_payload(self, world):
        return {
            "name": "赵老师",
            "national_id": make_national_id(500),
            "organisation": world.college_a.pk,
            "staff_number": "T100",
            "major": world.major.pk,
        }

    def update_payload(self, world, obj):
        return {"professional_title": "副教授"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), organisation=world.college_b.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), national_id=BAD_ID), "national_id"

    def deletable(self, world):
        return Teacher.objects.create(person=_person(world, 501), organisation=world.college_a, staff_number="T501")

    def make_many(self, world, n, start):
        for i in range(n):
            Teacher.objects.create(
                person=_person(world, start + i), organisation=world.college_a, staff_number=f"T{start + i}"
            )


class TestParkAccess(ApiAccessSuite):
    basename = "park"
    readers = ("student_a", "hr_e1")
    readonly = ("committee", "college_a_admin")
    writer = "park_admin"
    outsiders = ("other_admin", "outsider")

    def own(self, world):
        return world.park

    def update_payload(self, world, obj):
        return {"region": "新疆昌吉州"}

    def make_many(self, world, n, start):
        for i in range(n):
            Park.objects.create(code=f"x{start + i}", name=f"园区{i}")


class TestAuditEventAccess(ApiAccessSuite):
    basename = "auditevent"
    readers = ("park_admin",)
    readonly = ("committee",)
    outsiders = ("other_admin", "outsider", "student_b", "hr_e2", "college_b_admin")
    page_list = "auditevent_list"

    def own(self, world):
        from django.db import transaction

        with transaction.atomic():
            return audit.record(
                actor=world.park_admin, action="update", instance=world.major, changes={"name": ["a", "b"]}
            )

    def make_many(self, world, n, start):
        from django.db import transaction

        for i in range(n):
            with transaction.atomic():
                audit.record(
                    actor=world.park_admin, action="update", instance=world.major, changes={"name": [str(i), "b"]}
                )


class TestJobAccess(ApiAccessSuite):
    basename = "job"
    readers = ("student_a", "park_admin")
    outsiders = ("student_b", "college_a_admin", "other_admin", "outsider")

    def own(self, world):
        return Job.objects.create(kind="import", park=world.park, created_by=world.users["student_a"])

    def make_many(self, world, n, start):
        for _ in range(n):
            Job.objects.create(kind="import", park=world.park, created_by=world.users["student_a"])
