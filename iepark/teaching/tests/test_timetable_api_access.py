"""Access suites of the timetabling endpoints and the refusals of the ``publish`` action."""

from __future__ import annotations

from iepark.teaching.choices import TimetableStatus
from iepark.teaching.models import Course, Room, Term, TimetableEntry, TimetableRun
from iepark.testing import ApiAccessSuite

from .factories import make_cohort, make_course, make_room, make_term

TIMETABLE_OUTSIDERS = ("other_admin", "outsider", "hr_e1", "teacher_a", "student_a", "college_a_admin", "operator")


def _term(world) -> Term:
    term = Term.objects.filter(park=world.park).first() or make_term(world.park)
    if not Course.objects.filter(term=term).exists():
        make_cohort(world)
        make_course(world, term=term)
    if not Room.objects.filter(park=world.park).exists():
        make_room(world)
    return term


def _run(world, status=TimetableStatus.DRAFT, **fields) -> TimetableRun:
    fields.setdefault("hard_violations", 0)
    return TimetableRun.objects.create(term=_term(world), status=status, seconds=1, **fields)


class TestTimetableRunAccess(ApiAccessSuite):
    basename = "timetablerun"
    readers = ("coordinator",)
    readonly = ("committee",)
    writer = "park_admin"
    outsiders = TIMETABLE_OUTSIDERS

    def own(self, world):
        return _run(world)

    def create_payload(self, world):
        return {"term": _term(world).pk, "seconds": 2}

    def foreign_payload(self, world):
        return {"term": make_term(world.other_park, "其他园区学期").pk, "seconds": 2}

    def invalid_payload(self, world):
        return {"term": _term(world).pk, "seconds": 0}, "seconds"

    def make_many(self, world, n, start):
        for _ in range(n):
            _run(world)


class TestTimetableEntryAccess(ApiAccessSuite):
    basename = "timetableentry"
    readers = ("coordinator", "park_admin")
    readonly = ("committee",)
    outsiders = TIMETABLE_OUTSIDERS

    def own(self, world):
        run = _run(world)
        return TimetableEntry.objects.create(
            run=run,
            course=Course.objects.filter(term=run.term).first(),
            room=Room.objects.first(),
            day_of_week=0,
            period=1,
        )

    def make_many(self, world, n, start):
        run = _run(world)
        course, room = Course.objects.filter(term=run.term).first(), Room.objects.first()
        for i in range(n):
            TimetableEntry.objects.create(run=run, course=course, room=room, day_of_week=i % 5, period=1 + i // 5)


def test_publish_refusals(world, api):
    run = _run(world)
    url = f"/api/v1/timetable-runs/{run.pk}/publish/"
    assert api(world.users["committee"]).post(url).status_code == 403
    assert api(world.users["college_a_admin"]).post(url).status_code == 404
    assert api(world.users["other_admin"]).post(url).status_code == 404
    failed = _run(world, status=TimetableStatus.FAILED)
    response = api(world.users["park_admin"]).post(f"/api/v1/timetable-runs/{failed.pk}/publish/")
    assert response.status_code == 400 and "status" in response.json()
    violating = _run(world, hard_violations=3)
    response = api(world.users["park_admin"]).post(f"/api/v1/timetable-runs/{violating.pk}/publish/")
    assert response.status_code == 400 and "hard constraints" in str(response.json())
    response = api(world.users["coordinator"]).post(url)
    assert response.status_code == 200 and response.json()["status"] == "published", response.json()
    run.refresh_from_db()
    assert run.status == TimetableStatus.PUBLISHED


def test_entries_filter_by_cohort_teacher_room(world, api):
    own = TestTimetableEntryAccess().own(world)
    client = api(world.users["park_admin"])
    cohort = own.course.cohorts.first()
    teacher = own.course.teachers.first()
    for params in ({"run": own.run_id}, {"cohort": cohort.pk}, {"teacher": teacher.pk}, {"room": own.room_id}):
        response = client.get("/api/v1/timetable-entries/", params)
        assert response.status_code == 200 and [r["id"] for r in response.json()["results"]] == [own.pk], params
    other_room = make_room(world, "999")
    response = client.get("/api/v1/timetable-entries/", {"room": other_room.pk})
    assert response.json()["results"] == []
