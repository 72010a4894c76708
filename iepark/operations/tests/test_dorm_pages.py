"""The dormitory pages: occupancy, rooms with residents, check-in and check-out, allocation, my room."""

from __future__ import annotations

from django.urls import reverse

from iepark.operations.models import AllocationRun, BedAssignment

from .factories import make_assignment, make_building, make_room, make_students, set_gender

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _page(client, url, **params) -> str:
    response = client.get(url, params, **EN)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_menu_shows_dormitories_to_staff_and_my_room_to_students(world, browser_client):
    for persona in ("operator", "park_admin", "college_a_admin", "manager_a"):
        page = _page(browser_client(world.users[persona]), "/")
        assert reverse("dormbuilding_list") in page, persona
    page = _page(browser_client(world.users["student_a"]), "/")
    assert reverse("my_room") in page and reverse("dormbuilding_list") not in page
    page = _page(browser_client(world.users["hr_e1"]), "/")
    assert reverse("dormbuilding_list") not in page and reverse("my_room") not in page


def test_building_list_shows_occupancy_and_detail_the_residents(world, browser_client):
    building = make_building(world.park, "1号楼")
    room = make_room(building, "101", gender="female", beds=4)
    make_room(building, "102", gender="male", beds=2)
    make_assignment(set_gender(world.a_student, "female"), room.beds.first())
    client = browser_client(world.operator)
    page = _page(client, reverse("dormbuilding_list"))
    assert "Occupancy" in page and "1号楼" in page and "Allocate beds" in page
    page = _page(client, reverse("dormbuilding_detail", args=[building.pk]))
    assert "student_a" in page and "1 of 4 beds taken, 3 free" in page and "0 of 2 beds taken, 2 free" in page
    # a college admin reads without the keeper's buttons
    page = _page(browser_client(world.users["college_a_admin"]), reverse("dormbuilding_list"))
    assert "1号楼" in page and "Allocate beds" not in page


def test_check_in_and_check_out_pages(world, browser_client):
    room = make_room(make_building(world.park), "101", gender="female", beds=2)
    bed = room.beds.first()
    student = set_gender(world.a_student, "female")
    set_gender(world.b_student, "male")
    client = browser_client(world.operator)
    page = _page(client, reverse("dorm_check_in"))
    assert "A001" in page
    response = client.post(
        reverse("dorm_check_in"), {"student": world.b_student.pk, "bed": bed.pk, "start_date": "2025-09-01"}, **EN
    )
    assert response.status_code == 200 and "for Female students only" in response.content.decode()
    response = client.post(
        reverse("dorm_check_in"), {"student": student.pk, "bed": bed.pk, "start_date": "2025-09-01"}, **EN
    )
    assert response.status_code == 302
    assignment = BedAssignment.objects.get(student=student, end_date__isnull=True)
    page = _page(client, reverse("dormroom_detail", args=[room.pk]))
    assert reverse("dorm_check_out", args=[assignment.pk]) in page
    response = client.post(
        reverse("dorm_check_out", args=[assignment.pk]),
        {"end_date": "2025-08-01", "checkout_condition": "good", "inspection_note": ""},
        **EN,
    )
    assert "cannot be before the check-in" in response.content.decode()
    response = client.post(
        reverse("dorm_check_out", args=[assignment.pk]),
        {"end_date": "2025-12-01", "checkout_condition": "damage", "damage_description": "墙面污损"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert str(assignment.end_date) == "2025-12-01" and assignment.damage_description == "墙面污损"
    assert assignment.checkout_condition == "damage"


def test_readers_cannot_check_in_or_out(world, browser_client):
    room = make_room(make_building(world.park), "101", gender="female")
    assignment = make_assignment(set_gender(world.a_student, "female"), room.beds.first())
    for persona in ("college_a_admin", "manager_a", "student_a"):
        client = browser_client(world.users[persona])
        assert client.get(reverse("dorm_check_in")).status_code == 403, persona
        assert (
            client.post(reverse("dorm_check_out", args=[assignment.pk]), {"end_date": "2025-12-01"}).status_code == 403
        )
    client = browser_client(world.users["student_b"])
    assert client.post(reverse("dorm_check_out", args=[assignment.pk]), {"end_date": "2025-12-01"}).status_code == 404
    assert BedAssignment.objects.get(pk=assignment.pk).end_date is None


def test_allocation_page_runs_the_job_and_shows_the_result(world, browser_client, django_capture_on_commit_callbacks):
    building = make_building(world.park, "A栋")
    make_room(building, "101", gender="female", beds=4)
    make_students(world, 3, gender="female", cohort_year=2026)
    men = make_students(world, 2, gender="male", cohort_year=2026, start=50)
    make_students(world, 2, gender="female", cohort_year=2024, start=80)  # another cohort: not chosen
    client = browser_client(world.operator)
    assert "seed" in _page(client, reverse("allocationrun_create"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("allocationrun_create"), {"park": world.park.pk, "cohort_year": 2026, "seed": 5})
    assert response.status_code == 302, response.content.decode()
    run = AllocationRun.objects.get()
    assert run.placed == 3 and run.unplaced == 2 and len(run.students) == 5
    page = _page(client, reverse("allocationrun_detail", args=[run.pk]))
    assert "3 students placed, 2 not placed." in page
    assert page.count("Not placed: no free bed in Male rooms") == 2 and str(men[0].person) in page
    assert browser_client(world.users["college_a_admin"]).get(reverse("allocationrun_create")).status_code == 403


def test_my_room(world, browser_client):
    room = make_room(make_building(world.park, "2号楼"), "305", gender="female", facilities="独立卫生间")
    make_assignment(set_gender(world.a_student, "female"), room.beds.first())
    page = _page(browser_client(world.users["student_a"]), reverse("my_room"))
    assert "2号楼 305" in page and "独立卫生间" in page
    page = _page(browser_client(world.users["student_b"]), reverse("my_room"))
    assert "no dormitory bed" in page
    assert browser_client(world.users["student_b"]).get(reverse("dormroom_detail", args=[room.pk])).status_code == 404
    assert browser_client(world.users["student_a"]).get(reverse("dormroom_detail", args=[room.pk])).status_code == 200
