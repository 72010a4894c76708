"""Bulk import of rooms, courses and enrolments: real .xlsx and CSV files through the one import mechanism."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from iepark.core.choices import JobStatus
from iepark.core.io import importers
from iepark.core.io.tasks import import_start
from iepark.core.models import AuditEvent, Job, Person, Student, Teacher
from iepark.core.tests.test_io import csv_bytes, errors_of, message_at, run, xlsx_bytes
from iepark.teaching.choices import CohortType, CourseType, RoomKind
from iepark.teaching.models import Cohort, Course, Enrolment, Room
from iepark.testing import audit_count, make_national_id

from .factories import (
    enrol,
    make_cohort,
    make_course,
    make_feature,
    make_order_class,
    make_room,
    make_students,
    make_teacher,
    make_term,
)

ROOM_HEADERS = ["楼宇", "房间号", "名称", "类型", "容量", "设施", "所属单位", "是否启用"]
COURSE_HEADERS = [
    "学期",
    "开课学院",
    "课程代码",
    "课程名称",
    "英文名称",
    "课程类型",
    "周课次",
    "最少上课天数",
    "任课教师工号",
    "上课班级",
    "教室类型要求",
    "所需设施",
]
COURSE_FIELDS = [
    "term",
    "college",
    "code",
    "name",
    "name_en",
    "course_type",
    "lectures_per_week",
    "min_working_days",
    "teachers",
    "cohorts",
    "required_room_kind",
    "required_features",
]
ENROLMENT_HEADERS = ["班级", "学院", "学号", "身份证号", "姓名", "入班日期"]


def counts() -> dict[str, int]:
    """The rows an import of teaching may write, and the audit events other than the upload's."""
    return {
        "rooms": Room.objects.count(),
        "courses": Course.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "audit": AuditEvent.objects.exclude(object_type="core.importupload").count(),
    }


def messages(job: Job) -> str:
    return " | ".join(e["message"] for e in job.result["errors"])


# --- rooms ------------------------------------------------------------------------------------------------


@pytest.fixture
def features(world):
    return [make_feature(world.park, "煤化工仿真系统"), make_feature(world.park, "多媒体")]


def test_a_good_room_file_is_checked_then_imported_with_an_audit_event_per_room(world, features):
    rows = [
        ["实训楼", "S101", "仿真实训室", "实训室", 40, "煤化工仿真系统、多媒体", "园区运营公司", "是"],
        ["实训楼", "S102", "", "Laboratory", "30", "多媒体", world.college_a.uscc, ""],  # owner by credit code
        ["教学楼B", "201", "", "classroom", 60, "", world.enterprise_1.name, "否"],
        ["信息楼", "J1", "", "机房", 50, "煤化工仿真系统，多媒体", "合作学院乙", True],  # a full-width comma
    ]
    content = xlsx_bytes(ROOM_HEADERS, rows)
    before = counts()
    dry = run(world.park_admin, "rooms", "rooms.xlsx", content, dry_run=True)
    assert dry.status == JobStatus.SUCCEEDED and dry.result["errors"] == [], dry.result
    assert dry.result["would_create"] == 4 and counts() == before

    job = run(world.park_admin, "rooms", "rooms.xlsx", content, dry_run=False)
    assert job.result["errors"] == [] and job.result["created"] == 4, job.result
    rooms = {r.number: r for r in Room.objects.filter(park=world.park)}
    s101 = rooms["S101"]
    assert (s101.building, s101.name, s101.room_kind, s101.capacity, s101.owner, s101.is_active) == (
        "实训楼",
        "仿真实训室",
        RoomKind.TRAINING_ROOM,
        40,
        world.operator_org,
        True,
    )
    assert set(s101.features.all()) == set(features)
    assert (rooms["S102"].room_kind, rooms["S102"].owner) == (RoomKind.LAB, world.college_a)
    assert (rooms["201"].is_active, rooms["201"].owner) == (False, world.enterprise_1)
    assert rooms["J1"].room_kind == RoomKind.COMPUTER_ROOM and rooms["J1"].features.count() == 2
    assert counts()["rooms"] == before["rooms"] + 4
    for room in rooms.values():
        event = AuditEvent.objects.get(object_type="teaching.room", object_id=str(room.pk), action="create")
        assert event.actor == world.park_admin and event.park_id == world.park.pk


