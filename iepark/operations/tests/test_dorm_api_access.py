"""Standard access tests of the dormitory API endpoints and their pages (see iepark.testing.ApiAccessSuite)."""

from __future__ import annotations

from iepark.operations.models import AllocationRun, BedAssignment, DormBuilding
from iepark.testing import ApiAccessSuite

from .factories import make_assignment, make_building, make_room, make_students, set_gender

DORM_READERS = ("committee", "college_a_admin", "manager_a", "coordinator")
DORM_OUTSIDERS = ("other_admin", "outsider", "hr_e1", "teacher_a", "student_b")


def _room(building, number: str, gender: str = "female"):
    """Return the room ``number`` of ``building``, made on first use (payload methods may be called twice)."""
    return building.rooms.filter(number=number).first() or make_room(building, number, gender=gender)


def _building(world) -> DormBuilding:
    return DormBuilding.objects.filter(park=world.park).first() or make_building(world.park)


class TestDormBuildingAccess(ApiAccessSuite):
    basename = "dormbuilding"
    readers = ("operator",)
    readonly = DORM_READERS
    writer = "park_admin"
    outsiders = DORM_OUTSIDERS
    page_list, page_detail, page_edit = "dormbuilding_list", "dormbuilding_detail", "dormbuilding_edit"

    def own(self, world):
        return _building(world)

    def create_payload(self, world):
        return {"park": world.park.pk, "name": "5号楼", "name_en": "Building 5", "gender_policy": "female"}

    def update_payload(self, world, obj):
        return {"name_en": "Building One"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), gender_policy="both"), "gender_policy"

    def make_many(self, world, n, start):
        for i in range(n):
            make_room(make_building(world.park, f"楼{start + i}"), beds=2)


class TestDormRoomAccess(ApiAccessSuite):
    basename = "dormroom"
    readers = ("operator",)
    readonly = DORM_READERS
    writer = "operator"
    outsiders = DORM_OUTSIDERS
    page_list, page_detail, page_edit = "dormroom_list", "dormroom_detail", "dormroom_edit"

    def own(self, world):
        return make_room(_building(world), "101")

    def create_payload(self, world):
        return {"building": _building(world).pk, "floor": 2, "number": "201", "gender": "male", "beds_count": 4}

    def update_payload(self, world, obj):
        return {"facilities": "独立卫生间"}

    def foreign_payload(self, world):
        other = DormBuilding.objects.filter(park=world.other_park).first() or make_building(world.other_park, "外园楼")
        return dict(self.create_payload(world), building=other.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), beds_count=0), "beds_count"

    def make_many(self, world, n, start):
        building = _building(world)
        for i in range(n):
            make_room(building, f"{start + i}", beds=2)


class TestBedAssignmentAccess(ApiAccessSuite):
    basename = "bedassignment"
    readers = ("operator",)
    readonly = ("college_a_admin", "manager_a", "student_a")
    writer = "park_admin"
    outsiders = ("other_admin", "outsider", "hr_e1", "college_b_admin", "student_b", "committee", "teacher_a")
    page_list, page_detail = "bedassignment_list", "bedassignment_detail"

    def own(self, world):
        room = make_room(_building(world), "101", gender="female")
        return make_assignment(set_gender(world.a_student, "female"), room.beds.first())

    def create_payload(self, world):
        room = _room(_building(world), "102")
        set_gender(world.a_student, "female")
        return {"bed": room.beds.first().pk, "student": world.a_student.pk, "start_date": "2025-09-01"}

    def foreign_payload(self, world):
        other = DormBuilding.objects.filter(park=world.other_park).first() or make_building(world.other_park, "外园楼")
        room = _room(other, "101")
        set_gender(world.a_student, "female")
        return {"bed": room.beds.first().pk, "student": world.a_student.pk, "start_date": "2025-09-01"}

    def invalid_payload(self, world):
        room = _room(_building(world), "103", gender="male")
        set_gender(world.a_student, "female")
        return {"bed": room.beds.first().pk, "student": world.a_student.pk, "start_date": "2025-09-01"}, "bed"

    def make_many(self, world, n, start):
        room = make_room(_building(world), f"R{start}", gender="female", beds=n)
        for student, bed in zip(make_students(world, n, start=start), room.beds.all(), strict=True):
            make_assignment(student, bed)


class TestAllocationRunAccess(ApiAccessSuite):
    basename = "allocationrun"
    readers = ("operator",)
    writer = "park_admin"
    outsiders = DORM_OUTSIDERS + DORM_READERS + ("student_a",)
    page_list, page_detail = "allocationrun_list", "allocationrun_detail"

    def own(self, world):
        return AllocationRun.objects.create(park=world.park, seed=1, students=[world.a_student.pk])

    def create_payload(self, world):
        _room(_building(world), "301")
        return {"park": world.park.pk, "students": [set_gender(world.a_student, "female").pk], "seed": 4}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), weights={"roommate": -2}), "weights"

    def make_many(self, world, n, start):
        AllocationRun.objects.bulk_create([AllocationRun(park=world.park, seed=start + i) for i in range(n)])


def test_check_out_action_and_refusals(world, api):
    room = make_room(_building(world), "101", gender="female")
    assignment = make_assignment(set_gender(world.a_student, "female"), room.beds.first())
    url = f"/api/v1/bed-assignments/{assignment.pk}/check-out/"
    for persona in ("manager_a", "student_a"):
        assert api(world.users[persona]).post(url, {}, format="json").status_code == 403, persona
    assert api(world.users["student_b"]).post(url, {}, format="json").status_code == 404
    bad = api(world.operator).post(url, {"end_date": "2025-08-01"}, format="json")
    assert bad.status_code == 400 and "end_date" in bad.json()
    ok = api(world.operator).post(url, {"end_date": "2025-10-01", "inspection_note": "一切正常"}, format="json")
    assert ok.status_code == 200 and ok.json()["end_date"] == "2025-10-01" and not ok.json()["is_current"]
    assert BedAssignment.objects.get(pk=assignment.pk).inspection_note == "一切正常"
