"""
Browser journeys of careers: recruitment end to end, refusals, the public portal on a phone, vetting with a reason.

Every step goes through the pages as its person would click them, in Debian's
Chromium against the live server: HR writes a posting and sends it for vetting,
the committee approves it from its queue, a student finds it and applies, HR
moves the application along the pipeline board, proposes interview times and
makes an offer, the student chooses a time and accepts, and the college sees
the resulting employment. Texts of the interface are compared through ``tr()``
(the Chinese catalogue is filled later), never written out here.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import unquote

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from iepark.careers.choices import (
    ApplicationStatus,
    ContractType,
    InterviewStatus,
    OfferStatus,
    PostingKind,
    VettingStatus,
)
from iepark.careers.models import Application, EmploymentRecord, Interview, Offer, Posting
from iepark.careers.testing import make_application, make_employer, make_posting

from .pages import CHINESE, ENGLISH, choose, html_lang, log_in, path_of, switch_language, tr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


# ---------------------------------------------------------------------------
# Small steps of these journeys.
# ---------------------------------------------------------------------------


def click_to_navigate(page: Any, target: Any) -> Any:
    """Click ``target`` (a selector or a locator) and wait for the page it leads to; return its response."""
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation() as navigation:
        locator.click()
    return navigation.value


def bell_count(page: Any) -> int:
    """Return the unread count on the top bar's notification bell (0 when it shows none)."""
    bell = page.locator("#notification-bell")
    expect(bell).to_be_visible()
    badge = bell.locator("[data-unread-count]")
    return int(badge.inner_text().strip()) if badge.count() else 0


def bell_after_reload(page: Any, path: str = "/") -> int:
    page.goto(path)
    return bell_count(page)


def badges(locator: Any) -> list[str]:
    """Return the texts of the badges inside ``locator``."""
    return [text.strip() for text in locator.locator(".badge").all_inner_texts()]


def success_message(page: Any) -> str:
    return page.locator(".alert-success").first.inner_text()


def no_horizontal_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


# ---------------------------------------------------------------------------
# 1. Recruitment, end to end.
# ---------------------------------------------------------------------------


