"""
Writes of contact meetings and major issues. Every write checks the policy, validates, saves
and records its audit event in one transaction; notifications go out with it (e-mail after commit).

Meetings: ``meeting_create`` (invitations) → ``agenda_item_add`` / ``decision_add`` /
``action_item_add`` → ``meeting_record_minutes`` (held) or ``meeting_cancel``. Owners move their
action items with ``action_item_set_status``.

Issues: ``issue_raise`` (raised; deadlines fixed from the park's severity deadlines) →
``issue_acknowledge`` → ``issue_comment`` (comments and proposals: under consultation) →
``issue_decide`` → ``issue_confirm_closure`` by the raising party (closed) or ``issue_reopen``.
``tick`` (the daily command ``consultation_tick`` and the task ``consultation.tick``) reminds
participants and owners and escalates overdue issues onto the next meeting's agenda, never twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from iepark.careers.notifications import notify
from iepark.core import policy
from iepark.core.attachments import attach_files, attachments_delete_all
from iepark.core.audit import audited_create, audited_delete, audited_update
from iepark.core.choices import Role
from iepark.core.models import Membership, Organisation, Park, Person
from iepark.core.policy import Action
from iepark.core.tasks import job_start

from . import notifications as n
from .choices import (
    AWAITING_ACK,
    DEFAULT_SEVERITY_DEADLINES,
    OPEN_ACTION_STATUSES,
    OPEN_ISSUE_STATUSES,
    PARTY_ENTRY_KINDS,
    ActionStatus,
    EntryKind,
    IssueCategory,
    IssueStatus,
    MeetingKind,
    MeetingStatus,
    Severity,
)
from .models import (
    ActionItem,
    AgendaItem,
    Decision,
    Issue,
    IssueEntry,
    Meeting,
    MeetingParticipant,
    SeverityDeadline,
)
from .policy import OFFICER_ROLES, ORG_ADMIN_ROLES, PARTY_ROLES, is_officer

TICK_TASK = "consultation.tick"
MEETING_FIELDS = ["title", "kind", "starts_at", "ends_at", "place"]
ISSUE_EDIT_FIELDS = ["title", "description", "category", "severity"]
ACTION_FIELDS = ["title", "owner_organisation", "owner_person", "due_date", "decision", "note"]
# Participants are reminded of a meeting this long before it starts.
MEETING_REMINDER_BEFORE = datetime.timedelta(hours=24)
# Owners are reminded of an action item this many days before it is due.
ACTION_REMINDER_DAYS = 3


def _only(data: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items() if k in names}


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _when(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


def _active_memberships(**filters: Any):
    today = timezone.localdate()
    return Membership.objects.filter(start_date__lte=today, **filters).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def _users_of(memberships) -> list[Any]:
    """Return the login accounts of the people holding ``memberships``."""
    return list(get_user_model().objects.filter(person__in=memberships.values("person_id"), is_active=True))


def officer_users(park_id: int) -> list[Any]:
    return _users_of(_active_memberships(role__in=OFFICER_ROLES, organisation__park_id=park_id))


def org_admin_users(org_ids: Iterable[int]) -> list[Any]:
    return _users_of(_active_memberships(role__in=ORG_ADMIN_ROLES, organisation_id__in=list(org_ids)))


def _without(users: Iterable[Any], actor: Any) -> list[Any]:
    pk = getattr(actor, "pk", None)
    return [u for u in users if u is not None and u.pk != pk]


def party_of(person: Person | int | None, park_id: int, among: Iterable[int] | None = None) -> Organisation | None:
    """Return the organisation ``person`` speaks for in ``park_id`` (preferring ``among``), or None."""
    person_id = getattr(person, "pk", person)
    if not person_id:
        return None
    rows = _active_memberships(person_id=person_id, organisation__park_id=park_id).exclude(role=Role.STUDENT)
    org_ids = list(rows.order_by("organisation__kind", "organisation_id").values_list("organisation_id", flat=True))
    wanted = [o for o in org_ids if among is not None and o in set(among)]
    chosen = (wanted or org_ids or [None])[0]
    return Organisation.objects.filter(pk=chosen).first() if chosen else None


# --- severity deadlines ----------------------------------------------------------------------------------


def severity_deadlines_for(park: Park | int) -> dict[str, tuple[int, int]]:
    """Return ``{severity: (acknowledge hours, resolve hours)}`` of ``park``: its own over the defaults."""
    park_id = getattr(park, "pk", park)
    levels = dict(DEFAULT_SEVERITY_DEADLINES)
    for severity, ack, resolve in SeverityDeadline.objects.filter(park_id=park_id).values_list(
        "severity", "acknowledge_hours", "resolve_hours"
    ):
        levels[severity] = (ack, resolve)
    return levels


def _check_hours(ack: Any, resolve: Any) -> None:
    if ack and resolve and int(resolve) < int(ack):
        raise ValidationError(
            {"resolve_hours": _("The resolution time cannot be shorter than the acknowledgement time.")}
        )


def severity_deadline_create(*, actor: Any, park: Park, **fields: Any) -> SeverityDeadline:
    row = SeverityDeadline(park=park, **_only(fields, ["severity", "acknowledge_hours", "resolve_hours"]))
    if not policy.can_add(actor, row):
        raise PermissionDenied
    if row.severity not in Severity.values:
        raise ValidationError({"severity": _("Choose a severity.")})
    if SeverityDeadline.objects.filter(park=park, severity=row.severity).exists():
        raise ValidationError({"severity": _("This park already has deadlines for that severity.")})
    _check_hours(row.acknowledge_hours, row.resolve_hours)
    return audited_create(actor=actor, instance=row)


def severity_deadline_update(*, actor: Any, deadline: SeverityDeadline, data: Mapping[str, Any]) -> SeverityDeadline:
    policy.require(actor, Action.CHANGE, deadline)
    data = _only(data, ["acknowledge_hours", "resolve_hours"])
    _check_hours(
        data.get("acknowledge_hours", deadline.acknowledge_hours), data.get("resolve_hours", deadline.resolve_hours)
    )
    return audited_update(actor=actor, instance=deadline, data=data)


def severity_deadline_delete(*, actor: Any, deadline: SeverityDeadline) -> None:
    """Remove a park's own deadlines: issues raised from now on use the defaults."""
    policy.require(actor, Action.DELETE, deadline)
    audited_delete(actor=actor, instance=deadline)


