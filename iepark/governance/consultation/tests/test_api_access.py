"""Standard access tests of every consultation endpoint and page, and refusals of every workflow action."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from iepark.core.choices import OrganisationKind, Role
from iepark.core.models import AuditEvent, Membership, Organisation, Park
from iepark.governance.consultation import services
from iepark.governance.consultation.models import ActionItem, AgendaItem, Decision, Issue, Meeting, SeverityDeadline
from iepark.testing import ApiAccessSuite, make_uscc

from .factories import action, issue, meeting

MEETING_OUTSIDERS = (
    "hr_e2",
    "college_b_admin",
    "manager_a",
    "teacher_a",
    "student_a",
    "mentor_e1",
    "operator",
    "coordinator",
    "other_admin",
    "outsider",
)
ISSUE_OUTSIDERS = (
    "hr_e2",
    "college_b_admin",
    "teacher_a",
    "student_a",
    "mentor_e1",
    "operator",
    "coordinator",
    "other_admin",
    "outsider",
)


def _own_meeting(world) -> Meeting:
    return Meeting.objects.filter(park=world.park, title="Quarterly contact meeting").first() or meeting(world)


def _other_park_meeting(world) -> Meeting:
    start = timezone.now() + datetime.timedelta(days=3)
    return services.meeting_create(
        actor=world.other_admin,
        park=world.other_park,
        title="Other park meeting",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        place="Elsewhere",
    )


def _meeting_payload(world, park=None, **extra):
    start = (timezone.now() + datetime.timedelta(days=9)).replace(microsecond=0)
    return {
        "park": (park or world.park).pk,
        "title": "Extraordinary meeting on heating",
        "kind": "extraordinary",
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
        "place": "Committee building, room 101",
        "participant_ids": [world.persons["college_b_admin"].pk],
        **extra,
    }


class TestMeetingAccess(ApiAccessSuite):
    basename = "meeting"
    readers = ("park_admin",)
    readonly = ("college_a_admin", "hr_e1")  # participants
    writer = "committee"
    outsiders = MEETING_OUTSIDERS
    page_list, page_detail, page_edit = "meeting_list", "meeting_detail", "meeting_edit"

    def own(self, world):
        return _own_meeting(world)

    def create_payload(self, world):
        return _meeting_payload(world)

    def update_payload(self, world, obj):
        return {"place": "Training centre, hall B"}

    def foreign_payload(self, world):
        return _meeting_payload(world, park=world.other_park)

    def invalid_payload(self, world):
        start = timezone.now() + datetime.timedelta(days=2)
        return _meeting_payload(
            world, starts_at=start.isoformat(), ends_at=(start - datetime.timedelta(hours=1)).isoformat()
        ), "ends_at"

    def deletable(self, world):
        return meeting(world, title="Scheduled by mistake")

    def make_many(self, world, n, start):
        for i in range(n):
            meeting(world, title=f"Meeting {start + i}", days=i + 1)


class TestAgendaItemAccess(ApiAccessSuite):
    basename = "agendaitem"
    readers = ("park_admin",)
    readonly = ("college_a_admin", "hr_e1")
    writer = "committee"
    outsiders = MEETING_OUTSIDERS

    def own(self, world):
        item = AgendaItem.objects.filter(title="Heating in the dormitories").first()
        return item or services.agenda_item_add(
            actor=world.users["committee"], meeting=_own_meeting(world), title="Heating in the dormitories"
        )

    def create_payload(self, world):
        return {"meeting": _own_meeting(world).pk, "title": "Canteen prices"}

    def update_payload(self, world, obj):
        return {"notes": "Bring the price list."}

    def foreign_payload(self, world):
        return {"meeting": _other_park_meeting(world).pk, "title": "Sneaky item"}

    def invalid_payload(self, world):
        return {"meeting": _own_meeting(world).pk, "title": ""}, "title"

    def deletable(self, world):
        return services.agenda_item_add(actor=world.users["committee"], meeting=_own_meeting(world), title="Remove me")

    def make_many(self, world, n, start):
        for i in range(n):
            services.agenda_item_add(
                actor=world.users["committee"], meeting=_own_meeting(world), title=f"Item {start + i}"
            )


class TestDecisionAccess(ApiAccessSuite):
    basename = "decision"
    readers = ("park_admin",)
    readonly = ("college_a_admin", "hr_e1")
    writer = "committee"
    outsiders = MEETING_OUTSIDERS

    def own(self, world):
        row = Decision.objects.filter(text="Buy two new boilers.").first()
        return row or services.decision_add(
            actor=world.users["committee"], meeting=_own_meeting(world), text="Buy two new boilers."
        )

    def create_payload(self, world):
        return {"meeting": _own_meeting(world).pk, "text": "Meet monthly in winter."}

    def update_payload(self, world, obj):
        return {"text": "Buy three new boilers."}

    def foreign_payload(self, world):
        return {"meeting": _other_park_meeting(world).pk, "text": "Sneaky decision"}

    def invalid_payload(self, world):
        return {"meeting": _own_meeting(world).pk, "text": ""}, "text"

    def deletable(self, world):
        return services.decision_add(actor=world.users["committee"], meeting=_own_meeting(world), text="Remove me")

    def make_many(self, world, n, start):
        for i in range(n):
            services.decision_add(
                actor=world.users["committee"], meeting=_own_meeting(world), text=f"Decision {start + i}"
            )


class TestActionItemAccess(ApiAccessSuite):
    basename = "actionitem"
    readers = ("park_admin",)
    readonly = ("college_a_admin", "hr_e1", "college_b_admin")  # participants, and the owner organisation
    writer = "committee"
    outsiders = ("hr_e2", "manager_a", "teacher_a", "student_a", "mentor_e1", "operator", "other_admin", "outsider")

    def own(self, world):
        row = ActionItem.objects.filter(title="Survey the heating").first()
        return row or action(
            world, _own_meeting(world), owner="college_b", person="college_b_admin", title="Survey the heating"
        )

    def create_payload(self, world):
        mtg = _own_meeting(world)
        return {
            "meeting": mtg.pk,
            "title": "Send the price list",
            "owner_organisation": world.enterprise_1.pk,
            "owner_person": world.persons["hr_e1"].pk,
            "due_date": (timezone.localdate(mtg.starts_at) + datetime.timedelta(days=14)).isoformat(),
        }

    def update_payload(self, world, obj):
        return {"title": "Survey the heating of buildings 3 and 4"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), meeting=_other_park_meeting(world).pk)

    def invalid_payload(self, world):
        mtg = _own_meeting(world)
        due = timezone.localdate(mtg.starts_at) - datetime.timedelta(days=2)
        return dict(self.create_payload(world), due_date=due.isoformat()), "due_date"

    def deletable(self, world):
        return action(world, _own_meeting(world), title="Remove me")

    def make_many(self, world, n, start):
        for i in range(n):
            action(world, _own_meeting(world), title=f"Action {start + i}")


class TestIssueAccess(ApiAccessSuite):
    basename = "issue"
    readers = ("park_admin",)
    readonly = ("college_a_admin", "manager_a", "hr_e1")  # the raising organisation's staff, the affected party
    writer = "committee"
    outsiders = ISSUE_OUTSIDERS
    page_list, page_detail, page_edit = "issue_list", "issue_detail", "issue_edit"

    def own(self, world):
        return Issue.objects.filter(title="Dormitory heating fails").first() or issue(world)

    def create_payload(self, world):
        return {
            "park": world.park.pk,
            "category": "policy",
            "severity": "medium",
            "title": "Subsidy rules unclear",
            "description": "Colleges read the retention rule differently.",
            "affected_organisations": [world.college_b.pk],
        }

    def update_payload(self, world, obj):
        return {"severity": "critical"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), severity="apocalyptic"), "severity"

    def make_many(self, world, n, start):
        for i in range(n):
            issue(world, title=f"Issue {start + i}", affected=("enterprise_1", "college_b"))


class TestSeverityDeadlineAccess(ApiAccessSuite):
    basename = "severitydeadline"
    readers = ("park_admin",)
    readonly = ("college_a_admin", "hr_e1", "student_a")
    writer = "committee"
    outsiders = ("other_admin", "outsider")

    def own(self, world):
        return SeverityDeadline.objects.get_or_create(
            park=world.park, severity="high", defaults={"acknowledge_hours": 12, "resolve_hours": 240}
        )[0]

    def create_payload(self, world):
        return {"park": world.park.pk, "severity": "low", "acknowledge_hours": 72, "resolve_hours": 1000}

    def update_payload(self, world, obj):
        return {"acknowledge_hours": 6}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), acknowledge_hours=100, resolve_hours=10), "resolve_hours"

    def deletable(self, world):
        return SeverityDeadline.objects.create(park=world.park, severity="medium", acknowledge_hours=1, resolve_hours=9)

    def make_many(self, world, n, start):
        for i in range(n):
            park = Park.objects.create(code=f"x{start + i}", name=f"园区{start + i}")
            org = Organisation.objects.create(
                park=park, kind=OrganisationKind.COMMITTEE, name=f"管委会{start + i}", uscc=make_uscc(6000 + start + i)
            )
            Membership.objects.create(
                person=world.persons["park_admin"],
                organisation=org,
                role=Role.PARK_ADMIN,
                start_date=datetime.date(2020, 1, 1),
            )
            SeverityDeadline.objects.create(park=park, severity="low", acknowledge_hours=24, resolve_hours=240)


# --- refusals of the workflow actions -----------------------------------------------------------------------


def _post(api, user, url, data=None, **kwargs):
    return api(user).post(url, data or {}, format=kwargs.pop("format", "json"), **kwargs)


@pytest.mark.django_db
def test_meeting_actions_are_refused_to_participants_and_hidden_from_others(world, api):
    mtg = meeting(world)
    before = AuditEvent.objects.count()
    cancel = reverse("meeting-cancel", args=[mtg.pk])
    minutes = reverse("meeting-minutes", args=[mtg.pk])
    assert _post(api, world.college_a_admin, cancel, {"reason": "no"}).status_code == 403
    assert _post(api, world.hr_e2, cancel, {"reason": "no"}).status_code == 404
    assert _post(api, world.hr_e1, minutes, {"minutes": "x"}).status_code == 403
    assert _post(api, world.outsider, minutes, {"minutes": "x"}).status_code == 404
    assert AuditEvent.objects.count() == before
    response = _post(api, world.users["committee"], cancel, {"reason": "Snow storm"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


@pytest.mark.django_db
def test_meeting_minutes_before_start_is_a_clear_400(world, api):
    mtg = meeting(world)
    response = _post(api, world.users["committee"], reverse("meeting-minutes", args=[mtg.pk]), {"minutes": "Notes"})
    assert response.status_code == 400
    assert "has not started" in response.json()["minutes"][0]


@pytest.mark.django_db
def test_ics_invitation_for_those_who_see_the_meeting(world, api, browser_client):
    mtg = meeting(world)
    response = api(world.hr_e1).get(reverse("meeting-ics", args=[mtg.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "BEGIN:VCALENDAR" in body and f"contact-meeting-{mtg.pk}@iepark" in body
    assert api(world.hr_e2).get(reverse("meeting-ics", args=[mtg.pk])).status_code == 404
    page = browser_client(world.college_a_admin).get(reverse("meeting_ics", args=[mtg.pk]))
    assert page.status_code == 200 and page["Content-Type"].startswith("text/calendar")
    assert browser_client(world.student_a).get(reverse("meeting_ics", args=[mtg.pk])).status_code == 404


@pytest.mark.django_db
def test_action_item_status_by_owner_only(world, api):
    mtg = meeting(world)
    item = action(world, mtg, owner="college_a", person="college_a_admin")
    url = reverse("actionitem-set-status", args=[item.pk])
    assert _post(api, world.hr_e1, url, {"status": "done"}).status_code == 403  # a participant, not the owner
    assert _post(api, world.hr_e2, url, {"status": "done"}).status_code == 404
    response = _post(api, world.college_a_admin, url, {"status": "in_progress", "note": "Ordered parts"})
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    assert _post(api, world.college_a_admin, url, {"status": "bogus"}).status_code == 400


@pytest.mark.django_db
def test_issue_steps_refused_to_the_wrong_party(world, api):
    it = issue(world)
    url = lambda step: reverse(f"issue-{step}", args=[it.pk])  # noqa: E731
    before = AuditEvent.objects.count()
    assert _post(api, world.hr_e1, url("acknowledge")).status_code == 403
    assert _post(api, world.college_a_admin, url("decide"), {"decision": "Mine"}).status_code == 403
    assert _post(api, world.hr_e2, url("comment"), {"text": "Hi"}).status_code == 404
    assert _post(api, world.teacher_a, url("comment"), {"text": "Hi"}).status_code == 404
    assert _post(api, world.other_admin, url("decide"), {"decision": "x"}).status_code == 404
    assert AuditEvent.objects.count() == before
    assert _post(api, world.hr_e1, url("comment"), {"text": "We can help", "kind": "proposal"}).status_code == 200
    assert _post(api, world.users["committee"], url("decide"), {"decision": "Replace it"}).status_code == 200
    refused = _post(api, world.hr_e1, url("confirm"))
    assert refused.status_code == 400 and "Only the party that raised the issue" in refused.json()["status"][0]
    assert _post(api, world.hr_e1, url("reopen"), {"reason": "no"}).status_code == 400
    assert _post(api, world.manager_a, url("confirm")).status_code == 200
    closed = _post(api, world.hr_e1, url("comment"), {"text": "Late remark"})
    assert closed.status_code == 400 and "closed" in closed.json()["status"][0]
    data = api(world.college_a_admin).get(reverse("issue-detail", args=[it.pk])).json()
    assert data["status"] == "closed"
    assert [e["kind"] for e in data["thread"]] == ["raised", "proposal", "decided", "closed"]


def _png() -> io.BytesIO:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(buf, format="PNG")
    buf.seek(0)
    buf.name = "photo.png"
    return buf


@pytest.mark.django_db
def test_issue_attachments_by_affected_parties_only(world, api):
    it = issue(world)
    url = reverse("issue-attachments", args=[it.pk])
    assert api(world.hr_e2).post(url, {"files": [_png()]}, format="multipart").status_code == 404
    response = api(world.hr_e1).post(url, {"files": [_png()]}, format="multipart")
    assert response.status_code == 201, response.content
    assert len(api(world.college_a_admin).get(url).json()) == 1
