"""Teaching API beyond the standard suites: status actions, enrolment and leaving, attachments, role views."""

from __future__ import annotations

import datetime
import io

from django.utils import timezone

from iepark.core.models import Attachment, AuditEvent
from iepark.teaching.choices import AgreementStatus
from iepark.teaching.models import CooperationAgreement, Enrolment

from .factories import enrol, make_agreement, make_cohort, make_course, make_order_class, make_students

TODAY = timezone.localdate()


def _pdf() -> io.BytesIO:
    data = io.BytesIO(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    data.name = "协议.pdf"
    return data


def test_agreement_steps_through_the_api_and_refusals(world, api):
    agreement = make_agreement(world, status=AgreementStatus.DRAFT, start_date=TODAY - datetime.timedelta(days=5))
    url = f"/api/v1/agreements/{agreement.pk}/"
    for name in ("college_a_admin", "hr_e1", "committee"):
        before = AuditEvent.objects.count()
        assert api(world.users[name]).post(url + "sign/", {}, format="json").status_code == 403, name
        assert AuditEvent.objects.count() == before
    for name in ("college_b_admin", "hr_e2", "other_admin"):
        assert api(world.users[name]).post(url + "sign/", {}, format="json").status_code == 404, name
    admin = api(world.coordinator)
    response = admin.post(url + "activate/", {}, format="json")
    assert response.status_code == 400 and "agreement_status" in response.json()
    assert (
        admin.post(url + "sign/", {"signed_on": TODAY.isoformat()}, format="json").json()["agreement_status"]
        == "signed"
    )
    assert admin.post(url + "activate/", {}, format="json").json()["status_today"] == "active"
    response = admin.post(url + "terminate/", {"reason": " "}, format="json")
    assert response.status_code == 400
    response = admin.post(url + "terminate/", {"reason": "合作终止"}, format="json")
    assert response.status_code == 200 and response.json()["agreement_status"] == "terminated"


def test_signed_documents_are_attached_by_keepers_and_seen_by_parties(world, api):
    agreement = make_agreement(world)
    url = f"/api/v1/agreements/{agreement.pk}/attachments/"
    refused = api(world.hr_e1).post(url, {"files": [_pdf()]}, format="multipart")
    assert refused.status_code == 403 and not Attachment.objects.exists()
    assert api(world.hr_e2).post(url, {"files": [_pdf()]}, format="multipart").status_code == 404
    response = api(world.park_admin).post(url, {"files": [_pdf()], "caption": "签字版"}, format="multipart")
    assert response.status_code == 201, response.content
    assert len(api(world.hr_e1).get(url).json()) == 1
    assert api(world.hr_e2).get(url).status_code == 404


def test_enrol_and_leave_through_the_api(world, api):
    cohort = make_order_class(world, seats=1)
    students = make_students(world, 2)
    client = api(world.college_a_admin)
    first = client.post("/api/v1/enrolments/", {"cohort": cohort.pk, "student": students[0].pk}, format="json")
    assert first.status_code == 201, first.content
    full = client.post("/api/v1/enrolments/", {"cohort": cohort.pk, "student": students[1].pk}, format="json")
    assert full.status_code == 400 and full.json()["cohort"] == ["The order class is full (1 seats)."]
    url = f"/api/v1/enrolments/{first.json()['id']}/leave/"
    assert api(world.hr_e1).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api(world.college_b_admin).post(url, {"reason": "x"}, format="json").status_code == 404
    assert client.post(url, {}, format="json").status_code == 400
    left = client.post(url, {"reason": "个人原因退出"}, format="json")
    assert left.status_code == 200 and left.json()["end_date"] == TODAY.isoformat()
    assert client.post(url, {"reason": "again"}, format="json").status_code == 400
    assert (
        client.post("/api/v1/enrolments/", {"cohort": cohort.pk, "student": students[1].pk}, format="json").status_code
        == 201
    )
    assert Enrolment.objects.filter(cohort=cohort).count() == 2


def test_sponsor_sees_its_order_class_with_student_names_read_only(world, api):
    cohort = make_order_class(world)
    enrol(cohort, world.a_student)
    regular = make_cohort(world, "普通班")
    hr = api(world.hr_e1)
    ids = {row["id"] for row in hr.get("/api/v1/cohorts/").json()["results"]}
    assert ids == {cohort.pk}
    rows = hr.get("/api/v1/enrolments/", {"cohort": cohort.pk}).json()["results"]
    assert [row["student_name"] for row in rows] == [world.a_student.person.name]
    assert hr.patch(f"/api/v1/cohorts/{cohort.pk}/", {"seats": 5}, format="json").status_code == 403
    assert api(world.hr_e2).get(f"/api/v1/cohorts/{cohort.pk}/").status_code == 404
    assert api(world.hr_e1).get(f"/api/v1/cohorts/{regular.pk}/").status_code == 404


def test_teachers_and_students_see_their_own_cohorts_and_courses(world, api):
    cohort = make_cohort(world)
    other = make_cohort(world, "其他班")
    course = make_course(world, cohorts=[cohort])
    enrol(cohort, world.a_student)
    teacher = api(world.teacher_a)
    assert {r["id"] for r in teacher.get("/api/v1/cohorts/").json()["results"]} == {cohort.pk}
    assert {r["id"] for r in teacher.get("/api/v1/courses/").json()["results"]} == {course.pk}
    student = api(world.users["student_a"])
    assert {r["id"] for r in student.get("/api/v1/cohorts/").json()["results"]} == {cohort.pk}
    assert {r["id"] for r in student.get("/api/v1/courses/").json()["results"]} == {course.pk}
    assert student.get(f"/api/v1/cohorts/{other.pk}/").status_code == 404
    assert api(world.users["student_b"]).get(f"/api/v1/courses/{course.pk}/").status_code == 404


def test_agreement_status_filter_uses_todays_status(world, api):
    expired = make_agreement(
        world, title="已过期", start_date=datetime.date(2020, 1, 1), end_date=TODAY - datetime.timedelta(days=1)
    )
    active = make_agreement(world, title="有效")
    client = api(world.users["committee"])
    rows = client.get("/api/v1/agreements/", {"status": "expired"}).json()["results"]
    assert [r["id"] for r in rows] == [expired.pk]
    rows = client.get("/api/v1/agreements/", {"status": "active"}).json()["results"]
    assert [r["id"] for r in rows] == [active.pk]
    rows = client.get("/api/v1/agreements/", {"scope": "order_class"}).json()["results"]
    assert {r["id"] for r in rows} == {expired.pk, active.pk}
    assert CooperationAgreement.objects.count() == 2
