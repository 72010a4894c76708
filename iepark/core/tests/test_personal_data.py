"""A person's data can be exported (by them or their administrators) and erased."""

from iepark.core.models import AuditEvent, Person


def test_a_student_exports_their_own_data(world, api):
    response = api(world.users["student_a"]).get(f"/api/v1/people/{world.persons['student_a'].pk}/export/")
    assert response.status_code == 200
    data = response.json()
    assert data["person"]["national_id"] == world.persons["student_a"].national_id
    assert data["student"]["student_number"] == "A001"
    assert data["memberships"][0]["role"] == "student"


def test_export_of_another_person_is_refused(world, api):
    url = f"/api/v1/people/{world.persons['student_a'].pk}/export/"
    assert api(world.users["student_b"]).get(url).status_code == 404
    assert api(world.users["committee"]).get(url).status_code == 403
    assert api(world.college_a_admin).get(url).status_code == 200


def test_erasure_removes_identifying_data_and_keeps_the_student_record(world, api):
    person = world.persons["student_a"]
    old_id = person.national_id
    assert api(world.college_a_admin).post(f"/api/v1/people/{person.pk}/erase/").status_code == 403
    response = api(world.park_admin).post(f"/api/v1/people/{person.pk}/erase/")
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.national_id is None and person.phone == "" and person.user is None
    assert person.student.student_number == "A001"
    assert not Person.objects.filter(national_id=old_id).exists()
    assert old_id not in str(AuditEvent.objects.values_list("changes", flat=True))