def test_a_room_file_with_mistakes_reports_each_one_and_writes_nothing(world, features):
    make_room(world, "101")  # 教学楼A 101 exists already
    rows = [
        ["实训楼", "S1", "", "实训室", 40, "煤化工仿真系统、全息投影", "园区运营公司", "是"],  # 2: unknown feature
        ["实训楼", "S2", "", "宿舍", 40, "", "园区运营公司", ""],  # 3: unknown kind
        ["实训楼", "S3", "", "classroom", "很多", "", "园区运营公司", ""],  # 4: capacity not a number
        ["实训楼", "S4", "", "classroom", 0, "", "园区运营公司", ""],  # 5: capacity zero
        ["实训楼", "S5", "", "classroom", 30, "", world.committee.name, ""],  # 6: the committee owns no rooms
        ["实训楼", "S6", "", "classroom", 30, "", "园区运营公司", "也许"],  # 7: neither yes nor no
        ["实训楼", "S1", "", "classroom", 30, "", "园区运营公司", ""],  # 8: the room of row 2 again
        ["教学楼A", "101", "", "classroom", 30, "", "园区运营公司", ""],  # 9: already in the park
        ["实训楼", "S9", "", "classroom", 30, "", "园区运营公司", ""],  # 10: fine
    ]
    before = counts()
    for dry_run in (True, False):
        job = run(world.park_admin, "rooms", "rooms.xlsx", xlsx_bytes(ROOM_HEADERS, rows), dry_run=dry_run)
        assert job.result["ok"] is False and job.result["created"] == 0
        assert errors_of(job) == {
            (2, "设施"),
            (3, "类型"),
            (4, "容量"),
            (5, "容量"),
            (6, "所属单位"),
            (7, "是否启用"),
            (8, "房间号"),
            (9, "房间号"),
        }, job.result["errors"]
    feature_message = message_at(job, 2, "设施")
    assert "全息投影" in feature_message and "多媒体、煤化工仿真系统" in feature_message  # the park's features
    assert "宿舍" in message_at(job, 3, "类型")
    assert message_at(job, 4, "容量") == "Write a whole number, not 很多."  # and no second error about it
    assert "row 2" in message_at(job, 8, "房间号")
    assert "already exists" in message_at(job, 9, "房间号")
    assert "也许" in message_at(job, 7, "是否启用")
    assert counts() == before


def test_only_the_teaching_administrators_import_rooms(world, features):
    content = xlsx_bytes(ROOM_HEADERS, [["实训楼", "S1", "", "实训室", 40, "", "园区运营公司", ""]])
    for persona in ("college_a_admin", "teacher_a", "committee", "operator"):
        with pytest.raises(PermissionDenied):
            import_start(
                actor=world.users[persona],
                kind="rooms",
                park=world.park,
                filename="r.xlsx",
                content=content,
                dry_run=True,
            )
    assert run(world.coordinator, "rooms", "r.xlsx", content, dry_run=False).result["created"] == 1


# --- courses ----------------------------------------------------------------------------------------------


@pytest.fixture
def setting(world, features):
    """A term of 3 days × 4 periods, cohorts of colleges A and B, teachers of both, a simulator room."""
    term = make_term(world.park, days_per_week=3, periods_per_day=4)
    cohort_a = make_cohort(world, "煤化工2401班")
    cohort_b = make_cohort(world, "煤化工2402班", college=world.college_b)
    teacher_b = make_teacher(world, 2, college=world.college_b)  # T0002
    make_room(world, "S101", room_kind=RoomKind.TRAINING_ROOM, features=[features[0]])
    return {"term": term, "cohort_a": cohort_a, "cohort_b": cohort_b, "teacher_b": teacher_b}


