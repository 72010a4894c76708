"""Timetabling runs: the adapter, the background job with the real engine, publishing and its refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from engines.timetabling import score
from iepark.core.choices import JobStatus
from iepark.core.models import Job
from iepark.teaching import services
from iepark.teaching.choices import RoomKind, TimetableStatus
from iepark.teaching.models import TimetableEntry, TimetableRun
from iepark.teaching.timetable_adapter import build_instance, rows_solution

pytestmark = pytest.mark.django_db


def test_adapter_builds_the_instance(tiny):
    built = build_instance(tiny)
    inst = built.instance
    assert (inst.days, inst.periods_per_day) == (3, 4)
    assert len(inst.courses) == 4 and len(inst.rooms) == 3
    codes = {name: c.code for name, c in built.courses.items()}
    by_code = {codes[c.name]: c for c in inst.courses}
    assert by_code["A1"].students == 6 and by_code["P1"].required_kind == RoomKind.LAB
    # A2 is taught by t1 and t2: t2 is a co-teacher, whose Monday away binds A2 as it binds B1.
    a2, b1 = by_code["A2"], by_code["B1"]
    assert a2.co_teachers == (b1.teacher,)
    assert {(b1.teacher, 0, p) for p in range(4)} <= inst.teacher_unavailability
    assert not inst.is_available(a2, 0, 1) and inst.is_available(a2, 1, 1)
    # One curriculum per cohort.
    assert len(inst.curricula) == 3


def test_adapter_passes_the_rooms_unavailable_during_the_term(world, tiny):
    from iepark.teaching.models import Room, RoomUnavailability

    lab = Room.objects.get(park=world.park, number="L1")
    room_101 = Room.objects.get(park=world.park, number="101")
    RoomUnavailability.objects.create(room=lab, day_of_week=1, first_period=1, last_period=2)  # always
    RoomUnavailability.objects.create(  # long before the term: ignored
        room=room_101,
        day_of_week=2,
        first_period=1,
        last_period=4,
        start_date=tiny.start_date.replace(year=tiny.start_date.year - 3),
        end_date=tiny.start_date.replace(year=tiny.start_date.year - 2),
    )
    inst = build_instance(tiny).instance
    assert inst.room_unavailability == {(f"R{lab.pk}", 1, 0), (f"R{lab.pk}", 1, 1)}
    assert not inst.room_is_available(f"R{lab.pk}", 1, 0) and inst.room_is_available(f"R{room_101.pk}", 2, 0)


def test_run_as_a_job_stores_a_feasible_draft(world, tiny, settings, django_capture_on_commit_callbacks):
    settings.IEPARK_TASK_RUNNER = "sync"
    with django_capture_on_commit_callbacks(execute=True):
        run = services.timetable_start(actor=world.park_admin, term=tiny, seconds=1, seed=3)
    run.refresh_from_db()
    job = Job.objects.get(pk=run.job_id)
    assert job.kind == "teaching.timetable" and job.status == JobStatus.SUCCEEDED, job.message
    assert "hard violations" in job.message
    assert run.status == TimetableStatus.DRAFT and run.hard_violations == 0
    entries = list(TimetableEntry.objects.filter(run=run).select_related("course", "room"))
    assert len(entries) == 3 + 2 + 2 + 2
    rooms = [(e.room_id, e.day_of_week, e.period) for e in entries]
    assert len(rooms) == len(set(rooms))  # no room double-booked
    busy: set[tuple[int, int, int]] = set()
    for e in entries:
        for cohort in e.course.cohorts.all():
            key = (cohort.pk, e.day_of_week, e.period)
            assert key not in busy, "cohort conflict"
            busy.add(key)
    teacher_busy: set[tuple[int, int, int]] = set()
    for e in entries:
        for teacher in e.course.teachers.all():
            key = (teacher.pk, e.day_of_week, e.period)
            assert key not in teacher_busy, "teacher conflict"
            teacher_busy.add(key)
            if teacher.staff_number == "T0002":
                assert e.day_of_week != 0  # unavailable on Mondays
    assert all(e.room.room_kind == RoomKind.LAB for e in entries if e.course.code == "P1")
    # The stored cost is the engine scorer's on the same instance and the stored rows.
    built = build_instance(tiny)
    solution = rows_solution((e.course_id, e.room_id, e.day_of_week, e.period) for e in entries)
    expected = score(built.instance, solution).as_dict()
    assert run.cost == expected


def test_start_refusals(world, tiny):
    with pytest.raises(PermissionDenied):
        services.timetable_start(actor=world.teacher_a, term=tiny, seconds=1)
    with pytest.raises(PermissionDenied):
        services.timetable_start(actor=world.other_admin, term=tiny, seconds=1)
    with pytest.raises(ValidationError) as exc:
        services.timetable_start(actor=world.park_admin, term=tiny, seconds=0)
    assert "seconds" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.timetable_start(actor=world.park_admin, term=tiny, colleges=[world.college_b], seconds=1)
    assert "colleges" in exc.value.message_dict
    assert not TimetableRun.objects.exists()


def test_publish_one_per_term(world, tiny, settings, django_capture_on_commit_callbacks):
    settings.IEPARK_TASK_RUNNER = "sync"
    with django_capture_on_commit_callbacks(execute=True):
        first = services.timetable_start(actor=world.park_admin, term=tiny, seconds=1, seed=1)
        second = services.timetable_start(actor=world.coordinator, term=tiny, seconds=1, seed=2)
    first.refresh_from_db()
    second.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.timetable_publish(actor=world.college_a_admin, run=first)
    services.timetable_publish(actor=world.park_admin, run=first)
    services.timetable_publish(actor=world.coordinator, run=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == TimetableStatus.DRAFT and second.status == TimetableStatus.PUBLISHED
    with pytest.raises(ValidationError) as exc:
        services.timetable_publish(actor=world.park_admin, run=second)
    assert "Only a draft" in str(exc.value)


def test_cancel_stops_the_solver(world, tiny, settings, django_capture_on_commit_callbacks, monkeypatch):
    from iepark.core.tasks import JobContext

    settings.IEPARK_TASK_RUNNER = "sync"
    monkeypatch.setattr(JobContext, "cancelled", lambda self: True)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.timetable_start(actor=world.park_admin, term=tiny, seconds=30)
    run.refresh_from_db()
    assert run.status == TimetableStatus.CANCELLED and not run.entries.exists()
    assert Job.objects.get(pk=run.job_id).status == JobStatus.CANCELLED


# --- pages -------------------------------------------------------------------------------------------------


def test_pages_start_follow_grid_publish(world, tiny, browser_client, settings, django_capture_on_commit_callbacks):
    from django.urls import reverse

    settings.IEPARK_TASK_RUNNER = "sync"
    admin = browser_client(world.park_admin)
    term_page = admin.get(reverse("term_detail", args=[tiny.pk])).content.decode()
    assert reverse("term_timetable_start", args=[tiny.pk]) in term_page
    start_url = reverse("term_timetable_start", args=[tiny.pk])
    assert admin.get(start_url).status_code == 200
    bad = admin.post(start_url, {"seconds": "0", "seed": "0"})
    assert bad.status_code == 200 and not TimetableRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(start_url, {"seconds": "1", "seed": "4", "colleges": [world.college_a.pk]})
    run = TimetableRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("timetablerun_detail", args=[run.pk])
    run.refresh_from_db()
    assert run.status == TimetableStatus.DRAFT and list(run.colleges.all()) == [world.college_a]
    detail = admin.get(reverse("timetablerun_detail", args=[run.pk])).content.decode()
    with translation.override("zh-hans"):
        label = translation.gettext("Minimum working days (×5 per missing day)")
    assert label in detail and reverse("timetablerun_publish", args=[run.pk]) in detail
    assert reverse("timetablerun_copy", args=[run.pk]) in detail
    grid_url = reverse("timetablerun_grid", args=[run.pk])
    for by in ("cohort", "teacher", "room"):
        page = admin.get(grid_url, {"by": by})
        assert page.status_code == 200, by
    room_entry = run.entries.select_related("course", "room").first()
    page = admin.get(grid_url, {"by": "room", "id": room_entry.room_id}).content.decode()
    assert room_entry.course.code in page
    assert admin.get(reverse("timetablerun_list")).status_code == 200
    # Teachers and other parks' admins neither see nor start nor publish.
    for name in ("teacher_a", "other_admin"):
        client = browser_client(world.users[name])
        assert client.get(reverse("timetablerun_detail", args=[run.pk])).status_code == 404, name
        assert client.get(grid_url).status_code == 404, name
        assert client.post(reverse("timetablerun_publish", args=[run.pk])).status_code == 404, name
    assert browser_client(world.users["teacher_a"]).get(start_url).status_code == 403
    committee = browser_client(world.users["committee"])
    assert committee.get(grid_url).status_code == 200
    assert committee.post(reverse("timetablerun_publish", args=[run.pk])).status_code == 403
    response = admin.post(reverse("timetablerun_publish", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == TimetableStatus.PUBLISHED


def test_a_run_cancelled_before_it_starts_says_so(world, tiny, settings):
    from iepark.core.tasks import job_cancel, run_job
    from iepark.testing import audit_count

    settings.IEPARK_TASK_RUNNER = "sync"
    run = services.timetable_start(actor=world.park_admin, term=tiny, seconds=30)  # queued: not committed yet
    assert run.status == TimetableStatus.QUEUED
    job_cancel(actor=world.park_admin, job=run.job)
    run.refresh_from_db()
    assert run.status == TimetableStatus.CANCELLED and run.finished_at is not None
    assert audit_count(TimetableRun, "update", run.pk) >= 2  # the job attached, then the cancellation
    run_job(run.job_id)  # a worker that picks it up later does nothing
    run.refresh_from_db()
    assert run.status == TimetableStatus.CANCELLED and not run.entries.exists()
