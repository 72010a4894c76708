"""The attendance part of the demo park: a few weeks of attendance on the published timetable, leave requests."""

from __future__ import annotations

import time

import pytest

from iepark.core.demo import builder
from iepark.teaching import demo as teaching_demo
from iepark.teaching.attendance import demo, selectors
from iepark.teaching.attendance.models import AttendanceRecord, AttendanceSession, LeaveRequest
from iepark.testing import audit_count


@pytest.fixture
def demo_park(db, monkeypatch):
    monkeypatch.setattr(builder, "DEMO_EXTENSIONS", [])
    actor = builder.system_user()
    park = builder.build_park(builder.plan_for_database(seed=7, students=400), actor=actor)
    teaching_demo.build(park, actor=actor, seed=7)
    started = time.monotonic()
    said: list[str] = []
    demo.build(park, actor=actor, seed=7, say=said.append)
    return park, actor, time.monotonic() - started, said


def test_demo_is_registered():
    assert demo.build in builder.DEMO_EXTENSIONS


def test_demo_takes_a_few_weeks_of_attendance(demo_park):
    park, actor, seconds, said = demo_park
    print(f"attendance demo: {seconds:.2f} s; {said}")
    assert seconds < 20
    sessions = AttendanceSession.objects.filter(course__term__park=park)
    assert sessions.count() > 20
    assert audit_count(AttendanceSession, "create") == sessions.count()
    records = AttendanceRecord.objects.filter(session__in=sessions)
    statuses = set(records.values_list("status", flat=True))
    assert statuses == {"present", "late", "absent", "excused"}
    assert selectors.under_threshold(user=actor, threshold=selectors.threshold_for(park))
    leaves = set(LeaveRequest.objects.filter(student__college__park=park).values_list("status", flat=True))
    assert leaves == {"pending", "approved", "rejected"}
    assert records.filter(status="excused", leave__isnull=False).exists()
    demo.build(park, actor=actor, seed=7)  # once per park
    assert AttendanceSession.objects.filter(course__term__park=park).count() == sessions.count()
