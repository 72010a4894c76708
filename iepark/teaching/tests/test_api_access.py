"""Standard access tests of every teaching API endpoint and its pages (see iepark.testing.ApiAccessSuite)."""

from __future__ import annotations

from iepark.core.models import Student
from iepark.teaching.choices import AgreementStatus
from iepark.teaching.models import (
    Cohort,
    CooperationAgreement,
    Course,
    Room,
    RoomUnavailability,
    TeacherUnavailability,
    Term,
)
from iepark.testing import ApiAccessSuite

from .factories import (
    enrol,
    make_agreement,
    make_cohort,
    make_course,
    make_feature,
    make_room,
    make_students,
    make_teacher,
    make_term,
)

PARK_READONLY = ("committee", "college_a_admin", "student_a", "hr_e1", "operator", "teacher_a")
OTHER_PARK = ("other_admin", "outsider")


def _term(world) -> Term:
    return Term.objects.filter(park=world.park).first() or make_term(world.park)


def _cohort(world) -> Cohort:
    return Cohort.objects.filter(college=world.college_a, name="煤化工2401班").first() or make_cohort(world)


def _room(world) -> Room:
    return Room.objects.filter(park=world.park, number="101").first() or make_room(world)


def _student(world, n: int = 900) -> Student:
    return Student.objects.filter(student_number=f"S{n:04d}").first() or make_students(world, 1, start=n)[0]


class TestAgreementAccess(ApiAccessSuite):
    basename = "cooperationagreement"
    readers = ("park_admin",)
    writer = "coordinator"
    readonly = ("committee", "college_a_admin", "hr_e1")
    outsiders = (
        "college_b_admin",
        "hr_e2",
        "manager_a",
        "teacher_a",
        "student_a",
        "mentor_e1",
        "operator",
        *OTHER_PARK,
    )
    page_list, page_detail, page_edit = (
        "cooperationagreement_list",
        "cooperationagreement_detail",
        "cooperationagreement_edit",
    )

    def own(self, world):
        return CooperationAgreement.objects.filter(title="校企合作协议").first() or make_agreement(world)

    def create_payload(self, world):
        return {
            "park": world.park.pk,
            "title": "实训基地共建协议",
            "agreement_type": "school_enterprise",
            "parties": [world.college_b.pk, world.enterprise_2.pk],
            "scopes": ["training_base", "internship"],
            "start_date": "2025-09-01",
            "end_date": "2028-08-31",
        }

    def update_payload(self, world, obj):
        return {"notes": "每年续签附件"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), scopes=["everything"]), "scopes"

    def deletable(self, world):
        return make_agreement(world, title="草稿协议", status=AgreementStatus.DRAFT)

    def make_many(self, world, n, start):
        for i in range(n):
            make_agreement(world, title=f"协议{start + i}", parties=[world.college_b, world.enterprise_2])


class TestRoomFeatureAccess(ApiAccessSuite):
    basename = "roomfeature"
    readers = ("park_admin",)
    writer = "coordinator"
    readonly = PARK_READONLY
    outsiders = OTHER_PARK
    page_list, page_detail, page_edit = "roomfeature_list", "roomfeature_detail", "roomfeature_edit"

    def own(self, world):
        return make_feature(world.park)

    def create_payload(self, world):
        return {"park": world.park.pk, "name": "DCS控制台", "name_en": "DCS console"}

    def update_payload(self, world, obj):
        return {"name_en": "Process simulator"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), name=""), "name"

    def deletable(self, world):
        return make_feature(world.park, "旧设备")

    def make_many(self, world, n, start):
        for i in range(n):
            make_feature(world.park, f"设备{start + i}")


class TestRoomAccess(ApiAccessSuite):
    basename = "room"
    readers = ("park_admin",)
    writer = "coordinator"
    readonly = PARK_READONLY
    outsiders = OTHER_PARK
    page_list, page_detail, page_edit = "room_list", "room_detail", "room_edit"

    def own(self, world):
        room = _room(world)
        room.features.set([make_feature(world.park)])
        return room

    def create_payload(self, world):
        return {
            "park": world.park.pk,
            "building": "实训楼",
            "number": "305",
            "room_kind": "lab",
            "capacity": 36,
            "owner": world.college_a.pk,
            "features": [make_feature(world.park).pk],
        }

    def update_payload(self, world, obj):
        return {"capacity": 48}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk, features=[])

    def invalid_payload(self, world):
        return dict(self.create_payload(world), room_kind="dungeon"), "room_kind"

    def deletable(self, world):
        return make_room(world, "999")

    def make_many(self, world, n, start):
        sim = make_feature(world.park)
        for i in range(n):
            make_room(world, f"{start + i}", features=[sim])


