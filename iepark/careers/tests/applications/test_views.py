"""The pages: my career, applying, the pipeline board, the application page's steps, offers, notifications, profiles."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iepark.careers.choices import ApplicationStatus, InterviewStatus, OfferStatus
from iepark.careers.models import Application, EmploymentRecord, Interview, Notification, Offer, StudentProfile
from iepark.careers.notifications import notify
from iepark.careers.testing import make_application, make_offer, make_posting

from .helpers import in_days, make_interview, make_student, soon

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- my career ----------------------------------------------------------------------------------


def test_my_career_shows_applications_choices_and_offers(world, browser_client, posting):
    other = make_posting(world, title="巡检工", title_en="Patrol operator")
    third = make_posting(world, world.enterprise_2, title="锅炉工", title_en="Boiler operator")
    at_interview = make_application(posting, world.a_student, status=ApplicationStatus.INTERVIEW)
    time = make_interview(at_interview, days=5)
    offered = make_application(other, world.a_student, status=ApplicationStatus.INTERVIEW)
    offer = make_offer(offered, deadline=in_days(3), post="巡检岗位")
    make_application(third, world.b_student)  # somebody else's
    page = browser_client(world.student_a).get(reverse("my_career"), **EN)
    assert page.status_code == 200
    body = text(page)
    assert "Choose your interview time" in body and reverse("interview_choose", args=[time.pk]) in body
    assert "Offers waiting for your answer" in body and reverse("offer_accept", args=[offer.pk]) in body
    assert "3 days left" in body
    assert "Boiler operator" not in body
    assert "Create my profile" in body


def test_my_career_is_for_students(world, browser_client):
    assert browser_client(world.hr_e1).get(reverse("my_career")).status_code == 403


def test_an_overdue_offer_is_shown_expired_before_the_command_runs(world, browser_client, at_interview):
    offer = make_offer(at_interview, deadline=in_days(-1))
    client = browser_client(world.student_a)
    body = text(client.get(reverse("offer_detail", args=[offer.pk]), **EN))
    assert "it has expired" in body and reverse("offer_accept", args=[offer.pk]) not in body
    assert "Offers waiting for your answer" not in text(client.get(reverse("my_career"), **EN))
    listed = text(browser_client(world.hr_e1).get(reverse("offer_list") + "?status=expired", **EN))
    assert reverse("offer_detail", args=[offer.pk]) in listed


# --- applying -----------------------------------------------------------------------------------


def test_a_student_applies_from_the_apply_page(world, browser_client, posting):
    client = browser_client(world.student_a)
    url = reverse("application_create_for", args=[posting.pk])
    assert url == f"/applications/apply/{posting.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"cover_letter": "我熟悉 DCS。"})
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("application_detail", args=[application.pk])
    assert application.cover_letter == "我熟悉 DCS。" and application.student == world.a_student
    # A second visit goes to the existing application.
    assert client.get(url)["Location"] == reverse("application_detail", args=[application.pk])


def test_applying_to_a_closed_posting_shows_the_error(world, browser_client):
    posting = make_posting(world, closes_on=in_days(-1))
    response = browser_client(world.student_a).post(
        reverse("application_create_for", args=[posting.pk]), {"cover_letter": "x"}, **EN
    )
    assert response.status_code == 200 and "not open for applications" in text(response)
    assert not Application.objects.exists()


def test_the_apply_page_is_404_for_an_invisible_posting_and_403_for_staff(world, browser_client, posting):
    other = make_posting(world, world.enterprise_2, title="草稿", status="draft")
    assert browser_client(world.student_a).get(reverse("application_create_for", args=[other.pk])).status_code == 404
    assert browser_client(world.hr_e1).get(reverse("application_create_for", args=[posting.pk])).status_code == 403


# --- the application page and its steps ------------------------------------------------------


def test_hr_sees_the_steps_and_the_students_profile(world, browser_client, application):
    StudentProfile.objects.create(student=world.a_student, skills="DCS 操作与巡检", cv="化工实训两年")
    body = text(browser_client(world.hr_e1).get(reverse("application_detail", args=[application.pk]), **EN))
    assert reverse("application_move", args=[application.pk]) in body
    assert reverse("application_reject", args=[application.pk]) in body
    assert "DCS 操作与巡检" in body and "化工实训两年" in body
    assert reverse("application_withdraw", args=[application.pk]) not in body


def test_the_student_sees_withdraw_but_not_the_enterprises_steps(world, browser_client, application):
    body = text(browser_client(world.student_a).get(reverse("application_detail", args=[application.pk])))
    assert reverse("application_withdraw", args=[application.pk]) in body
    assert reverse("application_move", args=[application.pk]) not in body
    assert reverse("application_reject", args=[application.pk]) not in body


@pytest.mark.parametrize("persona", ["mentor_e1", "college_a_admin", "committee"])
def test_readers_see_no_buttons(world, browser_client, application, persona):
    body = text(browser_client(world.users[persona]).get(reverse("application_detail", args=[application.pk])))
    for name in ("application_move", "application_reject", "application_withdraw", "offer_create_for"):
        assert reverse(name, args=[application.pk]) not in body


def test_the_timeline_shows_each_step(world, browser_client, application):
    client = browser_client(world.hr_e1)
    client.post(reverse("application_move", args=[application.pk]), {"status": "screened"})
    body = text(client.get(reverse("application_detail", args=[application.pk]), **EN))
    assert "Timeline" in body and "Screened" in body


def test_moving_and_rejecting_from_the_page(world, browser_client, application):
    client = browser_client(world.hr_e1)
    url = reverse("application_detail", args=[application.pk])
    response = client.post(reverse("application_move", args=[application.pk]), {"status": "screened"})
    assert response.status_code == 302 and response["Location"] == url
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCREENED
    response = client.post(reverse("application_reject", args=[application.pk]), {"reason": ""}, follow=True, **EN)
    assert any("reason" in m for m in messages_of(response))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCREENED
    client.post(reverse("application_reject", args=[application.pk]), {"reason": "证书不全"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


def test_the_wrong_party_gets_403_or_404_from_the_step_urls(world, browser_client, application):
    move = reverse("application_move", args=[application.pk])
    assert browser_client(world.student_a).post(move, {"status": "screened"}).status_code == 403
    assert browser_client(world.hr_e2).post(move, {"status": "screened"}).status_code == 404
    assert browser_client(world.hr_e1).get(move).status_code == 405
    withdraw = reverse("application_withdraw", args=[application.pk])
    assert browser_client(world.hr_e1).post(withdraw).status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED


def test_hr_proposes_times_on_the_page_and_the_student_chooses(world, browser_client, posting):
    application = make_application(posting, world.a_student, status=ApplicationStatus.SCREENED)
    url = reverse("interview_propose", args=[application.pk])
    hr = browser_client(world.hr_e1)
    assert hr.get(url).status_code == 200
    data = {"slot-TOTAL_FORMS": "3", "slot-INITIAL_FORMS": "0", "slot-MIN_NUM_FORMS": "0", "slot-MAX_NUM_FORMS": "6"}
    data |= {"slot-0-starts_at": soon(3).strftime("%Y-%m-%d %H:%M"), "slot-0-duration_minutes": "40"}
    data |= {"slot-0-location": "行政楼 301", "slot-1-starts_at": soon(4).strftime("%Y-%m-%d %H:%M")}
    data |= {"slot-1-location": "线上"}
    response = hr.post(url, data)
    assert response.status_code == 302, text(response)
    times = list(Interview.objects.order_by("starts_at"))
    assert len(times) == 2 and times[0].duration_minutes == 40
    assert browser_client(world.student_a).get(url).status_code == 403

    student = browser_client(world.student_a)
    student.post(reverse("interview_choose", args=[times[0].pk]))
    assert [i.status for i in Interview.objects.order_by("starts_at")] == ["chosen", "not_chosen"]
    ics = student.get(reverse("interview_ics", args=[times[0].pk]))
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    content = ics.content.decode()
    assert "BEGIN:VCALENDAR" in content and "DTSTART:" in content and "LOCATION:行政楼 301" in content
    assert student.get(reverse("interview_ics", args=[times[1].pk])).status_code == 404
    assert browser_client(world.hr_e2).get(reverse("interview_ics", args=[times[0].pk])).status_code == 404


def test_a_proposal_with_a_past_time_is_refused_on_the_page(world, browser_client, at_interview):
    data = {"slot-TOTAL_FORMS": "1", "slot-INITIAL_FORMS": "0", "slot-MIN_NUM_FORMS": "0", "slot-MAX_NUM_FORMS": "6"}
    data |= {"slot-0-starts_at": "2020-01-01 10:00", "slot-0-location": "A"}
    response = browser_client(world.hr_e1).post(reverse("interview_propose", args=[at_interview.pk]), data, **EN)
    assert response.status_code == 200 and "must be in the future" in text(response)
    assert not Interview.objects.exists()


def test_hr_makes_an_offer_on_the_page_and_the_student_accepts(world, browser_client, at_interview):
    hr = browser_client(world.hr_e1)
    url = reverse("offer_create_for", args=[at_interview.pk])
    data = {
        "post": "DCS 操作员",
        "monthly_pay": "6800",
        "contract_type": "fixed_term",
        "start_date": in_days(40).isoformat(),
        "deadline": in_days(50).isoformat(),
        "terms": "",
    }
    response = hr.post(url, data, **EN)
    assert response.status_code == 200 and "before the start date" in text(response)
    assert not Offer.objects.exists()
    response = hr.post(url, dict(data, deadline=in_days(10).isoformat()))
    offer = Offer.objects.get()
    assert response["Location"] == reverse("offer_detail", args=[offer.pk])
    assert browser_client(world.student_a).get(url).status_code == 403

    student = browser_client(world.student_a)
    assert reverse("offer_accept", args=[offer.pk]) in text(student.get(reverse("offer_detail", args=[offer.pk])))
    assert reverse("offer_accept", args=[offer.pk]) not in text(hr.get(reverse("offer_detail", args=[offer.pk])))
    student.post(reverse("offer_accept", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and EmploymentRecord.objects.filter(offer=offer).exists()


def test_declining_from_the_page(world, browser_client, offer):
    browser_client(world.student_a).post(reverse("offer_decline", args=[offer.pk]), {"reason": "继续读书"})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED


# --- the pipeline board --------------------------------------------------------------------------


def _column_counts(response) -> dict[str, int]:
    return {c["status"]: c["count"] for c in response.context["columns"]}


def test_the_board_counts_each_column_in_the_users_scope(world, browser_client, posting):
    other = make_posting(world, title="巡检工")
    e2 = make_posting(world, world.enterprise_2, title="E2 岗位")
    for n, status in enumerate(["applied", "applied", "screened", "interview", "offer", "rejected"]):
        make_application(posting, make_student(world, n, login=False), status=status)
    make_application(other, world.a_student, status="withdrawn")
    make_application(e2, world.b_student)
    response = browser_client(world.hr_e1).get(reverse("application_board"))
    counts = _column_counts(response)
    assert counts == {
        "applied": 2,
        "screened": 1,
        "interview": 1,
        "offer": 1,
        "accepted": 0,
        "declined": 0,
        "rejected": 1,
        "withdrawn": 1,
    }
    per_posting = browser_client(world.hr_e1).get(reverse("application_board_posting", args=[other.pk]))
    assert sum(_column_counts(per_posting).values()) == 1
    assert _column_counts(browser_client(world.hr_e2).get(reverse("application_board")))["applied"] == 1
    # E2's HR may see E1's (public) posting, but none of its applicants.
    foreign = browser_client(world.hr_e2).get(reverse("application_board_posting", args=[posting.pk]))
    assert sum(_column_counts(foreign).values()) == 0
    filtered = browser_client(world.hr_e1).get(reverse("application_board"), {"posting": other.pk})
    assert sum(_column_counts(filtered).values()) == 1


def test_hr_moves_a_card_from_the_board(world, browser_client, application):
    board = text(browser_client(world.hr_e1).get(reverse("application_board")))
    assert reverse("application_move", args=[application.pk]) in board
    assert reverse("application_move", args=[application.pk]) not in text(
        browser_client(world.college_a_admin).get(reverse("application_board"))
    )


@pytest.mark.parametrize("page", ["application_list", "application_board", "offer_list", "interview_list"])
def test_list_pages_run_a_fixed_number_of_queries(world, browser_client, posting, page):
    client = browser_client(world.hr_e1)
    client.get(reverse(page))

    def grow(start: int, n: int) -> None:
        for i in range(n):
            application = make_application(
                posting, make_student(world, start + i, login=False), status=ApplicationStatus.INTERVIEW
            )
            make_interview(application)
            make_offer(application)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(page)).status_code == 200
        return len(ctx.captured_queries)

    grow(100, 2)
    small = count()
    grow(200, 8)
    assert count() == small


# --- notifications -------------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count(world, browser_client):
    notify([world.student_a, world.student_a], "offer_made", {"post": "x"})
    notify([world.student_a], "interview_proposed", {"posting": "y"})
    body = text(browser_client(world.student_a).get(reverse("my_career")))
    assert 'id="notification-bell"' in body and "data-unread-count>2<" in body
    assert "data-unread-count" not in text(browser_client(world.hr_e1).get(reverse("notification_list")))


def test_the_notifications_page_lists_unread_first_and_marks_read(world, browser_client, application):
    first = notify([world.student_a], "application_moved", {"posting": "A", "status": "screened"}, url="/a/")[0]
    second = notify([world.student_a], "application_moved", {"posting": "B", "status": "interview"}, url="/b/")[0]
    Notification.objects.filter(pk=second.pk).update(read_at="2026-01-01T00:00Z")
    client = browser_client(world.student_a)
    response = client.get(reverse("notification_list"))
    assert [n.pk for n in response.context["notifications"]] == [first.pk, second.pk]
    opened = client.post(reverse("notification_read", args=[first.pk]), {"open": "1"})
    assert opened["Location"] == "/a/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert browser_client(world.student_b).post(reverse("notification_read", args=[first.pk])).status_code == 404
    third = notify([world.student_a], "offer_made", {"post": "z"})[0]
    client.post(reverse("notification_read_all"))
    third.refresh_from_db()
    assert third.read_at is not None
    unread_only = client.get(reverse("notification_list"), {"unread": "true"})
    assert list(unread_only.context["notifications"]) == []


# --- profiles ------------------------------------------------------------------------------------


def test_a_student_creates_then_edits_their_profile(world, browser_client):
    client = browser_client(world.student_a)
    create = reverse("studentprofile_create")
    page = client.get(create)
    assert page.status_code == 200 and 'name="student"' not in text(page)
    response = client.post(create, {"skills": "DCS", "open_to_offers": "on", "earliest_start": "2026-07-01"})
    profile = StudentProfile.objects.get()
    assert response["Location"] == reverse("my_career")
    assert profile.student == world.a_student and profile.open_to_offers
    assert client.get(create)["Location"] == reverse("studentprofile_edit", args=[profile.pk])
    client.post(reverse("studentprofile_edit", args=[profile.pk]), {"skills": "DCS, 焊接", "open_to_offers": ""})
    profile.refresh_from_db()
    assert profile.skills == "DCS, 焊接" and not profile.open_to_offers
    assert browser_client(world.student_b).get(reverse("studentprofile_edit", args=[profile.pk])).status_code == 404


def test_a_student_manager_creates_a_profile_for_a_student_of_their_college(world, browser_client):
    client = browser_client(world.manager_a)
    page = text(client.get(reverse("studentprofile_create")))
    assert f'value="{world.a_student.pk}"' in page and f'value="{world.b_student.pk}"' not in page
    client.post(reverse("studentprofile_create"), {"student": world.a_student.pk, "skills": "巡检"})
    assert StudentProfile.objects.get().student == world.a_student
    response = client.post(reverse("studentprofile_create"), {"student": world.b_student.pk, "skills": "x"})
    assert response.status_code == 200 and StudentProfile.objects.count() == 1


def test_the_menu_shows_each_role_its_links(world, browser_client):
    def menu(name):
        return text(browser_client(world.users[name]).get(reverse("home")))

    assert reverse("my_career") in menu("student_a") and reverse("application_board") not in menu("student_a")
    assert reverse("application_board") in menu("hr_e1") and reverse("my_career") not in menu("hr_e1")
    assert reverse("application_list") in menu("college_a_admin")
    assert reverse("offer_list") in menu("committee")
    assert reverse("application_list") not in menu("operator")


def test_interview_states_are_shown_on_the_interview_page(world, browser_client, at_interview):
    interview = make_interview(at_interview)
    student_page = text(browser_client(world.student_a).get(reverse("interview_detail", args=[interview.pk])))
    assert reverse("interview_choose", args=[interview.pk]) in student_page
    hr_page = text(browser_client(world.hr_e1).get(reverse("interview_detail", args=[interview.pk])))
    assert reverse("interview_cancel", args=[interview.pk]) in hr_page
    Interview.objects.filter(pk=interview.pk).update(status=InterviewStatus.CANCELLED)
    student_page = text(browser_client(world.student_a).get(reverse("interview_detail", args=[interview.pk])))
    assert reverse("interview_choose", args=[interview.pk]) not in student_page


def test_my_career_links_the_students_published_round_result(world, browser_client, posting):
    import datetime

    from django.utils import timezone

    from iepark.careers.choices import RoundStatus
    from iepark.careers.models import MatchingRound, RoundMatch, RoundPosition

    matching_round = MatchingRound.objects.create(
        park=world.park,
        name="2026 届双选会",
        cohort_year=2024,
        deadline=timezone.now() - datetime.timedelta(days=1),
        status=RoundStatus.PUBLISHED,
    )
    position = RoundPosition.objects.create(round=matching_round, posting=posting, capacity=2)
    match = RoundMatch.objects.create(round=matching_round, student=world.a_student, position=position, choice_rank=1)
    body = text(browser_client(world.student_a).get(reverse("my_career"), **EN))
    assert "Matching-round results" in body and "2026 届双选会" in body
    assert reverse("roundmatch_detail", args=[match.pk]) in body
    MatchingRound.objects.filter(pk=matching_round.pk).update(status=RoundStatus.COMPUTED)
    assert "2026 届双选会" not in text(browser_client(world.student_a).get(reverse("my_career"), **EN))
