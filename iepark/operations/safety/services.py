"""
Writes of security and fire safety. Every write checks the policy, validates, saves and records its
audit event in one transaction; nothing else saves these models.

Sections: templates and their checklists; schedules and the daily creation of rounds; rounds (start,
answer each item, complete); findings with their rectification tasks (report done, re-inspect); the fire
equipment register and its checks.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from iepark.core import policy
from iepark.core.attachments import attach_files
from iepark.core.audit import audited_create, audited_delete, audited_update
from iepark.core.choices import OrganisationKind
from iepark.core.models import Organisation, Park
from iepark.core.policy import Action

from . import notifications
from .choices import (
    DEFAULT_CHECK_INTERVAL_DAYS,
    DEFAULT_DEADLINE_DAYS,
    AnswerResult,
    CheckResult,
    EquipmentStatus,
    RectificationStatus,
    RecurrenceUnit,
    RoundStatus,
    Severity,
)
from .models import (
    ChecklistItem,
    EquipmentCheck,
    Finding,
    FireEquipment,
    InspectionRound,
    InspectionSchedule,
    InspectionTemplate,
    RectificationTask,
    ReInspection,
    RoundAnswer,
)
from .policy import may_report_done

TEMPLATE_FIELDS = ["name", "area_kind", "kind", "description", "is_active"]
ITEM_FIELDS = ["text", "guidance", "is_active", "position"]
SCHEDULE_FIELDS = ["place", "building", "owner", "every", "unit", "next_date", "inspector", "is_active"]
ROUND_FIELDS = ["place", "building", "owner", "scheduled_date", "inspector", "note"]
FINDING_FIELDS = ["description", "severity", "place"]
TASK_FIELDS = ["owner", "owner_person", "deadline"]
EQUIPMENT_FIELDS = [
    "kind",
    "code",
    "description",
    "location",
    "building",
    "installed_on",
    "last_checked_on",
    "next_check_due",
    "check_interval_days",
    "expiry_date",
    "status",
    "note",
]


def _only(data: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items() if k in names}


def _today() -> datetime.date:
    return timezone.localdate()


def _person_of(actor: Any):
    """Return the acting user's person (the inspector by default), or None."""
    person_id = policy.actor_for(actor).person_id
    if person_id is None:
        return None
    from iepark.core.models import Person

    return Person.objects.filter(pk=person_id).first()


def _not_in_future(value: datetime.date | None, field: str, label: str) -> None:
    if value is not None and value > _today():
        raise ValidationError({field: _("The %(what)s cannot be in the future.") % {"what": label}})


def _same_park(park_id: int, *, building=None, owner=None, inspector=None) -> None:
    errors = {}
    if building is not None and building.park_id != park_id:
        errors["building"] = _("The building must be in the same park.")
    if owner is not None and owner.park_id != park_id:
        errors["owner"] = _("The owner must be an organisation of the same park.")
    if inspector is not None and inspector.park_id != park_id:
        errors["inspector"] = _("The inspector must belong to the same park.")
    if errors:
        raise ValidationError(errors)


# --- templates and checklists ---------------------------------------------------------------------


def template_create(
    *, actor: Any, park: Park, items: Iterable[Mapping[str, Any]] = (), **fields: Any
) -> InspectionTemplate:
    """Add an inspection template to ``park``, with its checklist ``items`` (``text``, ``guidance``) in order."""
    template = InspectionTemplate(park=park, **_only(fields, TEMPLATE_FIELDS))
    if not policy.can_add(actor, template):
        raise PermissionDenied
    with transaction.atomic():
        audited_create(actor=actor, instance=template)
        for position, item in enumerate(items, start=1):
            audited_create(
                actor=actor,
                instance=ChecklistItem(
                    template=template,
                    position=position,
                    text=(item.get("text") or "").strip(),
                    guidance=(item.get("guidance") or "").strip(),
                ),
            )
    return template


def template_update(*, actor: Any, template: InspectionTemplate, data: Mapping[str, Any]) -> InspectionTemplate:
    policy.require(actor, Action.CHANGE, template)
    return audited_update(actor=actor, instance=template, data=_only(data, TEMPLATE_FIELDS))