def test_recruitment_from_posting_to_employment(world, new_page, screenshot):
    make_employer(world.enterprise_1)
    other = make_posting(world, title="化工巡检工", title_en="Chemical patrol operator")  # open already
    title = "甲醇合成操作工"
    closes_on = in_days(30)

    # The committee officer's bell is quiet before anything is sent for vetting.
    committee = new_page()
    log_in(committee, "committee")
    assert bell_count(committee) == 0

    # HR of enterprise 1 writes the posting through the form, from its list's Add button.
    hr = new_page()
    log_in(hr, "hr_e1")
    assert bell_count(hr) == 0
    hr.goto("/postings/")
    click_to_navigate(hr, "a.btn-primary[href='/postings/add/']")
    assert path_of(hr) == "/postings/add/"
    assert hr.locator("#id_enterprise").get_attribute("type") == "hidden"  # its only enterprise, chosen for it
    hr.select_option("#id_kind", PostingKind.JOB)
    hr.fill("#id_title", title)
    hr.fill("#id_title_en", "Methanol synthesis operator")
    hr.fill("#id_description", "负责甲醇合成装置的操作、巡检与记录。")
    offered = choose(hr, "majors", world.major.name)
    assert len(offered) == 1 and world.major.name in offered[0]  # the park's major, not the other park's
    hr.fill("#id_headcount", "4")
    hr.fill("#id_pay_min", "6000")
    hr.fill("#id_pay_max", "8500")
    hr.fill("#id_closes_on", closes_on.isoformat())
    click_to_navigate(hr, "form.edit-form button[type=submit]")
    posting = Posting.objects.get(title=title)
    assert posting.enterprise == world.enterprise_1 and posting.vetting_status == VettingStatus.DRAFT
    assert posting.headcount == 4 and (posting.pay_min, posting.pay_max) == (6000, 8500)
    assert posting.closes_on == closes_on and list(posting.majors.all()) == [world.major]
    assert path_of(hr) == f"/postings/{posting.pk}/"
    vetting = hr.locator("#vetting")
    assert tr(VettingStatus.DRAFT.label) in badges(vetting.locator(".card-header"))

    # Sent for vetting: the card says it waits for the park, and the committee's bell rings.
    click_to_navigate(hr, vetting.locator(f"form[action='/postings/{posting.pk}/submit/'] button"))
    assert tr("The posting was sent to the park for vetting.") in success_message(hr)
    assert tr(VettingStatus.SUBMITTED.label) in badges(hr.locator("#vetting .card-header"))
    assert tr("Awaiting the park's vetting: students do not see it yet.") in hr.locator("#vetting").inner_text()
    screenshot(hr, "careers-1-posting-submitted")

    assert bell_after_reload(committee) == 1
    # The committee officer opens the vetting queue from the menu and approves the posting there.
    click_to_navigate(committee, "#app-sidebar a[href='/vetting/']")
    queued = committee.locator("#queue-postings").locator("xpath=..").locator(".list-group-item", has_text=title)
    expect(queued).to_have_count(1)
    screenshot(committee, "careers-1-vetting-queue")
    click_to_navigate(committee, queued.locator(f"form[action='/postings/{posting.pk}/approve/'] button"))
    assert path_of(committee) == "/vetting/"
    assert title in success_message(committee)
    assert committee.locator(f"a[href='/postings/{posting.pk}/']").count() == 0
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.APPROVED

    # HR is told.
    assert bell_after_reload(hr) == 1

    # Student A finds it among the open postings by searching its title, and applies.
    student = new_page()
    log_in(student, "student_a")
    student.goto("/open-postings/")
    card = student.locator("#posting-cards .posting-card")
    expect(card).to_have_count(2)
    student.fill("#id_q", "甲醇")
    student.wait_for_url("**/open-postings/?q=*")
    expect(card).to_have_count(1)  # the search narrows the cards in place (htmx)
    assert other.title not in student.locator("#posting-cards").inner_text()
    assert title in card.locator("h2").inner_text()
    assert world.enterprise_1.name in card.inner_text()
    screenshot(student, "careers-1-open-postings-search")
    click_to_navigate(student, card.locator(f"a[href='/applications/apply/{posting.pk}/']"))
    assert path_of(student) == f"/applications/apply/{posting.pk}/"
    assert title in student.locator("h1").inner_text()
    student.fill("#id_cover_letter", "我在煤化工技术专业学习三年，熟悉甲醇合成工艺。")
    click_to_navigate(student, "main form.card button[type=submit]")
    application = Application.objects.get(posting=posting, student=world.a_student)
    assert application.status == ApplicationStatus.APPLIED
    assert "甲醇合成工艺" in application.cover_letter
    assert path_of(student) == f"/applications/{application.pk}/"
    assert tr("Your application was sent.") in success_message(student)
    assert tr(ApplicationStatus.APPLIED.label) in badges(student.locator("main .table-attributes"))
    assert bell_count(student) == 0

    # HR's bell counts the new application; the pipeline board shows it under "applied".
    assert bell_after_reload(hr) == 2
    click_to_navigate(hr, "#app-sidebar a[href='/applications/board/']")
    applied = hr.locator(".pipeline-column[data-status='applied']")
    assert applied.locator("[data-count]").inner_text().strip() == "1"
    student_name = world.persons["student_a"].name
    assert student_name in applied.inner_text()
    screenshot(hr, "careers-1-pipeline-board")

    # Screened from the board: the card moves to the next column, and the student is told.
    screen = applied.locator(
        f"form[action='/applications/{application.pk}/move/']", has_text=tr(ApplicationStatus.SCREENED.label)
    )
    click_to_navigate(hr, screen.locator("button"))
    assert path_of(hr) == "/applications/board/"
    assert hr.locator(".pipeline-column[data-status='applied'] [data-count]").inner_text().strip() == "0"
    screened = hr.locator(".pipeline-column[data-status='screened']")
    assert screened.locator("[data-count]").inner_text().strip() == "1"
    assert student_name in screened.inner_text()
    assert bell_after_reload(student) == 1

    # HR proposes an interview time from the application's page.
    hr.goto("/applications/board/")
    click_to_navigate(hr, screened.locator(f"a[href='/applications/{application.pk}/']"))
    click_to_navigate(hr, f"a[href='/applications/{application.pk}/interviews/propose/']")
    starts = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + datetime.timedelta(days=3)
    when = starts.strftime("%Y-%m-%d %H:%M")
    hr.fill("#id_slot-0-starts_at", when)
    hr.fill("#id_slot-0-duration_minutes", "45")
    hr.fill("#id_slot-0-location", "行政楼 301 会议室")
    hr.locator("#id_slot-0-location").press("Tab")  # closes the date picker if it opened
    click_to_navigate(hr, "main form[method=post] button[type=submit]")
    assert path_of(hr) == f"/applications/{application.pk}/"
    assert tr("The interview times were sent to the student.") in success_message(hr)
    assert tr(ApplicationStatus.INTERVIEW.label) in badges(hr.locator("main .table-attributes"))
    interviews = hr.locator("#interviews")
    assert when in interviews.inner_text()
    assert tr(InterviewStatus.PROPOSED.label) in badges(interviews)
    interview = Interview.objects.get(application=application)
    assert interview.status == InterviewStatus.PROPOSED and interview.duration_minutes == 45

    # The student chooses the time on "my career"; the .ics link appears.
    assert bell_after_reload(student) == 2
    click_to_navigate(student, "#app-sidebar a[href='/my-career/']")
    choices = student.locator("#interview-choices")
    assert when in choices.inner_text()
    screenshot(student, "careers-1-choose-interview")
    click_to_navigate(student, choices.locator(f"form[action='/interviews/{interview.pk}/choose/'] button"))
    assert path_of(student) == "/my-career/"
    assert tr("You chose the interview time; the enterprise was told.") in success_message(student)
    assert student.locator("#interview-choices").count() == 0
    ics_link = student.locator(f"a[href='/interviews/{interview.pk}/calendar.ics']")
    expect(ics_link).to_have_count(1)
    ics = student.request.get(ics_link.get_attribute("href"))
    assert ics.status == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in ics.text() and "BEGIN:VEVENT" in ics.text()
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CHOSEN

    # HR is told, and makes an offer with a deadline.
    assert bell_after_reload(hr) == 3
    hr.goto(f"/applications/{application.pk}/")
    assert tr(InterviewStatus.CHOSEN.label) in badges(hr.locator("#interviews"))
    click_to_navigate(hr, f"a[href='/applications/{application.pk}/offer/']")
    assert hr.input_value("#id_post") == title
    deadline, start = in_days(10), in_days(45)
    hr.fill("#id_monthly_pay", "7800")
    hr.select_option("#id_contract_type", ContractType.FIXED_TERM)
    hr.fill("#id_start_date", start.isoformat())
    hr.fill("#id_deadline", deadline.isoformat())
    hr.fill("#id_terms", "三年劳动合同，试用期三个月。")
    hr.locator("#id_terms").press("Tab")
    click_to_navigate(hr, "form.edit-form button[type=submit]")
    offer = Offer.objects.get(application=application)
    assert (offer.deadline, offer.start_date, offer.monthly_pay) == (deadline, start, 7800)
    assert path_of(hr) == f"/offers/{offer.pk}/"
    assert tr("The offer was sent to the student.") in success_message(hr)
    assert tr(OfferStatus.PENDING.label) in badges(hr.locator("main .table-attributes"))
    screenshot(hr, "careers-1-offer-made")

    # The student accepts it on "my career".
    assert bell_after_reload(student, "/my-career/") == 3
    pending = student.locator("#pending-offers")
    assert title in pending.inner_text() and deadline.isoformat() in pending.inner_text()
    screenshot(student, "careers-1-offer-waiting")
    click_to_navigate(student, pending.locator(f"form[action='/offers/{offer.pk}/accept/'] button"))
    assert path_of(student) == "/my-career/"
    assert tr("You accepted the offer. Congratulations!") in success_message(student)
    assert student.locator("#pending-offers").count() == 0
    row = student.locator("main table tbody tr", has_text=title)
    assert tr(ApplicationStatus.ACCEPTED.label) in badges(row)
    assert tr(OfferStatus.ACCEPTED.label) in student.locator("main").inner_text()
    screenshot(student, "careers-1-offer-accepted")
    record = EmploymentRecord.objects.get(student=world.a_student)
    assert record.employer == world.enterprise_1 and record.start_date == start and record.offer == offer

    # HR is told of the answer.
    assert bell_after_reload(hr) == 4

    # The college administrator sees the employment of their student (if that page exists yet).
    try:
        employment_url = reverse("employmentrecord_list")
    except NoReverseMatch:
        return
    college = new_page()
    log_in(college, "college_a_admin")
    response = college.goto(employment_url)
    assert response.status == 200
    table = college.locator("#object-table")
    record_row = table.locator("tbody tr", has_text=world.persons["student_a"].name)
    expect(record_row).to_have_count(1)
    assert world.enterprise_1.name in record_row.inner_text()
    screenshot(college, "careers-1-employment-record")


