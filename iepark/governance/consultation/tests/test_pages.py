"""Pages of contact meetings and major issues, as each party uses them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from iepark.governance.consultation import services
from iepark.governance.consultation.models import ActionItem, AgendaItem, Issue, Meeting

from .factories import action, issue, meeting

pytestmark = pytest.mark.django_db


def _en(client):
    client.cookies["django_language"] = "en"
    return client


def test_officer_runs_a_meeting_from_its_page(world, browser_client):
    officer = _en(browser_client(world.users["committee"]))
    mtg = meeting(world, days=-1, title="Winter meeting")
    it = issue(world)
    page = officer.get(reverse("meeting_detail", args=[mtg.pk]))
    assert page.status_code == 200
    assert "Add to the agenda" in page.content.decode()
    step = lambda name: reverse("meeting_step", args=[mtg.pk, name])  # noqa: E731
    officer.post(step("agenda"), {"issue": it.pk})
    item = AgendaItem.objects.get(meeting=mtg)
    assert item.issue == it and item.title == str(it)
    officer.post(step("decision"), {"text": "Replace the boiler.", "agenda_item": item.pk, "settles_issue": "on"})
    assert Issue.objects.get(pk=it.pk).status == "decided"
    bad_due = (timezone.localdate(mtg.starts_at) - datetime.timedelta(days=3)).isoformat()
    response = officer.post(
        step("action"),
        {"title": "Order parts", "owner_organisation": world.operator_org.pk, "due_date": bad_due},
        follow=True,
    )
    assert "due before the meeting" in response.content.decode()
    assert not ActionItem.objects.exists()
    good_due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    officer.post(
        step("action"), {"title": "Order parts", "owner_organisation": world.operator_org.pk, "due_date": good_due}
    )
    assert ActionItem.objects.filter(meeting=mtg, title="Order parts").exists()
    officer.post(step("minutes"), {"minutes": "All three parties attended.", "attended": [world.persons["hr_e1"].pk]})
    mtg.refresh_from_db()
    assert mtg.status == "held" and "attended" in mtg.minutes


def test_participant_sees_minutes_without_officer_forms(world, browser_client):
    mtg = meeting(world, days=-1)
    services.meeting_record_minutes(actor=world.users["committee"], meeting=mtg, minutes="Agreed on heating.")
    page = _en(browser_client(world.hr_e1)).get(reverse("meeting_detail", args=[mtg.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "Agreed on heating." in body
    assert "Add to the agenda" not in body and "Cancel the meeting" not in body
    response = browser_client(world.hr_e1).post(reverse("meeting_step", args=[mtg.pk, "agenda"]), {"title": "x"})
    assert response.status_code == 403
    assert browser_client(world.hr_e2).get(reverse("meeting_detail", args=[mtg.pk])).status_code == 404


def test_meeting_form_refuses_an_end_before_the_start(world, browser_client):
    officer = _en(browser_client(world.users["committee"]))
    assert officer.get(reverse("meeting_create")).status_code == 200
    response = officer.post(
        reverse("meeting_create"),
        {
            "park": world.park.pk,
            "kind": "regular",
            "title": "Bad times",
            "starts_at": "2030-01-10T10:00",
            "ends_at": "2030-01-10T09:00",
            "place": "Hall",
        },
    )
    assert response.status_code == 200
    assert "ends before it starts" in response.content.decode()
    assert not Meeting.objects.exists()
    response = officer.post(
        reverse("meeting_create"),
        {
            "park": world.park.pk,
            "kind": "regular",
            "title": "Good times",
            "starts_at": "2030-01-10T10:00",
            "ends_at": "2030-01-10T12:00",
            "place": "Hall",
            "participants": [world.persons["hr_e1"].pk, world.persons["college_b_admin"].pk],
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.get().participants.count() == 2


def test_action_items_page_mine_and_overdue_per_owner(world, browser_client):
    past = meeting(world, days=-20)
    action(world, past, days=2, title="Late report")
    action(world, past, days=40, title="Future report")
    page = _en(browser_client(world.college_a_admin)).get(reverse("actionitem_list") + "?mine=true")
    body = page.content.decode()
    assert page.status_code == 200 and "Late report" in body and "Future report" in body
    assert body.index("Late report") < body.index("Future report")  # overdue first
    assert "Overdue action items per owner" in body
    other = _en(browser_client(world.hr_e2)).get(reverse("actionitem_list")).content.decode()
    assert "Late report" not in other


def test_issue_board_makes_overdue_issues_impossible_to_miss(world, browser_client):
    it = issue(world, title="Gas smell in lab")
    issue(world, title="Canteen queue", severity="low")
    Issue.objects.filter(pk=it.pk).update(
        acknowledge_due=timezone.now() - datetime.timedelta(hours=3),
        resolve_due=timezone.now() - datetime.timedelta(hours=1),
    )
    for name in ("committee", "college_a_admin", "hr_e1"):
        body = _en(browser_client(world.users[name])).get(reverse("issue_list")).content.decode()
        assert "Gas smell in lab" in body, name
        assert "overdue-alert" in body and "1 issue is past its deadline." in body, name
        assert body.index("Gas smell in lab") < body.index("Canteen queue") or "Canteen queue" in body
    hidden = _en(browser_client(world.hr_e2)).get(reverse("issue_list")).content.decode()
    assert "Gas smell in lab" not in hidden
    filtered = _en(browser_client(world.users["committee"])).get(reverse("issue_list") + "?overdue=true").content
    assert b"Canteen queue" not in filtered and b"Gas smell in lab" in filtered


def test_raise_an_issue_from_the_page(world, browser_client):
    client = _en(browser_client(world.hr_e1))
    page = client.get(reverse("issue_create"))
    assert page.status_code == 200 and "Raise the issue" in page.content.decode()
    response = client.post(
        reverse("issue_create"),
        {
            "park": world.park.pk,
            "raising_organisation": world.enterprise_1.pk,
            "category": "employment",
            "severity": "high",
            "title": "Interns leave after a month",
            "description": "Three of five interns left.",
            "affected_organisations": [world.college_a.pk],
        },
    )
    assert response.status_code == 302
    created = Issue.objects.get(title="Interns leave after a month")
    assert created.raising_organisation == world.enterprise_1
    assert browser_client(world.student_a).get(reverse("issue_create")).status_code == 403


def test_issue_page_steps_for_each_party(world, browser_client):
    it = issue(world)
    officer, raiser, affected = (
        _en(browser_client(world.users["committee"])),
        _en(browser_client(world.college_a_admin)),
        _en(browser_client(world.hr_e1)),
    )
    step = lambda name: reverse("issue_step", args=[it.pk, name])  # noqa: E731
    officer.post(step("acknowledge"), {"note": "Seen."})
    affected.post(step("comment"), {"kind": "proposal", "text": "Lend a heater"})
    officer.post(step("decide"), {"decision": "The operator repairs it by Friday."})
    body = affected.get(reverse("issue_detail", args=[it.pk])).content.decode()
    assert "Lend a heater" in body and "Yes, close the issue" not in body
    refused = affected.post(step("confirm"), {}, follow=True).content.decode()
    assert "Only the party that raised the issue" in refused
    assert "Yes, close the issue" in raiser.get(reverse("issue_detail", args=[it.pk])).content.decode()
    raiser.post(step("confirm"), {})
    assert Issue.objects.get(pk=it.pk).status == "closed"
    closed = affected.post(step("comment"), {"kind": "comment", "text": "Late"}, follow=True).content.decode()
    assert "This issue is closed" in closed
    assert browser_client(world.hr_e2).post(step("comment"), {"kind": "comment", "text": "x"}).status_code == 404


def test_deadline_settings_page_for_officers_only(world, browser_client):
    officer = _en(browser_client(world.users["committee"]))
    assert officer.get(reverse("issue_deadlines")).status_code == 200
    data = {}
    for sev, (ack, res) in services.severity_deadlines_for(world.park).items():
        data[f"{sev}_ack"], data[f"{sev}_resolve"] = ack, res
    data["critical_ack"] = 2
    assert officer.post(reverse("issue_deadlines"), data).status_code == 302
    assert services.severity_deadlines_for(world.park)["critical"][0] == 2
    assert browser_client(world.college_a_admin).get(reverse("issue_deadlines")).status_code == 403


def test_pages_render_in_chinese(world, browser_client):
    mtg = meeting(world)
    it = issue(world)
    client = browser_client(world.users["committee"])
    for url in (
        reverse("meeting_list"),
        reverse("meeting_detail", args=[mtg.pk]),
        reverse("meeting_edit", args=[mtg.pk]),
        reverse("actionitem_list"),
        reverse("issue_list"),
        reverse("issue_list") + "?status=closed",
        reverse("issue_detail", args=[it.pk]),
        reverse("issue_edit", args=[it.pk]),
        reverse("issue_create"),
    ):
        assert client.get(url).status_code == 200, url


def test_run_now_starts_the_daily_job(world, browser_client, settings):
    settings.IEPARK_TASK_RUNNER = "sync"
    response = browser_client(world.users["committee"]).post(reverse("consultation_tick"), {"park": world.park.pk})
    assert response.status_code == 302
    assert browser_client(world.hr_e1).post(reverse("consultation_tick"), {"park": world.park.pk}).status_code == 403