def course_row(term_name: str, **values: Any) -> list[Any]:
    row = {
        "term": term_name,
        "college": "合作学院甲",
        "code": "HG101",
        "name": "化工原理",
        "name_en": "Principles of chemical engineering",
        "course_type": "理论课",
        "lectures_per_week": 3,
        "min_working_days": 2,
        "teachers": "T001",
        "cohorts": "煤化工2401班",
        "required_room_kind": "",
        "required_features": "",
    }
    row.update(values)
    return [row[f] for f in COURSE_FIELDS]


def test_a_good_course_file_imports_every_course_with_its_teachers_cohorts_and_features(world, setting):
    term = setting["term"]
    rows = [
        course_row(term.name),
        # A shared course of the industrial college: cohorts of two colleges, teachers of two colleges.
        course_row(
            term.name,
            college="现代产业学院",
            code="HG201",
            name="煤化工工艺仿真实训",
            course_type="实践课",
            lectures_per_week=4,
            min_working_days="",
            teachers="T001, T0002",
            cohorts="煤化工2401班、煤化工2402班",
            required_room_kind="实训室",
            required_features="煤化工仿真系统",
        ),
        # College A's course taught by a teacher of college B: the service allows any teacher of the park.
        course_row(term.name, code="HG102", teachers="T0002", course_type="Theory"),
    ]
    content = xlsx_bytes(COURSE_HEADERS, rows)
    before = counts()
    assert run(world.coordinator, "courses", "c.xlsx", content, dry_run=True).result["errors"] == []
    assert counts() == before
    job = run(world.coordinator, "courses", "c.xlsx", content, dry_run=False)
    assert job.result["errors"] == [] and job.result["created"] == 3, job.result
    shared = Course.objects.get(term=term, code="HG201")
    assert (shared.college, shared.course_type, shared.lectures_per_week, shared.min_working_days) == (
        world.industrial_college,
        CourseType.PRACTICAL,
        4,
        1,
    )
    assert set(shared.teachers.all()) == {world.a_teacher, setting["teacher_b"]}
    assert set(shared.cohorts.all()) == {setting["cohort_a"], setting["cohort_b"]}
    assert [f.name for f in shared.required_features.all()] == ["煤化工仿真系统"]
    assert shared.required_room_kind == RoomKind.TRAINING_ROOM
    assert list(Course.objects.get(term=term, code="HG102").teachers.all()) == [setting["teacher_b"]]
    assert counts()["courses"] == before["courses"] + 3
    assert audit_count(Course, "create") == 3
    event = AuditEvent.objects.get(object_type="teaching.course", object_id=str(shared.pk))
    assert event.actor == world.coordinator


def test_a_course_csv_with_english_field_names_is_imported_by_the_college_administrator(world, setting):
    rows = [course_row(setting["term"].name, course_type="theory", college=world.college_a.uscc)]
    job = run(world.college_a_admin, "courses", "courses.csv", csv_bytes(COURSE_FIELDS, rows), dry_run=False)
    assert job.result["errors"] == [] and job.result["created"] == 1, job.result
    course = Course.objects.get(code="HG101")
    assert course.college == world.college_a and list(course.cohorts.all()) == [setting["cohort_a"]]
    assert AuditEvent.objects.filter(object_type="teaching.course", actor=world.college_a_admin).count() == 1