class TestRoomUnavailabilityAccess(ApiAccessSuite):
    basename = "roomunavailability"
    readers = ("park_admin",)
    writer = "coordinator"
    readonly = PARK_READONLY
    outsiders = OTHER_PARK
    page_list, page_detail, page_edit = (
        "roomunavailability_list",
        "roomunavailability_detail",
        "roomunavailability_edit",
    )

    def own(self, world):
        room = _room(world)
        return room.unavailabilities.first() or RoomUnavailability.objects.create(
            room=room, day_of_week=2, first_period=5, last_period=8, reason="设备检修"
        )

    def create_payload(self, world):
        return {"room": _room(world).pk, "day_of_week": 4, "first_period": 7, "last_period": 8, "reason": "例会"}

    def update_payload(self, world, obj):
        return {"reason": "消防检查"}

    def foreign_payload(self, world):
        other = Room.objects.filter(park=world.other_park).first() or make_room(world, "Q1", park=world.other_park)
        return dict(self.create_payload(world), room=other.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), first_period=8, last_period=2), "last_period"

    def deletable(self, world):
        return RoomUnavailability.objects.create(room=_room(world), day_of_week=0, first_period=1, last_period=1)

    def make_many(self, world, n, start):
        room = _room(world)
        for i in range(n):
            RoomUnavailability.objects.create(room=room, day_of_week=i % 7, first_period=1, last_period=2)


class TestTermAccess(ApiAccessSuite):
    basename = "term"
    readers = ("park_admin",)
    writer = "coordinator"
    readonly = PARK_READONLY
    outsiders = OTHER_PARK
    page_list, page_detail, page_edit = "term_list", "term_detail", "term_edit"

    def own(self, world):
        return _term(world)

    def create_payload(self, world):
        return {
            "park": world.park.pk,
            "name": "2026春",
            "start_date": "2026-03-02",
            "end_date": "2026-07-03",
            "teaching_weeks": 17,
            "days_per_week": 5,
            "periods_per_day": 10,
            "holidays": ["2026-05-01"],
        }

    def update_payload(self, world, obj):
        return {"periods_per_day": 10}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), holidays=["2026-09-01"]), "holidays"

    def deletable(self, world):
        return make_term(world.park, "空学期")

    def make_many(self, world, n, start):
        for i in range(n):
            make_term(world.park, f"学期{start + i}")


class TestCohortAccess(ApiAccessSuite):
    basename = "cohort"
    readers = ("park_admin", "coordinator")
    writer = "college_a_admin"
    readonly = ("committee", "manager_a")
    outsiders = ("college_b_admin", "hr_e1", "student_a", "student_b", "teacher_a", "operator", *OTHER_PARK)
    page_list, page_detail, page_edit = "cohort_list", "cohort_detail", "cohort_edit"

    def own(self, world):
        return _cohort(world)

    def create_payload(self, world):
        return {
            "college": world.college_a.pk,
            "major": world.major.pk,
            "name": "煤化工2402班",
            "intake_year": 2024,
            "cohort_type": "regular",
        }

    def update_payload(self, world, obj):
        return {"name": "煤化工2401班（新）"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), college=world.college_b.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), intake_year=1800), "intake_year"

    def deletable(self, world):
        return make_cohort(world, "待删班")

    def make_many(self, world, n, start):
        for i in range(n):
            make_cohort(world, f"班{start + i}")