def severity_deadline_set(
    *, actor: Any, park: Park, severity: str, acknowledge_hours: int, resolve_hours: int
) -> SeverityDeadline:
    """Set the deadlines of ``severity`` in ``park`` (creating the park's row on first use)."""
    existing = SeverityDeadline.objects.filter(park=park, severity=severity).first()
    if existing is not None:
        return severity_deadline_update(
            actor=actor,
            deadline=existing,
            data={"acknowledge_hours": acknowledge_hours, "resolve_hours": resolve_hours},
        )
    return severity_deadline_create(
        actor=actor, park=park, severity=severity, acknowledge_hours=acknowledge_hours, resolve_hours=resolve_hours
    )


# --- meetings ------------------------------------------------------------------------------------------


def _check_meeting(meeting: Meeting) -> None:
    errors: dict[str, str] = {}
    if not (meeting.title or "").strip():
        errors["title"] = _("Give the meeting a title.")
    if not (meeting.place or "").strip():
        errors["place"] = _("Say where the meeting takes place.")
    if meeting.kind not in MeetingKind.values:
        errors["kind"] = _("Choose regular or extraordinary.")
    if meeting.starts_at is None:
        errors["starts_at"] = _("Give the start of the meeting.")
    if meeting.ends_at is None:
        errors["ends_at"] = _("Give the end of the meeting.")
    elif meeting.starts_at is not None and meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = _("The meeting ends before it starts: the end must come after the start.")
    if errors:
        raise ValidationError(errors)


def _check_participants(park_id: int, people: Iterable[Person]) -> list[tuple[Person, Organisation]]:
    """Return each invited person with the party they represent; refuse people without a party in the park."""
    result, bad = [], []
    for person in people:
        org = party_of(person, park_id)
        if org is None:
            bad.append(str(person))
        else:
            result.append((person, org))
    if bad:
        raise ValidationError(
            {
                "participants": _("%(people)s hold no role in an organisation of this park and cannot be invited.")
                % {"people": ", ".join(bad)}
            }
        )
    return result


def _meeting_params(meeting: Meeting) -> dict[str, Any]:
    return {"meeting": meeting.title, "time": _when(meeting.starts_at), "place": meeting.place}


def _meeting_url(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("meeting_detail", args=[meeting.pk])


def _participant_users(meeting: Meeting, person_ids: Iterable[int] | None = None) -> list[Any]:
    rows = meeting.participants.all()
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    return list(get_user_model().objects.filter(person__in=rows.values("person_id"), is_active=True))


def _set_participants(actor: Any, meeting: Meeting, people: Iterable[Person]) -> set[int]:
    """Make ``people`` the meeting's participants (audited); return the ids of the newly invited."""
    wanted = {p.pk: (p, org) for p, org in _check_participants(meeting.park_id, people)}
    current = {row.person_id: row for row in meeting.participants.all()}
    for person_id, row in current.items():
        if person_id not in wanted:
            audited_delete(actor=actor, instance=row)
    added = set()
    for person_id, (person, org) in wanted.items():
        if person_id not in current:
            audited_create(actor=actor, instance=MeetingParticipant(meeting=meeting, person=person, organisation=org))
            added.add(person_id)
    return added


def meeting_create(
    *,
    actor: Any,
    park: Park,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    kind: str = MeetingKind.REGULAR,
    participants: Iterable[Person] = (),
) -> Meeting:
    """Schedule a contact meeting and invite ``participants`` (people of the park's organisations)."""
    meeting = Meeting(
        park=park,
        title=(title or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or "").strip(),
        kind=kind,
        created_by=_user(actor),
    )
    if not policy.can_add(actor, meeting):
        raise PermissionDenied
    _check_meeting(meeting)
    with transaction.atomic():
        audited_create(actor=actor, instance=meeting)
        added = _set_participants(actor, meeting, participants)
        notify(
            _without(_participant_users(meeting, added), actor),
            n.MEETING_INVITED,
            _meeting_params(meeting),
            _meeting_url(meeting),
        )
        if meeting.starts_at > timezone.now():
            _attach_pending_escalations(actor, meeting)
    return meeting


def meeting_update(*, actor: Any, meeting: Meeting, data: Mapping[str, Any]) -> Meeting:
    """Change a meeting's time, place or participants (new participants are invited, the others told)."""
    policy.require(actor, Action.CHANGE, meeting)
    people = data.get("participants")
    data = _only(data, MEETING_FIELDS)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("A cancelled meeting cannot be changed."))
        moved = any(k in data and data[k] != getattr(meeting, k) for k in ("starts_at", "ends_at", "place"))
        probe = Meeting(**{f: data.get(f, getattr(meeting, f)) for f in MEETING_FIELDS})
        _check_meeting(probe)
        if moved:
            data["reminded_at"] = None  # the reminder goes out again for the new time
        audited_update(actor=actor, instance=meeting, data=data)
        added = _set_participants(actor, meeting, people) if people is not None else set()
        params, url = _meeting_params(meeting), _meeting_url(meeting)
        notify(_without(_participant_users(meeting, added), actor), n.MEETING_INVITED, params, url)
        if moved and meeting.status == MeetingStatus.SCHEDULED:
            others = [u for u in _participant_users(meeting) if getattr(u, "person", None) and u.person.pk not in added]
            notify(_without(others, actor), n.MEETING_CHANGED, params, url)
    return meeting


