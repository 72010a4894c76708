"""The solver: tracked cost equals the scorer's, determinism, early stop, park extensions."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engines.timetabling import kernel
from engines.timetabling.ctt import read_instance
from engines.timetabling.model import Course, Curriculum, Instance, Room, room_suits
from engines.timetabling.score import score
from engines.timetabling.solver import TimetableState, _breakdown, _kernel_arrays, _random_state, solve
from engines.timetabling.tests.strategies import DATA_DIR, NO_DATA, instances


@settings(max_examples=60, deadline=None)
@given(instances(), st.integers(0, 2**16))
def test_reported_cost_equals_scorer(instance: Instance, seed: int) -> None:
    result = solve(instance, seconds=30, seed=seed, max_iterations=1500)
    rescored = score(instance, result.solution)
    assert rescored.warnings == ()
    assert result.cost == rescored


@settings(max_examples=60, deadline=None)
@given(instances(), st.integers(0, 2**16))
def test_incremental_cost_equals_full_rescoring(instance: Instance, seed: int) -> None:
    rng = random.Random(seed)
    state = TimetableState(instance)
    state.construct(rng)
    assert state.breakdown() == score(instance, state.to_solution())
    scheduled = [lec for lec, p in enumerate(state.period_of) if p >= 0]
    for _ in range(40):
        if not scheduled:
            break
        lecture = rng.choice(scheduled)
        period, room = rng.randrange(state.n_periods), rng.randrange(state.n_rooms)
        if not state.can_move(lecture, period, room):
            continue
        before = state.breakdown()
        undo = state.move(lecture, period, room)
        assert state.breakdown() == score(instance, state.to_solution())
        if rng.random() < 0.3:
            state.move(*undo)
            assert state.breakdown() == before


@settings(max_examples=60, deadline=None)
@given(instances(), st.integers(0, 2**16), st.integers(1, 3000))
def test_compiled_search_tracks_the_cost_of_its_current_timetable(instance: Instance, seed: int, steps: int) -> None:
    # At a high temperature most moves are accepted; the counters must follow every one.
    state = TimetableState(instance)
    state.construct(random.Random(seed))
    static, dynamic, load = _kernel_arrays(state)
    fparams = np.array([50.0, 0.9, 0.1, 2.0, 0.4, 0.5, 1.0])
    iparams = np.array([_random_state(seed), 100, 30, 0, 0, 0], dtype=np.int64)
    kernel.anneal(static, dynamic, fparams, iparams, 0, load)
    assert _breakdown(dynamic[kernel.D_COUNTERS]) == state.breakdown()
    kernel.anneal(static, dynamic, fparams, iparams, steps, load[:0])
    current = state.to_solution(dynamic[kernel.D_PERIOD_OF].tolist(), dynamic[kernel.D_ROOM_OF].tolist())
    assert _breakdown(dynamic[kernel.D_COUNTERS]) == score(instance, current)
    best = state.to_solution(dynamic[kernel.D_BEST_PERIOD_OF].tolist(), dynamic[kernel.D_BEST_ROOM_OF].tolist())
    assert _breakdown(dynamic[kernel.D_BEST_COUNTERS]) == score(instance, best)


@settings(max_examples=20, deadline=None)
@given(instances(), st.integers(0, 2**16))
def test_same_seed_and_iterations_give_same_solution(instance: Instance, seed: int) -> None:
    first = solve(instance, seconds=30, seed=seed, max_iterations=800)
    second = solve(instance, seconds=30, seed=seed, max_iterations=800)
    assert first.solution == second.solution
    assert first.iterations == second.iterations


@pytest.mark.skipif(not DATA_DIR.is_dir(), reason=NO_DATA)
def test_comp01_is_deterministic_and_feasible() -> None:
    instance = read_instance(DATA_DIR / "comp01.ctt")
    first = solve(instance, seconds=60, seed=7, max_iterations=20_000)
    second = solve(instance, seconds=60, seed=7, max_iterations=20_000)
    assert first.solution == second.solution
    assert first.iterations == second.iterations == 20_000
    assert first.cost.feasible
    assert first.cost == score(instance, first.solution)


@pytest.mark.skipif(not DATA_DIR.is_dir(), reason=NO_DATA)
def test_progress_is_reported_and_stop_is_honoured() -> None:
    instance = read_instance(DATA_DIR / "comp01.ctt")
    reports: list[tuple[float, int, int]] = []
    polls = 0

    def should_stop() -> bool:
        nonlocal polls
        polls += 1
        return polls > 10

    result = solve(
        instance,
        seconds=60,
        seed=1,
        on_progress=lambda *args: reports.append(args),
        should_stop=should_stop,
        progress_interval=0.0,
    )
    assert result.stopped_early
    assert result.elapsed < 30
    assert reports, "the final state is always reported"
    elapsed, best, hard = reports[-1]
    assert (best, hard) == (result.cost.soft_cost, result.cost.hard_violations)
    assert all(a[0] <= b[0] for a, b in zip(reports, reports[1:], strict=False))
    assert result.cost == score(instance, result.solution)


@pytest.mark.skipif(not DATA_DIR.is_dir(), reason=NO_DATA)
def test_time_limit_bounds_a_run_with_an_iteration_budget() -> None:
    instance = read_instance(DATA_DIR / "comp01.ctt")
    ticks = iter(range(10**6))
    result = solve(instance, seconds=6, seed=3, max_iterations=10**12, clock=lambda: float(next(ticks)))
    assert 0 < result.iterations < 10**12
    assert not result.stopped_early
    assert result.elapsed >= 6
    assert result.cost == score(instance, result.solution)


@st.composite
def park_instances(draw: st.DrawFn) -> Instance:
    """Draw a loose, feasible park instance with practical courses and teacher unavailability."""
    days, ppd = draw(st.integers(3, 5)), 4
    periods = days * ppd
    rooms = (Room("lab1", 30, kind="lab", features=frozenset({"bench"})), Room("hall", 100), Room("r2", 40))
    courses = []
    budget = periods // 2
    for i in range(draw(st.integers(1, 5))):
        lectures = draw(st.integers(1, 2))
        if lectures > budget:
            break
        budget -= lectures
        practical = draw(st.booleans())
        courses.append(
            Course(
                f"c{i}",
                f"t{draw(st.integers(0, 2))}",
                lectures,
                1,
                draw(st.integers(5, 40)),
                required_kind="lab" if practical else "",
                required_features=frozenset({"bench"}) if practical and draw(st.booleans()) else frozenset(),
                co_teachers=(f"t{draw(st.integers(0, 3))}",) if draw(st.booleans()) else (),
            )
        )
    slots = st.tuples(st.integers(0, days - 1), st.integers(0, ppd - 1))
    busy = frozenset(
        (f"t{t}", d, p) for t in range(4) for d, p in draw(st.lists(slots, max_size=periods // 6, unique=True))
    )
    closed = frozenset((room.name, d, p) for room in rooms for d, p in draw(st.lists(slots, max_size=2, unique=True)))
    names = tuple(c.name for c in courses)
    return Instance(
        "park",
        days,
        ppd,
        tuple(courses),
        rooms,
        (Curriculum("q0", names),),
        teacher_unavailability=busy,
        room_unavailability=closed,
    )


@settings(max_examples=25, deadline=None, derandomize=True)  # feasible by construction; no flaky draws
@given(park_instances(), st.integers(0, 2**16))
def test_park_constraints_are_respected(instance: Instance, seed: int) -> None:
    result = solve(instance, seconds=30, seed=seed, max_iterations=5000)
    assert result.cost.hard_violations == 0
    courses = {c.name: c for c in instance.courses}
    rooms = {r.name: r for r in instance.rooms}
    for a in result.solution.assignments:
        course = courses[a.course]
        assert room_suits(course, rooms[a.room])
        assert all((t, a.day, a.period) not in instance.teacher_unavailability for t in course.teachers)
        assert (a.room, a.day, a.period) not in instance.room_unavailability