class TestEnrolmentAccess(ApiAccessSuite):
    basename = "enrolment"
    readers = ("park_admin", "coordinator")
    writer = "college_a_admin"
    readonly = ("committee", "manager_a", "student_a")
    outsiders = ("college_b_admin", "student_b", "hr_e1", "hr_e2", "teacher_a", "operator", *OTHER_PARK)
    page_list, page_detail = "enrolment_list", "enrolment_detail"

    def own(self, world):
        cohort = _cohort(world)
        return cohort.enrolments.filter(student=world.a_student).first() or enrol(cohort, world.a_student)

    def create_payload(self, world):
        return {"cohort": _cohort(world).pk, "student": _student(world).pk, "start_date": "2025-09-01"}

    def foreign_payload(self, world):
        other = Cohort.objects.filter(college=world.college_b).first() or make_cohort(
            world, "乙班", college=world.college_b
        )
        return {"cohort": other.pk, "student": _student(world).pk}

    def invalid_payload(self, world):
        return {"cohort": _cohort(world).pk, "student": world.b_student.pk}, "student"

    def make_many(self, world, n, start):
        cohort = _cohort(world)
        for student in make_students(world, n, start=start):
            enrol(cohort, student)


class TestCourseAccess(ApiAccessSuite):
    basename = "course"
    readers = ("park_admin", "coordinator")
    writer = "college_a_admin"
    readonly = ("committee", "manager_a", "teacher_a", "student_a")
    outsiders = ("college_b_admin", "student_b", "hr_e1", "operator", *OTHER_PARK)
    page_list, page_detail, page_edit = "course_list", "course_detail", "course_edit"

    def own(self, world):
        cohort = _cohort(world)
        if not cohort.enrolments.filter(student=world.a_student).exists():
            enrol(cohort, world.a_student)
        return Course.objects.filter(code="C101").first() or make_course(world, cohorts=[cohort])

    def create_payload(self, world):
        return {
            "term": _term(world).pk,
            "college": world.college_a.pk,
            "code": "C202",
            "name": "煤化工安全",
            "course_type": "theory",
            "lectures_per_week": 2,
            "min_working_days": 2,
            "teachers": [world.a_teacher.pk],
            "cohorts": [_cohort(world).pk],
        }

    def update_payload(self, world, obj):
        return {"lectures_per_week": 4}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), college=world.college_b.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), lectures_per_week=0), "lectures_per_week"

    def deletable(self, world):
        return make_course(world, "DEL1", cohorts=[_cohort(world)])

    def make_many(self, world, n, start):
        cohort = _cohort(world)
        teacher = make_teacher(world, start)
        for i in range(n):
            make_course(world, f"M{start + i}", cohorts=[cohort], teachers=[teacher, world.a_teacher])


class TestTeacherUnavailabilityAccess(ApiAccessSuite):
    basename = "teacherunavailability"
    readers = ("park_admin", "coordinator")
    writer = "college_a_admin"
    readonly = ("committee", "manager_a", "teacher_a")
    outsiders = ("college_b_admin", "student_a", "hr_e1", "operator", *OTHER_PARK)
    page_list, page_detail, page_edit = (
        "teacherunavailability_list",
        "teacherunavailability_detail",
        "teacherunavailability_edit",
    )

    def own(self, world):
        return TeacherUnavailability.objects.filter(teacher=world.a_teacher).first() or (
            TeacherUnavailability.objects.create(
                term=_term(world), teacher=world.a_teacher, day_of_week=0, first_period=1, last_period=4
            )
        )

    def create_payload(self, world):
        return {
            "term": _term(world).pk,
            "teacher": world.a_teacher.pk,
            "day_of_week": 3,
            "first_period": 5,
            "last_period": 6,
            "reason": "进修",
        }

    def update_payload(self, world, obj):
        return {"reason": "教研室会议"}

    def foreign_payload(self, world):
        teacher = make_teacher(world, 77, college=world.college_b)
        return dict(self.create_payload(world), teacher=teacher.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), day_of_week=9), "day_of_week"

    def deletable(self, world):
        return TeacherUnavailability.objects.create(
            term=_term(world), teacher=world.a_teacher, day_of_week=4, first_period=1, last_period=1
        )

    def make_many(self, world, n, start):
        term = _term(world)
        teacher = make_teacher(world, start)
        for i in range(n):
            TeacherUnavailability.objects.create(
                term=term, teacher=teacher, day_of_week=i % 5, first_period=1, last_period=2
            )