def template_delete(*, actor: Any, template: InspectionTemplate) -> None:
    """Delete a template never used by a round or schedule (deactivate a used one instead)."""
    policy.require(actor, Action.DELETE, template)
    if template.rounds.exists() or template.schedules.exists():
        raise ValidationError(_("This template is used by rounds or schedules: deactivate it instead."))
    with transaction.atomic():
        for item in template.items.all():
            audited_delete(actor=actor, instance=item)
        audited_delete(actor=actor, instance=template)


def checklist_item_create(
    *, actor: Any, template: InspectionTemplate, text: str, guidance: str = "", position: int | None = None
) -> ChecklistItem:
    """Add a checklist item to ``template`` (at the end unless ``position`` is given)."""
    if position is None:
        position = (template.items.aggregate(last=Max("position"))["last"] or 0) + 1
    item = ChecklistItem(template=template, text=text.strip(), guidance=(guidance or "").strip(), position=position)
    if not policy.can_add(actor, item):
        raise PermissionDenied
    return audited_create(actor=actor, instance=item)


def checklist_item_update(*, actor: Any, item: ChecklistItem, data: Mapping[str, Any]) -> ChecklistItem:
    policy.require(actor, Action.CHANGE, item)
    return audited_update(actor=actor, instance=item, data=_only(data, ITEM_FIELDS))


def checklist_item_move(*, actor: Any, item: ChecklistItem, offset: int) -> ChecklistItem:
    """Move ``item`` up (``offset`` -1) or down (+1) the checklist, renumbering the items 1, 2, 3..."""
    policy.require(actor, Action.CHANGE, item)
    with transaction.atomic():
        items = list(ChecklistItem.objects.select_for_update().filter(template_id=item.template_id))
        items.sort(key=lambda i: (i.position, i.pk))
        index = next(n for n, i in enumerate(items) if i.pk == item.pk)
        target = min(max(index + offset, 0), len(items) - 1)
        items.insert(target, items.pop(index))
        for position, row in enumerate(items, start=1):
            if row.position != position:
                audited_update(actor=actor, instance=row, data={"position": position})
    item.refresh_from_db()
    return item


def checklist_item_delete(*, actor: Any, item: ChecklistItem) -> None:
    """Delete an item never answered in a round (deactivate an answered one instead)."""
    policy.require(actor, Action.DELETE, item)
    if RoundAnswer.objects.filter(item=item).exists():
        raise ValidationError(_("This item has been answered in rounds: deactivate it instead."))
    audited_delete(actor=actor, instance=item)


# --- schedules and the daily tick -----------------------------------------------------------------


def advance(day: datetime.date, every: int, unit: str) -> datetime.date:
    """Return the date ``every`` days, weeks or months after ``day`` (the 31st becomes the month's last day)."""
    if unit == RecurrenceUnit.DAY:
        return day + datetime.timedelta(days=every)
    if unit == RecurrenceUnit.WEEK:
        return day + datetime.timedelta(weeks=every)
    months = day.month - 1 + every
    year, month = day.year + months // 12, months % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _check_schedule(schedule: InspectionSchedule) -> None:
    _same_park(
        schedule.template.park_id, building=schedule.building, owner=schedule.owner, inspector=schedule.inspector
    )
    if schedule.every is not None and schedule.every < 1:
        raise ValidationError({"every": _("Repeat at least every 1 day, week or month.")})


def schedule_create(*, actor: Any, template: InspectionTemplate, **fields: Any) -> InspectionSchedule:
    """Schedule rounds of ``template`` at a place, every N days, weeks or months from ``next_date``."""
    schedule = InspectionSchedule(template=template, **_only(fields, SCHEDULE_FIELDS))
    if not policy.can_add(actor, schedule):
        raise PermissionDenied
    _check_schedule(schedule)
    if schedule.next_date and schedule.next_date < _today() - datetime.timedelta(days=366):
        raise ValidationError({"next_date": _("The next round cannot be more than a year ago.")})
    return audited_create(actor=actor, instance=schedule)


