"""
The attendance part of the demo park (deterministic for a seed, a few seconds).

- The lectures of the published demo timetable over the last three teaching weeks before today are
  taken: sessions are written with their audit events (``audited_bulk_create``), their records in bulk
  (several thousand rows: plain ``bulk_create``, no event per record). Most students attend; about one in
  twenty is often absent or late, so the list of students under the threshold is not empty.
- A few leave requests through the services: approved ones covering a past day (their records become
  excused, audited), pending ones for the coming week (the student managers are notified), a rejected one.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.utils import timezone

from iepark.core.audit import audited_bulk_create
from iepark.teaching.choices import TimetableStatus
from iepark.teaching.models import Enrolment, TimetableEntry, TimetableRun

from . import services
from .choices import AttendanceStatus
from .models import AttendanceRecord, AttendanceSession, LeaveRequest

WEEKS = 3
REASONS = ["发烧就医", "家中有事", "参加技能大赛集训", "办理证件", "牙科复诊", "参加企业面试"]


def build(park: Any, *, actor: Any, seed: int = 0, say: Any = None) -> None:
    """Add the demo park's attendance (once per park)."""
    say = say or (lambda message: None)
    if AttendanceSession.objects.filter(course__term__park=park).exists():
        return
    run = TimetableRun.objects.filter(term__park=park, status=TimetableStatus.PUBLISHED).select_related("term").first()
    if run is None:
        return
    rng = random.Random(f"attendance-{seed}")
    today = timezone.localdate()
    term = run.term
    first = max(term.start_date, today - datetime.timedelta(days=today.weekday() + 7 * (WEEKS - 1)))
    entries = list(
        TimetableEntry.objects.filter(run=run)
        .select_related("course")
        .prefetch_related("course__cohorts", "course__teachers__person__user")
    )
    cohort_ids = {c.pk for e in entries for c in e.course.cohorts.all()}
    enrolments = defaultdict(list)
    for enrolment in Enrolment.objects.filter(cohort_id__in=cohort_ids).select_related("student").order_by("pk"):
        enrolments[enrolment.cohort_id].append(enrolment)
    students = sorted({e.student_id for rows in enrolments.values() for e in rows})
    often_absent = set(rng.sample(students, max(1, len(students) // 20))) if students else set()
    spans = term.period_spans()

    sessions, rosters = [], []
    for entry in entries:
        teachers = [t.person.user for t in entry.course.teachers.all() if t.person.user_id]
        for date in term.teaching_dates(entry.day_of_week):
            if not first <= date < today or entry.period > len(spans):
                continue
            start, end = spans[entry.period - 1]
            sessions.append(
                AttendanceSession(
                    entry=entry,
                    course=entry.course,
                    date=date,
                    period=entry.period,
                    start_time=start,
                    end_time=end,
                    taken_by=teachers[0] if teachers else None,
                )
            )
            roster = {}
            for cohort in entry.course.cohorts.all():
                for e in enrolments[cohort.pk]:
                    if e.start_date <= date and (e.end_date is None or e.end_date >= date):
                        roster.setdefault(e.student_id, cohort.pk)
            rosters.append(roster)
    if not sessions:
        return
    sessions = audited_bulk_create(actor=actor, instances=sessions)
    records = []
    for session, roster in zip(sessions, rosters, strict=True):
        for student_id, cohort_id in sorted(roster.items()):
            draw = rng.random()
            absent, late = (0.3, 0.12) if student_id in often_absent else (0.02, 0.04)
            if draw < absent:
                status = AttendanceStatus.ABSENT
            elif draw < absent + late:
                status = AttendanceStatus.LATE
            else:
                status = AttendanceStatus.PRESENT
            note = "未到，已联系班主任" if status == AttendanceStatus.ABSENT and draw < 0.005 else ""
            records.append(
                AttendanceRecord(session=session, student_id=student_id, cohort_id=cohort_id, status=status, note=note)
            )
    AttendanceRecord.objects.bulk_create(records, batch_size=2000)
    leaves = _leave_requests(park, actor=actor, rng=rng, today=today, students=students, records=records)
    say(f"attendance: {len(sessions)} sessions, {len(records)} records, {leaves} leave requests")


def _leave_requests(park, *, actor, rng, today, students, records) -> int:
    from iepark.core.models import Student

    if not students or not records:
        return 0
    # Four past days with lectures of the student (approved: those records become excused), then others.
    past = {}
    while len(past) < min(4, len(students)):
        record = rng.choice(records)
        past.setdefault(record.student_id, record.session.date)
    others = [s for s in rng.sample(students, min(8, len(students))) if s not in past][:4]
    chosen = Student.objects.in_bulk([*past, *others])
    made = 0
    for i, student_id in enumerate([*past, *others]):
        student = chosen[student_id]
        if i < 4:
            day = past[student_id]
            leave = services.leave_request_create(
                actor=actor, student=student, start_date=day, end_date=day, reason=REASONS[i % len(REASONS)]
            )
            services.leave_approve(actor=actor, leave=leave, note="已核实，同意")
        elif i < 7:  # the coming days, pending
            day = today + datetime.timedelta(days=1 + i)
            leave = services.leave_request_create(
                actor=actor,
                student=student,
                start_date=day,
                end_date=day + datetime.timedelta(days=i % 2),
                start_period=3 if i == 5 else None,
                reason=REASONS[i % len(REASONS)],
            )
        else:
            day = today + datetime.timedelta(days=2)
            leave = services.leave_request_create(
                actor=actor, student=student, start_date=day, end_date=day, reason="想休息"
            )
            services.leave_reject(actor=actor, leave=leave, note="理由不充分，请按时上课")
        made += 1
    assert LeaveRequest.objects.filter(student__college__park=park).count() >= made
    return made