def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a scheduled meeting with a reason; participants are told, escalated issues wait for the next one."""
    policy.require(actor, Action.CHANGE, meeting)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != MeetingStatus.SCHEDULED:
            raise ValidationError({"status": _("Only a scheduled meeting can be cancelled.")})
        audited_update(actor=actor, instance=meeting, data={"status": MeetingStatus.CANCELLED, "cancel_reason": reason})
        # Issues escalated onto this meeting go back to waiting for the next one.
        for issue in Issue.objects.filter(escalated_to=meeting, status__in=OPEN_ISSUE_STATUSES):
            audited_update(
                actor=actor,
                instance=issue,
                data={"escalated_to": None, "escalation_note": _("The meeting it was escalated to was cancelled.")},
            )
        notify(_without(_participant_users(meeting), actor), n.MEETING_CANCELLED, _meeting_params(meeting))
        _attach_pending_escalations(actor, None, park_id=meeting.park_id)
    return meeting


def meeting_delete(*, actor: Any, meeting: Meeting) -> None:
    """Delete a meeting scheduled by mistake: only while it has no minutes, decisions or action items."""
    policy.require(actor, Action.DELETE, meeting)
    if meeting.minutes or meeting.decisions.exists() or meeting.action_items.exists():
        raise ValidationError(_("This meeting has minutes, decisions or action items: cancel it instead."))
    with transaction.atomic():
        for issue in Issue.objects.filter(escalated_to=meeting):
            audited_update(actor=actor, instance=issue, data={"escalated_to": None})
        for row in meeting.participants.all():
            audited_delete(actor=actor, instance=row)
        for item in meeting.agenda.all():
            audited_delete(actor=actor, instance=item)
        attachments_delete_all(actor=actor, parent=meeting)
        audited_delete(actor=actor, instance=meeting)


def meeting_record_minutes(
    *,
    actor: Any,
    meeting: Meeting,
    minutes: str,
    attended: Iterable[int] | None = None,
    files: Iterable[Any] = (),
) -> Meeting:
    """
    Record the minutes of a meeting that has started (it is then held), who attended, and minutes documents.

    ``attended`` lists the person ids of the participants who came (None leaves attendance as it is).
    Participants are told the minutes are available the first time they are recorded.
    """
    policy.require(actor, Action.CHANGE, meeting)
    minutes = (minutes or "").strip()
    if not minutes:
        raise ValidationError({"minutes": _("Write the minutes.")})
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError({"status": _("A cancelled meeting has no minutes.")})
        if meeting.starts_at > timezone.now():
            raise ValidationError({"minutes": _("The meeting has not started yet: record its minutes afterwards.")})
        first = meeting.minutes_recorded_at is None
        audited_update(
            actor=actor,
            instance=meeting,
            data={"minutes": minutes, "status": MeetingStatus.HELD, "minutes_recorded_at": timezone.now()},
        )
        if attended is not None:
            came = {int(pk) for pk in attended}
            for row in meeting.participants.all():
                if row.attended != (row.person_id in came):
                    audited_update(actor=actor, instance=row, data={"attended": row.person_id in came})
        if files:
            attach_files(actor=actor, parent=meeting, files=files, caption=_("Minutes"))
        if first:
            notify(
                _without(_participant_users(meeting), actor),
                n.MINUTES_RECORDED,
                _meeting_params(meeting),
                _meeting_url(meeting),
            )
    return meeting


# --- agenda, decisions, action items --------------------------------------------------------------------------


def _check_issue_in_park(issue: Issue | None, park_id: int) -> None:
    if issue is not None and issue.park_id != park_id:
        raise ValidationError({"issue": _("The issue must be of the meeting's park.")})


def agenda_item_add(
    *, actor: Any, meeting: Meeting, title: str = "", notes: str = "", issue: Issue | None = None
) -> AgendaItem:
    """Add a point at the end of a meeting's agenda (about ``issue`` when given; its title by default)."""
    item = AgendaItem(meeting=meeting, title=(title or "").strip(), notes=(notes or "").strip(), issue=issue)
    if not policy.can_add(actor, item):
        raise PermissionDenied
    _check_issue_in_park(issue, meeting.park_id)
    if not item.title and issue is not None:
        item.title = str(issue)[:200]
    if not item.title:
        raise ValidationError({"title": _("Give the agenda item a title.")})
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be changed."))
    with transaction.atomic():
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
        item.position = last + 1
        return audited_create(actor=actor, instance=item)


def agenda_item_update(*, actor: Any, item: AgendaItem, data: Mapping[str, Any]) -> AgendaItem:
    policy.require(actor, Action.CHANGE, item)
    data = _only(data, ["title", "notes", "issue", "position"])
    if "title" in data and not data["title"]:
        raise ValidationError({"title": _("Give the agenda item a title.")})
    _check_issue_in_park(data.get("issue"), item.meeting.park_id)
    return audited_update(actor=actor, instance=item, data=data)


