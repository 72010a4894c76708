"""The scorer reproduces the official ITC-2007 validator (UD2)."""

from __future__ import annotations

import pytest

from engines.timetabling.ctt import read_instance, read_solution
from engines.timetabling.model import Assignment, Course, Curriculum, Instance, Room, Solution
from engines.timetabling.score import conflicting_courses, score
from engines.timetabling.tests.strategies import BEST_KNOWN, DATA_DIR, INSTANCES, NO_DATA


@pytest.mark.skipif(not DATA_DIR.is_dir(), reason=NO_DATA)
@pytest.mark.parametrize("name", INSTANCES)
def test_best_known_solution_has_official_cost(name: str) -> None:
    instance = read_instance(DATA_DIR / f"{name}.ctt")
    solution = read_solution(DATA_DIR / "best-known-solutions" / f"{name}.sol")
    cost = score(instance, solution)
    assert cost.hard_violations == 0
    assert cost.warnings == ()
    assert cost.soft_cost == BEST_KNOWN[name]


def _tiny(**extra: object) -> Instance:
    """Return two days of three periods, two rooms, and three courses (c0, c1 share teacher t0)."""
    fields: dict[str, object] = {
        "name": "tiny",
        "days": 2,
        "periods_per_day": 3,
        "courses": (
            Course("c0", "t0", 2, 2, 30),
            Course("c1", "t0", 1, 1, 10),
            Course("c2", "t1", 2, 1, 50),
        ),
        "rooms": (Room("rA", 40), Room("rB", 20, kind="lab")),
        "curricula": (Curriculum("q0", ("c0", "c2")),),
        "unavailability": frozenset({("c2", 1, 2)}),
    }
    fields.update(extra)
    return Instance(**fields)  # type: ignore[arg-type]


def test_hard_violations_are_counted_per_kind() -> None:
    solution = Solution(
        (
            Assignment("c0", "rA", 0, 0),
            Assignment("c1", "rB", 0, 0),  # teacher conflict with c0
            Assignment("c2", "rA", 0, 0),  # curriculum conflict with c0, room rA taken
            Assignment("c2", "rB", 1, 2),  # unavailable
        )
    )
    cost = score(_tiny(), solution)
    assert cost.lectures == 1  # c0 has one lecture of two
    assert cost.conflicts == 2
    assert cost.room_occupation == 1
    assert cost.availability == 1


def test_soft_components_follow_ud2() -> None:
    solution = Solution(
        (
            Assignment("c0", "rA", 0, 0),
            Assignment("c0", "rB", 0, 2),  # one day of two: MinWorkingDays 5; two rooms: stability 1; 10 over capacity
            Assignment("c1", "rA", 1, 0),
            Assignment("c2", "rA", 0, 1),  # next to both c0 lectures: nothing isolated that day
            Assignment("c2", "rB", 1, 1),  # isolated for q0: 2; 30 over capacity; second room: 1
        )
    )
    cost = score(_tiny(), solution)
    assert cost.hard_violations == 0
    assert cost.room_capacity == 10 + 10 + 30  # c0 in rB, c2 in rA, c2 in rB
    assert cost.min_working_days == 5
    assert cost.isolated_lectures == 2
    assert cost.room_stability == 2


def test_isolated_lectures_count_every_lecture_of_the_period() -> None:
    solution = Solution((Assignment("c0", "rA", 0, 0), Assignment("c2", "rB", 0, 0), Assignment("c0", "rA", 1, 1)))
    cost = score(_tiny(), solution)
    assert cost.conflicts == 1
    assert cost.isolated_lectures == 2 * 3


def test_park_extensions_are_hard() -> None:
    practical = Course("lab1", "t9", 2, 1, 10, required_kind="lab")
    instance = _tiny(
        courses=(*_tiny().courses, practical),
        teacher_unavailability=frozenset({("t9", 0, 0)}),
    )
    solution = Solution((Assignment("lab1", "rA", 1, 0), Assignment("lab1", "rB", 0, 0)))
    cost = score(instance, solution)
    assert cost.room_suitability == 1
    assert cost.availability == 1


def test_malformed_lines_become_warnings() -> None:
    solution = Solution(
        (
            Assignment("c0", "rA", 0, 0),
            Assignment("nope", "rA", 0, 1),
            Assignment("c0", "rZ", 0, 1),
            Assignment("c0", "rA", 2, 0),
            Assignment("c0", "rA", 0, 3),
            Assignment("c0", "rB", 0, 0),
        )
    )
    cost = score(_tiny(), solution)
    assert len(cost.warnings) == 5
    assert "unknown course nope" in cost.warnings[0]
    assert "unknown room rZ" in cost.warnings[1]
    assert "day 2 out of range" in cost.warnings[2]
    assert "period 3 out of range" in cost.warnings[3]
    assert "repeated entry" in cost.warnings[4]
    # Only the first line counts: c0 misses one lecture, the others miss all of theirs.
    assert cost.lectures == 1 + 1 + 2
    assert cost.room_occupation == 0


def test_co_teachers_conflict_and_bring_their_unavailability() -> None:
    shared = Course("c3", "t7", 2, 1, 10, co_teachers=("t1",))  # t1 also teaches c2
    instance = _tiny(
        courses=(*_tiny().courses, shared),
        teacher_unavailability=frozenset({("t1", 1, 0)}),
    )
    assert conflicting_courses(instance)[3] == {2}
    assert not instance.is_available(shared, 1, 0)
    assert instance.is_available(shared, 1, 1)
    solution = Solution(
        (
            Assignment("c2", "rA", 0, 1),
            Assignment("c3", "rB", 0, 1),  # c2's co-teacher t1: a conflict
            Assignment("c3", "rB", 1, 0),  # t1 is unavailable
        )
    )
    cost = score(instance, solution)
    assert cost.conflicts == 1
    assert cost.availability == 1


def test_room_unavailability_counts_under_availability_once_per_lecture() -> None:
    instance = _tiny(room_unavailability=frozenset({("rA", 0, 0), ("rB", 1, 2)}))
    assert not instance.room_is_available("rA", 0, 0)
    assert instance.room_is_available("rA", 0, 1)
    assert instance.room_is_available("rB", 0, 0)
    solution = Solution(
        (
            Assignment("c0", "rA", 0, 0),  # the room is unavailable
            Assignment("c0", "rA", 0, 1),
            Assignment("c2", "rB", 1, 2),  # both the course and the room are unavailable: counted once
        )
    )
    cost = score(instance, solution)
    assert cost.availability == 2
    assert cost.conflicts == 0
