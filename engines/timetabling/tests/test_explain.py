"""The explainer agrees with the scorer: penalties add up to the soft cost, move checks to the hard cost."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engines.timetabling.ctt import read_instance, read_solution
from engines.timetabling.explain import (
    CURRICULUM_CLASH,
    ISOLATED,
    MIN_WORKING_DAYS,
    ROOM_CAPACITY,
    ROOM_STABILITY,
    ROOM_TAKEN,
    ROOM_UNSUITABLE,
    SAME_COURSE,
    TEACHER_CLASH,
    TEACHER_UNAVAILABLE,
    TimetableExplainer,
)
from engines.timetabling.model import Assignment, Course, Curriculum, Instance, Room, Solution
from engines.timetabling.score import score
from engines.timetabling.tests.strategies import DATA_DIR, NO_DATA, instances


def _moved(solution: Solution, index: int, day: int, period: int, room: str) -> Solution:
    assignments = list(solution.assignments)
    assignments[index] = replace(assignments[index], day=day, period=period, room=room)
    return Solution(tuple(assignments))


def _check_move(instance: Instance, solution: Solution, index: int, day: int, period: int, room: str) -> None:
    explainer = TimetableExplainer(instance, solution)
    refusals = explainer.refusals(index, day, period, room)
    if any(r.kind == SAME_COURSE for r in refusals):
        return  # a course twice in one period cannot even be stored
    before, after = score(instance, solution), score(instance, _moved(solution, index, day, period, room))
    assert explainer.soft_delta(index, day, period, room) == after.soft_cost - before.soft_cost
    if before.hard_violations == 0:
        assert (after.hard_violations == 0) == (not refusals), refusals


@st.composite
def stored_timetables(draw: st.DrawFn) -> tuple[Instance, Solution]:
    """A random instance and a timetable the platform could store: each course and room once per slot."""
    instance = draw(instances())
    slots = [(d, p) for d in range(instance.days) for p in range(instance.periods_per_day)]
    taken_rooms: set[tuple[str, int, int]] = set()
    assignments = []
    for course in instance.courses:
        free = list(slots)
        for _ in range(course.lectures):
            options = [(d, p, r.name) for d, p in free for r in instance.rooms if (r.name, d, p) not in taken_rooms]
            if not options:
                break
            d, p, room = draw(st.sampled_from(options))
            free.remove((d, p))
            taken_rooms.add((room, d, p))
            assignments.append(Assignment(course.name, room, d, p))
    assume(assignments)
    return instance, Solution(tuple(assignments))


@given(stored_timetables(), st.data())
@settings(max_examples=150, deadline=None)
def test_random_moves_agree_with_the_scorer(timetable: tuple[Instance, Solution], data: st.DataObject) -> None:
    instance, solution = timetable
    index = data.draw(st.integers(0, len(solution.assignments) - 1))
    day = data.draw(st.integers(0, instance.days - 1))
    period = data.draw(st.integers(0, instance.periods_per_day - 1))
    room = data.draw(st.sampled_from([r.name for r in instance.rooms]))
    _check_move(instance, solution, index, day, period, room)


@given(stored_timetables())
@settings(max_examples=150, deadline=None)
def test_penalties_add_up_to_the_soft_cost(timetable: tuple[Instance, Solution]) -> None:
    instance, solution = timetable
    explainer = TimetableExplainer(instance, solution)
    charged = sum(p.cost for lecture in explainer.penalties() for p in lecture)
    placed = {a.course for a in solution.assignments}
    # A course with no lecture placed has no lecture to charge its missing days to.
    uncharged = sum(5 * c.min_working_days for c in instance.courses if c.name not in placed)
    assert charged + uncharged == score(instance, solution).soft_cost
    cost = score(instance, solution)
    hard_in_place = cost.conflicts + cost.availability + cost.room_occupation + cost.room_suitability
    assert (hard_in_place == 0) == all(not explainer.problems(i) for i in range(len(solution.assignments)))


@pytest.mark.skipif(not DATA_DIR.is_dir(), reason=NO_DATA)
@pytest.mark.parametrize("name", ["comp01", "comp05", "comp12"])
def test_best_known_solutions_explained(name: str) -> None:
    instance = read_instance(DATA_DIR / f"{name}.ctt")
    solution = read_solution(DATA_DIR / "best-known-solutions" / f"{name}.sol")
    explainer = TimetableExplainer(instance, solution)
    assert sum(p.cost for lecture in explainer.penalties() for p in lecture) == score(instance, solution).soft_cost
    assert not any(explainer.problems(i) for i in range(len(solution.assignments)))
    rng = random.Random(name)
    rooms = [r.name for r in instance.rooms]
    for _ in range(60):
        _check_move(
            instance,
            solution,
            rng.randrange(len(solution.assignments)),
            rng.randrange(instance.days),
            rng.randrange(instance.periods_per_day),
            rng.choice(rooms),
        )


def _toy() -> tuple[Instance, Solution]:
    instance = Instance(
        name="toy",
        days=2,
        periods_per_day=3,
        courses=(
            Course("c0", "t0", 2, 2, 30),
            Course("c1", "t0", 1, 1, 10),
            Course("c2", "t1", 2, 1, 50, required_kind="lab"),
        ),
        rooms=(Room("rA", 40), Room("rB", 60, kind="lab")),
        curricula=(Curriculum("q0", ("c0", "c2")),),
        teacher_unavailability=frozenset({("t1", 1, 2)}),
    )
    solution = Solution(
        (
            Assignment("c0", "rA", 0, 0),
            Assignment("c0", "rB", 0, 2),
            Assignment("c1", "rA", 1, 0),
            Assignment("c2", "rB", 1, 1),
            Assignment("c2", "rB", 0, 1),
        )
    )
    return instance, solution


def test_penalties_name_their_figures() -> None:
    instance, solution = _toy()
    penalties = TimetableExplainer(instance, solution).penalties()
    kinds = {(i, p.kind): p for i, lecture in enumerate(penalties) for p in lecture}
    # c0 is taught on one day of the two it needs (charged to its first lecture) ...
    assert kinds[(0, MIN_WORKING_DAYS)].cost == 5
    assert kinds[(0, MIN_WORKING_DAYS)].detail == {"days": 1, "min_days": 2}
    # ... and in two rooms: the second room is charged to the first lecture taught there.
    assert kinds[(1, ROOM_STABILITY)].detail["room"] == "rB"
    # c2's 50 students in the 40-seat rA would be over capacity; in rB (60) they are not.
    assert (3, ROOM_CAPACITY) not in kinds
    # c2 on day 1 period 1 has no neighbour of curriculum q0: isolated.
    assert kinds[(3, ISOLATED)].detail == {"curriculum": "q0"}


def test_refusals_say_exactly_why() -> None:
    instance, solution = _toy()
    explainer = TimetableExplainer(instance, solution)
    # c1 (teacher t0) onto day 0 period 0 in rA: rA is taken by c0, which has the same teacher.
    assert {(r.kind, r.course) for r in explainer.refusals(2, 0, 0, "rA")} == {
        (ROOM_TAKEN, "c0"),
        (TEACHER_CLASH, "c0"),
    }
    # c0 onto day 0 period 1 in rA: curriculum q0 has c2 there.
    assert [(r.kind, r.course, r.curriculum) for r in explainer.refusals(0, 0, 1, "rA")] == [
        (CURRICULUM_CLASH, "c2", "q0")
    ]
    # c2 needs a lab and its teacher t1 is away on day 1 period 2.
    assert {r.kind for r in explainer.refusals(3, 1, 2, "rA")} == {TEACHER_UNAVAILABLE, ROOM_UNSUITABLE}
    # A free, suitable slot is allowed.
    assert explainer.refusals(2, 1, 2, "rA") == []