def agenda_item_delete(*, actor: Any, item: AgendaItem) -> None:
    policy.require(actor, Action.DELETE, item)
    if item.escalated and item.issue_id and item.issue.status in OPEN_ISSUE_STATUSES:
        raise ValidationError(_("This item was escalated automatically: decide the issue rather than removing it."))
    audited_delete(actor=actor, instance=item)


def decision_add(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    agenda_item: AgendaItem | None = None,
    settles_issue: bool = False,
) -> Decision:
    """Record what the meeting decided; with ``settles_issue`` it is also the decision of the item's issue."""
    decision = Decision(meeting=meeting, agenda_item=agenda_item, text=(text or "").strip())
    if not policy.can_add(actor, decision):
        raise PermissionDenied
    if not decision.text:
        raise ValidationError({"text": _("Write the decision.")})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("The agenda item must be of the same meeting.")})
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be changed."))
    if settles_issue and (agenda_item is None or agenda_item.issue_id is None):
        raise ValidationError({"agenda_item": _("Choose the agenda item of the issue this decision settles.")})
    with transaction.atomic():
        audited_create(actor=actor, instance=decision)
        if settles_issue:
            issue_decide(actor=actor, issue=agenda_item.issue, decision=decision.text, meeting=meeting)
    return decision


def decision_update(*, actor: Any, decision: Decision, data: Mapping[str, Any]) -> Decision:
    policy.require(actor, Action.CHANGE, decision)
    data = _only(data, ["text", "agenda_item"])
    if "text" in data and not data["text"]:
        raise ValidationError({"text": _("Write the decision.")})
    item = data.get("agenda_item")
    if item is not None and item.meeting_id != decision.meeting_id:
        raise ValidationError({"agenda_item": _("The agenda item must be of the same meeting.")})
    return audited_update(actor=actor, instance=decision, data=data)


def decision_delete(*, actor: Any, decision: Decision) -> None:
    policy.require(actor, Action.DELETE, decision)
    audited_delete(actor=actor, instance=decision)


def _check_action(item: ActionItem) -> None:
    errors: dict[str, str] = {}
    meeting = item.meeting
    if not (item.title or "").strip():
        errors["title"] = _("Say what is to be done.")
    org = item.owner_organisation if item.owner_organisation_id else None
    if org is None:
        errors["owner_organisation"] = _("Choose the organisation that owns the action.")
    elif org.park_id != meeting.park_id:
        errors["owner_organisation"] = _("The owner organisation must be of the meeting's park.")
    elif (
        item.owner_person_id
        and not _active_memberships(person_id=item.owner_person_id, organisation_id=org.pk).exists()
    ):
        errors["owner_person"] = _("The owner must be a member of the owner organisation.")
    if item.due_date is None:
        errors["due_date"] = _("Give the due date.")
    elif item.due_date < timezone.localdate(meeting.starts_at):
        errors["due_date"] = _("The action item is due before the meeting (%(date)s): give a later date.") % {
            "date": timezone.localdate(meeting.starts_at).isoformat()
        }
    if decision := item.decision if item.decision_id else None:
        if decision.meeting_id != meeting.pk:
            errors["decision"] = _("The decision must be of the same meeting.")
    if errors:
        raise ValidationError(errors)


def _action_recipients(item: ActionItem) -> list[Any]:
    if item.owner_person_id and item.owner_person.user_id:
        return [item.owner_person.user]
    return org_admin_users([item.owner_organisation_id])


def _action_params(item: ActionItem) -> dict[str, Any]:
    return {"action": item.title, "due": item.due_date.isoformat(), "organisation": str(item.owner_organisation)}


def _actions_url() -> str:
    from django.urls import reverse

    return reverse("actionitem_list")


def action_item_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    owner_organisation: Organisation,
    due_date: datetime.date,
    owner_person: Person | None = None,
    decision: Decision | None = None,
    note: str = "",
) -> ActionItem:
    """Record who does what by when (the owner is told)."""
    item = ActionItem(
        meeting=meeting,
        title=(title or "").strip(),
        owner_organisation=owner_organisation,
        owner_person=owner_person,
        due_date=due_date,
        decision=decision,
        note=(note or "").strip(),
    )
    if not policy.can_add(actor, item):
        raise PermissionDenied
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be changed."))
    _check_action(item)
    with transaction.atomic():
        audited_create(actor=actor, instance=item)
        notify(_without(_action_recipients(item), actor), n.ACTION_ASSIGNED, _action_params(item), _actions_url())
    return item


def action_item_update(*, actor: Any, item: ActionItem, data: Mapping[str, Any]) -> ActionItem:
    """Correct an action item (officers); a new due date is reminded again."""
    policy.require(actor, Action.CHANGE, item)
    data = _only(data, ACTION_FIELDS + ["status"])
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        before_due, before_owner = item.due_date, (item.owner_organisation_id, item.owner_person_id)
        probe = ActionItem(**{f.attname: getattr(item, f.attname) for f in ActionItem._meta.concrete_fields})
        for name, value in data.items():
            setattr(probe, name, value)
        _check_action(probe)
        if "status" in data:
            _check_status(data["status"])
            data.update(_status_stamps(item, data["status"]))
        if data.get("due_date", before_due) != before_due:
            data.update(reminded_due_at=None, reminded_overdue_at=None)
        audited_update(actor=actor, instance=item, data=data)
        if (item.owner_organisation_id, item.owner_person_id) != before_owner:
            notify(_without(_action_recipients(item), actor), n.ACTION_ASSIGNED, _action_params(item), _actions_url())
    return item


def _check_status(status: str) -> None:
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status.")})