# ---------------------------------------------------------------------------
# 2. Refusals.
# ---------------------------------------------------------------------------


def test_other_parties_see_nothing_of_an_application_or_an_unvetted_posting(world, new_page, screenshot):
    posting = make_posting(world, title="聚乙烯装置操作工", title_en="Polyethylene operator")
    application = make_application(posting, world.a_student, cover_letter="甲同学的求职信")
    unvetted = make_posting(world, title="未审核的检修工", title_en="Unvetted fitter", status=VettingStatus.SUBMITTED)
    make_employer(world.enterprise_2)

    # A student of college B asking for student A's application by URL gets the 404 page.
    other_student = new_page()
    log_in(other_student, "student_b")
    response = other_student.goto(f"/applications/{application.pk}/")
    assert response.status == 404
    content = other_student.content()
    assert world.persons["student_a"].name not in content and "甲同学的求职信" not in content
    screenshot(other_student, "careers-2-application-of-another-student-404")

    # HR of enterprise 2 does not see enterprise 1's applicant on its board, nor by URL.
    hr2 = new_page()
    log_in(hr2, "hr_e2")
    hr2.goto("/applications/board/")
    board = hr2.locator(".pipeline-board")
    assert world.persons["student_a"].name not in board.inner_text()
    counts = [int(c.strip()) for c in hr2.locator(".pipeline-column [data-count]").all_inner_texts()]
    assert counts and sum(counts) == 0
    screenshot(hr2, "careers-2-board-of-another-enterprise")
    assert hr2.goto(f"/applications/{application.pk}/").status == 404

    # HR of enterprise 1, for contrast, sees the applicant.
    hr1 = new_page()
    log_in(hr1, "hr_e1")
    hr1.goto("/applications/board/")
    assert world.persons["student_a"].name in hr1.locator(".pipeline-column[data-status='applied']").inner_text()

    # A posting still awaiting vetting is not among the open postings, even searched for, nor open by URL.
    student = new_page()
    log_in(student, "student_a")
    student.goto("/open-postings/")
    cards = student.locator("#posting-cards").inner_text()
    assert posting.title in cards
    assert unvetted.title not in cards
    student.goto("/open-postings/?q=" + "检修工")
    assert unvetted.title not in student.locator("#posting-cards").inner_text()
    assert student.locator("#posting-cards .posting-card").count() == 0
    assert student.goto(f"/postings/{unvetted.pk}/").status == 404
    assert student.goto(f"/applications/apply/{unvetted.pk}/").status == 404
    assert not Application.objects.filter(posting=unvetted).exists()