def test_a_course_file_with_mistakes_reports_each_one_and_writes_nothing(world, setting):
    term = setting["term"]
    make_course(world, "OLD1", term=term, cohorts=[setting["cohort_a"]])
    rows = [
        course_row("2030 学期", code="E2"),  # 2: no such term
        course_row(term.name, code="E3", college="不存在学院"),  # 3: no such college
        course_row(term.name, code="E4", teachers="T001, T9999"),  # 4: no such teacher
        course_row(term.name, code="E5", cohorts="煤化工2401班、不存在班"),  # 5: no such cohort
        course_row(term.name, code="E6", lectures_per_week=13, min_working_days=1),  # 6: 3 days × 4 periods = 12
        course_row(term.name, code="E7", lectures_per_week=2, min_working_days=3),  # 7: more days than lectures
        course_row(term.name, code="E8", course_type="实践课"),  # 8: practical without a room kind
        course_row(term.name, code="E9", required_features="全息投影"),  # 9: unknown feature
        course_row(term.name, code="E10", cohorts="煤化工2402班"),  # 10: college A's course, college B's cohort
        course_row(term.name, code="E11", required_room_kind="体育馆"),  # 11: no gymnasium in the park
        course_row(term.name, code="OLD1"),  # 12: the code is taken in this term
        course_row(term.name, code="E13"),  # 13: fine
        course_row(term.name, code="E13"),  # 14: the code of row 13 again
        course_row(term.name, code="E15", lectures_per_week="三"),  # 15: not a number
    ]
    before = counts()
    for dry_run in (True, False):
        job = run(world.coordinator, "courses", "c.xlsx", xlsx_bytes(COURSE_HEADERS, rows), dry_run=dry_run)
        assert job.result["ok"] is False and job.result["created"] == 0
        assert errors_of(job) == {
            (2, "学期"),
            (3, "开课学院"),
            (4, "任课教师工号"),
            (5, "上课班级"),
            (6, "周课次"),
            (7, "最少上课天数"),
            (8, "教室类型要求"),
            (9, "所需设施"),
            (10, "上课班级"),
            (11, "教室类型要求"),
            (12, "课程代码"),
            (14, "课程代码"),
            (15, "周课次"),
        }, job.result["errors"]
    assert "2030 学期" in message_at(job, 2, "学期")
    assert "T9999" in message_at(job, 4, "任课教师工号") and "T001" not in message_at(job, 4, "任课教师工号")
    assert "不存在班" in message_at(job, 5, "上课班级")
    assert "12 periods a week" in message_at(job, 6, "周课次")
    assert message_at(job, 15, "周课次") == "Write a whole number, not 三."
    assert "practical course needs" in message_at(job, 8, "教室类型要求")
    assert "全息投影" in message_at(job, 9, "所需设施") and "煤化工仿真系统" in message_at(job, 9, "所需设施")
    assert "that college's cohorts only" in message_at(job, 10, "上课班级")
    assert "No active room" in message_at(job, 11, "教室类型要求")
    assert "already exists" in message_at(job, 12, "课程代码")
    assert "row 13" in message_at(job, 14, "课程代码")
    assert counts() == before


def test_staff_numbers_and_cohort_names_used_by_several_colleges(world, setting):
    term = setting["term"]
    a_twin = make_teacher(world, 1)  # T0001 of college A
    twin = make_teacher(world, 3, college=world.college_b)
    twin.staff_number = "T0001"
    twin.save()  # T0001 now in colleges A and B
    same_name_b = make_cohort(world, "煤化工2401班", college=world.college_b)
    rows = [
        # College A's own T0001 and own cohort are taken first.
        course_row(term.name, code="K1", teachers="T0001", cohorts="煤化工2401班"),
        # The industrial college has neither: the name is ambiguous...
        course_row(term.name, code="K2", college="现代产业学院", teachers="T0001", cohorts="煤化工2401班"),
        # ...unless written as college/name.
        course_row(
            term.name, code="K3", college="现代产业学院", teachers="合作学院乙/T0001", cohorts="合作学院乙/煤化工2401班"
        ),
    ]
    job = run(world.coordinator, "courses", "c.xlsx", xlsx_bytes(COURSE_HEADERS, rows), dry_run=True)
    assert errors_of(job) == {(3, "任课教师工号"), (3, "上课班级")}, job.result
    assert "合作学院乙、合作学院甲" in message_at(job, 3, "任课教师工号")
    assert "college/" in message_at(job, 3, "上课班级")
    job = run(world.coordinator, "courses", "c.xlsx", xlsx_bytes(COURSE_HEADERS, [rows[0], rows[2]]), dry_run=False)
    assert job.result["created"] == 2, job.result
    k1, k3 = Course.objects.get(code="K1"), Course.objects.get(code="K3")
    assert list(k1.teachers.all()) == [a_twin] and list(k1.cohorts.all()) == [setting["cohort_a"]]
    assert list(k3.teachers.all()) == [twin] and list(k3.cohorts.all()) == [same_name_b]