def _status_stamps(item: ActionItem, status: str) -> dict[str, Any]:
    if status == ActionStatus.DONE:
        return {"done_at": item.done_at or timezone.now()}
    return {"done_at": None}


def may_update_action(actor: Any, item: ActionItem) -> bool:
    """Officers, the owner, or an administrator of the owner organisation."""
    if policy.can(actor, Action.CHANGE, item):
        return True
    actor_ = policy.actor_for(actor)
    if actor_.person_id and item.owner_person_id == actor_.person_id:
        return True
    return item.owner_organisation_id in actor_.orgs(ORG_ADMIN_ROLES)


def action_item_set_status(*, actor: Any, item: ActionItem, status: str, note: str = "") -> ActionItem:
    """The owner (or their organisation's administrator, or an officer) reports progress on an action item."""
    if not policy.can(actor, Action.VIEW, item) or not may_update_action(actor, item):
        raise PermissionDenied
    _check_status(status)
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().get(pk=item.pk)
        data: dict[str, Any] = {"status": status, **_status_stamps(item, status)}
        note = (note or "").strip()
        if note:
            data["note"] = note
        audited_update(actor=actor, instance=item, data=data)
    return item


def action_item_delete(*, actor: Any, item: ActionItem) -> None:
    policy.require(actor, Action.DELETE, item)
    audited_delete(actor=actor, instance=item)


# --- major issues --------------------------------------------------------------------------------------


def _next_number(park: Park, year: int) -> int:
    """Return the next issue number of ``park`` in ``year`` (the park row is locked until commit)."""
    list(Park.objects.select_for_update().filter(pk=park.pk).values_list("pk", flat=True))
    last = Issue.objects.filter(park=park, year=year).aggregate(m=Max("number"))["m"] or 0
    return last + 1


def _entry(issue: Issue, kind: str, actor: Any, text: str = "", *, organisation=None, at=None) -> IssueEntry:
    user = _user(actor)
    entry = IssueEntry(
        issue=issue,
        kind=kind,
        at=at or timezone.now(),
        author=user,
        author_label=str(getattr(user, "person", "") or user.get_username()) if user else "",
        organisation=organisation,
        text=text,
    )
    return audited_create(actor=actor, instance=entry)


def _issue_url(issue: Issue) -> str:
    from django.urls import reverse

    return reverse("issue_detail", args=[issue.pk])


def _issue_party_users(issue: Issue) -> list[Any]:
    """The officers of the park and the administrators of the raising and affected organisations."""
    orgs = [issue.raising_organisation_id, *issue.affected_organisations.values_list("pk", flat=True)]
    users = {u.pk: u for u in officer_users(issue.park_id) + org_admin_users(orgs)}
    if issue.raised_by_id and issue.raised_by.user_id:
        users.setdefault(issue.raised_by.user_id, issue.raised_by.user)
    return list(users.values())


def _source_fields(source: Any) -> dict[str, Any]:
    if source is None:
        return {}
    from django.urls import NoReverseMatch

    from iepark.core.generic_views import object_url

    try:
        url = object_url(source)
    except NoReverseMatch:
        url = ""
    return {
        "source_type": ContentType.objects.get_for_model(source),
        "source_id": str(source.pk),
        "source_label": str(source)[:300],
        "source_url": url[:300],
    }


def _check_issue_fields(*, title: str, description: str, category: str, severity: str) -> None:
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the issue a short title.")
    if not description:
        errors["description"] = _("Describe the issue.")
    if category not in IssueCategory.values:
        errors["category"] = _("Choose a category.")
    if severity not in Severity.values:
        errors["severity"] = _("Choose a severity.")
    if errors:
        raise ValidationError(errors)


def _check_affected(park_id: int, orgs: Iterable[Organisation]) -> list[Organisation]:
    orgs = list(orgs)
    if any(o.park_id != park_id for o in orgs):
        raise ValidationError({"affected_organisations": _("The affected parties must be organisations of the park.")})
    return orgs


def issue_raise(
    *,
    actor: Any,
    park: Park,
    category: str,
    severity: str,
    title: str,
    description: str,
    affected_organisations: Iterable[Organisation] = (),
    source: Any = None,
    files: Iterable[Any] = (),
    raising_organisation: Organisation | None = None,
) -> Issue:
    """
    Raise a major issue in ``park`` for the actor's organisation; deadlines are fixed from the severity.

    Other apps call this (the safety app for serious findings): ``source`` is the record the issue
    comes from, stored with its label and link. ``raising_organisation`` defaults to the actor's own
    organisation in the park; a system call (no signed-in actor) must name it.
    """
    actor_ = policy.actor_for(actor)
    person = Person.objects.filter(pk=actor_.person_id).first() if actor_.person_id else None
    if raising_organisation is None:
        raising_organisation = party_of(person, park.pk) if person else None
        if raising_organisation is None:
            if _user(actor) is None:
                raise ValidationError({"raising_organisation": _("Name the organisation raising the issue.")})
            raise PermissionDenied
    probe = Issue(park=park, raising_organisation=raising_organisation)
    if _user(actor) is not None and not policy.can_add(actor, probe):
        raise PermissionDenied
    if raising_organisation.park_id != park.pk:
        raise ValidationError({"raising_organisation": _("The raising organisation must be of the park.")})
    title, description = (title or "").strip(), (description or "").strip()
    _check_issue_fields(title=title, description=description, category=category, severity=severity)
    affected = [o for o in _check_affected(park.pk, affected_organisations) if o.pk != raising_organisation.pk]
    now = timezone.now()
    ack_hours, resolve_hours = severity_deadlines_for(park)[severity]
    with transaction.atomic():
        year = timezone.localtime(now).year
        number = _next_number(park, year)
        issue = Issue(
            park=park,
            year=year,
            number=number,
            reference=f"MI-{year}-{number:04d}",
            title=title,
            description=description,
            category=category,
            severity=severity,
            raising_organisation=raising_organisation,
            raised_by=person,
            raised_at=now,
            acknowledge_due=now + datetime.timedelta(hours=ack_hours),
            resolve_due=now + datetime.timedelta(hours=resolve_hours),
            **_source_fields(source),
        )
        audited_create(actor=actor, instance=issue, m2m={"affected_organisations": [o.pk for o in affected]})
        _entry(issue, EntryKind.RAISED, actor, description[:1000], organisation=raising_organisation, at=now)
        files = [f for f in files if f]
        if files:
            attach_files(actor=actor, parent=issue, files=files)
        notify(
            _without(_issue_party_users(issue), actor),
            n.ISSUE_RAISED,
            {"organisation": str(raising_organisation), "severity": issue.get_severity_display(), "issue": str(issue)},
            _issue_url(issue),
        )
    return issue


