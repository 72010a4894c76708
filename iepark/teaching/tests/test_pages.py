"""Teaching pages: lists, details, forms and the actions, in the browser's shape (scoped like the API)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from iepark.teaching.choices import AgreementStatus
from iepark.teaching.models import Cohort, CooperationAgreement, Course, Enrolment, Term

from .factories import (
    enrol,
    make_agreement,
    make_cohort,
    make_course,
    make_feature,
    make_order_class,
    make_room,
    make_students,
)

TODAY = timezone.localdate()


def test_menu_and_lists_render_for_each_role(world, browser_client):
    make_agreement(world)
    make_order_class(world)
    make_room(world, features=[make_feature(world.park)])
    make_course(world)
    for name in ("park_admin", "coordinator", "committee", "college_a_admin", "hr_e1", "teacher_a", "student_a"):
        client = browser_client(world.users[name])
        home = client.get("/")
        assert reverse("cohort_list") in home.content.decode(), name
        for url_name in ("cohort_list", "course_list", "term_list", "room_list", "roomfeature_list"):
            assert client.get(reverse(url_name)).status_code == 200, (name, url_name)
    assert browser_client(world.users["hr_e1"]).get(reverse("cooperationagreement_list")).status_code == 200
    operator_home = browser_client(world.operator).get("/").content.decode()
    assert reverse("cohort_list") not in operator_home and reverse("room_list") in operator_home


def test_agreement_create_with_document_then_sign_and_terminate(world, browser_client):
    client = browser_client(world.coordinator)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("cooperationagreement_create"),
        {
            "park": world.park.pk,
            "title": "订单班协议",
            "agreement_type": "school_enterprise",
            "parties": [world.college_a.pk, world.enterprise_1.pk],
            "scopes": ["order_class", "internship"],
            "start_date": (TODAY - datetime.timedelta(days=1)).isoformat(),
            "end_date": (TODAY + datetime.timedelta(days=365)).isoformat(),
            "reminder_days": 30,
            "documents": [SimpleUploadedFile("协议.pdf", pdf, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    agreement = CooperationAgreement.objects.get()
    assert agreement.scopes == ["order_class", "internship"]
    detail = client.get(reverse("cooperationagreement_detail", args=[agreement.pk])).content.decode()
    assert "协议.pdf" in detail and reverse("agreement_sign", args=[agreement.pk]) in detail
    assert (
        client.post(reverse("agreement_sign", args=[agreement.pk]), {"signed_on": TODAY.isoformat()}).status_code == 302
    )
    assert client.post(reverse("agreement_activate", args=[agreement.pk])).status_code == 302
    bad = client.post(
        reverse("agreement_terminate", args=[agreement.pk]), {"reason": "", "terminated_on": TODAY.isoformat()}
    )
    assert bad.status_code == 200
    ok = client.post(
        reverse("agreement_terminate", args=[agreement.pk]), {"reason": "停止合作", "terminated_on": TODAY.isoformat()}
    )
    assert ok.status_code == 302
    agreement.refresh_from_db()
    assert agreement.agreement_status == AgreementStatus.TERMINATED
    history = client.get(reverse("cooperationagreement_history", args=[agreement.pk]))
    assert history.status_code == 200
    # a party's HR sees it but cannot act
    hr = browser_client(world.hr_e1)
    assert hr.get(reverse("cooperationagreement_detail", args=[agreement.pk])).status_code == 200
    assert hr.get(reverse("agreement_terminate", args=[agreement.pk])).status_code == 403
    assert (
        browser_client(world.hr_e2).get(reverse("cooperationagreement_detail", args=[agreement.pk])).status_code == 404
    )


def test_bad_agreement_form_shows_errors_and_writes_nothing(world, browser_client):
    client = browser_client(world.park_admin)
    response = client.post(
        reverse("cooperationagreement_create"),
        {
            "park": world.park.pk,
            "title": "x",
            "agreement_type": "school_school",
            "parties": [world.college_a.pk, world.enterprise_1.pk],
            "scopes": ["research"],
            "start_date": "2025-01-01",
            "end_date": "2026-01-01",
            "reminder_days": 30,
        },
    )
    assert response.status_code == 200 and not CooperationAgreement.objects.exists()
    assert "is-invalid" in response.content.decode() or "alert" in response.content.decode()


def test_cohort_roster_enrol_and_leave_pages(world, browser_client):
    cohort = make_order_class(world, seats=2)
    students = make_students(world, 3)
    enrol(cohort, students[0])
    client = browser_client(world.college_a_admin)
    page = client.get(reverse("cohort_detail", args=[cohort.pk])).content.decode()
    assert students[0].person.name in page and reverse("cohort_enrol", args=[cohort.pk]) in page
    response = client.post(
        reverse("cohort_enrol", args=[cohort.pk]), {"student": students[1].pk, "start_date": TODAY.isoformat()}
    )
    assert response.status_code == 302
    page = client.get(reverse("cohort_detail", args=[cohort.pk])).content.decode()
    assert reverse("cohort_enrol", args=[cohort.pk]) not in page  # full
    assert client.post(reverse("cohort_enrol", args=[cohort.pk]), {"student": students[2].pk}).status_code == 200
    enrolment = Enrolment.objects.get(student=students[0])
    assert (
        client.post(
            reverse("enrolment_end", args=[enrolment.pk]), {"end_date": TODAY.isoformat(), "reason": "转学"}
        ).status_code
        == 302
    )
    enrolment.refresh_from_db()
    assert enrolment.end_date == TODAY
    hr = browser_client(world.hr_e1)
    assert students[1].person.name in hr.get(reverse("cohort_detail", args=[cohort.pk])).content.decode()
    assert hr.get(reverse("cohort_enrol", args=[cohort.pk])).status_code == 403
    assert browser_client(world.college_b_admin).get(reverse("cohort_enrol", args=[cohort.pk])).status_code == 404


def test_cohort_term_room_and_course_forms(world, browser_client):
    admin = browser_client(world.coordinator)
    response = admin.post(
        reverse("term_create"),
        {
            "park": world.park.pk,
            "name": "2025秋",
            "start_date": "2025-09-01",
            "end_date": "2026-01-09",
            "teaching_weeks": 18,
            "days_per_week": 5,
            "periods_per_day": 8,
            "holidays": "2025-10-01, 2025-10-02\n2025-10-03",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    term = Term.objects.get()
    assert term.holidays == ["2025-10-01", "2025-10-02", "2025-10-03"]
    bad = admin.post(
        reverse("term_edit", args=[term.pk]),
        {
            "name": term.name,
            "start_date": "2025-09-01",
            "end_date": "2026-01-09",
            "teaching_weeks": 18,
            "days_per_week": 5,
            "periods_per_day": 8,
            "holidays": "2027-01-01",
        },
    )
    assert bad.status_code == 200 and "2027-01-01" in bad.content.decode()
    college = browser_client(world.college_a_admin)
    response = college.post(
        reverse("cohort_create"),
        {
            "college": world.college_a.pk,
            "major": world.major.pk,
            "name": "化工2501班",
            "intake_year": 2025,
            "cohort_type": "regular",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    cohort = Cohort.objects.get()
    response = college.post(
        reverse("course_create"),
        {
            "term": term.pk,
            "college": world.college_a.pk,
            "code": "C1",
            "name": "化工制图",
            "course_type": "theory",
            "teachers": [world.a_teacher.pk],
            "cohorts": [cohort.pk],
            "lectures_per_week": 2,
            "min_working_days": 2,
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    course = Course.objects.get()
    assert college.get(reverse("course_detail", args=[course.pk])).status_code == 200
    room = make_room(world)
    assert admin.get(reverse("room_detail", args=[room.pk])).status_code == 200
    assert admin.get(reverse("term_detail", args=[term.pk])).status_code == 200
    make_cohort(world, "乙班", college=world.college_b)
    assert browser_client(world.college_b_admin).get(reverse("course_edit", args=[course.pk])).status_code == 404