def schedule_update(*, actor: Any, schedule: InspectionSchedule, data: Mapping[str, Any]) -> InspectionSchedule:
    policy.require(actor, Action.CHANGE, schedule)
    with transaction.atomic():
        for name, value in _only(data, SCHEDULE_FIELDS).items():
            setattr(schedule, name, value)
        _check_schedule(schedule)
        fresh = InspectionSchedule.objects.get(pk=schedule.pk)
        return audited_update(actor=actor, instance=fresh, data=_only(data, SCHEDULE_FIELDS))


def schedule_delete(*, actor: Any, schedule: InspectionSchedule) -> None:
    """Delete a schedule; its past rounds stay (without their schedule)."""
    policy.require(actor, Action.DELETE, schedule)
    audited_delete(actor=actor, instance=schedule)


def rounds_generate(
    *, actor: Any = None, park: Park | None = None, today: datetime.date | None = None
) -> list[InspectionRound]:
    """
    Create the rounds that active schedules owe up to ``today`` (the daily tick); safe to run again.

    A schedule whose next date has come gets one round on its most recent due date (missed
    occurrences are not piled up), and its next date moves past today. ``actor`` None is the
    system (the daily command); a user only ticks schedules they may change.
    """
    today = today or _today()
    created = []
    schedules = InspectionSchedule.objects.filter(is_active=True, next_date__lte=today, template__is_active=True)
    if park is not None:
        schedules = schedules.filter(template__park=park)
    if actor is not None:
        schedules = policy.restrict(schedules, actor, Action.CHANGE)
    for pk in list(schedules.values_list("pk", flat=True)):
        with transaction.atomic():
            schedule = (
                InspectionSchedule.objects.select_for_update()
                .select_related("template")
                .filter(pk=pk, is_active=True, next_date__lte=today)
                .first()
            )
            if schedule is None:  # another tick took it meanwhile
                continue
            due = schedule.next_date
            following = advance(due, schedule.every, schedule.unit)
            while following <= today:
                due, following = following, advance(following, schedule.every, schedule.unit)
            if not InspectionRound.objects.filter(schedule=schedule, scheduled_date=due).exists():
                created.append(
                    audited_create(
                        actor=actor,
                        instance=InspectionRound(
                            template=schedule.template,
                            schedule=schedule,
                            place=schedule.place,
                            building=schedule.building,
                            owner=schedule.owner,
                            scheduled_date=due,
                            inspector=schedule.inspector,
                        ),
                    )
                )
            audited_update(actor=actor, instance=schedule, data={"next_date": following})
    return created


# --- rounds ----------------------------------------------------------------------------------------------


def round_create(*, actor: Any, template: InspectionTemplate, **fields: Any) -> InspectionRound:
    """Plan a one-off round of ``template`` (scheduled rounds come from ``rounds_generate``)."""
    inspection = InspectionRound(template=template, **_only(fields, ROUND_FIELDS))
    if not policy.can_add(actor, inspection):
        raise PermissionDenied
    if not template.is_active:
        raise ValidationError({"template": _("This template is not active.")})
    _same_park(template.park_id, building=inspection.building, owner=inspection.owner, inspector=inspection.inspector)
    return audited_create(actor=actor, instance=inspection)


def _open_round(inspection: InspectionRound) -> None:
    if inspection.status == RoundStatus.COMPLETED:
        raise ValidationError(_("This round is completed and can no longer change."))


def round_update(*, actor: Any, inspection: InspectionRound, data: Mapping[str, Any]) -> InspectionRound:
    policy.require(actor, Action.CHANGE, inspection)
    _open_round(inspection)
    values = _only(data, ROUND_FIELDS)
    probe = InspectionRound(
        template=inspection.template, **{**{f: getattr(inspection, f) for f in ROUND_FIELDS}, **values}
    )
    _same_park(inspection.template.park_id, building=probe.building, owner=probe.owner, inspector=probe.inspector)
    return audited_update(actor=actor, instance=inspection, data=values)


def round_delete(*, actor: Any, inspection: InspectionRound) -> None:
    """Delete a round that has not started (no answers, no findings)."""
    policy.require(actor, Action.DELETE, inspection)
    if inspection.status != RoundStatus.SCHEDULED or inspection.findings.exists() or inspection.answers.exists():
        raise ValidationError(_("Only a round that has not started can be deleted."))
    audited_delete(actor=actor, instance=inspection)


