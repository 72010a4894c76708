"""Anytime solver: a greedy construction followed by simulated annealing.

The search state keeps every lecture in its own (period, room) cell, so rooms are never
double-booked and a course never has two lectures in one period; the remaining hard
constraints (curriculum and teacher conflicts, unavailability, room suitability) are
penalised. :class:`TimetableState` is the pure-Python incremental state used by the
construction; the annealing runs in :mod:`engines.timetabling.kernel`, compiled with
Numba, on flat arrays built from it: two neighbourhoods (MoveLecture, SwapLectures),
incremental delta evaluation, geometric cooling with a fixed number of neighbours per
temperature and a cut-off on accepted moves, the number of neighbours set so that the
schedule ends with the budget.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engines.timetabling import kernel
from engines.timetabling.model import (
    ISOLATED_LECTURES_WEIGHT,
    MIN_WORKING_DAYS_WEIGHT,
    ROOM_CAPACITY_WEIGHT,
    ROOM_STABILITY_WEIGHT,
    Assignment,
    CostBreakdown,
    Instance,
    Solution,
    room_suits,
)
from engines.timetabling.score import conflicting_courses

# Weight of a hard violation in the penalised objective of the construction.
HARD_WEIGHT = 1000
# Annealing defaults (see docs/timetabling.md, "The solver", for how they were chosen).
INITIAL_TEMPERATURE = 10.0
FINAL_TEMPERATURE = 0.2
COOLING_RATE = 0.99
ACCEPTED_RATIO = 0.03
ANNEALING_HARD_WEIGHT = 20.0
SWAP_RATE = 0.3
SAME_ROOM_BIAS = 0.5

ProgressCallback = Callable[[float, int, int], None]


@dataclass(frozen=True)
class SolveResult:
    """The best solution found, its cost as tracked by the search, and run statistics."""

    solution: Solution
    cost: CostBreakdown
    iterations: int
    elapsed: float
    stopped_early: bool


class TimetableState:
    """A complete timetable with incrementally maintained cost components.

    Lectures are numbered ``0 .. L-1`` course by course. A lecture that could not be
    placed by the construction stays unscheduled and counts as a Lectures violation.
    """

    def __init__(self, instance: Instance) -> None:
        """Prepare the empty timetable and the per-course lookup tables of ``instance``."""
        self.instance = instance
        self.n_periods = P = instance.periods
        self.n_rooms = R = len(instance.rooms)
        self.n_days = instance.days
        self.ppd = instance.periods_per_day
        courses = instance.courses
        C = len(courses)
        self.lecture_course = [c for c, course in enumerate(courses) for _ in range(course.lectures)]
        L = len(self.lecture_course)
        self.conflict_mask = [sum(1 << j for j in group) for group in conflicting_courses(instance)]
        self.unavailable = [
            [0 if instance.is_available(course, p // self.ppd, p % self.ppd) else 1 for p in range(P)]
            for course in courses
        ]
        self.room_unavailable = [
            [0 if instance.room_is_available(room.name, p // self.ppd, p % self.ppd) else 1 for p in range(P)]
            for room in instance.rooms
        ]
        self.unsuitable = [[0 if room_suits(course, room) else 1 for room in instance.rooms] for course in courses]
        self.capacity_penalty = [
            [max(0, course.students - room.capacity) for room in instance.rooms] for course in courses
        ]
        self.min_days = [course.min_working_days for course in courses]
        curricula_of: list[list[int]] = [[] for _ in courses]
        for q, curriculum in enumerate(instance.curricula):
            for name in dict.fromkeys(curriculum.courses):
                curricula_of[instance.course_index[name]].append(q)
        self.curricula_of = curricula_of
        self.curriculum_rows = [[q * P for q in qs] for qs in curricula_of]
        # Moves only aim at suitable rooms and available periods (all of them when there are none).
        self.allowed_rooms = []
        self.allowed_periods = []
        for c in range(C):
            rooms = [r for r in range(R) if not self.unsuitable[c][r]]
            self.allowed_rooms.append(rooms or list(range(R)))
            periods = [p for p in range(P) if not self.unavailable[c][p]]
            self.allowed_periods.append(periods or list(range(P)))

        self.period_of = [-1] * L
        self.room_of = [-1] * L
        self.cell = [-1] * (P * R)
        self.course_room_at = [-1] * (C * P)
        self.period_mask = [0] * P
        self.course_day_count = [0] * (C * self.n_days)
        self.course_days = [0] * C
        self.course_room_count = [0] * (C * R)
        self.course_rooms = [0] * C
        self.curriculum_count = [0] * (len(instance.curricula) * P)

        self.unscheduled = L
        self.conflicts = 0
        self.availability = 0
        self.suitability = 0
        self.capacity = 0
        # Unweighted counts; the weights are applied in objective() and breakdown().
        self.missing_days = sum(self.min_days)
        self.isolated = 0
        self.extra_rooms = 0

    # -- incremental primitives -------------------------------------------------------

    def _isolation_change(self, course: int, period: int, step: int) -> int:
        """Add ``step`` (1 or -1) lectures of ``course``'s curricula in ``period``; return the isolated lectures gained.

        One more lecture in a period is isolated if both adjacent periods of the day are
        empty; if the period was empty, its neighbours' lectures stop being isolated when
        they were. Removing a lecture is the reverse of adding it back.
        """
        cnt = self.curriculum_count
        slot = period % self.ppd
        has_left, has_left2 = slot > 0, slot > 1
        has_right, has_right2 = slot < self.ppd - 1, slot < self.ppd - 2
        total = 0
        for base in self.curriculum_rows[course]:
            i = base + period
            if step < 0:
                cnt[i] -= 1
            left = cnt[i - 1] if has_left else 0
            right = cnt[i + 1] if has_right else 0
            gain = 1 if not left and not right else 0
            if not cnt[i]:
                if left and not (has_left2 and cnt[i - 2]):
                    gain -= left
                if right and not (has_right2 and cnt[i + 2]):
                    gain -= right
            if step > 0:
                cnt[i] += 1
            total += gain * step
        return total

    def place(self, lecture: int, period: int, room: int) -> None:
        """Put an unscheduled ``lecture`` in the empty cell (``period``, ``room``)."""
        c = self.lecture_course[lecture]
        P, R = self.n_periods, self.n_rooms
        self.period_of[lecture] = period
        self.room_of[lecture] = room
        self.cell[period * R + room] = lecture
        self.course_room_at[c * P + period] = room
        self.unscheduled -= 1
        self.conflicts += (self.conflict_mask[c] & self.period_mask[period]).bit_count()
        self.period_mask[period] |= 1 << c
        self.availability += self.unavailable[c][period] | self.room_unavailable[room][period]
        self.suitability += self.unsuitable[c][room]
        self.capacity += self.capacity_penalty[c][room]
        k = c * self.n_days + period // self.ppd
        if self.course_day_count[k] == 0:
            self.course_days[c] += 1
            if self.course_days[c] <= self.min_days[c]:
                self.missing_days -= 1
        self.course_day_count[k] += 1
        k = c * R + room
        if self.course_room_count[k] == 0:
            self.course_rooms[c] += 1
            if self.course_rooms[c] >= 2:
                self.extra_rooms += 1
        self.course_room_count[k] += 1
        self.isolated += self._isolation_change(c, period, 1)

    def unplace(self, lecture: int) -> None:
        """Take a scheduled ``lecture`` out of its cell."""
        c = self.lecture_course[lecture]
        P, R = self.n_periods, self.n_rooms
        period, room = self.period_of[lecture], self.room_of[lecture]
        self.period_of[lecture] = -1
        self.room_of[lecture] = -1
        self.cell[period * R + room] = -1
        self.course_room_at[c * P + period] = -1
        self.unscheduled += 1
        self.period_mask[period] &= ~(1 << c)
        self.conflicts -= (self.conflict_mask[c] & self.period_mask[period]).bit_count()
        self.availability -= self.unavailable[c][period] | self.room_unavailable[room][period]
        self.suitability -= self.unsuitable[c][room]
        self.capacity -= self.capacity_penalty[c][room]
        k = c * self.n_days + period // self.ppd
        self.course_day_count[k] -= 1
        if self.course_day_count[k] == 0:
            self.course_days[c] -= 1
            if self.course_days[c] < self.min_days[c]:
                self.missing_days += 1
        k = c * R + room
        self.course_room_count[k] -= 1
        if self.course_room_count[k] == 0:
            self.course_rooms[c] -= 1
            if self.course_rooms[c] >= 1:
                self.extra_rooms -= 1
        self.isolated += self._isolation_change(c, period, -1)

    def can_move(self, lecture: int, period: int, room: int) -> bool:
        """Return whether ``lecture`` may go to (``period``, ``room``), swapping with its occupant if any.

        A move is refused when it would leave a course twice in one period (the
        validator would drop one of the two lectures) or when it changes nothing.
        """
        p, r = self.period_of[lecture], self.room_of[lecture]
        if p < 0 or (p == period and r == room):
            return False
        P = self.n_periods
        c = self.lecture_course[lecture]
        other = self.cell[period * self.n_rooms + room]
        if other == -1:
            return period == p or self.course_room_at[c * P + period] == -1
        oc = self.lecture_course[other]
        if oc == c:
            return False
        return period == p or (self.course_room_at[c * P + period] == -1 and self.course_room_at[oc * P + p] == -1)

    def move(self, lecture: int, period: int, room: int) -> tuple[int, int, int]:
        """Move ``lecture`` to (``period``, ``room``), swapping with its occupant; return what undoes it.

        Call :meth:`can_move` first. The returned ``(lecture, period, room)`` passed back to
        ``move`` restores the previous timetable.
        """
        p, r = self.period_of[lecture], self.room_of[lecture]
        other = self.cell[period * self.n_rooms + room]
        self.unplace(lecture)
        if other == -1:
            self.place(lecture, period, room)
        else:
            self.unplace(other)
            self.place(lecture, period, room)
            self.place(other, p, r)
        return lecture, p, r

    # -- costs ------------------------------------------------------------------------

    def hard_violations(self) -> int:
        """Return the number of hard violations."""
        return self.unscheduled + self.conflicts + self.availability + self.suitability

    def soft_cost(self) -> int:
        """Return the weighted soft cost."""
        return (
            self.capacity * ROOM_CAPACITY_WEIGHT
            + self.missing_days * MIN_WORKING_DAYS_WEIGHT
            + self.isolated * ISOLATED_LECTURES_WEIGHT
            + self.extra_rooms * ROOM_STABILITY_WEIGHT
        )

    def objective(self) -> int:
        """Return the penalised cost that the search minimises."""
        return HARD_WEIGHT * self.hard_violations() + self.soft_cost()

    def breakdown(self) -> CostBreakdown:
        """Return the tracked cost in the scorer's terms."""
        return CostBreakdown(
            lectures=self.unscheduled,
            conflicts=self.conflicts,
            availability=self.availability,
            room_occupation=0,
            room_suitability=self.suitability,
            room_capacity=self.capacity * ROOM_CAPACITY_WEIGHT,
            min_working_days=self.missing_days * MIN_WORKING_DAYS_WEIGHT,
            isolated_lectures=self.isolated * ISOLATED_LECTURES_WEIGHT,
            room_stability=self.extra_rooms * ROOM_STABILITY_WEIGHT,
        )

    def to_solution(self, period_of: list[int] | None = None, room_of: list[int] | None = None) -> Solution:
        """Return the timetable (or the given placement arrays) as a :class:`Solution`."""
        period_of = self.period_of if period_of is None else period_of
        room_of = self.room_of if room_of is None else room_of
        inst = self.instance
        return Solution(
            tuple(
                Assignment(
                    inst.courses[c].name,
                    inst.rooms[room_of[lec]].name,
                    period_of[lec] // self.ppd,
                    period_of[lec] % self.ppd,
                )
                for lec, c in enumerate(self.lecture_course)
                if period_of[lec] >= 0
            )
        )

    # -- construction -----------------------------------------------------------------

    def construct(self, rng: random.Random) -> None:
        """Place every lecture greedily, hardest course first, in the cheapest free cell."""
        inst = self.instance
        P, R = self.n_periods, self.n_rooms
        order = sorted(
            range(len(inst.courses)),
            key=lambda c: (
                (P - sum(self.unavailable[c])) * len(self.allowed_rooms[c]) / max(1, inst.courses[c].lectures),
                -self.conflict_mask[c].bit_count(),
                rng.random(),
            ),
        )
        lectures_of: list[list[int]] = [[] for _ in inst.courses]
        for lec, c in enumerate(self.lecture_course):
            lectures_of[c].append(lec)
        for c in order:
            for lec in lectures_of[c]:
                best_key = None
                best: list[tuple[int, int]] = []
                for p in range(P):
                    if self.course_room_at[c * P + p] != -1:
                        continue
                    hard = (self.conflict_mask[c] & self.period_mask[p]).bit_count() + self.unavailable[c][p]
                    new_day = self.course_day_count[c * self.n_days + p // self.ppd] == 0
                    day_gain = -MIN_WORKING_DAYS_WEIGHT if new_day and self.course_days[c] < self.min_days[c] else 0
                    for r in range(R):
                        if self.cell[p * R + r] != -1:
                            continue
                        key = (
                            HARD_WEIGHT * (hard + self.unsuitable[c][r] + self.room_unavailable[r][p])
                            + self.capacity_penalty[c][r]
                            + day_gain
                            + (0 if self.course_room_count[c * R + r] or self.course_rooms[c] == 0 else 1)
                        )
                        if best_key is None or key < best_key:
                            best_key, best = key, [(p, r)]
                        elif key == best_key:
                            best.append((p, r))
                if best:
                    self.place(lec, *rng.choice(best))


def _csr(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Return ``rows`` as a compressed pair (pointers, values) of int64 arrays."""
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(row) for row in rows])
    values = np.array([v for row in rows for v in row], dtype=np.int64)
    return ptr, values


def _flat(matrix: list[list[int]]) -> np.ndarray:
    """Return a row-major int64 array of ``matrix``."""
    return np.array([v for row in matrix for v in row], dtype=np.int64)


def _kernel_arrays(state: TimetableState) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...], np.ndarray]:
    """Return the kernel's static arrays, its empty state arrays and the (lecture, period, room) rows of ``state``.

    The first call of :func:`kernel.anneal` puts those rows in place.
    """
    inst = state.instance
    C, P, R, D = len(inst.courses), state.n_periods, state.n_rooms, state.n_days
    L = len(state.lecture_course)
    neighbours = [sorted(group) for group in conflicting_courses(inst)]
    curricula = [[q * P for q in qs] for qs in state.curricula_of]
    lectures_of: list[list[int]] = [[] for _ in range(C)]
    for lec, c in enumerate(state.lecture_course):
        lectures_of[c].append(lec)
    period_allowed = [[0] * P for _ in range(C)]
    room_allowed = [[0] * R for _ in range(C)]
    for c in range(C):
        for p in state.allowed_periods[c]:
            period_allowed[c][p] = 1
        for r in state.allowed_rooms[c]:
            room_allowed[c][r] = 1
    static = (
        np.array([P, R, D, state.ppd, C], dtype=np.int64),
        np.array(state.lecture_course, dtype=np.int64),
        *_csr(neighbours),
        _flat(state.unavailable),
        _flat(state.room_unavailable),
        _flat(state.unsuitable),
        _flat(state.capacity_penalty),
        np.array(state.min_days, dtype=np.int64),
        *_csr(curricula),
        *_csr(state.allowed_periods),
        *_csr(state.allowed_rooms),
        _flat(period_allowed),
        _flat(room_allowed),
        *_csr(lectures_of),
        np.array([lec for lec, p in enumerate(state.period_of) if p >= 0], dtype=np.int64),
    )
    counters = np.zeros(kernel.N_COUNTERS, dtype=np.int64)
    counters[kernel.UNSCHEDULED] = L
    counters[kernel.MISSING_DAYS] = sum(state.min_days)
    dynamic = (
        np.full(L, -1, dtype=np.int64),
        np.full(L, -1, dtype=np.int64),
        np.full(P * R, -1, dtype=np.int64),
        np.full(C * P, -1, dtype=np.int64),
        np.zeros(C * D, dtype=np.int64),
        np.zeros(C, dtype=np.int64),
        np.zeros(C * R, dtype=np.int64),
        np.zeros(C, dtype=np.int64),
        np.zeros(len(inst.curricula) * P, dtype=np.int64),
        counters,
        np.full(L, -1, dtype=np.int64),
        np.full(L, -1, dtype=np.int64),
        np.zeros(kernel.N_COUNTERS, dtype=np.int64),
    )
    load = np.array(
        [(lec, p, state.room_of[lec]) for lec, p in enumerate(state.period_of) if p >= 0], dtype=np.int64
    ).reshape(-1, 3)
    return static, dynamic, load


def _breakdown(counters: np.ndarray) -> CostBreakdown:
    """Return the kernel's ``counters`` in the scorer's terms."""
    return CostBreakdown(
        lectures=int(counters[kernel.UNSCHEDULED]),
        conflicts=int(counters[kernel.CONFLICTS]),
        availability=int(counters[kernel.AVAILABILITY]),
        room_occupation=0,
        room_suitability=int(counters[kernel.SUITABILITY]),
        room_capacity=int(counters[kernel.CAPACITY]) * ROOM_CAPACITY_WEIGHT,
        min_working_days=int(counters[kernel.MISSING_DAYS]) * MIN_WORKING_DAYS_WEIGHT,
        isolated_lectures=int(counters[kernel.ISOLATED]) * ISOLATED_LECTURES_WEIGHT,
        room_stability=int(counters[kernel.EXTRA_ROOMS]) * ROOM_STABILITY_WEIGHT,
    )


def _random_state(seed: int) -> int:
    """Return a non-zero signed 64-bit xorshift state derived from ``seed`` (splitmix64)."""
    z = (seed * 0x9E3779B97F4A7C15 + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    z ^= z >> 31
    z = z or 1
    return z - (1 << 64) if z >= 1 << 63 else z


def solve(
    instance: Instance,
    *,
    seconds: float = 10.0,
    seed: int = 0,
    max_iterations: int | None = None,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
    progress_interval: float = 0.25,
    initial_temperature: float = INITIAL_TEMPERATURE,
    final_temperature: float = FINAL_TEMPERATURE,
    cooling_rate: float = COOLING_RATE,
    accepted_ratio: float = ACCEPTED_RATIO,
    hard_weight: float = ANNEALING_HARD_WEIGHT,
    swap_rate: float = SWAP_RATE,
    same_room_bias: float = SAME_ROOM_BIAS,
    clock: Callable[[], float] = time.perf_counter,
) -> SolveResult:
    """Return the best timetable found within ``seconds`` (and ``max_iterations``, if given).

    A greedy construction is followed by simulated annealing on ``hard_weight`` × hard
    violations + soft cost, cooled geometrically by ``cooling_rate`` from
    ``initial_temperature`` to ``final_temperature``. The number of neighbours sampled per
    temperature is set so that the schedule ends with the budget: the remaining iterations
    (``max_iterations``, or the measured move rate × the remaining time) over the remaining
    temperature levels; a level also ends once ``accepted_ratio`` of its neighbours were
    accepted.

    The run is deterministic for a ``seed`` when it ends on ``max_iterations``: the
    schedule then follows the iteration count, not the clock. ``on_progress`` receives
    ``(elapsed, best_soft_cost, best_hard_violations)`` at most once per
    ``progress_interval`` seconds and once at the end; ``should_stop`` is polled between
    chunks of at most about 0.05 s and ends the run early when it returns true.
    ``clock`` measures the budget and the elapsed time: the wall clock by default,
    ``time.process_time`` for CPU seconds (a benchmark on a shared machine).
    """
    started = clock()
    state = TimetableState(instance)
    state.construct(random.Random(seed))
    static, dynamic, load = _kernel_arrays(state)
    best_counters = dynamic[kernel.D_BEST_COUNTERS]
    fparams = np.array(
        [initial_temperature, cooling_rate, final_temperature, hard_weight, swap_rate, same_room_bias, 1.0],
        dtype=np.float64,
    )
    iparams = np.zeros(6, dtype=np.int64)
    iparams[kernel.I_RANDOM] = _random_state(seed)
    log_cooling = math.log(cooling_rate)
    kernel.anneal(static, dynamic, fparams, iparams, 0, load)  # put the construction's timetable in place
    no_load = load[:0]

    def set_neighbours(remaining_iterations: float) -> None:
        temperature = fparams[kernel.F_TEMPERATURE]
        levels = (
            max(1.0, math.log(final_temperature / temperature) / log_cooling)
            if temperature > final_temperature
            else 1.0
        )
        neighbours = max(1, int(remaining_iterations / levels))
        iparams[kernel.I_NEIGHBOURS] = neighbours
        iparams[kernel.I_CUTOFF] = max(1, int(accepted_ratio * neighbours))

    stopped_early = repairing = False
    saved_temperature = initial_temperature
    last_report = clock()
    annealing_started = last_report
    if on_progress is not None:
        on_progress(last_report - started, soft_cost_of(best_counters), int(kernel.hard_violations(best_counters)))
    while True:
        iterations = int(iparams[kernel.I_ITERATIONS])
        now = clock()
        if now - started >= seconds:
            break
        if max_iterations is not None:
            remaining = max_iterations - iterations
            if remaining <= 0:
                break
            set_neighbours(remaining)
            size = min(remaining, 20_000)
        else:
            rate = iterations / (now - annealing_started) if iterations else 0.0
            if rate:
                set_neighbours(rate * (seconds - (now - started)))
                size = max(1000, int(rate * min(0.05, seconds - (now - started))))
            else:
                set_neighbours(1e6 * seconds)
                size = 1000
        done = kernel.anneal(static, dynamic, fparams, iparams, size, no_load)
        if done < size:  # the best cost is 0: nothing left to improve
            break
        fraction = (
            iparams[kernel.I_ITERATIONS] / max_iterations
            if max_iterations is not None
            else (clock() - started) / seconds
        )
        if not repairing and kernel.hard_violations(best_counters) > 0 and 0.5 <= fraction < 0.9:
            # Half the budget without a feasible timetable: search on the hard violations
            # alone (sideways moves accepted) until there are none, then anneal on.
            repairing, saved_temperature = True, fparams[kernel.F_TEMPERATURE]
            fparams[kernel.F_SOFT_WEIGHT], fparams[kernel.F_HARD_WEIGHT] = 0.0, 1.0
            fparams[kernel.F_TEMPERATURE] = final_temperature
        elif repairing and (kernel.hard_violations(best_counters) == 0 or fraction >= 0.9):
            repairing = False
            fparams[kernel.F_SOFT_WEIGHT], fparams[kernel.F_HARD_WEIGHT] = 1.0, hard_weight
            fparams[kernel.F_TEMPERATURE] = saved_temperature
        if should_stop is not None and should_stop():
            stopped_early = True
            break
        now = clock()
        if on_progress is not None and now - last_report >= progress_interval:
            last_report = now
            on_progress(now - started, soft_cost_of(best_counters), int(kernel.hard_violations(best_counters)))

    elapsed = clock() - started
    best_cost = _breakdown(best_counters)
    if on_progress is not None:
        on_progress(elapsed, best_cost.soft_cost, best_cost.hard_violations)
    return SolveResult(
        solution=state.to_solution(dynamic[kernel.D_BEST_PERIOD_OF].tolist(), dynamic[kernel.D_BEST_ROOM_OF].tolist()),
        cost=best_cost,
        iterations=int(iparams[kernel.I_ITERATIONS]),
        elapsed=elapsed,
        stopped_early=stopped_early,
    )


def soft_cost_of(counters: np.ndarray) -> int:
    """Return the weighted soft cost of the kernel's ``counters``."""
    return int(kernel.soft_cost(counters))
