"""Access suites of the beds, housing wishes and room transfer endpoints, and their actions' refusals."""

from __future__ import annotations

import datetime

from django.urls import reverse

from iepark.operations.choices import TransferStatus
from iepark.operations.models import (
    AllocationRun,
    Bed,
    BedAssignment,
    DormBuilding,
    HousingWish,
    RoomTransferRequest,
)
from iepark.testing import ApiAccessSuite

from .factories import make_assignment, make_building, make_room, make_students, set_gender


def _building(world) -> DormBuilding:
    return DormBuilding.objects.filter(park=world.park).first() or make_building(world.park)


def _room(world, number: str = "101", gender: str = "female"):
    building = _building(world)
    return building.rooms.filter(number=number).first() or make_room(building, number, gender=gender)


class TestBedAccess(ApiAccessSuite):
    basename = "bed"
    readers = ("operator",)
    readonly = ("committee", "college_a_admin", "manager_a", "coordinator")
    writer = "operator"
    outsiders = ("other_admin", "outsider", "hr_e1", "teacher_a", "student_a", "student_b")

    def own(self, world):
        return _room(world).beds.first()

    def create_payload(self, world):
        return {"room": _room(world, "102").pk, "label": "X"}

    def update_payload(self, world, obj):
        return {"in_service": False}

    def foreign_payload(self, world):
        other = DormBuilding.objects.filter(park=world.other_park).first() or make_building(world.other_park, "外园楼")
        room = other.rooms.first() or make_room(other, "101")
        return {"room": room.pk, "label": "X"}

    def invalid_payload(self, world):
        return {"room": 0, "label": "X"}, "room"

    def deletable(self, world):
        return _room(world, "103").beds.last()

    def make_many(self, world, n, start):
        building = _building(world)
        for i in range(n):
            make_room(building, f"B{start + i}", beds=1)


class TestHousingWishAccess(ApiAccessSuite):
    basename = "housingwish"
    readers = ("operator", "park_admin", "college_a_admin")
    readonly = ()
    writer = "manager_a"
    outsiders = ("other_admin", "outsider", "hr_e1", "teacher_a", "student_b", "college_b_admin", "committee")
    page_list, page_detail = "housingwish_list", "housingwish_detail"

    def own(self, world):
        student = set_gender(world.a_student, "female")
        return HousingWish.objects.get_or_create(student=student, defaults={"needs_accessible": True})[0]

    def create_payload(self, world):
        from iepark.core.models import Student

        (student,) = make_students(world, 1, start=700 + Student.objects.count())
        set_gender(world.a_student, "female")
        return {
            "student": student.pk,
            "needs_accessible": True,
            "roommate_student_number": "A001",
            "roommate_person_name": "student_a",
        }

    def update_payload(self, world, obj):
        return {"accessibility_note": "轮椅通道"}

    def foreign_payload(self, world):
        return {"student": world.b_student.pk, "needs_accessible": True}

    def invalid_payload(self, world):
        (student,) = make_students(world, 1, start=800)
        return {"student": student.pk, "roommate_student_number": "A001", "roommate_person_name": "nobody"}, (
            "roommate"
        )

    def deletable(self, world):
        return self.own(world)

    def make_many(self, world, n, start):
        HousingWish.objects.bulk_create(
            [HousingWish(student=s, needs_accessible=True) for s in make_students(world, n, start=start)]
        )


def _stay(world):
    set_gender(world.a_student, "female")
    current = BedAssignment.objects.filter(student=world.a_student, end_date__isnull=True).first()
    return current or make_assignment(world.a_student, _room(world).beds.first())


class TestRoomTransferAccess(ApiAccessSuite):
    basename = "roomtransfer"
    readers = ("operator", "park_admin", "manager_a", "college_a_admin")
    readonly = ()
    writer = "student_a"
    outsiders = ("other_admin", "outsider", "hr_e1", "teacher_a", "student_b", "college_b_admin", "committee")
    page_list, page_detail = "roomtransferrequest_list", "roomtransferrequest_detail"

    def own(self, world):
        stay = _stay(world)
        return RoomTransferRequest.objects.filter(
            student=world.a_student
        ).first() or RoomTransferRequest.objects.create(
            student=world.a_student, assignment=stay, reason="太吵", status=TransferStatus.REJECTED
        )

    def create_payload(self, world):
        _stay(world)
        return {"student": world.a_student.pk, "reason": "想和同学住一起", "preferred_building": _building(world).pk}

    def foreign_payload(self, world):
        make_assignment(set_gender(world.b_student, "male"), _room(world, "201", "male").beds.first())
        return {"student": world.b_student.pk, "reason": "x"}

    def invalid_payload(self, world):
        _stay(world)
        return {"student": world.a_student.pk, "reason": "  "}, "reason"

    def make_many(self, world, n, start):
        room = make_room(_building(world), f"R{start}", beds=n)
        for student, bed in zip(make_students(world, n, start=start), room.beds.all(), strict=True):
            stay = make_assignment(student, bed)
            RoomTransferRequest.objects.create(student=student, assignment=stay, reason="x")