def round_start(*, actor: Any, inspection: InspectionRound) -> InspectionRound:
    """Start a scheduled round now (the acting person becomes its inspector if it has none)."""
    policy.require(actor, Action.CHANGE, inspection)
    _open_round(inspection)
    if inspection.status == RoundStatus.IN_PROGRESS:
        return inspection
    data: dict[str, Any] = {"status": RoundStatus.IN_PROGRESS, "started_at": timezone.now()}
    if inspection.inspector_id is None:
        data["inspector"] = _person_of(actor)
    return audited_update(actor=actor, instance=inspection, data=data)


def _item_of(inspection: InspectionRound, item: ChecklistItem | int) -> ChecklistItem:
    item_id = item.pk if isinstance(item, ChecklistItem) else item
    found = ChecklistItem.objects.filter(pk=item_id, template_id=inspection.template_id).first()
    if found is None:
        raise ValidationError({"item": _("This item is not on the round's checklist.")})
    return found


def round_answer(
    *, actor: Any, inspection: InspectionRound, item: ChecklistItem | int, result: str, note: str = ""
) -> RoundAnswer:
    """Record (or change) the answer to one checklist item; the round starts with its first answer."""
    policy.require(actor, Action.CHANGE, inspection)
    _open_round(inspection)
    item = _item_of(inspection, item)
    if result not in AnswerResult.values:
        raise ValidationError({"result": _("Answer OK, finding or not applicable.")})
    with transaction.atomic():
        round_start(actor=actor, inspection=inspection)
        answer = RoundAnswer.objects.filter(round=inspection, item=item).first()
        if answer is None:
            return audited_create(
                actor=actor, instance=RoundAnswer(round=inspection, item=item, result=result, note=(note or "").strip())
            )
        return audited_update(actor=actor, instance=answer, data={"result": result, "note": (note or "").strip()})


def round_progress(inspection: InspectionRound) -> dict[str, Any]:
    """Return how far the round is: active items, answered, missing items, items answered "finding" without one."""
    items = list(inspection.template.items.filter(is_active=True).order_by("position", "pk"))
    answers = {a.item_id: a for a in inspection.answers.all()}
    with_findings = set(inspection.findings.exclude(item=None).values_list("item_id", flat=True))
    missing = [i for i in items if i.pk not in answers]
    unexplained = [
        i
        for i in items
        if i.pk in answers and answers[i.pk].result == AnswerResult.FINDING and i.pk not in with_findings
    ]
    return {"items": items, "answers": answers, "missing": missing, "unexplained": unexplained}


def round_complete(*, actor: Any, inspection: InspectionRound, note: str | None = None) -> InspectionRound:
    """Complete a round: every active item answered, and each "finding" answer with its finding recorded."""
    policy.require(actor, Action.CHANGE, inspection)
    _open_round(inspection)
    progress = round_progress(inspection)
    if progress["missing"]:
        raise ValidationError(
            _("Answer every checklist item first: %(count)s not answered (%(items)s).")
            % {"count": len(progress["missing"]), "items": ", ".join(str(i.position) for i in progress["missing"])}
        )
    if progress["unexplained"]:
        raise ValidationError(
            _("Record the finding of each item answered “finding”: missing for %(items)s.")
            % {"items": ", ".join(str(i.position) for i in progress["unexplained"])}
        )
    data: dict[str, Any] = {"status": RoundStatus.COMPLETED, "completed_at": timezone.now()}
    if inspection.started_at is None:
        data["started_at"] = data["completed_at"]
    if inspection.inspector_id is None:
        data["inspector"] = _person_of(actor)
    if note is not None:
        data["note"] = note.strip()
    return audited_update(actor=actor, instance=inspection, data=data)


# --- findings and rectification ------------------------------------------------------------------------


def default_owner(inspection: InspectionRound) -> Organisation | None:
    """Return who rectifies findings of ``inspection`` by default: the area owner, else the operating company."""
    if inspection.owner_id:
        return inspection.owner
    return (
        Organisation.objects.filter(park_id=inspection.template.park_id, kind=OrganisationKind.OPERATOR, is_active=True)
        .order_by("pk")
        .first()
    )