def _locked(issue: Issue) -> Issue:
    return Issue.objects.select_for_update().select_related("park", "raising_organisation").get(pk=issue.pk)


def _officer_step(actor: Any, issue: Issue, allowed: tuple[str, ...], message: str) -> Issue:
    policy.require(actor, Action.CHANGE, issue)
    issue = _locked(issue)
    if issue.status not in allowed:
        raise ValidationError({"status": message})
    return issue


def _status_notice(actor: Any, issue: Issue) -> None:
    notify(
        _without(_issue_party_users(issue), actor),
        n.ISSUE_STATUS,
        {"issue": str(issue), "status": issue.status},
        _issue_url(issue),
    )


def issue_update(*, actor: Any, issue: Issue, data: Mapping[str, Any]) -> Issue:
    """Correct an open issue's wording, category, severity or affected parties (officers); deadlines stay."""
    policy.require(actor, Action.CHANGE, issue)
    affected = data.get("affected_organisations")
    data = _only(data, ISSUE_EDIT_FIELDS)
    with transaction.atomic():
        issue = _locked(issue)
        if issue.status == IssueStatus.CLOSED:
            raise ValidationError(_("A closed issue cannot be changed."))
        merged = {k: data.get(k, getattr(issue, k)) for k in ISSUE_EDIT_FIELDS}
        _check_issue_fields(**merged)
        if affected is not None:
            data["affected_organisations"] = [
                o.pk for o in _check_affected(issue.park_id, affected) if o.pk != issue.raising_organisation_id
            ]
        audited_update(actor=actor, instance=issue, data=data)
        _entry(issue, EntryKind.EDITED, actor)
    return issue


def issue_acknowledge(*, actor: Any, issue: Issue, note: str = "") -> Issue:
    """The committee acknowledges a raised issue (the acknowledgement deadline is met or missed)."""
    with transaction.atomic():
        issue = _officer_step(actor, issue, AWAITING_ACK, _("Only a newly raised issue can be acknowledged."))
        audited_update(
            actor=actor, instance=issue, data={"status": IssueStatus.ACKNOWLEDGED, "acknowledged_at": timezone.now()}
        )
        _entry(issue, EntryKind.ACKNOWLEDGED, actor, (note or "").strip())
        _status_notice(actor, issue)
    return issue


def may_consult(actor: Any, issue: Issue) -> bool:
    """Whoever sees the issue consults on it (the parties it affects, and the officers)."""
    return policy.can(actor, Action.VIEW, issue)


def issue_comment(*, actor: Any, issue: Issue, text: str, kind: str = EntryKind.COMMENT) -> IssueEntry:
    """A party comments or makes a proposal; an acknowledged issue is then under consultation."""
    if not may_consult(actor, issue):
        raise PermissionDenied
    text = (text or "").strip()
    if kind not in PARTY_ENTRY_KINDS:
        raise ValidationError({"kind": _("Choose comment or proposal.")})
    if not text:
        raise ValidationError({"text": _("Write your comment.")})
    with transaction.atomic():
        issue = _locked(issue)
        if issue.status == IssueStatus.CLOSED:
            raise ValidationError({"status": _("This issue is closed: reopen it to comment.")})
        actor_ = policy.actor_for(actor)
        parties = [issue.raising_organisation_id, *issue.affected_organisations.values_list("pk", flat=True)]
        org = party_of(actor_.person_id, issue.park_id, among=parties)
        entry = _entry(issue, kind, actor, text, organisation=org)
        if issue.status in (IssueStatus.ACKNOWLEDGED, IssueStatus.REOPENED):
            audited_update(actor=actor, instance=issue, data={"status": IssueStatus.UNDER_CONSULTATION})
        notify(
            _without(_issue_party_users(issue), actor),
            n.ISSUE_COMMENTED,
            {"author": entry.author_label or str(org or ""), "issue": str(issue)},
            _issue_url(issue),
        )
    return entry


def issue_decide(*, actor: Any, issue: Issue, decision: str, meeting: Meeting | None = None) -> Issue:
    """Record the decision on an open issue (officers, possibly at a meeting); the raising party then confirms."""
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError({"decision": _("Write the decision.")})
    if meeting is not None and meeting.park_id != issue.park_id:
        raise ValidationError({"meeting": _("The meeting must be of the issue's park.")})
    with transaction.atomic():
        issue = _officer_step(actor, issue, OPEN_ISSUE_STATUSES, _("Only an open issue can be decided."))
        now = timezone.now()
        data: dict[str, Any] = {
            "status": IssueStatus.DECIDED,
            "decision": decision,
            "decided_at": now,
            "decision_meeting": meeting,
        }
        if issue.acknowledged_at is None:
            data["acknowledged_at"] = now
        audited_update(actor=actor, instance=issue, data=data)
        _entry(issue, EntryKind.DECIDED, actor, decision)
        _status_notice(actor, issue)
    return issue