# ---------------------------------------------------------------------------
# 3. The public portal on a phone.
# ---------------------------------------------------------------------------


def test_public_portal_on_a_phone_in_english_then_chinese(world, new_page, screenshot):
    job = make_posting(world, title="化工操作工", title_en="Chemical operator", closes_on=in_days(20))
    internship = make_posting(
        world, title="仪表维护实习生", title_en="Instrument maintenance intern", kind=PostingKind.INTERNSHIP
    )
    hidden = make_posting(world, title="内部岗位", title_en="Internal only", is_public=False)
    code = world.park.code

    page = new_page(locale="en-US")
    page.set_viewport_size(PHONE)

    # The park's portal home, in English without signing in.
    response = page.goto(f"/careers/{code}/")
    assert response.status == 200
    assert html_lang(page) == ENGLISH
    assert world.park.name_en in page.locator("header").inner_text()
    home = page.locator("main").inner_text()
    assert "Chemical operator" in home and "化工操作工" not in home
    assert hidden.title_en not in home
    assert no_horizontal_scroll(page), "the portal home scrolls sideways on a phone"
    screenshot(page, "careers-3-portal-home-phone")

    # The menu folds behind its toggler on a phone; the jobs page lists both kinds.
    page.click("header .navbar-toggler")
    click_to_navigate(page, f"#portal-nav a[href='/careers/{code}/jobs/']")
    assert path_of(page) == f"/careers/{code}/jobs/"
    listing = page.locator("main").inner_text()
    assert "Chemical operator" in listing and "Instrument maintenance intern" in listing
    assert hidden.title_en not in listing
    assert no_horizontal_scroll(page), "the jobs page scrolls sideways on a phone"

    # Filtered by kind: internships only.
    page.select_option("#id_kind", label=tr(PostingKind.INTERNSHIP.label, ENGLISH))
    click_to_navigate(page, "main form[role=search] button[type=submit]")
    assert f"kind={PostingKind.INTERNSHIP}" in path_of(page)
    listing = page.locator("main").inner_text()
    assert "Instrument maintenance intern" in listing and "Chemical operator" not in listing
    screenshot(page, "careers-3-portal-jobs-internships-phone")
    assert no_horizontal_scroll(page)

    # Jobs only, then the posting's own page.
    page.select_option("#id_kind", label=tr(PostingKind.JOB.label, ENGLISH))
    click_to_navigate(page, "main form[role=search] button[type=submit]")
    listing = page.locator("main").inner_text()
    assert "Chemical operator" in listing and "Instrument maintenance intern" not in listing
    click_to_navigate(page, page.locator(f"main a[href='/careers/{code}/jobs/{job.pk}/']").first)
    assert path_of(page) == f"/careers/{code}/jobs/{job.pk}/"
    assert page.locator("h1").inner_text().strip() == "Chemical operator"
    assert no_horizontal_scroll(page), "the posting's page scrolls sideways on a phone"
    screenshot(page, "careers-3-portal-job-phone")

    # In Chinese through the language switcher: the same page, with the Chinese title.
    switch_language(page, CHINESE)
    assert path_of(page) == f"/careers/{code}/jobs/{job.pk}/"
    assert html_lang(page) == CHINESE
    assert page.locator("h1").inner_text().strip() == job.title
    assert world.park.name in page.locator("header").inner_text()
    assert no_horizontal_scroll(page), "the posting's page in Chinese scrolls sideways on a phone"
    screenshot(page, "careers-3-portal-job-phone-chinese")

    # "Sign in to apply" leads to the login page, which sends the student on to the posting.
    apply = page.locator("main a", has_text=tr("Sign in to apply", CHINESE))
    expect(apply).to_have_count(1)
    click_to_navigate(page, apply)
    assert unquote(path_of(page)) == f"/login/?next=/postings/{job.pk}/"
    assert page.locator("#id_username").is_visible()
    assert no_horizontal_scroll(page), "the login page scrolls sideways on a phone"
    log_in(page, "student_a", path=None)
    assert path_of(page) == f"/postings/{job.pk}/"
    expect(page.locator(f"a[href='/applications/apply/{job.pk}/']")).to_have_count(1)
    assert internship.title not in page.locator("h1").inner_text()