def test_another_parks_term_college_and_teacher_are_refused(world, setting):
    other_term = make_term(world.other_park, "外园学期")
    other_teacher = Teacher.objects.create(
        person=Person.objects.create(park=world.other_park, name="外园教师", national_id=make_national_id(990)),
        organisation=world.other_college,
        staff_number="Q001",
    )
    rows = [
        course_row(other_term.name, code="X1"),
        course_row(setting["term"].name, code="X2", college=world.other_college.name),
        course_row(setting["term"].name, code="X3", college=world.other_college.uscc),
        course_row(setting["term"].name, code="X4", teachers=other_teacher.staff_number),
    ]
    job = run(world.park_admin, "courses", "c.xlsx", xlsx_bytes(COURSE_HEADERS, rows), dry_run=False)
    assert errors_of(job) == {(2, "学期"), (3, "开课学院"), (4, "开课学院"), (5, "任课教师工号")}, job.result
    assert "外园学期" in message_at(job, 2, "学期")
    assert not Course.objects.exists()
    # Nor may a park's administrator import into another park at all.
    for kind in ("rooms", "courses", "enrolments"):
        with pytest.raises(PermissionDenied):
            import_start(
                actor=world.park_admin,
                kind=kind,
                park=world.other_park,
                filename="c.xlsx",
                content=xlsx_bytes(COURSE_HEADERS, rows),
                dry_run=True,
            )


def test_a_college_administrator_is_refused_another_colleges_courses(world, setting):
    term = setting["term"]
    rows = [
        course_row(term.name, code="B1", college="合作学院乙", cohorts="煤化工2402班", teachers="T0002"),
        course_row(term.name, code="A1", teachers="T0002"),  # college B's teacher: not college A's to choose
        course_row(term.name, code="A2", cohorts="煤化工2402班"),  # college B's cohort
        course_row(term.name, code="A3"),  # fine
    ]
    before = counts()
    job = run(world.college_a_admin, "courses", "c.xlsx", xlsx_bytes(COURSE_HEADERS, rows), dry_run=False)
    assert errors_of(job) == {
        (2, "开课学院"),
        (2, "上课班级"),
        (2, "任课教师工号"),
        (3, "任课教师工号"),
        (4, "上课班级"),
    }
    assert "not yours" in message_at(job, 2, "开课学院")
    assert counts() == before
    # College B's administrator imports the first row; the coordinator, the whole park.
    job = run(world.college_b_admin, "courses", "c.xlsx", xlsx_bytes(COURSE_HEADERS, rows[:1]), dry_run=True)
    assert job.result["errors"] == [], job.result
    job = run(world.coordinator, "courses", "c.xlsx", xlsx_bytes(COURSE_HEADERS, rows), dry_run=True)
    assert errors_of(job) == {(4, "上课班级")}  # a cooperative college's course takes its own cohorts only


# --- enrolments -------------------------------------------------------------------------------------------


def enrolment_row(cohort: str, number: str = "", national_id: str = "", **values: Any) -> list[Any]:
    row = {"班级": cohort, "学院": "", "学号": number, "身份证号": national_id, "姓名": "", "入班日期": "2025-09-01"}
    row.update(values)
    return [row[h] for h in ENROLMENT_HEADERS]