def finding_create(
    *,
    actor: Any,
    inspection: InspectionRound,
    description: str,
    severity: str,
    item: ChecklistItem | int | None = None,
    place: str = "",
    found_on: datetime.date | None = None,
    owner: Organisation | None = None,
    owner_person: Any = None,
    deadline: datetime.date | None = None,
) -> Finding:
    """
    Record a finding of a round and its rectification task, atomically.

    The owner defaults to the round's area owner (else the operating company); the deadline to the
    finding's date plus the severity's usual days. A finding against a checklist item also answers
    that item "finding".
    """
    policy.require(actor, Action.CHANGE, inspection)
    _open_round(inspection)
    found_on = found_on or _today()
    _not_in_future(found_on, "found_on", _("date of the finding"))
    if found_on < inspection.scheduled_date - datetime.timedelta(days=31):
        raise ValidationError({"found_on": _("The finding cannot be long before the round's date.")})
    if item is not None:
        item = _item_of(inspection, item)
    finding = Finding(
        round=inspection,
        item=item,
        description=(description or "").strip(),
        severity=severity,
        place=(place or "").strip(),
        found_on=found_on,
        created_by=_person_of(actor),
    )
    if not policy.can_add(actor, finding):
        raise PermissionDenied
    owner = owner or default_owner(inspection)
    if owner is None:
        raise ValidationError({"owner": _("Choose the organisation that must rectify this finding.")})
    if deadline is None and severity in DEFAULT_DEADLINE_DAYS:
        deadline = found_on + datetime.timedelta(days=DEFAULT_DEADLINE_DAYS[severity])
    with transaction.atomic():
        audited_create(actor=actor, instance=finding)
        if deadline is None:
            raise ValidationError({"deadline": _("Give the deadline of the rectification.")})
        task = RectificationTask(finding=finding, owner=owner, owner_person=owner_person, deadline=deadline)
        audited_create(actor=actor, instance=task)
        notifications.task_assigned(task, actor)
        if item is not None:
            round_answer(actor=actor, inspection=inspection, item=item, result=AnswerResult.FINDING)
        elif inspection.status == RoundStatus.SCHEDULED:
            round_start(actor=actor, inspection=inspection)
    return finding


def finding_update(*, actor: Any, finding: Finding, data: Mapping[str, Any]) -> Finding:
    """Correct a finding's description, severity or exact place (not once its task is closed)."""
    policy.require(actor, Action.CHANGE, finding)
    task = getattr(finding, "task", None)
    if task is not None and task.status == RectificationStatus.CLOSED:
        raise ValidationError(_("The rectification of this finding is closed: the finding can no longer change."))
    return audited_update(actor=actor, instance=finding, data=_only(data, FINDING_FIELDS))


def finding_add_photos(*, actor: Any, finding: Finding, files: Iterable[Any], caption: str = "") -> list[Any]:
    """Attach photos to a finding (checked and stored by the shared attachments; all or nothing)."""
    policy.require(actor, Action.CHANGE, finding)
    files = list(files)
    if not files:
        return []
    return attach_files(actor=actor, parent=finding, files=files, caption=caption)


# Findings this serious may be raised as major issues of the park (governance consultation).
RAISABLE_SEVERITIES = (Severity.HIGH, Severity.CRITICAL)


def finding_raise_issue(*, actor: Any, finding: Finding) -> Any:
    """
    Raise a serious finding as a major issue of the park (category safety, same severity), once.

    The rectification's owner is the affected party; the issue links back to the finding.
    """
    from iepark.governance.consultation import selectors as consultation_selectors
    from iepark.governance.consultation import services as consultation_services
    from iepark.governance.consultation.choices import IssueCategory

    policy.require(actor, Action.CHANGE, finding)
    if finding.severity not in RAISABLE_SEVERITIES:
        raise ValidationError(_("Only a high or critical finding can be raised as a major issue."))
    with transaction.atomic():
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        if consultation_selectors.source_has_issue(locked):
            raise ValidationError(_("This finding has already been raised as a major issue."))
        task = getattr(locked, "task", None)
        park = locked.round.template.park
        place = locked.place or locked.round.place
        lines = [locked.description, _("Place: %(place)s") % {"place": place}]
        if task is not None:
            lines.append(
                _("Rectification by %(owner)s, due %(deadline)s.") % {"owner": task.owner, "deadline": task.deadline}
            )
        return consultation_services.issue_raise(
            actor=actor,
            park=park,
            category=IssueCategory.SAFETY,
            severity=locked.severity,
            title=(_("Safety finding: %(description)s") % {"description": locked.description})[:150],
            description="\n".join(str(line) for line in lines),
            affected_organisations=[task.owner] if task is not None else [],
            source=locked,
        )