# ---------------------------------------------------------------------------
# 4. A rejection with its reason, corrected and sent again.
# ---------------------------------------------------------------------------


def test_rejected_posting_shows_its_reason_and_is_resubmitted_after_editing(world, new_page, screenshot):
    posting = make_posting(
        world,
        title="储运操作工",
        title_en="Storage operator",
        description="负责储罐区操作。",
        status=VettingStatus.SUBMITTED,
    )
    reason = "请写明倒班方式和工作地点。"

    hr = new_page()
    log_in(hr, "hr_e1")
    assert bell_count(hr) == 0

    # The committee officer rejects it from the queue, with a reason.
    committee = new_page()
    log_in(committee, "committee")
    assert bell_count(committee) == 0
    committee.goto("/vetting/")
    item = committee.locator(".list-group-item", has=committee.locator(f"a[href='/postings/{posting.pk}/']"))
    item.locator(f"button[data-bs-target='#reject-posting-{posting.pk}']").click()
    form = committee.locator(f"#reject-posting-{posting.pk} form")
    expect(form).to_be_visible()
    form.locator("textarea[name=reason]").fill(reason)
    screenshot(committee, "careers-4-rejecting")
    click_to_navigate(committee, form.locator("button[type=submit]"))
    assert path_of(committee) == "/vetting/"
    assert committee.locator(f"a[href='/postings/{posting.pk}/']").count() == 0
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.REJECTED and posting.rejection_reason == reason

    # HR is told, opens the posting from its list and reads the reason.
    assert bell_after_reload(hr) == 1
    hr.goto("/postings/")
    click_to_navigate(hr, hr.locator(f"#object-table a[href='/postings/{posting.pk}/']").first)
    vetting = hr.locator("#vetting")
    assert tr(VettingStatus.REJECTED.label) in badges(vetting.locator(".card-header"))
    assert reason in vetting.locator(".alert-danger").inner_text()
    assert tr("Reason for rejection") in vetting.locator(".alert-danger").inner_text()
    screenshot(hr, "careers-4-rejected-with-reason")

    # HR corrects the posting and sends it again.
    click_to_navigate(hr, f"a[href='/postings/{posting.pk}/edit/']")
    hr.fill("#id_description", "负责储罐区操作。四班三倒，工作地点在五彩湾储运中心。")
    hr.fill("#id_location", "五彩湾储运中心")
    click_to_navigate(hr, "form.edit-form button[type=submit]")
    assert path_of(hr) == f"/postings/{posting.pk}/"
    posting.refresh_from_db()
    assert posting.location == "五彩湾储运中心" and "四班三倒" in posting.description
    click_to_navigate(hr, f"#vetting form[action='/postings/{posting.pk}/submit/'] button")
    assert tr(VettingStatus.SUBMITTED.label) in badges(hr.locator("#vetting .card-header"))
    posting.refresh_from_db()
    assert posting.vetting_status == VettingStatus.SUBMITTED
    screenshot(hr, "careers-4-resubmitted")

    # It is back in the committee's queue, with its new text; the committee's bell rings again.
    assert bell_after_reload(committee, "/vetting/") == 1
    queued = committee.locator(".list-group-item", has=committee.locator(f"a[href='/postings/{posting.pk}/']"))
    expect(queued).to_have_count(1)
    assert "四班三倒" in queued.inner_text()