def test_a_good_enrolment_file_enrols_every_student_with_audit_events(world):
    cohort = make_cohort(world, "煤化工2401班")
    s1, s2, s3 = make_students(world, 3)
    rows = [
        enrolment_row("煤化工2401班", s1.student_number, **{"入班日期": datetime.date(2025, 9, 15)}),  # a date cell
        enrolment_row("煤化工2401班", national_id=s2.person.national_id, **{"入班日期": "2025/9/8"}),
        enrolment_row(
            "煤化工2401班", s3.student_number, s3.person.national_id, **{"学院": "合作学院甲", "姓名": s3.person.name}
        ),
        enrolment_row("煤化工2401班", world.a_student.student_number, **{"入班日期": ""}),
    ]
    content = xlsx_bytes(ENROLMENT_HEADERS, rows)
    before = counts()
    assert run(world.college_a_admin, "enrolments", "e.xlsx", content, dry_run=True).result["errors"] == []
    assert counts() == before
    job = run(world.college_a_admin, "enrolments", "e.xlsx", content, dry_run=False)
    assert job.result["errors"] == [] and job.result["created"] == 4, job.result
    enrolments = {e.student: e for e in Enrolment.objects.filter(cohort=cohort)}
    assert set(enrolments) == {s1, s2, s3, world.a_student}
    assert enrolments[s1].start_date == datetime.date(2025, 9, 15)
    assert enrolments[s2].start_date == datetime.date(2025, 9, 8)
    assert enrolments[world.a_student].start_date == timezone.localdate()
    assert (
        AuditEvent.objects.filter(
            object_type="teaching.enrolment", action="create", actor=world.college_a_admin
        ).count()
        == 4
    )
    assert counts()["audit"] == before["audit"] + 4


def test_an_order_class_never_exceeds_its_seats_and_the_message_names_it(world):
    order = make_order_class(world, "华能订单班", seats=2)
    students = make_students(world, 3)
    enrol(order, students[0])
    rows = [enrolment_row("华能订单班", s.student_number) for s in students[1:]]
    before = counts()
    job = run(world.college_a_admin, "enrolments", "e.xlsx", xlsx_bytes(ENROLMENT_HEADERS, rows), dry_run=False)
    assert errors_of(job) == {(3, "班级")}, job.result
    assert message_at(job, 3, "班级") == (
        "The order class 华能订单班 is full (2 seats; taken before this file: 1; by earlier rows of this file: 1)."
    )
    assert counts() == before
    job = run(world.college_a_admin, "enrolments", "e.xlsx", xlsx_bytes(ENROLMENT_HEADERS, rows[:1]), dry_run=False)
    assert job.result["created"] == 1
    assert Enrolment.objects.filter(cohort=order, end_date__isnull=True).count() == 2
    assert order.cohort_type == CohortType.ORDER_CLASS


def test_an_enrolment_file_with_mistakes_reports_each_one_and_writes_nothing(world):
    cohort = make_cohort(world, "煤化工2401班")
    make_cohort(world, "旧班", is_active=False)
    make_cohort(world, "煤化工2402班", college=world.college_b)
    s1, s2, s3, s4 = make_students(world, 4)
    enrol(cohort, s4)
    rows = [
        enrolment_row("不存在班", s1.student_number),  # 2: no such cohort
        enrolment_row("煤化工2401班", "A9999"),  # 3: no such student number in college A
        enrolment_row("煤化工2401班", s4.student_number),  # 4: already in the cohort
        enrolment_row("煤化工2401班", s1.student_number),  # 5: fine
        enrolment_row("煤化工2401班", s1.student_number),  # 6: the student of row 5 again
        enrolment_row("旧班", s2.student_number),  # 7: inactive cohort
        enrolment_row("煤化工2401班", s2.student_number, **{"姓名": "王五"}),  # 8: another student's name
        enrolment_row("煤化工2401班", s2.student_number, s3.person.national_id),  # 9: number and ID disagree
        enrolment_row("煤化工2401班"),  # 10: no student given
        enrolment_row("煤化工2401班", s3.student_number, **{"入班日期": "2025-13-01"}),  # 11: no such date
        enrolment_row("煤化工2401班", national_id=world.b_student.person.national_id),  # 12: college B's student
    ]
    before = counts()
    for dry_run in (True, False):
        job = run(world.park_admin, "enrolments", "e.xlsx", xlsx_bytes(ENROLMENT_HEADERS, rows), dry_run=dry_run)
        assert job.result["ok"] is False and job.result["created"] == 0
        assert errors_of(job) == {
            (2, "班级"),
            (3, "学号"),
            (4, "学号"),
            (6, "班级"),
            (7, "班级"),
            (8, "姓名"),
            (9, "学号"),
            (10, "学号"),
            (11, "入班日期"),
            (12, "身份证号"),
        }, job.result["errors"]
    assert "不存在班" in message_at(job, 2, "班级")
    assert "A9999" in message_at(job, 3, "学号")
    assert "already in this cohort" in message_at(job, 4, "学号")
    assert "row 5" in message_at(job, 6, "班级")
    assert "no longer active" in message_at(job, 7, "班级")
    assert "王五" in message_at(job, 8, "姓名") and s2.person.name in message_at(job, 8, "姓名")
    assert s3.student_number in message_at(job, 9, "学号")
    assert "only students of the cohort's college" in message_at(job, 12, "身份证号")
    assert counts() == before