def task_update(*, actor: Any, task: RectificationTask, data: Mapping[str, Any]) -> RectificationTask:
    """Change a task's owner, responsible person or deadline (keepers; not once closed)."""
    policy.require(actor, Action.CHANGE, task)
    if task.status == RectificationStatus.CLOSED:
        raise ValidationError(_("This rectification is closed and can no longer change."))
    return audited_update(actor=actor, instance=task, data=_only(data, TASK_FIELDS))


def task_report_done(
    *, actor: Any, task: RectificationTask, note: str, reported_on: datetime.date | None = None
) -> RectificationTask:
    """The owner reports the rectification done (what was done); an inspector re-inspects it next."""
    if not policy.restrict(RectificationTask.objects.filter(pk=task.pk), actor).exists():
        raise PermissionDenied
    if not may_report_done(actor, task):
        raise PermissionDenied
    if task.status != RectificationStatus.OPEN:
        raise ValidationError(_("Only an open rectification can be reported done."))
    reported_on = reported_on or _today()
    _not_in_future(reported_on, "reported_on", _("report date"))
    if reported_on < task.finding.found_on:
        raise ValidationError({"reported_on": _("The rectification cannot be done before the finding was made.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what was done.")})
    with transaction.atomic():
        task = audited_update(
            actor=actor,
            instance=task,
            data={"status": RectificationStatus.REPORTED_DONE, "reported_on": reported_on, "report_note": note.strip()},
        )
        notifications.task_reported(task, actor)
    return task


def task_reinspect(
    *,
    actor: Any,
    task: RectificationTask,
    passed: bool,
    inspected_on: datetime.date | None = None,
    note: str = "",
    new_deadline: datetime.date | None = None,
    inspector: Any = None,
) -> ReInspection:
    """Re-inspect a rectification: passed closes it; failed reopens it with ``new_deadline``."""
    policy.require(actor, Action.CHANGE, task)
    if task.status == RectificationStatus.CLOSED:
        raise ValidationError(_("This rectification is already closed."))
    inspected_on = inspected_on or _today()
    _not_in_future(inspected_on, "inspected_on", _("re-inspection date"))
    if inspected_on < task.finding.found_on:
        raise ValidationError({"inspected_on": _("The re-inspection cannot be before the finding was made.")})
    if passed:
        new_deadline = None
    elif new_deadline is None:
        raise ValidationError({"new_deadline": _("A failed re-inspection needs a new deadline.")})
    elif new_deadline <= inspected_on:
        raise ValidationError({"new_deadline": _("The new deadline must be after the re-inspection.")})
    inspector = inspector or _person_of(actor)
    if inspector is not None and inspector.park_id != task.owner.park_id:
        raise ValidationError({"inspector": _("The inspector must belong to the same park.")})
    reinspection = ReInspection(
        task=task,
        inspected_on=inspected_on,
        inspector=inspector,
        passed=passed,
        note=(note or "").strip(),
        new_deadline=new_deadline,
    )
    with transaction.atomic():
        audited_create(actor=actor, instance=reinspection)
        if passed:
            data = {"status": RectificationStatus.CLOSED, "closed_on": inspected_on}
        else:
            data = {"status": RectificationStatus.OPEN, "deadline": new_deadline, "reported_on": None}
        audited_update(actor=actor, instance=task, data=data)
        if not passed:
            notifications.task_reopened(task, actor)
    return reinspection


# --- fire equipment -------------------------------------------------------------------------------------


