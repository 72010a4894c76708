"""The workflow through the API: each step, the wrong party refused with nothing written, clear errors."""

from __future__ import annotations

import pytest

from iepark.careers.choices import ApplicationStatus, InterviewStatus, NotificationKind, OfferStatus, VettingStatus
from iepark.careers.models import Application, EmploymentRecord, Interview, Notification, Offer
from iepark.careers.testing import make_application, make_offer, make_posting
from iepark.core.models import AuditEvent

from .helpers import in_days, make_interview, soon

APPLICATIONS = "/api/v1/applications/"
INTERVIEWS = "/api/v1/interviews/"
OFFERS = "/api/v1/offers/"
NOTIFICATIONS = "/api/v1/notifications/"


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def errors(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()


# --- applying -----------------------------------------------------------------------------------


def test_the_whole_path_through_the_api(world, api, posting):
    student, hr = api(world.student_a), api(world.hr_e1)
    response = student.post(APPLICATIONS, {"posting": posting.pk, "cover_letter": "你好"}, format="json")
    assert response.status_code == 201, response.content
    app_id = response.json()["id"]
    assert response.json()["status"] == "applied" and response.json()["student"] == world.a_student.pk

    assert (
        hr.post(f"{APPLICATIONS}{app_id}/move/", {"status": "screened"}, format="json").json()["status"] == "screened"
    )
    slots = [{"starts_at": soon(3).isoformat(), "location": "A"}, {"starts_at": soon(4).isoformat(), "location": "B"}]
    response = hr.post(f"{INTERVIEWS}propose/", {"application": app_id, "slots": slots}, format="json")
    assert response.status_code == 201, response.content
    first, second = (row["id"] for row in response.json())

    assert student.post(f"{INTERVIEWS}{second}/choose/").json()["status"] == "chosen"
    assert Interview.objects.get(pk=first).status == InterviewStatus.NOT_CHOSEN
    ics = student.get(f"{INTERVIEWS}{second}/ics/")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content

    payload = {
        "application": app_id,
        "post": "DCS 操作员",
        "monthly_pay": 7000,
        "contract_type": "fixed_term",
        "start_date": in_days(45).isoformat(),
        "deadline": in_days(7).isoformat(),
        "terms": "",
    }
    response = hr.post(OFFERS, payload, format="json")
    assert response.status_code == 201, response.content
    offer_id = response.json()["id"]
    assert response.json()["effective_status"] == "pending"

    response = student.post(f"{OFFERS}{offer_id}/accept/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    record = EmploymentRecord.objects.get()
    assert response.json()["employment_record"] == record.pk
    assert Application.objects.get(pk=app_id).status == ApplicationStatus.ACCEPTED


def test_applying_twice_is_a_400_naming_the_posting(world, api, posting):
    student = api(world.student_a)
    assert student.post(APPLICATIONS, {"posting": posting.pk}, format="json").status_code == 201
    body = errors(student.post(APPLICATIONS, {"posting": posting.pk}, format="json"))
    assert "posting" in body
    assert Application.objects.count() == 1


def test_applying_to_a_closed_posting_is_refused(world, api):
    posting = make_posting(world, closes_on=in_days(-1))
    assert "posting" in errors(api(world.student_a).post(APPLICATIONS, {"posting": posting.pk}, format="json"))


def test_an_unvetted_posting_does_not_even_exist_for_students(world, api):
    posting = make_posting(world, status=VettingStatus.SUBMITTED)
    assert "posting" in errors(api(world.student_a).post(APPLICATIONS, {"posting": posting.pk}, format="json"))
    assert not Application.objects.exists()


def test_hr_cannot_apply(world, api, posting):
    assert api(world.hr_e1).post(APPLICATIONS, {"posting": posting.pk}, format="json").status_code == 403
    assert not Application.objects.exists()


# --- the pipeline -------------------------------------------------------------------------------


def test_the_wrong_party_cannot_move_and_nothing_is_written(world, api, application):
    url = f"{APPLICATIONS}{application.pk}/move/"
    before = AuditEvent.objects.count()
    assert api(world.student_a).post(url, {"status": "screened"}, format="json").status_code == 403
    assert api(world.mentor_e1).post(url, {"status": "screened"}, format="json").status_code == 403
    assert api(world.hr_e2).post(url, {"status": "screened"}, format="json").status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED and AuditEvent.objects.count() == before


def test_a_bad_transition_is_a_400_naming_the_status(world, api, application):
    body = errors(api(world.hr_e1).post(f"{APPLICATIONS}{application.pk}/move/", {"status": "accepted"}, format="json"))
    assert "status" in body


def test_rejecting_without_a_reason_is_refused(world, api, application):
    hr = api(world.hr_e1)
    assert "reason" in errors(hr.post(f"{APPLICATIONS}{application.pk}/reject/", {}, format="json"))
    response = hr.post(f"{APPLICATIONS}{application.pk}/reject/", {"reason": "专业不符"}, format="json")
    assert response.json()["status"] == "rejected" and response.json()["status_reason"] == "专业不符"


def test_the_student_withdraws_and_hr_cannot(world, api, application):
    assert api(world.hr_e1).post(f"{APPLICATIONS}{application.pk}/withdraw/").status_code == 403
    response = api(world.student_a).post(f"{APPLICATIONS}{application.pk}/withdraw/", {"reason": "改变主意"})
    assert response.json()["status"] == "withdrawn"
    assert "status" in errors(api(world.student_a).post(f"{APPLICATIONS}{application.pk}/withdraw/"))


def test_offering_on_a_withdrawn_application_is_refused(world, api, posting):
    application = make_application(posting, world.a_student, status=ApplicationStatus.WITHDRAWN)
    payload = {"application": application.pk, "start_date": in_days(30), "deadline": in_days(5)}
    body = errors(api(world.hr_e1).post(OFFERS, payload, format="json"))
    assert "application" in body
    assert not Offer.objects.exists()


# --- interviews and offers -------------------------------------------------------------------


def test_choosing_a_cancelled_time_is_refused(world, api, at_interview):
    interview = make_interview(at_interview, status=InterviewStatus.CANCELLED)
    assert "interview" in errors(api(world.student_a).post(f"{INTERVIEWS}{interview.pk}/choose/"))
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED


def test_hr_cancels_a_time_and_another_enterprise_cannot_see_it(world, api, at_interview):
    interview = make_interview(at_interview)
    assert api(world.hr_e2).post(f"{INTERVIEWS}{interview.pk}/cancel/").status_code == 404
    assert api(world.student_a).post(f"{INTERVIEWS}{interview.pk}/cancel/").status_code == 403
    assert api(world.hr_e1).post(f"{INTERVIEWS}{interview.pk}/cancel/").json()["status"] == "cancelled"


def test_only_a_chosen_time_has_a_calendar_file(world, api, at_interview):
    interview = make_interview(at_interview)
    assert "status" in errors(api(world.student_a).get(f"{INTERVIEWS}{interview.pk}/ics/"))


def test_accepting_after_the_deadline_is_refused(world, api, at_interview):
    offer = make_offer(at_interview, deadline=in_days(-1))
    body = errors(api(world.student_a).post(f"{OFFERS}{offer.pk}/accept/"))
    assert "deadline" in body
    assert not EmploymentRecord.objects.exists()
    # Shown as expired before the daily command runs.
    assert api(world.hr_e1).get(f"{OFFERS}{offer.pk}/").json()["effective_status"] == "expired"
    listed = api(world.hr_e1).get(OFFERS, {"status": "expired"})
    assert ids(listed) == {offer.pk}
    assert ids(api(world.hr_e1).get(OFFERS, {"status": "pending"})) == set()


def test_the_student_declines_and_hr_cannot_answer(world, api, offer):
    assert api(world.hr_e1).post(f"{OFFERS}{offer.pk}/accept/").status_code == 403
    assert api(world.student_b).post(f"{OFFERS}{offer.pk}/decline/").status_code == 404
    response = api(world.student_a).post(f"{OFFERS}{offer.pk}/decline/", {"reason": "读研"})
    assert response.json()["status"] == OfferStatus.DECLINED
    assert Application.objects.get(pk=offer.application_id).status == ApplicationStatus.DECLINED


# --- who sees what -------------------------------------------------------------------------------


def test_each_party_sees_only_its_own_applications(world, api):
    e1 = make_posting(world)
    e2 = make_posting(world, world.enterprise_2, title="E2 岗位")
    a_to_e1 = make_application(e1, world.a_student)
    b_to_e1 = make_application(e1, world.b_student)
    b_to_e2 = make_application(e2, world.b_student)
    seen = {name: ids(api(world.users[name]).get(APPLICATIONS)) for name in world.users}
    assert seen["hr_e1"] == {a_to_e1.pk, b_to_e1.pk}
    assert seen["hr_e2"] == {b_to_e2.pk}  # E2's HR cannot see E1's applicants
    assert seen["college_a_admin"] == {a_to_e1.pk}  # college A sees only its students
    assert seen["college_b_admin"] == {b_to_e1.pk, b_to_e2.pk}
    assert seen["student_a"] == {a_to_e1.pk}  # a student sees only their own
    assert seen["student_b"] == {b_to_e1.pk, b_to_e2.pk}
    assert seen["committee"] == seen["coordinator"] == {a_to_e1.pk, b_to_e1.pk, b_to_e2.pk}
    assert seen["other_admin"] == seen["outsider"] == seen["operator"] == set()
    assert api(world.hr_e2).get(f"{APPLICATIONS}{a_to_e1.pk}/").status_code == 404
    assert api(world.college_b_admin).get(f"{APPLICATIONS}{a_to_e1.pk}/").status_code == 404
    assert api(world.student_b).get(f"{APPLICATIONS}{a_to_e1.pk}/").status_code == 404


def test_hr_sees_the_profiles_of_its_applicants_only(world, api, posting):
    from iepark.careers.models import StudentProfile

    a = StudentProfile.objects.create(student=world.a_student, skills="DCS")
    b = StudentProfile.objects.create(student=world.b_student, skills="焊接")
    make_application(posting, world.a_student)
    assert ids(api(world.hr_e1).get("/api/v1/career-profiles/")) == {a.pk}
    assert ids(api(world.hr_e2).get("/api/v1/career-profiles/")) == set()
    assert api(world.hr_e1).patch(f"/api/v1/career-profiles/{a.pk}/", {"skills": "x"}).status_code == 403
    assert b.pk in ids(api(world.college_b_admin).get("/api/v1/career-profiles/"))


def test_a_student_creates_their_own_profile_without_naming_themself(world, api):
    response = api(world.student_a).post("/api/v1/career-profiles/", {"skills": "DCS"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["student"] == world.a_student.pk
    assert "student" in errors(api(world.student_a).post("/api/v1/career-profiles/", {"skills": "x"}, format="json"))


# --- notifications ----------------------------------------------------------------------------


def test_notifications_list_unread_first_and_mark_read(world, api, posting):
    application = make_application(posting, world.a_student, status=ApplicationStatus.SCREENED)
    client = api(world.hr_e1)
    api(world.hr_e1).post(f"{APPLICATIONS}{application.pk}/move/", {"status": "interview"}, format="json")
    student = api(world.student_a)
    rows = student.get(NOTIFICATIONS).json()["results"]
    assert len(rows) == 1 and rows[0]["kind"] == NotificationKind.APPLICATION_MOVED and not rows[0]["is_read"]
    older = rows[0]["id"]
    make_interview(application)
    client.post(f"{APPLICATIONS}{application.pk}/reject/", {"reason": "已招满"}, format="json")
    assert student.post(f"{NOTIFICATIONS}{older}/mark_read/").json()["is_read"] is True
    rows = student.get(NOTIFICATIONS).json()["results"]
    assert [r["is_read"] for r in rows] == [False, True]  # unread first
    assert api(world.student_b).post(f"{NOTIFICATIONS}{older}/mark_read/").status_code == 404
    assert student.post(f"{NOTIFICATIONS}mark_all_read/").json() == {"marked": 1}
    assert not Notification.objects.filter(recipient=world.student_a, read_at=None).exists()


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_notifications_cannot_be_written_through_the_api(world, api, method):
    response = getattr(api(world.student_a), method)(NOTIFICATIONS, {"kind": "offer_made"}, format="json")
    assert response.status_code == 405