def test_a_college_administrator_enrols_only_in_their_own_colleges_cohorts(world):
    make_cohort(world, "煤化工2402班", college=world.college_b)
    rows = [enrolment_row("煤化工2402班", world.b_student.student_number)]
    job = run(world.college_a_admin, "enrolments", "e.xlsx", xlsx_bytes(ENROLMENT_HEADERS, rows), dry_run=False)
    assert errors_of(job) == {(2, "班级")}
    assert not Enrolment.objects.exists()
    job = run(world.college_b_admin, "enrolments", "e.xlsx", xlsx_bytes(ENROLMENT_HEADERS, rows), dry_run=False)
    assert job.result["created"] == 1, job.result
    for persona in ("teacher_a", "manager_a", "hr_e1", "student_a"):
        with pytest.raises(PermissionDenied):
            import_start(
                actor=world.users[persona],
                kind="enrolments",
                park=world.park,
                filename="e.xlsx",
                content=xlsx_bytes(ENROLMENT_HEADERS, rows),
                dry_run=True,
            )


def test_cohorts_of_the_same_name_need_the_college(world):
    make_cohort(world, "2401班")
    b = make_cohort(world, "2401班", college=world.college_b)
    rows = [
        enrolment_row("2401班", world.b_student.student_number),
        enrolment_row("2401班", world.b_student.student_number, **{"学院": "合作学院乙"}),
    ]
    job = run(world.park_admin, "enrolments", "e.xlsx", xlsx_bytes(ENROLMENT_HEADERS, rows), dry_run=True)
    assert errors_of(job) == {(2, "班级")} and "give the college" in message_at(job, 2, "班级")
    job = run(world.park_admin, "enrolments", "e.xlsx", xlsx_bytes(ENROLMENT_HEADERS, rows[1:]), dry_run=False)
    assert job.result["created"] == 1 and Enrolment.objects.get().cohort == b


# --- templates, pages and the API -------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_templates_parse_and_import_as_they_are(world, features, language):
    """Each template's example row names the test park's records, so it imports (rooms) or checks (the rest)."""
    make_term(world.park)
    make_cohort(world, "煤化工2401班")
    Person.objects.filter(pk=world.a_student.person_id).update(name="张三")
    for kind, persona, dry_run in (
        ("rooms", "park_admin", False),
        ("courses", "coordinator", True),
        ("enrolments", "college_a_admin", True),
    ):
        with translation.override(language):
            content = importers.template_workbook(kind)
            titles = [c.title() for c in importers.IMPORTERS[kind].columns]
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert [str(v).removesuffix(" *") for v in next(sheet.iter_rows(values_only=True))] == titles
        assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
        job = run(world.users[persona], kind, f"{kind}.xlsx", content, dry_run=dry_run, language=language)
        assert job.result["errors"] == [], (kind, job.result)
        assert job.result["would_create"] == 1
    assert Room.objects.get(number="S101").features.get().name == "煤化工仿真系统"


