"""Dormitories: rooms and beds, check-in and check-out, the database's guarantees, allocation runs."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from iepark.core.choices import JobStatus
from iepark.core.models import Job
from iepark.operations import selectors, services
from iepark.operations.choices import AllocationStatus
from iepark.operations.models import AllocationRun, Bed, BedAssignment, DormBuilding, DormRoom
from iepark.testing import audit_count

from .factories import make_assignment, make_building, make_room, make_students, set_gender

DAY = datetime.date(2025, 9, 1)


@pytest.fixture
def room(world):
    return make_room(make_building(world.park), "101", gender="female", beds=2)


# --- buildings and rooms ---------------------------------------------------------------------------


@pytest.mark.parametrize("keeper", ["park_admin", "operator"])
def test_keepers_create_buildings_and_rooms_with_their_beds(world, keeper):
    user = world.users[keeper]
    building = services.dorm_building_create(actor=user, park=world.park, name="1号楼", name_en="Building 1")
    room = services.dorm_room_create(
        actor=user, building=building, floor=3, number="301", gender="male", beds_count=4, monthly_fee="100.00"
    )
    assert sorted(room.beds.values_list("label", flat=True)) == ["1", "2", "3", "4"]
    assert audit_count(DormBuilding, "create") == 1 and audit_count(DormRoom, "create") == 1
    assert audit_count(Bed, "create") == 4


@pytest.mark.parametrize("persona", ["committee", "college_a_admin", "manager_a", "student_a", "other_admin"])
def test_others_cannot_create_buildings_or_rooms(world, persona):
    with pytest.raises(PermissionDenied):
        services.dorm_building_create(actor=world.users[persona], park=world.park, name="X")
    building = make_building(world.park)
    with pytest.raises(PermissionDenied):
        services.dorm_room_create(actor=world.users[persona], building=building, floor=1, number="1", gender="male")
    assert not DormRoom.objects.exists()


def test_room_gender_must_fit_the_building_and_beds_are_bounded(world):
    building = make_building(world.park, gender_policy="female")
    with pytest.raises(ValidationError) as exc:
        services.dorm_room_create(actor=world.operator, building=building, floor=1, number="1", gender="male")
    assert "gender" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.dorm_room_create(
            actor=world.operator, building=building, floor=1, number="1", gender="female", beds_count=0
        )
    assert not DormRoom.objects.exists() and not Bed.objects.exists()


# --- check-in and check-out ----------------------------------------------------------------------------


def test_check_in_and_out_with_inspection_note(world, room):
    student = set_gender(world.a_student, "female")
    bed = room.beds.first()
    assignment = services.bed_assign(actor=world.operator, bed=bed, student=student, start_date=DAY)
    assert assignment.is_current and audit_count(BedAssignment, "create", assignment.pk) == 1
    services.bed_check_out(
        actor=world.operator,
        assignment=assignment,
        end_date=DAY + datetime.timedelta(days=30),
        inspection_note="门锁损坏",
    )
    assignment.refresh_from_db()
    assert assignment.end_date == DAY + datetime.timedelta(days=30) and assignment.inspection_note == "门锁损坏"
    assert audit_count(BedAssignment, "update", assignment.pk) == 1
    with pytest.raises(ValidationError) as exc:  # not twice
        services.bed_check_out(actor=world.operator, assignment=assignment)
    assert "end_date" in exc.value.message_dict
    # the bed is free again
    services.bed_assign(actor=world.operator, bed=bed, student=student, start_date=DAY + datetime.timedelta(days=40))


def test_check_out_before_check_in_is_refused(world, room):
    student = set_gender(world.a_student, "female")
    assignment = services.bed_assign(actor=world.operator, bed=room.beds.first(), student=student, start_date=DAY)
    with pytest.raises(ValidationError) as exc:
        services.bed_check_out(actor=world.operator, assignment=assignment, end_date=DAY - datetime.timedelta(days=1))
    assert "end_date" in exc.value.message_dict
    assignment.refresh_from_db()
    assert assignment.end_date is None


@pytest.mark.parametrize(
    ("gender", "accessible", "field", "code"),
    [
        ("male", False, "bed", "gender_mismatch"),
        ("", False, "student", "no_gender"),
        ("female", True, "bed", "not_accessible"),
    ],
)
def test_unsuitable_beds_are_refused(world, room, gender, accessible, field, code):
    student = set_gender(world.a_student, gender)
    with pytest.raises(ValidationError) as exc:
        services.bed_assign(actor=world.operator, bed=room.beds.first(), student=student, needs_accessible=accessible)
    assert field in exc.value.message_dict and exc.value.error_dict[field][0].code == code
    assert not BedAssignment.objects.exists()


def test_taken_bed_and_housed_student_are_refused(world, room):
    a = set_gender(world.a_student, "female")
    b = set_gender(world.b_student, "female")
    first, second = room.beds.all()
    services.bed_assign(actor=world.operator, bed=first, student=a)
    with pytest.raises(ValidationError) as exc:
        services.bed_assign(actor=world.operator, bed=first, student=b)
    assert "bed" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.bed_assign(actor=world.operator, bed=second, student=a)
    assert "student" in exc.value.message_dict
    assert BedAssignment.objects.count() == 1


def test_other_students_park_is_refused(world):
    room = make_room(make_building(world.other_park, "外园1号楼"), gender="female")
    student = set_gender(world.a_student, "female")
    with pytest.raises(ValidationError):
        services.bed_assign(actor=world.other_admin, bed=room.beds.first(), student=student)
    assert not BedAssignment.objects.exists()


@pytest.mark.parametrize("persona", ["college_a_admin", "manager_a", "student_a", "committee", "other_admin"])
def test_only_keepers_check_in_and_out(world, room, persona):
    student = set_gender(world.a_student, "female")
    with pytest.raises(PermissionDenied):
        services.bed_assign(actor=world.users[persona], bed=room.beds.first(), student=student)
    assignment = make_assignment(student, room.beds.first())
    with pytest.raises(PermissionDenied):
        services.bed_check_out(actor=world.users[persona], assignment=assignment)


def test_database_refuses_two_current_students_in_one_bed(world, room):
    a = set_gender(world.a_student, "female")
    b = set_gender(world.b_student, "female")
    bed = room.beds.first()
    make_assignment(a, bed)
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(student=b, bed=bed, start_date=DAY)
    make_assignment(b, bed, end=DAY)  # a past stay in the same bed is fine


def test_database_refuses_two_current_beds_for_one_student(world, room):
    a = set_gender(world.a_student, "female")
    first, second = room.beds.all()
    make_assignment(a, first)
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(student=a, bed=second, start_date=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(student=a, bed=second, start_date=DAY, end_date=DAY - datetime.timedelta(days=1))


# --- reads ---------------------------------------------------------------------------------------------------


def test_who_sees_assignments_and_rooms(world, room):
    student = set_gender(world.a_student, "female")
    assignment = make_assignment(student, room.beds.first())
    other_room = make_room(room.building, "102", gender="male")
    for persona, sees in {
        "operator": True,
        "park_admin": True,
        "college_a_admin": True,
        "manager_a": True,
        "student_a": True,
        "college_b_admin": False,
        "student_b": False,
        "teacher_a": False,
        "hr_e1": False,
        "committee": False,
        "other_admin": False,
    }.items():
        assert selectors.bed_assignment_list(user=world.users[persona]).filter(pk=assignment.pk).exists() == sees, (
            persona
        )
    rooms = set(selectors.dorm_room_list(user=world.users["student_a"]).values_list("pk", flat=True))
    assert rooms == {room.pk}
    assert set(selectors.dorm_building_list(user=world.users["student_a"])) == {room.building}
    assert not selectors.dorm_room_list(user=world.users["student_b"]).exists()
    assert other_room in selectors.dorm_room_list(user=world.users["committee"])
    assert not selectors.dorm_room_list(user=world.users["other_admin"]).exists()


def test_occupancy_counts_per_building_and_gender(world, room):
    make_room(room.building, "102", gender="male", beds=4)
    make_assignment(set_gender(world.a_student, "female"), room.beds.first())
    rows = selectors.occupancy(user=world.operator)
    assert [(r["building"], r["gender"], r["beds"], r["taken"], r["free"]) for r in rows] == [
        (room.building, "female", 2, 1, 1),
        (room.building, "male", 4, 0, 4),
    ]


# --- allocation ----------------------------------------------------------------------------------------------


def _park_with_rooms(world):
    building = make_building(world.park, "A栋")
    for floor in (1, 2):
        for n in range(3):
            make_room(building, f"{floor}0{n}", gender="female", beds=4, floor=floor)
    make_room(building, "301", gender="male", beds=2, floor=3)
    return building


def test_allocate_places_students_and_explains_the_rest(world):
    _park_with_rooms(world)
    women = make_students(world, 10, gender="female")
    men = make_students(world, 3, gender="male", start=100)
    nobody = make_students(world, 1, gender="", start=200)
    housed = set_gender(world.a_student, "female")
    make_assignment(housed, Bed.objects.filter(room__number="101").first())
    run = services.allocate(
        actor=world.operator, park=world.park, students=women + men + nobody + [housed], seed=3, weights={"roommate": 5}
    )
    assert run.status == AllocationStatus.DONE and run.placed == 12
    assert run.unplaced == 3  # one man without a bed, one student without a gender, one with a bed already
    assert BedAssignment.objects.filter(allocated_by_run=run, end_date__isnull=True).count() == 12
    assert audit_count(BedAssignment, "create") == 12 and audit_count(AllocationRun, "update", run.pk) == 1
    summary = run.summary
    assert {row["code"] for row in summary["skipped"]} == {"no_gender", "has_bed"}
    [unplaced] = summary["unplaced"]
    assert unplaced in {m.pk for m in men}
    assert summary["explanations"][str(unplaced)][0]["code"] == "no_bed"
    lines = selectors.allocation_explanations(run, user=world.operator)
    assert any("no free bed" in line.text for line in lines if line.student_id == unplaced)


def test_allocate_is_deterministic_for_a_seed(world):
    _park_with_rooms(world)
    students = make_students(world, 14, gender="female")
    run = services.allocate(actor=world.operator, park=world.park, students=students, seed=7)
    first = dict(BedAssignment.objects.filter(allocated_by_run=run).values_list("student_id", "bed_id"))
    BedAssignment.objects.all().delete()
    run2 = services.allocate(actor=world.operator, park=world.park, students=students, seed=7)
    assert dict(BedAssignment.objects.filter(allocated_by_run=run2).values_list("student_id", "bed_id")) == first


def test_allocate_refuses_others_and_bad_weights(world):
    _park_with_rooms(world)
    students = make_students(world, 2)
    for persona in ("college_a_admin", "manager_a", "committee", "other_admin"):
        with pytest.raises(PermissionDenied):
            services.allocate(actor=world.users[persona], park=world.park, students=students)
    for bad in ({"nope": 1}, {"roommate": -1}, {"roommate": "x"}):
        with pytest.raises(ValidationError) as exc:
            services.allocate(actor=world.operator, park=world.park, students=students, weights=bad)
        assert "weights" in exc.value.message_dict
    assert not AllocationRun.objects.exists() and not BedAssignment.objects.exists()


def test_allocation_runs_as_a_job(world, django_capture_on_commit_callbacks):
    _park_with_rooms(world)
    students = make_students(world, 5)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.allocation_start(actor=world.operator, park=world.park, students=students, seed=1)
    run.refresh_from_db()
    job = Job.objects.get(pk=run.job_id)
    assert job.kind == "operations.allocation" and job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["placed"] == 5 and run.status == AllocationStatus.DONE and run.placed == 5
    with pytest.raises(ValidationError):
        services.allocation_start(actor=world.operator, park=world.park, students=[])