def test_transfer_actions_and_their_refusals(world, api):
    stay = _stay(world)
    free = _room(world, "102").beds.first()
    created = api(world.users["student_a"]).post(
        "/api/v1/room-transfers/", {"student": world.a_student.pk, "reason": "太吵"}, format="json"
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/room-transfers/{created.json()['id']}/"
    # another college's administrator and another student do not see it at all
    for persona in ("college_b_admin", "student_b"):
        assert api(world.users[persona]).post(url + "approve/", {}, format="json").status_code == 404, persona
    # the student, the operator and the park administrator see it but may not decide
    for persona in ("student_a", "operator", "park_admin"):
        assert api(world.users[persona]).post(url + "approve/", {}, format="json").status_code == 403, persona
    assert api(world.operator).post(url + "carry-out/", {"bed": free.pk}, format="json").status_code == 400
    assert api(world.users["manager_a"]).post(url + "reject/", {}, format="json").status_code == 400
    ok = api(world.users["manager_a"]).post(url + "approve/", {"note": "同意"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    assert api(world.users["manager_a"]).post(url + "carry-out/", {"bed": free.pk}, format="json").status_code == 403
    assert api(world.users["student_b"]).post(url + "cancel/", format="json").status_code == 404
    moved = api(world.operator).post(url + "carry-out/", {"bed": free.pk, "move_date": "2025-10-01"}, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "done" and moved.json()["to_bed"] == str(free)
    stay.refresh_from_db()
    assert stay.end_date == datetime.date(2025, 10, 1)
    assert api(world.users["student_a"]).post(url + "cancel/", format="json").status_code == 400


def test_student_cancels_through_the_api_and_patch_is_not_allowed(world, api):
    _stay(world)
    created = api(world.users["student_a"]).post(
        "/api/v1/room-transfers/", {"student": world.a_student.pk, "reason": "太吵"}, format="json"
    )
    url = f"/api/v1/room-transfers/{created.json()['id']}/"
    assert api(world.users["student_a"]).patch(url, {"reason": "x"}, format="json").status_code == 405
    assert api(world.users["operator"]).post(url + "cancel/", format="json").status_code == 403
    response = api(world.users["student_a"]).post(url + "cancel/", format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_layout_deletes_through_the_api(world, api):
    building = make_building(world.park, "9号楼")
    used = make_room(building, "101")
    make_assignment(make_students(world, 1)[0], used.beds.first(), end=datetime.date(2025, 10, 1))
    response = api(world.operator).delete(f"/api/v1/dorm-rooms/{used.pk}/")
    assert response.status_code == 400 and "out of service" in str(response.json())
    response = api(world.operator).delete(f"/api/v1/dorm-beds/{used.beds.first().pk}/")
    assert response.status_code == 400
    assert api(world.users["manager_a"]).delete(f"/api/v1/dorm-rooms/{used.pk}/").status_code == 403
    empty = make_room(building, "102")
    assert api(world.operator).delete(f"/api/v1/dorm-rooms/{empty.pk}/").status_code == 204
    response = api(world.operator).patch(f"/api/v1/dorm-rooms/{used.pk}/", {"beds_count": 6}, format="json")
    assert response.status_code == 200 and len(response.json()["beds"]) == 6
    assert Bed.objects.filter(room=used).count() == 6


def test_housing_wish_by_the_student_through_the_api(world, api):
    me = set_gender(world.a_student, "female")
    (mate,) = make_students(world, 1, gender="female")
    client = api(world.users["student_a"])
    response = client.post(
        "/api/v1/housing-wishes/",
        {"student": me.pk, "roommate_student_number": mate.student_number, "roommate_person_name": "学生0"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["roommate"] == mate.pk and response.json()["mutual"] is False
    # the student cannot record wishes for another student
    other = api(world.users["student_a"]).post(
        "/api/v1/housing-wishes/", {"student": mate.pk, "needs_accessible": True}, format="json"
    )
    assert other.status_code in (400, 403)


def test_pages_of_wishes_and_transfers(world, browser_client):
    stay = _stay(world)
    free = _room(world, "102").beds.first()
    (mate,) = make_students(world, 1, gender="female")
    client = browser_client(world.users["student_a"])
    page = client.get(reverse("my_room"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My housing wishes" in page and "Ask to move" in page
    response = client.post(
        reverse("my_room"),
        {
            "form": "wish",
            "accessibility_note": "下铺",
            "roommate_student_number": mate.student_number,
            "roommate_name": "学生0",
        },
    )
    assert response.status_code == 302
    assert HousingWish.objects.get(student=world.a_student).roommate == mate
    response = client.post(reverse("my_room"), {"form": "transfer", "reason": "想换到二楼"})
    assert response.status_code == 302
    transfer = RoomTransferRequest.objects.get(student=world.a_student)
    page = client.get(reverse("my_room"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Cancel my request" in page
    # the manager's queue and decision
    manager = browser_client(world.users["manager_a"])
    page = manager.get(reverse("roomtransferrequest_list"), {"status": "requested"}).content.decode()
    assert str(world.a_student.person) in page
    page = manager.get(reverse("roomtransferrequest_detail", args=[transfer.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Record the decision" in page.content.decode()
    assert (
        browser_client(world.users["college_b_admin"])
        .get(reverse("roomtransferrequest_detail", args=[transfer.pk]))
        .status_code
        == 404
    )
    manager.post(reverse("room_transfer_act", args=[transfer.pk, "decide"]), {"decision": "approve"})
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.APPROVED
    # the operator's queue and the move
    operator = browser_client(world.operator)
    page = operator.get(reverse("roomtransferrequest_detail", args=[transfer.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Move the student" in page.content.decode()
    operator.post(
        reverse("room_transfer_act", args=[transfer.pk, "carry-out"]), {"bed": free.pk, "move_date": "2025-10-01"}
    )
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DONE and transfer.new_assignment.bed == free
    stay.refresh_from_db()
    assert stay.end_date == datetime.date(2025, 10, 1)
    # staff record wishes for a student; another college's staff may not
    response = manager.post(reverse("housing_wish_record"), {"student": mate.pk, "needs_accessible": "on"})
    assert response.status_code == 302 and HousingWish.objects.get(student=mate).needs_accessible
    assert browser_client(world.users["college_b_admin"]).post(
        reverse("housing_wish_record"), {"student": mate.pk, "needs_accessible": "on"}
    ).status_code in (403, 404)


def test_room_page_bed_actions_and_allocation_weights(world, browser_client, django_capture_on_commit_callbacks):
    room = make_room(_building(world), "101", gender="female", beds=2)
    client = browser_client(world.operator)
    client.post(reverse("dorm_bed_add", args=[room.pk]), {"label": ""})
    assert room.beds.count() == 3
    bed = room.beds.get(label="3")
    client.post(reverse("dorm_bed_action", args=[bed.pk]), {"action": "disable"})
    bed.refresh_from_db()
    assert not bed.in_service
    client.post(reverse("dorm_bed_action", args=[bed.pk]), {"action": "delete"})
    assert not Bed.objects.filter(pk=bed.pk).exists()
    assert (
        browser_client(world.users["manager_a"])
        .post(reverse("dorm_bed_add", args=[room.pk]), {"label": ""})
        .status_code
        == 403
    )
    make_students(world, 2, gender="female", cohort_year=2026)
    page = client.get(reverse("allocationrun_create"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="weight_roommate"' in page and 'value="10"' in page and "Avoid part-empty rooms" in page
    bad = client.post(reverse("allocationrun_create"), {"park": world.park.pk, "seed": 1, "weight_roommate": -1})
    assert bad.status_code == 200 and not AllocationRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("allocationrun_create"),
            {"park": world.park.pk, "cohort_year": 2026, "seed": 1, "weight_roommate": 25, "weight_cohort_floor": 7},
        )
    assert response.status_code == 302
    run = AllocationRun.objects.get()
    assert run.weights["roommate"] == 25 and run.weights["cohort_floor"] == 7
    assert run.summary["cost"]["goals"]["roommate"]["weight"] == 25
    page = client.get(reverse("allocationrun_detail", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Weights of the wishes" in page and "25" in page
