"""
Writes of attendance. Every write checks the policy, validates everything before writing anything,
and records its audit events in one transaction.

- ``attendance_take``: a course's teacher saves the attendance of a lecture on a date (the session is
  created on first use; later saves correct it). Students not named keep their record, or get the
  preset (excused under an approved leave, present otherwise).
- ``leave_request_create`` / ``leave_approve`` / ``leave_reject`` / ``leave_withdraw``: a student's
  leave; approval marks the covered records excused (later sessions are preset to excused).
- ``threshold_set``: the park's attendance threshold.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from iepark.core import policy
from iepark.core.attachments import attach_files
from iepark.core.audit import audited_bulk_create, audited_bulk_update, audited_create, audited_update
from iepark.core.models import Park, Student
from iepark.core.policy import Action
from iepark.teaching.choices import TimetableStatus
from iepark.teaching.models import TimetableEntry

from . import selectors
from .choices import AttendanceStatus, LeaveStatus
from .models import AttendanceRecord, AttendanceSession, AttendanceSetting, LeaveRequest
from .notifications import notify_decided, notify_requested
from .policy import watches_college

MAX_NOTE = 200


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- sessions ---------------------------------------------------------------------------------------------


def check_slot(entry: TimetableEntry, date: datetime.date, *, today: datetime.date | None = None) -> None:
    """Raise a ``ValidationError`` naming what is wrong unless ``entry`` is taught on ``date`` (not in the future)."""
    if entry.run.status != TimetableStatus.PUBLISHED:
        raise ValidationError(
            {"entry": _("This lecture is not in the term's published timetable.")}, code="not_published"
        )
    term = entry.run.term
    if not isinstance(date, datetime.date):
        raise ValidationError({"date": _("Give the date as YYYY-MM-DD.")}, code="bad_date")
    if not term.start_date <= date <= term.end_date:
        raise ValidationError(
            {
                "date": _("%(date)s is outside the term “%(term)s” (%(start)s to %(end)s).")
                % {"date": date.isoformat(), "term": term, "start": term.start_date, "end": term.end_date}
            },
            code="outside_term",
        )
    if date not in term.teaching_dates(entry.day_of_week):
        raise ValidationError(
            {
                "date": _(
                    "%(course)s has no lecture on %(date)s: it is taught on %(day)s of the term's teaching "
                    "weeks, holidays excepted."
                )
                % {"course": entry.course.code, "date": date.isoformat(), "day": entry.get_day_of_week_display()}
            },
            code="not_teaching_date",
        )
    if date > (today or timezone.localdate()):
        raise ValidationError(
            {"date": _("Attendance of %(date)s cannot be taken before that day.") % {"date": date.isoformat()}},
            code="future",
        )


def _parse_marks(marks: Iterable[Mapping[str, Any]], on_roster: set[int]) -> dict[int, tuple[str, str]]:
    errors: list[str] = []
    parsed: dict[int, tuple[str, str]] = {}
    for mark in marks:
        student = mark.get("student")
        sid = getattr(student, "pk", student)
        status = mark.get("status")
        note = (mark.get("note") or "").strip()
        try:
            sid = int(sid)
        except (TypeError, ValueError):
            errors.append(_("Each record needs the student it is for."))
            continue
        if sid not in on_roster:
            errors.append(_("Student %(id)s is not on the roster of this lecture.") % {"id": sid})
        elif sid in parsed:
            errors.append(_("Student %(id)s is named twice.") % {"id": sid})
        if status not in AttendanceStatus.values:
            errors.append(
                _("“%(status)s” is not an attendance status: choose present, late, absent or excused.")
                % {"status": status}
            )
        if len(note) > MAX_NOTE:
            errors.append(_("A note has at most %(n)s characters.") % {"n": MAX_NOTE})
        parsed[sid] = (status, note)
    if errors:
        raise ValidationError({"records": errors}, code="bad_records")
    return parsed


def attendance_take(
    *,
    actor: Any,
    entry: TimetableEntry,
    date: datetime.date,
    marks: Iterable[Mapping[str, Any]] = (),
    today: datetime.date | None = None,
) -> AttendanceSession:
    """
    Save the attendance of ``entry`` on ``date``: ``marks`` are ``{"student", "status", "note"}``.

    All in one transaction, or nothing: the lecture must be on the published timetable on a teaching
    date of its term (not in the future), each student on its roster, each status one of the four.
    """
    check_slot(entry, date, today=today)
    user = _user(actor)
    with transaction.atomic():
        # Two saves of the same lecture at once make one session: the second waits for the first.
        list(TimetableEntry.objects.select_for_update().filter(pk=entry.pk).values_list("pk", flat=True))
        session = AttendanceSession.objects.filter(entry=entry, date=date).first()
        if session is None:
            start, end = entry.run.term.period_span(entry.period)
            session = AttendanceSession(
                entry=entry,
                course=entry.course,
                date=date,
                period=entry.period,
                start_time=start,
                end_time=end,
                taken_by=user,
            )
            if not policy.can_add(actor, session):
                raise PermissionDenied
            lines = selectors.roster(entry, date)
        else:
            policy.require(actor, Action.CHANGE, session)
            lines = selectors.roster(entry, date, session)
        by_student = {line.student.pk: line for line in lines}
        parsed = _parse_marks(marks, set(by_student))
        if session.pk is None:
            audited_create(actor=actor, instance=session)
        new, changed = [], []
        for sid, line in by_student.items():
            status, note = parsed.get(sid, (line.status, line.note))
            leave = line.leave if status == AttendanceStatus.EXCUSED else None
            if line.record is None:
                new.append(
                    AttendanceRecord(
                        session=session, student=line.student, cohort=line.cohort, status=status, note=note, leave=leave
                    )
                )
            elif (line.record.status, line.record.note, line.record.leave_id) != (
                status,
                note,
                getattr(leave, "pk", None),
            ):
                changed.append((line.record, {"status": status, "note": note, "leave": leave}))
        audited_bulk_create(actor=actor, instances=new)
        audited_bulk_update(actor=actor, changes=changed)
        if changed and session.taken_by_id is None and user is not None:
            audited_update(actor=actor, instance=session, data={"taken_by": user})
        AttendanceSession.objects.filter(pk=session.pk).update(updated_at=timezone.now())
    return session


# --- leave ----------------------------------------------------------------------------------------------------

LEAVE_FIELDS = ["start_date", "start_period", "end_date", "end_period", "reason"]


def leave_span_q(leave: LeaveRequest, prefix: str = "session__") -> Q:
    """The lectures (of records, under ``prefix``) that ``leave`` covers."""
    p = prefix
    starts = Q(**{f"{p}date__gt": leave.start_date}) | Q(
        **{f"{p}date": leave.start_date, f"{p}period__gte": leave.start_period or 0}
    )
    ends = Q(**{f"{p}date__lt": leave.end_date}) | Q(
        **{f"{p}date": leave.end_date, f"{p}period__lte": leave.end_period or 999}
    )
    return starts & ends


def _check_leave(leave: LeaveRequest) -> None:
    errors: dict[str, str] = {}
    if not (leave.reason or "").strip():
        errors["reason"] = _("Say why you ask for leave.")
    for name in ("start_period", "end_period"):
        value = getattr(leave, name)
        if value is not None and not 1 <= value <= 16:
            errors[name] = _("A period is a number from 1 to 16.")
    if leave.start_date and leave.end_date and "end_period" not in errors:
        if (leave.end_date, leave.end_period or 99) < (leave.start_date, leave.start_period or 0):
            field = "end_date" if leave.end_date < leave.start_date else "end_period"
            errors[field] = _("The leave cannot end before it starts.")
        elif (leave.end_date - leave.start_date).days > 366:
            errors["end_date"] = _("A leave request covers at most a year.")
    if errors:
        raise ValidationError(errors)


def leave_request_create(
    *,
    actor: Any,
    student: Student,
    start_date: datetime.date,
    end_date: datetime.date,
    reason: str,
    start_period: int | None = None,
    end_period: int | None = None,
    files: Iterable[Any] = (),
) -> LeaveRequest:
    """A student asks for leave (or a manager of their college files it for them); the managers are told."""
    leave = LeaveRequest(
        student=student,
        start_date=start_date,
        end_date=end_date,
        start_period=start_period or None,
        end_period=end_period or None,
        reason=(reason or "").strip(),
        created_by=_user(actor),
    )
    if not policy.can_add(actor, leave):
        raise PermissionDenied
    _check_leave(leave)
    overlapping = LeaveRequest.objects.filter(
        student=student,
        status__in=[LeaveStatus.PENDING, LeaveStatus.APPROVED],
        start_date__lte=leave.end_date,
        end_date__gte=leave.start_date,
    )
    for other in overlapping:
        if (other.start_date, other.start_period or 0) <= (leave.end_date, leave.end_period or 99) and (
            leave.start_date,
            leave.start_period or 0,
        ) <= (other.end_date, other.end_period or 99):
            raise ValidationError(
                {
                    "start_date": _("There is already a pending or approved request for part of this time: %(span)s.")
                    % {"span": other.span_label()}
                },
                code="overlap",
            )
    with transaction.atomic():
        audited_create(actor=actor, instance=leave)
        files = list(files or [])
        if files:
            attach_files(actor=actor, parent=leave, files=files)
        notify_requested(leave, actor)
    return leave


def may_decide(user: Any, leave: LeaveRequest) -> bool:
    """Whether ``user`` decides ``leave``: the student's home college's student managers and administrators.

    Never the student themself (a student who is also a student manager does not decide their own leave).
    """
    actor = policy.actor_for(user)
    if actor.person_id and leave.student.person_id == actor.person_id:
        return False
    return actor.is_superuser or watches_college(actor, leave.student.college_id)


def may_withdraw(user: Any, leave: LeaveRequest) -> bool:
    actor = policy.actor_for(user)
    if leave.status != LeaveStatus.PENDING or not getattr(user, "is_authenticated", False):
        return False
    own = bool(actor.person_id) and leave.student.person_id == actor.person_id
    return own or (leave.created_by_id is not None and leave.created_by_id == user.pk)


def _locked(leave: LeaveRequest) -> LeaveRequest:
    fresh = LeaveRequest.objects.select_for_update().select_related("student__person").get(pk=leave.pk)
    if fresh.status != LeaveStatus.PENDING:
        raise ValidationError(
            _("Only a pending request can be decided or withdrawn; this one is %(status)s.")
            % {"status": fresh.get_status_display().lower()},
            code="not_pending",
        )
    return fresh


def _decide(actor: Any, leave: LeaveRequest, status: str, note: str) -> LeaveRequest:
    policy.require(actor, Action.CHANGE, leave)  # 403 for those who only see it
    if not may_decide(actor, leave):
        raise PermissionDenied
    data = {"status": status, "decided_by": _user(actor), "decided_at": timezone.now(), "decision_note": note}
    return audited_update(actor=actor, instance=leave, data=data)


def leave_approve(*, actor: Any, leave: LeaveRequest, note: str = "") -> LeaveRequest:
    """Approve the request: the records of the lectures it covers become excused (audited); the student is told."""
    note = (note or "").strip()
    with transaction.atomic():
        leave = _locked(leave)
        leave = _decide(actor, leave, LeaveStatus.APPROVED, note)
        records = (
            AttendanceRecord.objects.filter(student_id=leave.student_id)
            .filter(leave_span_q(leave))
            .exclude(status=AttendanceStatus.EXCUSED, leave=leave)
        )
        audited_bulk_update(
            actor=actor, changes=[(r, {"status": AttendanceStatus.EXCUSED, "leave": leave}) for r in records]
        )
        notify_decided(leave, actor, approved=True)
    return leave


def leave_reject(*, actor: Any, leave: LeaveRequest, note: str) -> LeaveRequest:
    """Reject the request with a note saying why; the student is told."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the request is rejected.")}, code="note_required")
    with transaction.atomic():
        leave = _locked(leave)
        leave = _decide(actor, leave, LeaveStatus.REJECTED, note)
        notify_decided(leave, actor, approved=False)
    return leave


def leave_withdraw(*, actor: Any, leave: LeaveRequest) -> LeaveRequest:
    """The student (or whoever filed it) withdraws a pending request."""
    with transaction.atomic():
        leave = _locked(leave)
        if not may_withdraw(actor, leave):
            raise PermissionDenied
        return audited_update(
            actor=actor, instance=leave, data={"status": LeaveStatus.WITHDRAWN, "decided_at": timezone.now()}
        )


# --- settings ---------------------------------------------------------------------------------------------------


def threshold_set(*, actor: Any, park: Park, threshold: int) -> AttendanceSetting:
    """Set the park's attendance threshold (per cent, 1 to 100): its teaching administrators."""
    try:
        value = int(threshold)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 100:
        raise ValidationError({"threshold": _("The threshold is a percentage from 1 to 100.")})
    setting = AttendanceSetting.objects.filter(park=park).first()
    if setting is None:
        setting = AttendanceSetting(park=park, threshold=value)
        if not policy.can_add(actor, setting):
            raise PermissionDenied
        return audited_create(actor=actor, instance=setting)
    policy.require(actor, Action.CHANGE, setting)
    return audited_update(actor=actor, instance=setting, data={"threshold": value})
