"""
Browser journeys of park operations: work orders, escalation, an inspection round, a survey, a room transfer.

Every step under test goes through the pages as its person would click them, in
Debian's Chromium against the live server; only the starting situation (an old
order, an inspection template and its round, a dormitory with a student's bed)
is built with the apps' test factories. Students work on a phone-sized window,
the desk on a desktop one. Texts of the interface are compared through ``tr()``.

Besides the JavaScript errors and missing assets the ``new_page`` fixture
watches, every page these journeys open is watched for a server error (a
status of 500 or more on the page itself): the ``as_user`` fixture fails the
test if any answered so.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from iepark.core.models import Attachment
from iepark.operations.choices import TransferStatus
from iepark.operations.models import BedAssignment, RoomTransferRequest
from iepark.operations.safety.choices import RectificationStatus, RoundStatus
from iepark.operations.safety.models import Finding, RectificationTask
from iepark.operations.safety.tests.factories import make_round, make_template
from iepark.operations.surveys.models import Survey
from iepark.operations.tests.factories import make_assignment, make_building, make_room, set_gender
from iepark.operations.workorders import services as workorder_services
from iepark.operations.workorders.choices import WorkOrderStatus
from iepark.operations.workorders.models import WorkOrder
from iepark.operations.workorders.tests.factories import backdate, report

from .pages import choose, log_in, path_of, tr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


# ---------------------------------------------------------------------------
# Small steps of these journeys.
# ---------------------------------------------------------------------------


@pytest.fixture
def as_user(new_page: Callable[..., Any]) -> Iterator[Callable[..., Any]]:
    """
    Return ``open(username, phone=False)``: a fresh browser signed in as ``username``.

    Every page it (or a tab opened with ``watch``) loads is watched: a document answered
    with a server error (500 or more) fails the test at its end.
    """
    server_errors: list[str] = []

    def watch(page: Any) -> Any:
        def on_response(response: Any) -> None:
            if response.status >= 500:
                server_errors.append(f"{response.status} for {response.request.method} {response.url}")

        page.on("response", on_response)
        return page

    def open_as(username: str, *, phone: bool = False) -> Any:
        page = watch(new_page())
        if phone:
            page.set_viewport_size(PHONE)
        log_in(page, username)
        return page

    open_as.watch = watch  # type: ignore[attr-defined]
    yield open_as
    if server_errors:
        pytest.fail("Pages answered with a server error:\n" + "\n".join(server_errors))


def click_to_navigate(page: Any, target: Any) -> Any:
    """Click ``target`` (a selector or a locator) and wait for the page it leads to; return its response."""
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation() as navigation:
        locator.click()
    return navigation.value


def badges(locator: Any) -> list[str]:
    return [text.strip() for text in locator.locator(".badge").all_inner_texts()]


def success_message(page: Any) -> str:
    return page.locator(".alert-success").first.inner_text()


def no_horizontal_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def photo_file(folder: Path, name: str = "fault.png", colour: tuple[int, int, int] = (200, 30, 30)) -> Path:
    """Write a small real PNG (as a phone's camera would give a JPEG) and return its path."""
    path = folder / name
    Image.new("RGB", (48, 36), colour).save(path, "PNG")
    return path


def image_loaded(img: Any) -> bool:
    img.scroll_into_view_if_needed()
    expect(img).to_be_visible()
    img.page.wait_for_function("(el) => el.complete", arg=img.element_handle())
    return img.evaluate("(el) => el.naturalWidth > 0")


def open_from_list(page: Any, row: Any, href: str, bugs: list[str]) -> None:
    """
    Open ``href`` by clicking its link in the list ``row``, as a person would.

    When the row shows no clickable link to it (an empty link: a linked cell whose value is a
    link itself renders nested anchors, which the browser splits), note the bug and go by URL,
    so that the rest of the journey is still tried.
    """
    links = row.locator(f"a[href='{href}']")
    visible = [link for link in links.all() if link.is_visible() and link.inner_text().strip()]
    if visible:
        click_to_navigate(page, visible[0])
        return
    bugs.append(
        f"the list at {path_of(page)} shows no clickable link to {href} "
        "(Column(<foreign key>, linkify=True) nests the row link around the key's own link)"
    )
    page.goto(href)


def close_date_picker(page: Any, field: Any) -> None:
    """Leave a date box the site script enhanced (flatpickr), so that its calendar covers nothing."""
    field.press("Tab")
    if page.locator(".flatpickr-calendar.open").count():
        page.locator("h1").first.click()
    expect(page.locator(".flatpickr-calendar.open")).to_have_count(0)


def table_row(page: Any, text: str) -> Any:
    return page.locator("#object-table tbody tr", has_text=text)


# ---------------------------------------------------------------------------
# 1. A fault reported from a phone, dispatched, fixed, confirmed and rated.
# ---------------------------------------------------------------------------


def test_fault_from_a_phone_to_a_rated_repair(world, as_user, screenshot, tmp_path):
    title = "宿舍走廊灯不亮"
    location = "2号公寓楼三层走廊"
    operator_name = world.persons["operator"].name

    # Student A, on a phone, goes from "My reports" (empty) to the report form.
    student = as_user("student_a", phone=True)
    student.goto("/work-orders/mine/")
    assert tr("You have not reported any fault yet.") in student.locator("main").inner_text()
    click_to_navigate(student, "main a.btn-primary[href='/work-orders/report/']")
    assert path_of(student) == "/work-orders/report/"
    assert no_horizontal_scroll(student), "the report form scrolls sideways on a phone"

    # Where, what (with a photo), how urgent.
    student.select_option("#id_place_kind", "public_area")
    student.fill("#id_location", location)
    student.select_option("#id_category", "electrical")
    student.fill("#id_title", title)
    student.fill("#id_description", "走廊的灯全部不亮，晚上很黑。")
    student.set_input_files("#id_photos", str(photo_file(tmp_path)))
    student.select_option("#id_urgency", "high")
    student.fill("#id_contact_phone", "13900000008")
    screenshot(student, "operations-1-report-form-phone")
    click_to_navigate(student, "#report-form button[type=submit]")

    order = WorkOrder.objects.get(title=title)
    assert order.reporter == world.persons["student_a"] and order.status == WorkOrderStatus.NEW
    assert order.urgency == "high" and order.location == location
    assert path_of(student) == f"/work-orders/{order.pk}/"
    assert order.reference in success_message(student)
    assert tr(WorkOrderStatus.NEW.label) in badges(student.locator("main .card").first)
    assert Attachment.objects.filter(object_id=order.pk).count() == 1
    photo = student.locator("main .attachments img.figure-img")
    expect(photo).to_have_count(1)
    assert image_loaded(photo), "the photo of the fault does not show on its order"
    assert no_horizontal_scroll(student), "the order's page scrolls sideways on a phone"
    screenshot(student, "operations-1-reported-phone")

    # It is under "Open" in My reports, as "new".
    student.goto("/work-orders/mine/")
    card = student.locator("main .card", has_text=title)
    expect(card).to_have_count(1)
    assert order.reference in card.inner_text()
    assert tr(WorkOrderStatus.NEW.label) in badges(card)

    # The operator, at the desk, finds it in the dispatch list (new, not assigned) and opens it.
    desk = as_user("operator")
    desk.goto("/work-orders/")
    row = table_row(desk, order.reference)
    expect(row).to_have_count(1)
    assert tr(WorkOrderStatus.NEW.label) in badges(row)
    assert tr("Overdue") not in badges(row)
    screenshot(desk, "operations-1-dispatch-list")
    click_to_navigate(desk, row.locator(f"a[href='/work-orders/{order.pk}/']").first)
    assert path_of(desk) == f"/work-orders/{order.pk}/"
    desk_photo = desk.locator("main .attachments img.figure-img")
    expect(desk_photo).to_have_count(1)
    assert image_loaded(desk_photo), "the photo of the fault does not show to the desk"

    # Assigned to themselves, started, resolved with a note.
    offered = choose(desk, "assignee", operator_name)
    assert any(operator_name in label for label in offered)
    click_to_navigate(desk, f"form[action='/work-orders/{order.pk}/assign/'] button[type=submit]")
    assert tr("The order was assigned.") in success_message(desk)
    assert tr(WorkOrderStatus.ASSIGNED.label) in badges(desk.locator("main .card").first)
    click_to_navigate(desk, f"form[action='/work-orders/{order.pk}/start/'] button[type=submit]")
    assert tr("The work has started.") in success_message(desk)
    assert tr(WorkOrderStatus.IN_PROGRESS.label) in badges(desk.locator("main .card").first)
    desk.fill("#id_resolve_note", "更换了两只灯管和一个镇流器。")
    click_to_navigate(desk, f"form[action='/work-orders/{order.pk}/resolve/'] button[type=submit]")
    assert tr("The order is resolved; the reporter is asked to confirm.") in success_message(desk)
    assert tr(WorkOrderStatus.RESOLVED.label) in badges(desk.locator("main .card").first)
    assert "更换了两只灯管" in desk.locator("main").inner_text()
    screenshot(desk, "operations-1-resolved")
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.RESOLVED and order.assignee == world.persons["operator"]

    # The student sees the reminder in My reports, confirms and rates 4 stars on the phone.
    student.goto("/work-orders/mine/")
    card = student.locator("main .card", has_text=title)
    assert tr(WorkOrderStatus.RESOLVED.label) in badges(card)
    reminder = card.locator(".alert-success")
    expect(reminder).to_have_count(1)
    click_to_navigate(student, reminder.locator("a"))
    confirm = student.locator(f"#reporter-actions form[action='/work-orders/{order.pk}/confirm/']")
    expect(confirm).to_be_visible()
    confirm.locator("input[name=rating][value='4']").check()
    confirm.locator("textarea[name=comment]").fill("修得很快，谢谢！")
    screenshot(student, "operations-1-confirm-and-rate-phone")
    click_to_navigate(student, confirm.locator("button[type=submit]"))
    assert tr("Thank you for confirming.") in success_message(student)
    assert tr(WorkOrderStatus.CONFIRMED.label) in badges(student.locator("main .card").first)
    assert student.locator("#reporter-actions").count() == 0  # rated once: nothing more to do
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.CONFIRMED and order.rating == 4

    # My reports lists it under "done" with its stars.
    student.goto("/work-orders/mine/")
    card = student.locator("main .card", has_text=title)
    assert "★★★★☆" in card.inner_text()
    assert tr(WorkOrderStatus.CONFIRMED.label) in badges(card)

    # The operator sees the rating on the order and in the list.
    desk.goto(f"/work-orders/{order.pk}/")
    details = desk.locator("main dl").first.inner_text()
    assert "★★★★☆" in details and "修得很快" in details
    assert tr(WorkOrderStatus.CONFIRMED.label) in badges(desk.locator("main .card").first)
    screenshot(desk, "operations-1-rated-order")

    # The compliance page loads with its chart (ECharts draws a canvas) and counts the order.
    click_to_navigate(desk, "#app-sidebar a[href='/work-orders/compliance/']")
    assert path_of(desk).startswith("/work-orders/compliance/")
    expect(desk.locator("#compliance-chart canvas")).to_have_count(1)
    electrical = desk.locator("#compliance-table tbody tr", has_text=tr("Electrical"))
    expect(electrical).to_have_count(1)
    screenshot(desk, "operations-1-compliance")


# ---------------------------------------------------------------------------
# 2. An order past its deadlines is overdue and escalated, in the list and on the dashboard.
# ---------------------------------------------------------------------------


def test_escalated_order_is_visible_in_the_list_and_on_the_dashboard(world, as_user, screenshot):
    late = backdate(report(world, title="教学楼停电", urgency="normal"), hours=100)  # both deadlines passed
    fresh = report(world, title="新报的水龙头漏水", category="plumbing")
    result = workorder_services.tick(park=world.park)  # the daily run (a fixture step: the cron's work)
    assert result["escalated"] == 1
    late.refresh_from_db()
    assert late.escalation_level == 2

    desk = as_user("operator")
    desk.goto("/work-orders/")
    late_row, fresh_row = table_row(desk, late.reference), table_row(desk, fresh.reference)
    expect(late_row).to_have_count(1)
    expect(fresh_row).to_have_count(1)
    assert tr("Overdue") in badges(late_row) and tr("Escalated") in badges(late_row)
    assert late_row.locator(".badge.text-bg-danger", has_text=tr("Overdue")).count() == 1
    assert late_row.locator(".badge.text-bg-warning", has_text=tr("Escalated")).count() == 1
    assert tr("Overdue") not in badges(fresh_row) and tr("Escalated") not in badges(fresh_row)
    screenshot(desk, "operations-2-dispatch-list-escalated")

    # The "Escalated" quick filter keeps the late one only.
    click_to_navigate(desk, desk.locator("main a[href*='escalated=true']").first)
    expect(table_row(desk, late.reference)).to_have_count(1)
    expect(table_row(desk, fresh.reference)).to_have_count(0)

    # The order's page says when and why it was escalated.
    desk.goto(f"/work-orders/{late.pk}/")
    assert tr("resolution deadline missed") in desk.locator("main dl").first.inner_text()
    assert tr("Escalated") in badges(desk.locator("main .card").first)

    # The operations dashboard: the overdue figure counts it and leads to a list holding it (only it).
    response = desk.goto("/operations/dashboard/")
    assert response.status == 200
    figures = desk.locator("#dash-workorders")
    overdue = figures.locator("a", has_text=tr("Overdue"))
    expect(overdue).to_have_count(1)
    assert overdue.locator(".fs-3").inner_text().strip() == "1"
    assert figures.locator("a", has_text=tr("Escalated")).locator(".fs-3").inner_text().strip() == "1"
    screenshot(desk, "operations-2-dashboard")
    click_to_navigate(desk, overdue)
    assert path_of(desk).startswith("/work-orders/") and "overdue=true" in path_of(desk)
    expect(table_row(desk, late.reference)).to_have_count(1)
    expect(table_row(desk, fresh.reference)).to_have_count(0)
    screenshot(desk, "operations-2-overdue-list")


# ---------------------------------------------------------------------------
# 3. An inspection round on a phone, its finding rectified by the college and closed.
# ---------------------------------------------------------------------------


def test_inspection_round_on_a_phone_to_a_closed_rectification(world, as_user, screenshot, tmp_path):
    template = make_template(world, "实训楼消防安全检查", items=3)
    inspection = make_round(world, template, place="实训楼二层", owner=world.college_a)
    items = list(template.items.order_by("position"))
    assert inspection.status == RoundStatus.SCHEDULED

    inspector = as_user("operator", phone=True)
    inspector.goto(f"/safety/rounds/{inspection.pk}/take/")
    assert inspector.locator(".progress-bar").inner_text().strip().startswith("0")
    assert inspector.locator("#item-complete button").is_disabled()
    assert no_horizontal_scroll(inspector), "the round page scrolls sideways on a phone"
    screenshot(inspector, "operations-3-round-start-phone")

    # Item 1 is OK.
    card = inspector.locator(f"#item-{items[0].pk}")
    click_to_navigate(inspector, card.locator("button[name=result][value=ok]"))
    assert tr("OK") in badges(inspector.locator(f"#item-{items[0].pk}"))

    # Item 2: a finding, with a photo and its severity.
    click_to_navigate(inspector, inspector.locator(f"#item-{items[1].pk} a[href*='/findings/add/']"))
    assert path_of(inspector).startswith(f"/safety/rounds/{inspection.pk}/findings/add/")
    assert inspector.locator("#id_item").input_value() == str(items[1].pk)
    inspector.fill("#id_description", "二层东侧灭火器压力不足，安全出口指示灯不亮。")
    inspector.select_option("#id_severity", "high")
    inspector.set_input_files("#id_photos", str(photo_file(tmp_path, "finding.png", (30, 30, 200))))
    inspector.fill("#id_place", "二层东侧楼梯口")
    screenshot(inspector, "operations-3-finding-form-phone")
    click_to_navigate(inspector, "main form.edit-form button[type=submit]")
    finding = Finding.objects.get(round=inspection)
    task = RectificationTask.objects.get(finding=finding)
    assert finding.severity == "high" and finding.item_id == items[1].pk
    assert task.owner == world.college_a and task.status == RectificationStatus.OPEN
    assert Attachment.objects.filter(object_id=finding.pk).count() == 1
    assert path_of(inspector).startswith(f"/safety/rounds/{inspection.pk}/take/")
    assert task.deadline.isoformat() in success_message(inspector)
    assert tr("Finding") in badges(inspector.locator(f"#item-{items[1].pk}"))

    # Item 3 is OK; the round is complete.
    click_to_navigate(inspector, inspector.locator(f"#item-{items[2].pk} button[name=result][value=ok]"))
    assert inspector.locator(".progress-bar").inner_text().strip().startswith("3")
    complete = inspector.locator("#item-complete")
    expect(complete.locator("button")).to_be_enabled()
    complete.locator("textarea[name=note]").fill("除二层消防问题外，其余正常。")
    screenshot(inspector, "operations-3-round-answered-phone")
    click_to_navigate(inspector, complete.locator("button"))
    assert path_of(inspector) == f"/safety/rounds/{inspection.pk}/"
    assert tr("Round completed.") in success_message(inspector)
    inspection.refresh_from_db()
    assert inspection.status == RoundStatus.COMPLETED
    assert tr(RoundStatus.COMPLETED.label) in inspector.locator("main").inner_text()

    # College A's administrator finds the task under Rectifications, sees the finding's photo, reports it done.
    college = as_user("college_a_admin")
    college.goto("/safety/rectifications/")
    row = college.locator("#object-table tbody tr").filter(
        has=college.locator(f"a[href='/safety/rectifications/{task.pk}/']")
    )
    expect(row).to_have_count(1)
    screenshot(college, "operations-3-college-rectifications")
    click_to_navigate(college, row.locator(f"a[href='/safety/rectifications/{task.pk}/']").first)
    assert "灭火器压力不足" in college.locator("main").inner_text()
    finding_photo = college.locator("main .attachments img.figure-img")
    expect(finding_photo).to_have_count(1)
    assert image_loaded(finding_photo), "the finding's photo does not show to the college"
    report_form = college.locator(f"form[action='/safety/rectifications/{task.pk}/report-done/']")
    report_form.locator("textarea[name=note]").fill("已更换灭火器并修复指示灯。")
    click_to_navigate(college, report_form.locator("button"))
    assert tr("Reported done; an inspector will re-inspect.") in success_message(college)
    assert tr(RectificationStatus.REPORTED_DONE.label) in college.locator("main").inner_text()
    assert college.locator(f"form[action='/safety/rectifications/{task.pk}/report-done/']").count() == 0
    task.refresh_from_db()
    assert task.status == RectificationStatus.REPORTED_DONE
    screenshot(college, "operations-3-reported-done")

    # The operator re-inspects (passed): the task is closed.
    inspector.goto(f"/safety/rectifications/{task.pk}/")
    reinspect = inspector.locator(f"form[action='/safety/rectifications/{task.pk}/reinspect/']")
    reinspect.locator("input[name=passed][value=true]").check()
    reinspect.locator("textarea[name=note]").fill("复查合格。")
    click_to_navigate(inspector, reinspect.locator("button"))
    assert tr("Re-inspection passed: the rectification is closed.") in success_message(inspector)
    task.refresh_from_db()
    assert task.status == RectificationStatus.CLOSED
    assert tr(RectificationStatus.CLOSED.label) in inspector.locator("main").inner_text()
    assert tr("Passed") in badges(inspector.locator("main"))
    assert inspector.locator(f"form[action='/safety/rectifications/{task.pk}/reinspect/']").count() == 0
    screenshot(inspector, "operations-3-closed-phone")

    # College B's administrator may not see it.
    other = as_user("college_b_admin")
    assert other.goto(f"/safety/rectifications/{task.pk}/").status == 404
    assert "灭火器压力不足" not in other.content()
    assert other.goto(f"/safety/findings/{finding.pk}/").status == 404


# ---------------------------------------------------------------------------
# 4. A survey built in the browser, answered anonymously on a phone, once.
# ---------------------------------------------------------------------------


def test_survey_built_opened_and_answered_anonymously(world, as_user, screenshot):
    title = "宿舍维修服务满意度"
    today = timezone.localdate()

    # The operator builds the survey: settings first.
    desk = as_user("operator")
    desk.goto("/surveys/")
    click_to_navigate(desk, "main a.btn-primary[href='/surveys/add/']")
    assert path_of(desk) == "/surveys/add/"
    desk.fill("#id_title", title)
    desk.fill("#id_introduction", "请为本学期的维修服务打分。")
    if not desk.locator("#id_anonymous").is_checked():
        desk.check("#id_anonymous")
    desk.fill("#id_opens_on", today.isoformat())
    desk.fill("#id_closes_on", (today + datetime.timedelta(days=14)).isoformat())
    close_date_picker(desk, desk.locator("#id_closes_on"))
    desk.select_option("#id_area", "maintenance")
    desk.select_option("#id_audience", "all_students")
    click_to_navigate(desk, "form.edit-form button[type=submit]")
    survey = Survey.objects.get(title=title)
    assert survey.anonymous and survey.owner == world.operator_org and survey.is_draft
    assert path_of(desk) == f"/surveys/{survey.pk}/"

    # Then its questions, added in place: a rating and a free text.
    questions = desk.locator("#survey-questions")
    desk.fill("#id_text", "你对维修速度满意吗？")
    desk.select_option("#id_kind", "rating")
    if not desk.locator("#id_required").is_checked():
        desk.check("#id_required")
    questions.locator("form button[type=submit]", has_text=tr("Add")).click()
    expect(questions.locator("li", has_text="你对维修速度满意吗？")).to_have_count(1)
    desk.fill("#id_text", "还有什么建议？")
    desk.select_option("#id_kind", "text")
    if desk.locator("#id_required").is_checked():
        desk.uncheck("#id_required")
    questions.locator("form button[type=submit]", has_text=tr("Add")).click()
    expect(questions.locator("li", has_text="还有什么建议？")).to_have_count(1)
    assert survey.questions.count() == 2
    screenshot(desk, "operations-4-survey-built")

    # Opened: the park's two students are invited.
    click_to_navigate(desk, f"form[action='/surveys/{survey.pk}/open/'] button")
    survey.refresh_from_db()
    assert survey.invited_count == 2 and not survey.is_draft
    assert "2" in success_message(desk)
    assert tr("The questions are frozen since the survey was opened.") in questions.inner_text()

    # Student A answers on a phone from "My surveys".
    student = as_user("student_a", phone=True)
    student.goto("/my-surveys/")
    card = student.locator(f"main a.card[href='/my-surveys/{survey.pk}/']")
    expect(card).to_have_count(1)
    assert tr("Anonymous") in badges(card)
    assert no_horizontal_scroll(student), "My surveys scrolls sideways on a phone"
    # A second tab of the same browser opens the same form before the first one is sent.
    second_tab = as_user.watch(student.context.new_page())
    second_tab.goto(f"/my-surveys/{survey.pk}/")
    click_to_navigate(student, card)
    assert path_of(student) == f"/my-surveys/{survey.pk}/"
    assert student.locator(".alert-secondary .bi-incognito").count() == 1  # it says it is anonymous
    rating, text = list(survey.questions.order_by("position"))
    student.locator(f"label:has(input[name='question_{rating.pk}'][value='4'])").click()
    assert student.locator(f"input[name='question_{rating.pk}'][value='4']").is_checked()
    student.fill(f"[name='question_{text.pk}']", "希望晚上也能报修。")
    assert no_horizontal_scroll(student), "the survey form scrolls sideways on a phone"
    screenshot(student, "operations-4-answering-phone")
    click_to_navigate(student, "main form button[type=submit]")
    assert path_of(student) == "/my-surveys/"
    assert tr("Thank you: your answers are recorded.") in success_message(student)
    expect(student.locator(f"main a.card[href='/my-surveys/{survey.pk}/']")).to_have_count(0)
    answered = student.locator("main .list-group-item", has_text=title)
    assert tr("Answered") in badges(answered)
    screenshot(student, "operations-4-answered-phone")

    # Answering again is refused: the page says so and offers no form...
    student.goto(f"/my-surveys/{survey.pk}/")
    assert tr("You have already answered this survey. Thank you!") in student.locator("main").inner_text()
    assert student.locator("main form").count() == 0
    # ...and the form still open in the other tab is refused when sent.
    second_tab.locator(f"label:has(input[name='question_{rating.pk}'][value='1'])").click()
    click_to_navigate(second_tab, "main form button[type=submit]")
    assert tr("You have already answered this survey. Thank you!") in second_tab.locator("main").inner_text()
    survey.refresh_from_db()
    assert survey.answered_count == 1 and survey.responses.count() == 1

    # The operator sees a response rate above 0; with fewer than 5 responses the figures stay hidden.
    desk.goto(f"/surveys/{survey.pk}/")
    click_to_navigate(desk, f"main a[href='/surveys/{survey.pk}/results/']")
    assert desk.locator("#response-rate").inner_text().strip() == "50%"
    hidden = desk.locator("main .alert-info", has=desk.locator(".bi-incognito"))
    expect(hidden).to_have_count(1)
    assert "5" in hidden.inner_text()
    assert desk.locator(".survey-chart").count() == 0 and "希望晚上也能报修" not in desk.content()
    screenshot(desk, "operations-4-results-hidden")


# ---------------------------------------------------------------------------
# 5. A room transfer: asked on "My room", approved, carried out.
# ---------------------------------------------------------------------------


def test_room_transfer_from_request_to_the_new_room(world, as_user, screenshot):
    set_gender(world.a_student, "female")
    building = make_building(world.park, "3号公寓楼")
    old_room = make_room(building, "301", gender="female", beds=4, floor=3)
    new_room = make_room(building, "512", gender="female", beds=2, floor=5)
    make_room(building, "110", gender="male", beds=2)  # not for her
    old_bed = old_room.beds.order_by("label").first()
    make_assignment(world.a_student, old_bed, start=timezone.localdate() - datetime.timedelta(days=60))
    bugs: list[str] = []

    # Student A asks to move on "My room" (phone).
    student = as_user("student_a", phone=True)
    student.goto("/my-room/")
    assert "301" in student.locator("main").inner_text()
    transfer = student.locator("#transfer")
    transfer.locator("textarea[name=reason]").fill("室友作息差异大，希望调到安静的寝室。")
    transfer.locator("input[name=preferred_room_number]").fill("512")
    screenshot(student, "operations-5-ask-transfer-phone")
    click_to_navigate(student, transfer.locator("button[type=submit]"))
    assert path_of(student) == "/my-room/"
    assert tr("Your transfer request is sent to your student manager.") in success_message(student)
    request = RoomTransferRequest.objects.get(student=world.a_student)
    assert request.status == TransferStatus.REQUESTED and request.preferred_room == new_room
    assert tr(TransferStatus.REQUESTED.label) in badges(student.locator("#transfer"))

    # Manager A approves it from the queue.
    manager = as_user("manager_a")
    manager.goto("/room-transfers/?status=requested")
    row = manager.locator("#object-table tbody tr").filter(
        has=manager.locator(f"a[href='/room-transfers/{request.pk}/']")
    )
    expect(row).to_have_count(1)
    screenshot(manager, "operations-5-manager-queue")
    open_from_list(manager, row, f"/room-transfers/{request.pk}/", bugs)
    decide = manager.locator(f"form[action='/room-transfers/{request.pk}/act/decide/']")
    decide.locator("input[name=decision][value=approve]").check()
    decide.locator("textarea[name=note]").fill("同意调换。")
    click_to_navigate(manager, decide.locator("button[type=submit]"))
    assert tr("Request approved.") in success_message(manager)
    request.refresh_from_db()
    assert request.status == TransferStatus.APPROVED

    # The student sees it approved.
    student.goto("/my-room/")
    assert tr(TransferStatus.APPROVED.label) in badges(student.locator("#transfer"))

    # The operator carries it out from the "approved" queue, choosing a free bed of room 512.
    desk = as_user("operator")
    desk.goto("/room-transfers/?status=approved")
    row = desk.locator("#object-table tbody tr").filter(has=desk.locator(f"a[href='/room-transfers/{request.pk}/']"))
    expect(row).to_have_count(1)
    open_from_list(desk, row, f"/room-transfers/{request.pk}/", bugs)
    offered = choose(desk, "bed", "512-1")
    assert offered and all("110" not in label for label in offered)  # no bed of the men's room
    move = desk.locator(f"form[action='/room-transfers/{request.pk}/act/carry-out/']")
    move_date = move.locator("input[name=move_date]")
    move_date.fill(timezone.localdate().isoformat())
    close_date_picker(desk, move_date)
    screenshot(desk, "operations-5-carry-out")
    click_to_navigate(desk, move.locator("button[type=submit]"))
    request.refresh_from_db()
    assert request.status == TransferStatus.DONE
    current = BedAssignment.objects.get(student=world.a_student, end_date__isnull=True)
    assert current.bed.room == new_room and current.bed.label == "1"
    assert BedAssignment.objects.get(bed=old_bed).end_date == timezone.localdate()
    assert tr(TransferStatus.DONE.label) in desk.locator("main").inner_text()

    # My room shows the new room; the old one is an earlier stay.
    student.goto("/my-room/")
    current_card = student.locator("main .card").first
    assert "512" in current_card.inner_text() and "301" not in current_card.inner_text()
    assert "301" in student.locator("main .card", has_text=tr("Earlier stays")).inner_text()
    assert student.locator("#transfer .badge").count() == 0  # no request in progress any more
    assert no_horizontal_scroll(student), "My room scrolls sideways on a phone"
    screenshot(student, "operations-5-new-room-phone")
    if bugs:
        pytest.xfail("bug: " + " / ".join(dict.fromkeys(bugs)))
