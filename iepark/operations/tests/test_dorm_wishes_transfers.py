"""Housing wishes read by allocation runs, room transfers (request, decision, move), layout edits, check-out."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from iepark.core.models import AuditEvent
from iepark.operations import selectors, services
from iepark.operations.choices import TransferStatus
from iepark.operations.models import Bed, BedAssignment, DormBuilding, DormRoom, HousingWish, RoomTransferRequest

from .factories import make_assignment, make_building, make_room, make_students, set_gender

D = datetime.date


def _code(exc_info, field: str) -> str:
    return exc_info.value.error_dict[field][0].code


# --- housing wishes -----------------------------------------------------------------------------


def test_student_records_wishes_and_a_mutual_request_is_recognised(world):
    me = set_gender(world.a_student, "female")
    (mate,) = make_students(world, 1, gender="female")
    found = services.find_roommate(student=me, student_number=mate.student_number, name="Student 0")
    assert found == mate
    wish = services.housing_wish_set(
        actor=world.users["student_a"], student=me, needs_accessible=True, accessibility_note="轮椅", roommate=mate
    )
    assert wish.updated_by == world.users["student_a"] and not wish.is_mutual
    assert AuditEvent.objects.filter(action="create", object_id=str(wish.pk)).exists()
    # the student manager of college A records the classmate's wish for them: now mutual
    services.housing_wish_set(actor=world.users["manager_a"], student=mate, roommate=me)
    assert HousingWish.objects.get(student=me).is_mutual
    assert selectors.housing_wish_list(user=world.operator).get(student=me).mutual
    # a second call replaces the wishes (one row per student)
    services.housing_wish_set(actor=world.users["student_a"], student=me, needs_accessible=False)
    assert HousingWish.objects.filter(student=me).count() == 1 and HousingWish.objects.get(student=me).roommate is None


def test_wish_refusals(world):
    me = set_gender(world.a_student, "female")
    (man,) = make_students(world, 1, gender="male")
    with pytest.raises(ValidationError) as err:
        services.find_roommate(student=me, student_number=man.student_number, name="wrong name")
    assert _code(err, "roommate") == "roommate_not_found"
    with pytest.raises(ValidationError) as err:
        services.housing_wish_set(actor=world.users["student_a"], student=me, roommate=man)
    assert _code(err, "roommate") == "roommate_other_gender"
    with pytest.raises(ValidationError) as err:
        services.housing_wish_set(actor=world.users["student_a"], student=me, roommate=me)
    assert _code(err, "roommate") == "roommate_self"
    # another college's staff, another student, an enterprise: refused
    for persona in ("college_b_admin", "student_b", "hr_e1", "teacher_a"):
        with pytest.raises(PermissionDenied):
            services.housing_wish_set(actor=world.users[persona], student=me, needs_accessible=True)
    assert not HousingWish.objects.exists()
    services.housing_wish_set(actor=world.operator, student=me, needs_accessible=True)
    assert HousingWish.objects.get(student=me).needs_accessible


def test_allocation_reads_recorded_wishes_and_explains_the_unmet(world):
    building = make_building(world.park, "A栋")
    plain = make_room(building, "101", gender="female", beds=2)
    make_room(building, "102", gender="female", beds=2)
    accessible = make_room(building, "103", gender="female", beds=2, accessible=True)
    students = make_students(world, 5, gender="female")
    s0, s1, s2, s3, s4 = students
    manager = world.users["manager_a"]
    # s0 and s3 ask for each other; s4 needs an accessible room; s1 asks for a student already housed
    services.housing_wish_set(actor=manager, student=s0, roommate=s3)
    services.housing_wish_set(actor=manager, student=s3, roommate=s0)
    services.housing_wish_set(actor=manager, student=s4, needs_accessible=True)
    housed = set_gender(world.a_student, "female")
    make_assignment(housed, plain.beds.first())
    services.housing_wish_set(actor=manager, student=s1, roommate=housed)
    run = services.allocate(actor=world.operator, park=world.park, students=students, seed=3)
    where = {a.student_id: a.bed.room_id for a in BedAssignment.objects.filter(allocated_by_run=run)}
    assert where[s0.pk] == where[s3.pk]
    assert where[s4.pk] == accessible.pk
    figures = run.summary["wishes"]
    assert figures["mutual_pairs"] == 1 and figures["mutual_honoured"] == 1
    assert figures["accessible_needs"] == 1 and figures["accessible_placed"] == 1
    codes = {item["code"] for item in run.summary["explanations"].get(str(s1.pk), [])}
    assert "roommate_housed" in codes
    lines = [line.text for line in selectors.allocation_explanations(run, user=world.operator)]
    assert any("already holds a bed" in text and "student_a" in text for text in lines), lines


def test_check_in_honours_a_recorded_accessibility_need(world):
    room = make_room(make_building(world.park), "101", gender="female")
    me = set_gender(world.a_student, "female")
    services.housing_wish_set(actor=world.users["student_a"], student=me, needs_accessible=True)
    with pytest.raises(ValidationError) as err:
        services.bed_assign(actor=world.operator, bed=room.beds.first(), student=me)
    assert _code(err, "bed") == "not_accessible"


# --- room transfers ------------------------------------------------------------------------------


@pytest.fixture
def housed(world):
    building = make_building(world.park, "1号楼")
    old = make_room(building, "101", gender="female", beds=2)
    new = make_room(building, "201", gender="female", beds=2, floor=2)
    men = make_room(building, "301", gender="male", beds=2, floor=3)
    student = set_gender(world.a_student, "female")
    stay = make_assignment(student, old.beds.first(), start=D(2025, 9, 1))
    return {"building": building, "old": old, "new": new, "men": men, "student": student, "stay": stay}


def test_transfer_flow_request_approve_move(world, housed):
    student = housed["student"]
    transfer = services.transfer_request(
        actor=world.users["student_a"], student=student, reason="室友作息不同", preferred_building=housed["building"]
    )
    assert transfer.status == TransferStatus.REQUESTED and transfer.assignment == housed["stay"]
    with pytest.raises(ValidationError) as err:  # one open request at a time
        services.transfer_request(actor=world.users["student_a"], student=student, reason="again")
    assert _code(err, "student") == "already_open"
    with pytest.raises(ValidationError) as err:  # operator staff move only approved requests
        services.transfer_carry_out(actor=world.operator, transfer=transfer, bed=housed["new"].beds.first())
    assert _code(err, "status") == "not_approved"
    services.transfer_decide(actor=world.users["manager_a"], transfer=transfer, approve=True, note="同意")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.APPROVED and transfer.decided_by == world.users["manager_a"]
    # the beds offered suit the student: free, her gender
    choices = list(selectors.transfer_bed_choices(user=world.operator, transfer=transfer))
    assert housed["men"].beds.first() not in choices and housed["old"].beds.first() not in choices
    assert choices[0].room == housed["old"] or choices[0].room == housed["new"]
    with pytest.raises(ValidationError) as err:
        services.transfer_carry_out(actor=world.operator, transfer=transfer, bed=housed["men"].beds.first())
    assert _code(err, "bed") == "gender_mismatch"
    with pytest.raises(ValidationError) as err:
        services.transfer_carry_out(
            actor=world.operator, transfer=transfer, bed=housed["new"].beds.first(), move_date=D(2025, 8, 1)
        )
    assert _code(err, "move_date") == "before"
    taken = make_students(world, 1, gender="female")[0]
    make_assignment(taken, housed["new"].beds.last())
    with pytest.raises(ValidationError) as err:
        services.transfer_carry_out(actor=world.operator, transfer=transfer, bed=housed["new"].beds.last())
    assert _code(err, "bed") == "bed_taken"
    for persona in ("manager_a", "student_a", "college_a_admin"):
        with pytest.raises(PermissionDenied):
            services.transfer_carry_out(actor=world.users[persona], transfer=transfer, bed=housed["new"].beds.first())
    services.transfer_carry_out(
        actor=world.operator, transfer=transfer, bed=housed["new"].beds.first(), move_date=D(2025, 11, 2)
    )
    transfer.refresh_from_db()
    old = BedAssignment.objects.get(pk=housed["stay"].pk)
    new = transfer.new_assignment
    assert transfer.status == TransferStatus.DONE and transfer.done_by == world.operator
    assert old.end_date == D(2025, 11, 2) and new.start_date == D(2025, 11, 2) and new.end_date is None
    assert new.bed == housed["new"].beds.first() and new.student == student
    assert BedAssignment.objects.filter(student=student, end_date__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="create", object_id=str(new.pk)).exists()
    with pytest.raises(ValidationError):
        services.transfer_cancel(actor=world.users["student_a"], transfer=transfer)


def test_transfer_decisions_belong_to_the_students_college(world, housed):
    transfer = services.transfer_request(actor=world.users["student_a"], student=housed["student"], reason="太吵")
    for persona in ("college_b_admin", "operator", "teacher_a", "student_a", "coordinator", "park_admin"):
        with pytest.raises(PermissionDenied):
            services.transfer_decide(actor=world.users[persona], transfer=transfer, approve=True)
    with pytest.raises(ValidationError) as err:
        services.transfer_decide(actor=world.users["college_a_admin"], transfer=transfer, approve=False)
    assert _code(err, "decision_note") == "no_reason"
    services.transfer_decide(actor=world.users["college_a_admin"], transfer=transfer, approve=False, note="暂无空床")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REJECTED and transfer.decision_note == "暂无空床"
    with pytest.raises(ValidationError) as err:
        services.transfer_decide(actor=world.users["manager_a"], transfer=transfer, approve=True)
    assert _code(err, "status") == "decided"
    # college B's staff do not even see it
    assert not selectors.room_transfer_list(user=world.users["college_b_admin"]).filter(pk=transfer.pk).exists()
    assert selectors.room_transfer_list(user=world.users["manager_a"]).filter(pk=transfer.pk).exists()


def test_student_cancels_and_others_cannot(world, housed):
    transfer = services.transfer_request(actor=world.users["student_a"], student=housed["student"], reason="想换")
    for persona in ("student_b", "operator"):
        with pytest.raises(PermissionDenied):
            services.transfer_cancel(actor=world.users[persona], transfer=transfer)
    services.transfer_cancel(actor=world.users["student_a"], transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    # a new request is possible once the old one is closed
    services.transfer_request(actor=world.users["student_a"], student=housed["student"], reason="再申请")


def test_transfer_request_refusals(world, housed):
    with pytest.raises(PermissionDenied):  # another student cannot ask for her
        services.transfer_request(actor=world.users["student_b"], student=housed["student"], reason="x")
    with pytest.raises(ValidationError) as err:
        services.transfer_request(actor=world.users["student_a"], student=housed["student"], reason="  ")
    assert _code(err, "reason") == "no_reason"
    with pytest.raises(ValidationError) as err:
        services.transfer_request(
            actor=world.users["student_a"], student=housed["student"], reason="x", preferred_room=housed["men"]
        )
    assert _code(err, "preferred_room") == "gender_mismatch"
    set_gender(world.b_student, "male")
    with pytest.raises(ValidationError) as err:  # no bed to move out of
        services.transfer_request(actor=world.users["student_b"], student=world.b_student, reason="x")
    assert _code(err, "student") == "no_bed"
    assert not RoomTransferRequest.objects.exists()


# --- layout edits --------------------------------------------------------------------------------


def test_room_beds_grow_and_shrink_but_never_below_residents_or_used_beds(world):
    room = make_room(make_building(world.park), "101", gender="female", beds=4)
    services.dorm_room_update(actor=world.operator, room=room, data={"beds_count": 6, "facilities": "空调"})
    room.refresh_from_db()
    assert room.beds_count == 6 and sorted(room.beds.values_list("label", flat=True)) == list("123456")
    students = make_students(world, 2, gender="female")
    beds = list(room.beds.order_by("label"))
    make_assignment(students[0], beds[0])
    make_assignment(students[1], beds[5], end=D(2025, 10, 1))  # bed 6 used once: kept
    with pytest.raises(ValidationError) as err:
        services.dorm_room_update(actor=world.operator, room=room, data={"beds_count": 1})
    assert _code(err, "beds_count") == "bed_history"
    services.dorm_room_update(actor=world.operator, room=room, data={"beds_count": 2})
    assert sorted(room.beds.values_list("label", flat=True)) == ["1", "6"]
    make_assignment(students[1], beds[5])
    with pytest.raises(ValidationError) as err:
        services.dorm_room_update(actor=world.operator, room=room, data={"beds_count": 1})
    assert _code(err, "beds_count") == "below_occupancy"
    with pytest.raises(ValidationError) as err:
        services.dorm_room_update(actor=world.operator, room=room, data={"gender": "male"})
    assert _code(err, "gender") == "occupied"
    with pytest.raises(ValidationError) as err:
        services.dorm_room_update(actor=world.operator, room=room, data={"in_service": False})
    assert _code(err, "in_service") == "occupied"
    with pytest.raises(PermissionDenied):
        services.dorm_room_update(actor=world.users["manager_a"], room=room, data={"facilities": "x"})


def test_beds_added_disabled_and_removed(world):
    room = make_room(make_building(world.park), "101", gender="female", beds=2)
    bed = services.bed_add(actor=world.operator, room=room)
    room.refresh_from_db()
    assert bed.label == "3" and room.beds_count == 3
    first = room.beds.get(label="1")
    student = make_students(world, 1, gender="female")[0]
    make_assignment(student, first)
    with pytest.raises(ValidationError) as err:
        services.bed_update(actor=world.operator, bed=first, data={"in_service": False})
    assert _code(err, "in_service") == "occupied"
    with pytest.raises(ValidationError) as err:
        services.bed_delete(actor=world.operator, bed=first)
    assert _code(err, "bed") == "occupied"
    BedAssignment.objects.filter(bed=first).update(end_date=D(2025, 10, 1))
    with pytest.raises(ValidationError) as err:
        services.bed_delete(actor=world.operator, bed=first)
    assert _code(err, "bed") == "has_history"
    services.bed_update(actor=world.operator, bed=first, data={"in_service": False})
    assert first not in selectors.free_bed_list(user=world.operator)
    other = make_students(world, 1, gender="female", start=10)[0]
    with pytest.raises(ValidationError) as err:
        services.bed_assign(actor=world.operator, bed=Bed.objects.get(pk=first.pk), student=other)
    assert _code(err, "bed") == "out_of_service"
    pk = bed.pk
    services.bed_delete(actor=world.operator, bed=bed)
    room.refresh_from_db()
    assert room.beds_count == 2 and not Bed.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(pk)).exists()


def test_out_of_service_beds_are_left_out_of_allocation(world):
    room = make_room(make_building(world.park), "101", gender="female", beds=2)
    services.bed_update(actor=world.operator, bed=room.beds.get(label="1"), data={"in_service": False})
    students = make_students(world, 2, gender="female")
    run = services.allocate(actor=world.operator, park=world.park, students=students)
    assert run.placed == 1
    assert set(BedAssignment.objects.values_list("bed__label", flat=True)) == {"2"}


def test_rooms_and_buildings_are_deleted_only_without_history(world):
    building = make_building(world.park, "2号楼")
    used = make_room(building, "101", gender="female")
    unused = make_room(building, "102", gender="female")
    make_assignment(make_students(world, 1)[0], used.beds.first(), end=D(2025, 10, 1))
    with pytest.raises(ValidationError) as err:
        services.dorm_room_delete(actor=world.operator, room=used)
    assert "out of service" in err.value.messages[0]
    with pytest.raises(ValidationError):
        services.dorm_building_delete(actor=world.operator, building=building)
    services.dorm_room_delete(actor=world.operator, room=unused)
    assert not DormRoom.objects.filter(pk=unused.pk).exists()
    empty = make_building(world.park, "3号楼")
    make_room(empty, "101")
    with pytest.raises(PermissionDenied):
        services.dorm_building_delete(actor=world.users["college_a_admin"], building=empty)
    services.dorm_building_delete(actor=world.park_admin, building=empty)
    assert not DormBuilding.objects.filter(pk=empty.pk).exists()


# --- check-out ---------------------------------------------------------------------------------------


def test_check_out_records_the_condition(world):
    room = make_room(make_building(world.park), "101", gender="female")
    stay = make_assignment(set_gender(world.a_student, "female"), room.beds.first(), start=D(2025, 9, 1))
    with pytest.raises(ValidationError) as err:
        services.bed_check_out(actor=world.operator, assignment=stay, end_date=D(2025, 8, 31))
    assert _code(err, "end_date") == "before"
    with pytest.raises(ValidationError) as err:
        services.bed_check_out(
            actor=world.operator, assignment=stay, end_date=D(2025, 12, 1), checkout_condition="damage"
        )
    assert _code(err, "damage_description") == "no_damage_description"
    assert BedAssignment.objects.get(pk=stay.pk).end_date is None
    services.bed_check_out(
        actor=world.operator,
        assignment=stay,
        end_date=D(2025, 12, 1),
        checkout_condition="damage",
        damage_description="书桌抽屉损坏",
    )
    stay.refresh_from_db()
    assert stay.checkout_condition == "damage" and stay.damage_description == "书桌抽屉损坏"


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_check_out_page_takes_photos_of_the_damage(world, browser_client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from iepark.core.attachments import attachments_of

    settings.MEDIA_ROOT = str(tmp_path)
    room = make_room(make_building(world.park), "101", gender="female")
    stay = make_assignment(set_gender(world.a_student, "female"), room.beds.first(), start=D(2025, 9, 1))
    client = browser_client(world.operator)
    response = client.post(
        reverse("dorm_check_out", args=[stay.pk]),
        {
            "end_date": "2025-12-01",
            "checkout_condition": "damage",
            "damage_description": "门锁损坏",
            "photos": [SimpleUploadedFile("lock.png", _png(), content_type="image/png")],
        },
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.end_date == D(2025, 12, 1) and attachments_of(stay).count() == 1
    # the student sees the photo on their stay's page; college B does not see the stay
    page = browser_client(world.users["student_a"]).get(reverse("bedassignment_detail", args=[stay.pk]))
    assert page.status_code == 200 and "lock" in page.content.decode()
    assert (
        browser_client(world.users["student_b"]).get(reverse("bedassignment_detail", args=[stay.pk])).status_code == 404
    )


def test_each_transfer_step_tells_the_next_party(world, housed):
    from iepark.careers.models import Notification

    def texts(name):
        return [n.text for n in Notification.objects.filter(recipient=world.users[name])]

    transfer = services.transfer_request(actor=world.users["student_a"], student=housed["student"], reason="太吵")
    assert any("asks to move" in t for t in texts("manager_a"))
    assert any("asks to move" in t for t in texts("college_a_admin"))
    assert texts("college_b_admin") == [] and texts("operator") == []
    services.transfer_decide(actor=world.users["manager_a"], transfer=transfer, approve=True)
    assert any("approved" in t for t in texts("operator"))
    services.transfer_carry_out(actor=world.operator, transfer=transfer, bed=housed["new"].beds.first())
    assert any("transfer is done" in t for t in texts("student_a"))