def test_the_import_pages_of_the_new_kinds(world, browser_client, features):
    client = browser_client(world.park_admin)
    for kind in ("rooms", "courses", "enrolments"):
        response = client.get(reverse("import_start", args=[kind]))
        assert response.status_code == 200, kind
        assert reverse("import_template", args=[kind]) in response.content.decode()
        template = client.get(reverse("import_template", args=[kind]))
        assert template.status_code == 200
        assert openpyxl.load_workbook(io.BytesIO(template.getvalue())).active.max_row == 2
    content = xlsx_bytes(ROOM_HEADERS, [["实训楼", "S1", "", "实训室", 40, "多媒体", "园区运营公司", ""]])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("import_start", args=["rooms"]), {"file": SimpleUploadedFile("r.xlsx", content), "dry_run": ""}
        )
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.result["created"] == 1
    assert client.get(response["Location"]).status_code == 200
    teacher = browser_client(world.teacher_a)
    assert teacher.get(reverse("import_start", args=["courses"])).status_code == 403
    assert teacher.get(reverse("import_template", args=["enrolments"])).status_code == 403


def _post(client, kind: str, name: str, content: bytes, dry_run: bool = False):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("api-import"),
            {"kind": kind, "file": SimpleUploadedFile(name, content), "dry_run": dry_run},
            format="multipart",
        )


def test_the_api_imports_the_new_kinds_and_reports_bad_rows(world, api, setting):
    client = api(world.coordinator)
    rooms = xlsx_bytes(ROOM_HEADERS, [["实训楼", "S2", "", "lab", 30, "多媒体", "园区运营公司", "yes"]])
    response = _post(client, "rooms", "r.xlsx", rooms)
    assert response.status_code == 202, response.content
    polled = client.get(response["Location"]).json()
    assert polled["status"] == JobStatus.SUCCEEDED and polled["result"]["created"] == 1

    courses = xlsx_bytes(COURSE_HEADERS, [course_row(setting["term"].name), course_row("无此学期", code="Z")])
    response = _post(client, "courses", "c.xlsx", courses)
    assert response.status_code == 202
    result = client.get(response["Location"]).json()["result"]
    assert result["ok"] is False and result["created"] == 0
    assert result["errors"] == [{"row": 3, "column": "学期", "message": result["errors"][0]["message"]}]
    assert "无此学期" in result["errors"][0]["message"]
    assert not Course.objects.exists()

    enrolments = csv_bytes(["cohort", "student_number"], [["煤化工2401班", world.a_student.student_number]])
    response = _post(client, "enrolments", "e.csv", enrolments)
    assert client.get(response["Location"]).json()["result"]["created"] == 1
    assert Enrolment.objects.get().student == world.a_student


def test_the_api_refuses_the_new_kinds_to_those_who_may_not_import_them(world, api, setting):
    rows = xlsx_bytes(ROOM_HEADERS, [["实训楼", "S2", "", "lab", 30, "", "园区运营公司", ""]])
    for persona in ("teacher_a", "student_a", "mentor_e1", "outsider"):
        client = api(world.users[persona])
        for kind in ("rooms", "courses", "enrolments"):
            assert _post(client, kind, "r.xlsx", rows).status_code == 403, (persona, kind)
            template = client.get(reverse("api-import-template", kwargs={"kind": kind}))
            assert template.status_code == 403, (persona, kind)
    college_admin = api(world.college_a_admin)
    assert _post(college_admin, "rooms", "r.xlsx", rows).status_code == 403
    assert college_admin.get(reverse("api-import-template", kwargs={"kind": "courses"})).status_code == 200
    # Another park, asked for by id, is not found for this user.
    client = api(world.park_admin)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("api-import"),
            {"kind": "rooms", "file": SimpleUploadedFile("r.xlsx", rows), "park": world.other_park.pk},
            format="multipart",
        )
    assert response.status_code == 400 and "park" in response.json()
    assert not Job.objects.exists() and not Room.objects.filter(number="S2").exists()
    assert Cohort.objects.count() == 2 and Student.objects.count() == 2
