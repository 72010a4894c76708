"""Anytime solver: a greedy construction followed by simulated annealing.

The search state keeps every lecture in its own (period, room) cell, so rooms are never
double-booked and a course never has two lectures in one period; the remaining hard
constraints (curriculum and teacher conflicts, unavailability, room suitability) are
penalised with a large weight. Two moves are used: move a lecture to an empty cell, and
swap the cells of two lectures. Every cost component is maintained incrementally, so a
move costs a few dozen operations whatever the size of the instance.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

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

HARD_WEIGHT = 1000

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
        self.availability += self.unavailable[c][period]
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
        self.availability -= self.unavailable[c][period]
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
                            HARD_WEIGHT * (hard + self.unsuitable[c][r])
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


def solve(
    instance: Instance,
    *,
    seconds: float = 10.0,
    seed: int = 0,
    max_iterations: int | None = None,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
    progress_interval: float = 0.25,
    initial_temperature: float = 2.0,
    final_temperature: float = 0.05,
    same_room_bias: float = 0.5,
) -> SolveResult:
    """Return the best timetable found within ``seconds`` (and ``max_iterations``, if given).

    The run is deterministic for a ``seed`` when it ends on ``max_iterations``: the
    cooling schedule then follows the iteration count, not the clock. ``on_progress``
    receives ``(elapsed, best_soft_cost, best_hard_violations)`` at most once per
    ``progress_interval`` seconds and once at the end; ``should_stop`` is polled often
    and ends the run early when it returns true.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    state = TimetableState(instance)
    state.construct(rng)

    best_objective = state.objective()
    best_periods, best_rooms = state.period_of[:], state.room_of[:]
    best_cost = state.breakdown()
    scheduled = [lec for lec, p in enumerate(state.period_of) if p >= 0]
    iterations = 0
    stopped_early = False
    last_report = started
    log_ratio = math.log(final_temperature / initial_temperature)
    temperature = initial_temperature
    lecture_course, allowed_rooms, allowed_periods = state.lecture_course, state.allowed_rooms, state.allowed_periods
    # int(random() * n) instead of randrange(n): several times faster, equally seeded.
    random_ = rng.random
    n_scheduled = len(scheduled)
    course_lectures: list[list[int]] = [[] for _ in instance.courses]
    for lec in scheduled:
        course_lectures[lecture_course[lec]].append(lec)
    # Phase 1 descends on the hard violations alone, taking sideways moves, until none
    # is left (or half the budget is spent); phase 2 anneals on the penalised objective
    # from where phase 1 ended.
    repairing = state.hard_violations() > 0
    current = state.hard_violations() if repairing else best_objective
    annealing_start_iteration, annealing_start_time = 0, 0.0
    check_every = 128
    limit = max_iterations if max_iterations is not None else math.inf

    while scheduled and best_objective > 0 and iterations < limit:
        if iterations % check_every == 0:
            now = time.perf_counter()
            elapsed = now - started
            if elapsed >= seconds:
                break
            if should_stop is not None and should_stop():
                stopped_early = True
                break
            if on_progress is not None and now - last_report >= progress_interval:
                last_report = now
                on_progress(elapsed, best_cost.soft_cost, best_cost.hard_violations)
            if repairing and (iterations / limit if max_iterations is not None else elapsed / seconds) >= 0.5:
                # Half the budget without reaching feasibility: anneal on the penalised
                # objective instead, so the soft cost is not left to chance.
                repairing = False
                current = state.objective()
                annealing_start_iteration, annealing_start_time = iterations, elapsed
            if max_iterations is not None:
                span = max(1, max_iterations - annealing_start_iteration)
                fraction = (iterations - annealing_start_iteration) / span
            else:
                fraction = (elapsed - annealing_start_time) / max(1e-9, seconds - annealing_start_time)
            temperature = initial_temperature * math.exp(log_ratio * min(1.0, fraction))
        iterations += 1

        lecture = scheduled[int(random_() * n_scheduled)]
        course = lecture_course[lecture]
        rooms, periods = allowed_rooms[course], allowed_periods[course]
        period = periods[int(random_() * len(periods))]
        if random_() < same_room_bias:
            # Aim at the room of another lecture of the course: it keeps room stability in reach.
            sibling = course_lectures[course]
            room = state.room_of[sibling[int(random_() * len(sibling))]]
            if room < 0:
                continue
        else:
            room = rooms[int(random_() * len(rooms))]
        if not state.can_move(lecture, period, room):
            continue
        undo = state.move(lecture, period, room)
        if repairing:
            candidate = state.hard_violations()
            accepted = candidate <= current
        else:
            candidate = state.objective()
            delta = candidate - current
            accepted = delta <= 0 or random_() < math.exp(-delta / temperature)
        if not accepted:
            # Undo: the lecture goes back, and a swapped occupant follows it back.
            lec, p, r = undo
            state.move(lec, p, r)
            continue
        current = candidate
        objective = state.objective() if repairing else current
        if objective < best_objective:
            best_objective = objective
            best_periods, best_rooms = state.period_of[:], state.room_of[:]
            best_cost = state.breakdown()
        if repairing and current == 0:
            repairing = False
            current = objective
            annealing_start_iteration = iterations
            annealing_start_time = time.perf_counter() - started

    elapsed = time.perf_counter() - started
    if on_progress is not None:
        on_progress(elapsed, best_cost.soft_cost, best_cost.hard_violations)
    return SolveResult(
        solution=state.to_solution(best_periods, best_rooms),
        cost=best_cost,
        iterations=iterations,
        elapsed=elapsed,
        stopped_early=stopped_early,
    )
