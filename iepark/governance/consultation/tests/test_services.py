"""Services of contact meetings and major issues: the workflow, the deadlines, escalation, reminders, bad input."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from iepark.careers.models import Notification
from iepark.governance.consultation import selectors, services
from iepark.governance.consultation.models import AgendaItem, Issue, IssueEntry, Meeting
from iepark.testing import audit_count

from .factories import action, issue, meeting

pytestmark = pytest.mark.django_db


def _later(hours: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=hours)


# --- meetings ------------------------------------------------------------------------------------------


def test_meeting_create_invites_participants_with_their_party(world):
    mtg = meeting(world)
    rows = {r.person_id: r.organisation_id for r in mtg.participants.all()}
    assert rows == {
        world.persons["college_a_admin"].pk: world.college_a.pk,
        world.persons["hr_e1"].pk: world.enterprise_1.pk,
    }
    assert Notification.objects.filter(recipient=world.hr_e1, kind="consultation.meeting_invited").exists()
    assert audit_count(mtg, "create", mtg.pk) == 1


def test_meeting_ending_before_it_starts_is_refused(world):
    start = _later(24)
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=world.users["committee"],
            park=world.park,
            title="X",
            starts_at=start,
            ends_at=start - datetime.timedelta(hours=1),
            place="Hall",
        )
    assert "ends before it starts" in str(exc.value.message_dict["ends_at"])
    assert not Meeting.objects.exists()


def test_only_officers_schedule_meetings(world):
    start = _later(24)
    for name in ("college_a_admin", "hr_e1", "other_admin"):
        with pytest.raises(PermissionDenied):
            services.meeting_create(
                actor=world.users[name], park=world.park, title="X", starts_at=start, ends_at=_later(26), place="Hall"
            )


def test_students_cannot_be_invited(world):
    with pytest.raises(ValidationError) as exc:
        meeting(world, participants=("student_a",))
    assert "participants" in exc.value.message_dict


def test_action_item_due_before_the_meeting_is_refused(world):
    mtg = meeting(world)
    with pytest.raises(ValidationError) as exc:
        action(world, mtg, days=-1)
    assert "due before the meeting" in exc.value.message_dict["due_date"][0]


def test_action_owner_must_belong_to_the_owner_organisation(world):
    mtg = meeting(world)
    with pytest.raises(ValidationError) as exc:
        action(world, mtg, owner="enterprise_1", person="college_a_admin")
    assert "owner_person" in exc.value.message_dict


def test_minutes_only_after_the_meeting_started(world):
    mtg = meeting(world, days=3)
    with pytest.raises(ValidationError):
        services.meeting_record_minutes(actor=world.users["committee"], meeting=mtg, minutes="Notes")
    past = meeting(world, days=-2, title="Past")
    services.meeting_record_minutes(
        actor=world.users["committee"], meeting=past, minutes="We agreed.", attended=[world.persons["hr_e1"].pk]
    )
    past.refresh_from_db()
    assert past.status == "held"
    assert past.participants.get(person=world.persons["hr_e1"]).attended is True
    assert past.participants.get(person=world.persons["college_a_admin"]).attended is False
    assert Notification.objects.filter(recipient=world.college_a_admin, kind="consultation.minutes_recorded").exists()


def test_owner_updates_status_of_an_action_item_others_cannot(world):
    mtg = meeting(world)
    item = action(world, mtg)
    services.action_item_set_status(actor=world.college_a_admin, item=item, status="done", note="Fixed")
    item.refresh_from_db()
    assert item.status == "done" and item.done_at is not None
    with pytest.raises(PermissionDenied):
        services.action_item_set_status(actor=world.hr_e2, item=item, status="open")


def test_cancelled_meeting_cannot_take_action_items(world):
    mtg = meeting(world)
    services.meeting_cancel(actor=world.users["committee"], meeting=mtg, reason="Snow storm")
    with pytest.raises(ValidationError):
        action(world, Meeting.objects.get(pk=mtg.pk))


# --- issues --------------------------------------------------------------------------------------------


def test_raise_fixes_deadlines_from_the_park_settings(world):
    services.severity_deadline_set(
        actor=world.users["committee"], park=world.park, severity="high", acknowledge_hours=2, resolve_hours=48
    )
    it = issue(world)
    assert it.reference.startswith("MI-")
    assert abs((it.acknowledge_due - it.raised_at).total_seconds() - 2 * 3600) < 2
    assert abs((it.resolve_due - it.raised_at).total_seconds() - 48 * 3600) < 2
    assert it.raising_organisation == world.college_a
    assert list(it.affected_organisations.all()) == [world.enterprise_1]
    assert Notification.objects.filter(recipient=world.hr_e1, kind="consultation.issue_raised").exists()
    assert Notification.objects.filter(recipient=world.users["committee"], kind="consultation.issue_raised").exists()


def test_default_deadlines_when_none_set(world):
    it = issue(world, severity="critical")
    assert abs((it.acknowledge_due - it.raised_at).total_seconds() - 4 * 3600) < 2


def test_deadline_settings_refuse_resolve_before_acknowledge(world):
    with pytest.raises(ValidationError):
        services.severity_deadline_set(
            actor=world.users["committee"], park=world.park, severity="low", acknowledge_hours=48, resolve_hours=10
        )
    with pytest.raises(PermissionDenied):
        services.severity_deadline_set(
            actor=world.college_a_admin, park=world.park, severity="low", acknowledge_hours=1, resolve_hours=10
        )


def test_raise_with_a_source_record_stores_label_and_link(world):
    it = issue(world, by="operator", source=world.college_b, affected=())
    assert it.source_label == str(world.college_b)
    assert it.source_id == str(world.college_b.pk)
    assert it.source_type.model == "organisation"


def test_raise_bad_input_is_refused_with_field_errors(world):
    with pytest.raises(ValidationError) as exc:
        issue(world, title="", severity="apocalyptic")
    assert {"title", "severity"} <= set(exc.value.message_dict)
    assert not Issue.objects.exists()


def test_students_cannot_raise_issues(world):
    with pytest.raises(PermissionDenied):
        issue(world, by="student_a")


def test_full_life_of_an_issue(world):
    it = issue(world)
    services.issue_acknowledge(actor=world.users["committee"], issue=it)
    services.issue_comment(actor=world.hr_e1, issue=it, text="We can lend a heater.", kind="proposal")
    it.refresh_from_db()
    assert it.status == "consultation"
    entry = IssueEntry.objects.filter(issue=it, kind="proposal").get()
    assert entry.organisation == world.enterprise_1
    services.issue_decide(actor=world.users["committee"], issue=it, decision="The operator replaces the boiler.")
    services.issue_confirm_closure(actor=world.manager_a, issue=it)
    it.refresh_from_db()
    assert it.status == "closed" and it.closed_at
    kinds = list(IssueEntry.objects.filter(issue=it).values_list("kind", flat=True))
    assert kinds == ["raised", "acknowledged", "proposal", "decided", "closed"]


def test_confirming_closure_by_another_party_is_refused(world):
    it = issue(world)
    services.issue_decide(actor=world.users["committee"], issue=it, decision="Done.")
    with pytest.raises(ValidationError) as exc:
        services.issue_confirm_closure(actor=world.hr_e1, issue=it)
    assert "Only the party that raised the issue" in str(exc.value)
    with pytest.raises(ValidationError):
        services.issue_confirm_closure(actor=world.users["committee"], issue=it)
    assert Issue.objects.get(pk=it.pk).status == "decided"


def test_commenting_on_a_closed_issue_is_refused(world):
    it = issue(world)
    services.issue_decide(actor=world.users["committee"], issue=it, decision="Done.")
    services.issue_confirm_closure(actor=world.college_a_admin, issue=it)
    with pytest.raises(ValidationError) as exc:
        services.issue_comment(actor=world.hr_e1, issue=it, text="One more thing")
    assert "closed" in str(exc.value)


def test_unaffected_party_cannot_comment(world):
    it = issue(world)
    with pytest.raises(PermissionDenied):
        services.issue_comment(actor=world.hr_e2, issue=it, text="Hello")


def test_reopen_gives_a_new_deadline_and_allows_new_escalation(world):
    it = issue(world)
    services.issue_decide(actor=world.users["committee"], issue=it, decision="Done.")
    services.issue_confirm_closure(actor=world.college_a_admin, issue=it)
    with pytest.raises(ValidationError):
        services.issue_reopen(actor=world.college_a_admin, issue=it, reason="")
    services.issue_reopen(actor=world.college_a_admin, issue=it, reason="The heating failed again.")
    it.refresh_from_db()
    assert it.status == "reopened" and it.reopen_count == 1 and it.resolve_due > timezone.now()


# --- escalation and reminders ---------------------------------------------------------------------------


def test_overdue_issue_is_escalated_to_the_next_meeting_once(world):
    it = issue(world)
    mtg = meeting(world, days=5)
    later = meeting(world, days=20, title="Later")
    Issue.objects.filter(pk=it.pk).update(acknowledge_due=_later(-2), resolve_due=_later(-1))
    assert selectors.issue_list(user=world.users["committee"]).get(pk=it.pk).overdue
    assert services.tick()["escalated"] == 1
    assert services.tick()["escalated"] == 0  # never twice
    item = AgendaItem.objects.get(issue=it)
    assert item.meeting == mtg and item.escalated
    assert not AgendaItem.objects.filter(meeting=later).exists()
    it.refresh_from_db()
    assert it.escalated_to == mtg
    assert IssueEntry.objects.filter(issue=it, kind="escalated").count() == 1


def test_escalation_without_a_meeting_leaves_a_note_then_goes_onto_the_next_meeting(world):
    it = issue(world)
    Issue.objects.filter(pk=it.pk).update(acknowledge_due=_later(-2), resolve_due=_later(-1))
    assert services.tick()["escalated"] == 1
    it.refresh_from_db()
    assert it.escalated_at and it.escalated_to is None and "no contact meeting" in it.escalation_note
    assert Notification.objects.filter(
        recipient=world.users["committee"], kind="consultation.issue_no_meeting"
    ).exists()
    mtg = meeting(world, days=3)  # scheduling a meeting picks the pending escalation up
    assert AgendaItem.objects.filter(meeting=mtg, issue=it, escalated=True).count() == 1
    assert services.tick()["escalated"] == 0


def test_reminders_are_sent_once(world):
    soon = meeting(world, days=0, starts_at=_later(5), ends_at=_later(6), title="Soon")
    past = meeting(world, days=-30, title="Past")
    due = action(world, past, days=31)  # due in a day or two
    late = action(world, past, days=1, title="Late thing")
    first = services.tick()
    assert first["meeting_reminders"] == 1 and first["overdue"] == 1 and first["due_soon"] >= 1
    second = services.tick()
    assert second == {"meeting_reminders": 0, "due_soon": 0, "overdue": 0, "escalated": 0}
    assert Notification.objects.filter(kind="consultation.meeting_reminder", recipient=world.hr_e1).count() == 1
    assert Notification.objects.filter(kind="consultation.action_overdue", recipient=world.college_a_admin).count() == 1
    soon.refresh_from_db()
    assert soon.reminded_at is not None
    assert due.pk != late.pk


def test_the_daily_command_runs(world, capsys):
    it = issue(world)
    Issue.objects.filter(pk=it.pk).update(acknowledge_due=_later(-2), resolve_due=_later(-1))
    call_command("consultation_tick")
    assert "1 issues escalated" in capsys.readouterr().out


def test_dashboard_figures(world):
    it = issue(world, severity="critical")
    issue(world, title="Second", severity="low")
    Issue.objects.filter(pk=it.pk).update(acknowledge_due=_later(-2), resolve_due=_later(-1))
    past = meeting(world, days=-30, title="Past")
    action(world, past, days=1)
    upcoming = meeting(world, days=4)
    figures = selectors.dashboard_figures(world.users["committee"], world.park)
    assert figures["open_issues"] == 2
    assert figures["open_issues_by_severity"]["critical"] == 1
    assert figures["open_issues_by_severity"]["low"] == 1
    assert figures["overdue_issues"] == 1
    assert figures["overdue_actions"] == 1
    assert figures["next_meeting"] == upcoming
    assert "overdue=true" in figures["links"]["overdue_issues"]
    other = selectors.dashboard_figures(world.hr_e2, world.park)
    assert other["open_issues"] == 0 and other["next_meeting"] is None


def test_cancelling_the_target_meeting_moves_the_escalation_to_the_next_one(world):
    it = issue(world)
    first = meeting(world, days=3, title="First")
    second = meeting(world, days=10, title="Second")
    Issue.objects.filter(pk=it.pk).update(acknowledge_due=_later(-2), resolve_due=_later(-1))
    services.tick()
    assert Issue.objects.get(pk=it.pk).escalated_to == first
    services.meeting_cancel(actor=world.users["committee"], meeting=first, reason="Storm")
    it.refresh_from_db()
    assert it.escalated_to == second
    assert AgendaItem.objects.filter(meeting=second, issue=it, escalated=True).count() == 1


def test_moving_a_meeting_tells_participants_and_rearms_the_reminder(world):
    mtg = meeting(world, days=0, starts_at=_later(3), ends_at=_later(4))
    services.tick()
    assert Meeting.objects.get(pk=mtg.pk).reminded_at is not None
    services.meeting_update(
        actor=world.users["committee"], meeting=mtg, data={"starts_at": _later(5), "ends_at": _later(6)}
    )
    assert Meeting.objects.get(pk=mtg.pk).reminded_at is None
    assert Notification.objects.filter(recipient=world.hr_e1, kind="consultation.meeting_changed").exists()
    assert services.tick()["meeting_reminders"] == 1
    with pytest.raises(ValidationError):
        services.meeting_update(actor=world.users["committee"], meeting=mtg, data={"ends_at": _later(1)})
