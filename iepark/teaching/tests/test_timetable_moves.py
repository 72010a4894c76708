"""Changing a draft timetable by hand: moves checked at once with exact reasons, the cost re-scored, copies of published timetables, penalties explained per lecture."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engines.timetabling import score
from iepark.teaching import services
from iepark.teaching.choices import TimetableStatus
from iepark.teaching.models import Course, Room, TimetableEntry, TimetableRun
from iepark.teaching.timetable_adapter import build_instance, rows_solution
from iepark.teaching.timetable_explain import explain_run
from iepark.testing import audit_count

from .factories import make_cohort, make_course, make_room

pytestmark = pytest.mark.django_db

# (course code, day 0-based, period 1-based, room number) of a feasible draft of the ``tiny`` term.
PLACEMENTS = [
    ("A1", 0, 1, "101"),
    ("A1", 1, 1, "101"),
    ("A1", 2, 1, "101"),
    ("A2", 1, 2, "101"),
    ("A2", 2, 2, "101"),
    ("B1", 1, 3, "101"),
    ("B1", 2, 3, "101"),
    ("P1", 1, 4, "L1"),
    ("P1", 2, 4, "L1"),
]


@pytest.fixture
def draft(world, tiny):
    run = TimetableRun.objects.create(
        term=tiny, status=TimetableStatus.DRAFT, created_by=world.park_admin, finished_at=timezone.now()
    )
    courses = {c.code: c for c in Course.objects.filter(term=tiny)}
    rooms = {r.number: r for r in Room.objects.filter(park=world.park)}
    TimetableEntry.objects.bulk_create(
        TimetableEntry(run=run, course=courses[code], room=rooms[room], day_of_week=day, period=period)
        for code, day, period, room in PLACEMENTS
    )
    return services._timetable_rescore(world.park_admin, run)


def _entry(run, code, day, period):
    return TimetableEntry.objects.select_related("course", "room").get(
        run=run, course__code=code, day_of_week=day, period=period
    )


def _room(world, number):
    return Room.objects.get(park=world.park, number=number)


def _stored_cost(run):
    built = build_instance(run.term, run.colleges.all())
    rows = TimetableEntry.objects.filter(run=run).values_list("course_id", "room_id", "day_of_week", "period")
    return score(built.instance, rows_solution(rows))


def test_the_fixture_draft_is_feasible(draft):
    assert draft.hard_violations == 0 and draft.soft_cost == _stored_cost(draft).soft_cost


def test_a_free_move_is_made_audited_and_rescored(world, draft):
    entry = _entry(draft, "A1", 0, 1)
    explanation = explain_run(draft)
    refusals, delta = explanation.check_move(entry, 0, 2, _room(world, "102"))
    assert refusals == [] and delta is not None
    before = draft.soft_cost
    moved = services.timetable_entry_move(
        actor=world.coordinator, entry=entry, day_of_week=0, period=2, room=_room(world, "102")
    )
    assert (moved.day_of_week, moved.period, moved.room.number) == (0, 2, "102")
    draft.refresh_from_db()
    assert draft.soft_cost == _stored_cost(draft).soft_cost == before + delta
    assert draft.cost["soft"]["RoomStability"] == _stored_cost(draft).room_stability
    assert audit_count(TimetableEntry, "update", entry.pk) == 1


@pytest.mark.parametrize(
    ("code", "origin", "target", "room", "expected"),
    [
        # B1's teacher (T0002) is away all Monday.
        ("B1", (1, 3), (0, 2), "101", ["T0002", "is not available at that time"]),
        # Tuesday period 1: room 101 has A1, which cohort 班1 also takes.
        ("B1", (1, 3), (1, 1), "101", ["101 is taken by A1", "班1 has A1"]),
        # Tuesday period 2 in room 102: A2 is there for 班3, and both share teacher T0002.
        ("P1", (1, 4), (1, 2), "102", ["班3 has A2", "T0002) teaches A2", "102 does not suit P1", "Laboratory"]),
        # A course cannot have two lectures at once.
        ("A1", (0, 1), (1, 1), "102", ["A1", "already has a lecture at that time"]),
    ],
)
def test_refused_moves_say_exactly_why_and_change_nothing(world, draft, code, origin, target, room, expected):
    entry = _entry(draft, code, *origin)
    with pytest.raises(ValidationError) as exc:
        services.timetable_entry_move(
            actor=world.park_admin, entry=entry, day_of_week=target[0], period=target[1], room=_room(world, room)
        )
    text = " ".join(exc.value.messages)
    for part in expected:
        assert part in text, (part, text)
    entry.refresh_from_db()
    assert (entry.day_of_week, entry.period) == origin
    assert audit_count(TimetableEntry, "update", entry.pk) == 0


def test_moves_outside_the_week_or_to_another_park_are_refused(world, draft):
    entry = _entry(draft, "A1", 0, 1)
    with pytest.raises(ValidationError, match="outside the term's teaching week"):
        services.timetable_entry_move(
            actor=world.park_admin, entry=entry, day_of_week=5, period=1, room=_room(world, "101")
        )
    foreign = make_room(world, "X1", park=world.other_park)
    with pytest.raises(ValidationError, match="active room of the term's park"):
        services.timetable_entry_move(actor=world.park_admin, entry=entry, day_of_week=0, period=2, room=foreign)


@pytest.mark.parametrize("persona", ["committee", "college_a_admin", "teacher_a", "student_a", "other_admin"])
def test_only_the_teaching_administrators_move_lectures(world, draft, persona):
    entry = _entry(draft, "A1", 0, 1)
    with pytest.raises(PermissionDenied):
        services.timetable_entry_move(
            actor=world.users[persona], entry=entry, day_of_week=0, period=2, room=_room(world, "102")
        )


def test_a_published_timetable_is_changed_through_a_copy(world, draft):
    services.timetable_publish(actor=world.park_admin, run=draft)
    entry = _entry(draft, "A1", 0, 1)
    with pytest.raises(ValidationError, match="Only a draft timetable can be changed"):
        services.timetable_entry_move(
            actor=world.park_admin, entry=entry, day_of_week=0, period=2, room=_room(world, "102")
        )
    copy = services.timetable_copy(actor=world.coordinator, run=draft)
    assert copy.status == TimetableStatus.DRAFT and copy.pk != draft.pk
    assert sorted(copy.entries.values_list("course_id", "room_id", "day_of_week", "period")) == sorted(
        draft.entries.values_list("course_id", "room_id", "day_of_week", "period")
    )
    assert audit_count(TimetableRun, "create", copy.pk) == 1
    services.timetable_entry_move(
        actor=world.park_admin, entry=_entry(copy, "A1", 0, 1), day_of_week=0, period=2, room=_room(world, "102")
    )
    services.timetable_publish(actor=world.park_admin, run=copy)
    draft.refresh_from_db()
    assert draft.status == TimetableStatus.DRAFT  # the earlier one steps back
    with pytest.raises(PermissionDenied):
        services.timetable_copy(actor=world.users["teacher_a"], run=copy)


def test_penalties_are_explained_per_lecture(world, draft):
    notes = explain_run(draft).notes()
    assert sum(n.cost for n in notes.values()) == draft.soft_cost
    a1 = _entry(draft, "A1", 0, 1)
    # A1's three lectures are each alone for 班1 and 班2 on Monday (nothing next to period 1).
    assert any("No other lecture of 班1" in text for text in notes[a1.pk].penalties)
    assert all(not n.problems for n in notes.values())


# --- pages ----------------------------------------------------------------------------------------


def test_move_page_shows_reasons_then_moves(world, draft, browser_client):
    admin = browser_client(world.park_admin)
    entry = _entry(draft, "B1", 1, 3)
    url = reverse("timetableentry_move", args=[entry.pk])
    page = admin.get(url, {"room": _room(world, "101").pk}).content.decode()
    assert "T0002" in page  # Monday: the teacher is away, said in the cell
    free = admin.get(
        reverse("timetableentry_move", args=[_entry(draft, "A1", 0, 1).pk]), {"room": _room(world, "102").pk}
    )
    assert free.content.decode().count('name="day"') >= 1  # free slots offer a move
    refused = admin.post(url, {"day": "0", "period": "2", "room": _room(world, "101").pk})
    assert refused.status_code == 200 and "move-errors" in refused.content.decode()
    entry.refresh_from_db()
    assert (entry.day_of_week, entry.period) == (1, 3)


def test_move_page_moves_a_lecture_to_a_free_slot(world, draft, browser_client):
    admin = browser_client(world.coordinator)
    entry = _entry(draft, "A1", 0, 1)
    response = admin.post(
        reverse("timetableentry_move", args=[entry.pk]), {"day": "0", "period": "2", "room": _room(world, "102").pk}
    )
    assert response.status_code == 302 and reverse("timetablerun_grid", args=[draft.pk]) in response["Location"]
    entry.refresh_from_db()
    assert (entry.day_of_week, entry.period, entry.room.number) == (0, 2, "102")


@pytest.mark.parametrize(("persona", "status"), [("committee", 403), ("college_a_admin", 404), ("student_a", 404)])
def test_move_page_refuses_others(world, draft, browser_client, persona, status):
    entry = _entry(draft, "A1", 0, 1)
    client = browser_client(world.users[persona])
    assert client.get(reverse("timetableentry_move", args=[entry.pk])).status_code == status
    response = client.post(
        reverse("timetableentry_move", args=[entry.pk]), {"day": "0", "period": "2", "room": _room(world, "102").pk}
    )
    assert response.status_code == status
    entry.refresh_from_db()
    assert (entry.day_of_week, entry.period) == (0, 1)


def _grid_queries(client, run, room):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("timetablerun_grid", args=[run.pk]), {"by": "room", "id": room.pk})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_grid_explains_penalties_in_a_fixed_number_of_queries(world, tiny, draft, browser_client):
    admin = browser_client(world.park_admin)
    room = _room(world, "101")
    _grid_queries(admin, draft, room)  # the first request also stores the session and language
    small, page = _grid_queries(admin, draft, room)
    assert 'id="penalties"' in page and reverse("timetableentry_move", args=[_entry(draft, "A1", 0, 1).pk]) in page
    # More cohorts, courses and lectures: the same number of queries.
    for i in range(3):
        cohort = make_cohort(world, f"加班{i}")
        course = make_course(world, f"X{i}", term=tiny, cohorts=[cohort], lectures_per_week=1, min_working_days=1)
        TimetableEntry.objects.create(run=draft, course=course, room=room, day_of_week=0, period=2 + i)
    big, _ = _grid_queries(admin, draft, room)
    assert big == small


# --- API ------------------------------------------------------------------------------------------


def test_api_moves_a_lecture_and_explains_refusals(world, draft, api):
    entry = _entry(draft, "A1", 0, 1)
    url = reverse("timetableentry-move", args=[entry.pk])
    admin = api(world.park_admin)
    refused = admin.post(url, {"day_of_week": 1, "period": 1, "room": _room(world, "102").pk}, format="json")
    assert refused.status_code == 400 and "already has a lecture at that time" in str(refused.json())
    bad = admin.post(url, {"day_of_week": 0, "period": 0, "room": _room(world, "102").pk}, format="json")
    assert bad.status_code == 400 and "period" in bad.json()
    foreign = make_room(world, "X1", park=world.other_park)
    assert admin.post(url, {"day_of_week": 0, "period": 2, "room": foreign.pk}, format="json").status_code == 400
    entry.refresh_from_db()
    assert (entry.day_of_week, entry.period) == (0, 1)
    done = admin.post(url, {"day_of_week": 0, "period": 2, "room": _room(world, "102").pk}, format="json")
    assert done.status_code == 200 and (done.json()["day_of_week"], done.json()["period"]) == (0, 2)
    draft.refresh_from_db()
    notes = admin.get(reverse("timetablerun-explanation", args=[draft.pk])).json()
    assert sum(n["cost"] for n in notes) == draft.soft_cost and {n["entry"] for n in notes} >= {entry.pk}


@pytest.mark.parametrize(("persona", "status"), [("committee", 403), ("student_a", 404), ("other_admin", 404)])
def test_api_refuses_moves_and_copies_by_others(world, draft, api, persona, status):
    entry = _entry(draft, "A1", 0, 1)
    client = api(world.users[persona])
    move = client.post(
        reverse("timetableentry-move", args=[entry.pk]),
        {"day_of_week": 0, "period": 2, "room": _room(world, "102").pk},
        format="json",
    )
    assert move.status_code == status
    assert client.post(reverse("timetablerun-copy", args=[draft.pk])).status_code == status
    entry.refresh_from_db()
    assert (entry.day_of_week, entry.period) == (0, 1) and TimetableRun.objects.count() == 1


def test_api_copies_a_timetable(world, draft, api):
    response = api(world.coordinator).post(reverse("timetablerun-copy", args=[draft.pk]))
    assert response.status_code == 201
    copy = TimetableRun.objects.get(pk=response.json()["id"])
    assert copy.status == TimetableStatus.DRAFT and copy.entries.count() == len(PLACEMENTS)


def test_publishing_tells_the_teachers_and_students(world, tiny, draft):
    from django.contrib.auth import get_user_model

    from iepark.careers.models import Notification
    from iepark.core.models import Teacher

    from .factories import make_students

    # The tiny term's courses are taught by T0001/T0002 to 班1-3 (three students each); give T0001 a login.
    teacher = Teacher.objects.get(staff_number="T0001")
    teacher.person.user = get_user_model().objects.create_user("t0001")
    teacher.person.save()
    enrolled = [e.student for e in tiny.courses.get(code="B1").cohorts.get().enrolments.all()]
    for student in enrolled:
        student.person.user = get_user_model().objects.create_user(f"s{student.pk}")
        student.person.save()
    bystander = make_students(world, 1, start=90)[0].person  # no cohort of the term
    bystander.user = get_user_model().objects.create_user("bystander")
    bystander.save()
    services.timetable_publish(actor=world.park_admin, run=draft)
    told = set(
        Notification.objects.filter(kind="teaching.timetable_published").values_list("recipient__username", flat=True)
    )
    assert "t0001" in told and {f"s{s.pk}" for s in enrolled} <= told
    assert "bystander" not in told
    assert world.park_admin.username not in told
    note = Notification.objects.filter(kind="teaching.timetable_published").first()
    assert note.url == reverse("my_timetable")


def test_a_room_unavailable_then_is_refused(world, draft):
    from iepark.teaching.models import RoomUnavailability

    room = _room(world, "102")
    RoomUnavailability.objects.create(room=room, day_of_week=0, first_period=2, last_period=2, reason="维修")
    with pytest.raises(ValidationError, match="102 is not available at that time"):
        services.timetable_entry_move(
            actor=world.park_admin, entry=_entry(draft, "A1", 0, 1), day_of_week=0, period=2, room=room
        )


def test_move_page_runs_a_fixed_number_of_queries(world, tiny, draft, browser_client):
    admin = browser_client(world.park_admin)
    entry = _entry(draft, "A1", 0, 1)
    url = reverse("timetableentry_move", args=[entry.pk])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert admin.get(url, {"room": _room(world, "102").pk}).status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first request also stores the session and language
    small = queries()
    for i in range(3):
        cohort = make_cohort(world, f"加班{i}")
        course = make_course(world, f"X{i}", term=tiny, cohorts=[cohort], lectures_per_week=1, min_working_days=1)
        room = make_room(world, f"9{i}")
        TimetableEntry.objects.create(run=draft, course=course, room=room, day_of_week=1, period=1 + i)
    assert queries() == small