def is_raising_party(actor: Any, issue: Issue) -> bool:
    """Return whether ``actor`` speaks for the organisation that raised ``issue`` (or raised it themselves)."""
    actor_ = policy.actor_for(actor)
    if actor_.is_superuser:
        return True
    if actor_.person_id and issue.raised_by_id == actor_.person_id:
        return True
    return issue.raising_organisation_id in actor_.orgs(PARTY_ROLES)


def _raiser_step(actor: Any, issue: Issue) -> Issue:
    if not policy.can(actor, Action.VIEW, issue):
        raise PermissionDenied
    if not is_raising_party(actor, issue):
        raise ValidationError(
            {
                "status": _("Only the party that raised the issue (%(party)s) can confirm or reopen it.")
                % {"party": issue.raising_organisation}
            }
        )
    return _locked(issue)


def issue_confirm_closure(*, actor: Any, issue: Issue, note: str = "") -> Issue:
    """The raising party accepts the decision: the issue is closed."""
    with transaction.atomic():
        issue = _raiser_step(actor, issue)
        if issue.status != IssueStatus.DECIDED:
            raise ValidationError({"status": _("Only a decided issue can be closed.")})
        audited_update(actor=actor, instance=issue, data={"status": IssueStatus.CLOSED, "closed_at": timezone.now()})
        _entry(issue, EntryKind.CLOSED, actor, (note or "").strip(), organisation=issue.raising_organisation)
        _status_notice(actor, issue)
    return issue


def issue_reopen(*, actor: Any, issue: Issue, reason: str) -> Issue:
    """
    The raising party does not accept the decision (or the problem came back): the issue is open again.

    It gets a new resolution deadline from its severity, and may be escalated again when it passes.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the issue is not settled.")})
    with transaction.atomic():
        issue = _raiser_step(actor, issue)
        if issue.status not in (IssueStatus.DECIDED, IssueStatus.CLOSED):
            raise ValidationError({"status": _("Only a decided or closed issue can be reopened.")})
        now = timezone.now()
        _ack, resolve_hours = severity_deadlines_for(issue.park_id)[issue.severity]
        audited_update(
            actor=actor,
            instance=issue,
            data={
                "status": IssueStatus.REOPENED,
                "closed_at": None,
                "reopen_count": issue.reopen_count + 1,
                "resolve_due": max(now + datetime.timedelta(hours=resolve_hours), issue.acknowledge_due),
                "escalated_at": None,
                "escalated_to": None,
                "escalation_note": "",
            },
        )
        _entry(issue, EntryKind.REOPENED, actor, reason, organisation=issue.raising_organisation)
        _status_notice(actor, issue)
    return issue


def may_attach_to_issue(actor: Any, issue: Issue) -> bool:
    return issue.status != IssueStatus.CLOSED and may_consult(actor, issue)


def issue_attach(*, actor: Any, issue: Issue, files: Iterable[Any], caption: str = "") -> list[Any]:
    """A party adds photos or documents to an open issue."""
    if not may_consult(actor, issue):
        raise PermissionDenied
    if issue.status == IssueStatus.CLOSED:
        raise ValidationError({"files": _("This issue is closed: reopen it to add files.")})
    files = [f for f in files if f]
    if not files:
        raise ValidationError({"files": _("Choose at least one file.")})
    return attach_files(actor=actor, parent=issue, files=files, caption=caption)


# --- the daily run: escalation and reminders --------------------------------------------------------------


def overdue_issues_q(now: datetime.datetime) -> Q:
    return Q(status__in=AWAITING_ACK, acknowledge_due__lt=now) | Q(status__in=OPEN_ISSUE_STATUSES, resolve_due__lt=now)


def next_meeting(park_id: int, now: datetime.datetime | None = None) -> Meeting | None:
    """Return the park's next scheduled meeting that has not started, or None."""
    now = now or timezone.now()
    return (
        Meeting.objects.filter(park_id=park_id, status=MeetingStatus.SCHEDULED, starts_at__gt=now)
        .order_by("starts_at", "pk")
        .first()
    )


def _escalate_onto(actor: Any, issue: Issue, meeting: Meeting, now: datetime.datetime) -> None:
    # The agenda (and the meeting's invitation) names the issue by its reference and category only: participants
    # who are not parties to it do not read its title; the parties open it from the agenda.
    title = _("Overdue major issue %(reference)s (%(category)s, %(severity)s)") % {
        "reference": issue.reference,
        "category": issue.get_category_display(),
        "severity": issue.get_severity_display(),
    }
    if not AgendaItem.objects.filter(meeting=meeting, issue=issue).exists():
        last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
        audited_create(
            actor=actor,
            instance=AgendaItem(meeting=meeting, position=last + 1, title=title[:200], issue=issue, escalated=True),
        )
    note = _("Escalated to the agenda of the contact meeting “%(meeting)s”.") % {"meeting": meeting}
    audited_update(
        actor=actor,
        instance=issue,
        data={"escalated_at": issue.escalated_at or now, "escalated_to": meeting, "escalation_note": note[:300]},
    )
    _entry(issue, EntryKind.ESCALATED, actor, note, at=now)
    notify(
        _without(_issue_party_users(issue), actor),
        n.ISSUE_ESCALATED,
        {"issue": str(issue), "meeting": meeting.title},
        _issue_url(issue),
    )