def _fill_equipment_dates(equipment: FireEquipment) -> None:
    if not equipment.check_interval_days:
        equipment.check_interval_days = DEFAULT_CHECK_INTERVAL_DAYS.get(equipment.kind, 90)
    if equipment.next_check_due is None:
        base = equipment.last_checked_on or equipment.installed_on or _today()
        equipment.next_check_due = base + datetime.timedelta(days=equipment.check_interval_days)


def equipment_create(*, actor: Any, park: Park, **fields: Any) -> FireEquipment:
    """Add an item to the park's fire equipment register (the next check follows from the last one by default)."""
    equipment = FireEquipment(park=park, **_only(fields, EQUIPMENT_FIELDS))
    if not policy.can_add(actor, equipment):
        raise PermissionDenied
    _not_in_future(equipment.last_checked_on, "last_checked_on", _("last check"))
    _not_in_future(equipment.installed_on, "installed_on", _("installation date"))
    _fill_equipment_dates(equipment)
    return audited_create(actor=actor, instance=equipment)


def equipment_update(*, actor: Any, equipment: FireEquipment, data: Mapping[str, Any]) -> FireEquipment:
    policy.require(actor, Action.CHANGE, equipment)
    values = _only(data, EQUIPMENT_FIELDS)
    if "check_interval_days" in values and not values["check_interval_days"]:
        values["check_interval_days"] = DEFAULT_CHECK_INTERVAL_DAYS.get(values.get("kind", equipment.kind), 90)
    _not_in_future(values.get("last_checked_on"), "last_checked_on", _("last check"))
    _not_in_future(values.get("installed_on"), "installed_on", _("installation date"))
    return audited_update(actor=actor, instance=equipment, data=values)


def equipment_delete(*, actor: Any, equipment: FireEquipment) -> None:
    """Delete an item entered by mistake; one with recorded checks is retired instead."""
    policy.require(actor, Action.DELETE, equipment)
    if equipment.checks.exists():
        raise ValidationError(_("This item has recorded checks: retire it instead of deleting it."))
    audited_delete(actor=actor, instance=equipment)


def equipment_check(
    *,
    actor: Any,
    equipment: FireEquipment,
    result: str,
    checked_on: datetime.date | None = None,
    note: str = "",
    inspector: Any = None,
    next_check_due: datetime.date | None = None,
) -> EquipmentCheck:
    """
    Record a check of an item: it becomes the last check, and the next is due after the item's interval
    (or on ``next_check_due``). A failed check puts the item out of service; a passed one back in service.
    """
    policy.require(actor, Action.CHANGE, equipment)
    if equipment.status == EquipmentStatus.RETIRED:
        raise ValidationError(_("This item is retired: it is no longer checked."))
    if result not in CheckResult.values:
        raise ValidationError({"result": _("The result is pass or fail.")})
    checked_on = checked_on or _today()
    _not_in_future(checked_on, "checked_on", _("check date"))
    if equipment.installed_on and checked_on < equipment.installed_on:
        raise ValidationError({"checked_on": _("The check cannot be before the installation.")})
    if equipment.last_checked_on and checked_on < equipment.last_checked_on:
        raise ValidationError(
            {
                "checked_on": _("A check cannot be dated before the last recorded check (%(date)s).")
                % {"date": equipment.last_checked_on.isoformat()}
            }
        )
    if next_check_due is None:
        next_check_due = checked_on + datetime.timedelta(days=equipment.check_interval_days)
    elif next_check_due <= checked_on:
        raise ValidationError({"next_check_due": _("The next check must be after this check.")})
    inspector = inspector or _person_of(actor)
    if inspector is not None and inspector.park_id != equipment.park_id:
        raise ValidationError({"inspector": _("The inspector must belong to the same park.")})
    check = EquipmentCheck(
        equipment=equipment, checked_on=checked_on, inspector=inspector, result=result, note=(note or "").strip()
    )
    status = EquipmentStatus.OUT_OF_SERVICE if result == CheckResult.FAIL else EquipmentStatus.IN_SERVICE
    with transaction.atomic():
        audited_create(actor=actor, instance=check)
        audited_update(
            actor=actor,
            instance=equipment,
            data={"last_checked_on": checked_on, "next_check_due": next_check_due, "status": status},
        )
    return check