def _attach_pending_escalations(actor: Any, meeting: Meeting | None, *, park_id: int | None = None) -> int:
    """Put issues escalated while no meeting was scheduled onto ``meeting`` (or the park's next one)."""
    park_id = park_id or meeting.park_id
    now = timezone.now()
    target = meeting or next_meeting(park_id, now)
    if target is None:
        return 0
    pending = Issue.objects.filter(
        park_id=park_id, status__in=OPEN_ISSUE_STATUSES, escalated_at__isnull=False, escalated_to__isnull=True
    )
    count = 0
    for issue in pending.select_for_update():
        _escalate_onto(actor, issue, target, now)
        count += 1
    return count


def escalate_overdue(*, actor: Any = None, park: Park | None = None, now: datetime.datetime | None = None) -> int:
    """
    Escalate every overdue open issue not yet escalated: onto the agenda of the park's next scheduled
    meeting, or, when none is scheduled, with a note on the board (and onto the next meeting once there
    is one). Never twice for the same issue (until it is reopened). Return how many issues moved.
    """
    now = now or timezone.now()
    candidates = Issue.objects.filter(overdue_issues_q(now), escalated_at__isnull=True)
    pending = Issue.objects.filter(
        status__in=OPEN_ISSUE_STATUSES, escalated_at__isnull=False, escalated_to__isnull=True
    )
    if park is not None:
        candidates, pending = candidates.filter(park=park), pending.filter(park=park)
    count = 0
    for issue_id in list(candidates.values_list("pk", flat=True)) + list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            issue = Issue.objects.select_for_update().get(pk=issue_id)
            if issue.status not in OPEN_ISSUE_STATUSES or issue.escalated_to_id:
                continue
            if issue.escalated_at is None and not issue.overdue_at(now):
                continue
            meeting = next_meeting(issue.park_id, now)
            if meeting is not None:
                _escalate_onto(actor, issue, meeting, now)
                count += 1
            elif issue.escalated_at is None:
                note = _("Overdue, and no contact meeting is scheduled: it goes onto the next one scheduled.")
                audited_update(actor=actor, instance=issue, data={"escalated_at": now, "escalation_note": note})
                _entry(issue, EntryKind.ESCALATED, actor, note, at=now)
                notify(officer_users(issue.park_id), n.ISSUE_NO_MEETING, {"issue": str(issue)}, _issue_url(issue))
                count += 1
    return count


def remind_meetings(*, actor: Any = None, park: Park | None = None, now: datetime.datetime | None = None) -> int:
    """Remind the participants of scheduled meetings starting within a day (once per meeting and time)."""
    now = now or timezone.now()
    meetings = Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + MEETING_REMINDER_BEFORE,
        reminded_at__isnull=True,
    )
    if park is not None:
        meetings = meetings.filter(park=park)
    count = 0
    for meeting_id in meetings.values_list("pk", flat=True):
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
            if meeting.reminded_at is not None:
                continue
            audited_update(actor=actor, instance=meeting, data={"reminded_at": now})
            notify(_participant_users(meeting), n.MEETING_REMINDER, _meeting_params(meeting), _meeting_url(meeting))
            count += 1
    return count


def remind_actions(
    *, actor: Any = None, park: Park | None = None, today: datetime.date | None = None
) -> dict[str, int]:
    """Remind owners of open action items due within three days, and (once more) of those overdue."""
    today = today or timezone.localdate()
    now = timezone.now()
    items = ActionItem.objects.filter(status__in=OPEN_ACTION_STATUSES).select_related(
        "owner_person__user", "owner_organisation"
    )
    if park is not None:
        items = items.filter(meeting__park=park)
    soon = items.filter(
        due_date__gte=today, due_date__lte=today + datetime.timedelta(days=ACTION_REMINDER_DAYS), reminded_due_at=None
    )
    late = items.filter(due_date__lt=today, reminded_overdue_at=None)
    counts = {"due_soon": 0, "overdue": 0}
    for rows, field, kind, key in (
        (soon, "reminded_due_at", n.ACTION_DUE_SOON, "due_soon"),
        (late, "reminded_overdue_at", n.ACTION_OVERDUE, "overdue"),
    ):
        for item in rows:
            with transaction.atomic():
                if not ActionItem.objects.filter(pk=item.pk, **{f"{field}__isnull": True}).exists():
                    continue
                audited_update(actor=actor, instance=item, data={field: now})
                notify(_action_recipients(item), kind, _action_params(item), _actions_url())
                counts[key] += 1
    return counts


def tick(*, actor: Any = None, park: Park | None = None, now: datetime.datetime | None = None) -> dict[str, int]:
    """The daily run (safe to repeat): remind meeting participants and action owners, escalate overdue issues."""
    now = now or timezone.now()
    meetings = remind_meetings(actor=actor, park=park, now=now)
    actions = remind_actions(actor=actor, park=park, today=timezone.localdate(now))
    escalated = escalate_overdue(actor=actor, park=park, now=now)
    return {"meeting_reminders": meetings, **actions, "escalated": escalated}


def tick_start(*, actor: Any, park: Park):
    """Start the daily run of ``park`` now, in the background (the officers' "run now" button)."""
    if not is_officer(policy.actor_for(actor), park.pk):
        raise PermissionDenied
    return job_start(actor=actor, kind=TICK_TASK, park=park, params={"park": park.pk})
