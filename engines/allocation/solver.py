"""
Allocate students to beds: choose who can be placed, build a plan cohort by cohort, then improve it by local search.

1. Selection. Per gender, students needing an accessible room take the free
   accessible beds, then the others take the remaining beds, both in the
   instance's order (its order is the priority); whoever is left is unplaced.
   This places as many students as the beds allow.
2. Construction. Mutual roommates form a unit of two (a pair of two cohorts
   counts with the smaller cohort group: the larger one is the more likely to
   be split anyway). Per gender, the cohort groups are packed into floors, best
   fit decreasing: the largest group left takes the floor it fills most tightly
   (its college's buildings, and the buildings the group already has a floor
   in, preferred when that wastes little); a group larger
   than every floor takes the floor with most space and its remainder goes back
   among the groups, so that remainders fill the gaps whole groups leave. Each
   floor's rooms are filled in order (rooms already part-taken first), pairs
   into rooms with two free beds. Students needing an accessible room then take
   accessible rooms as near their cohort as possible; leftovers take any free
   bed near their cohort.
3. Local search. Moves of a student to a free bed and swaps of two students,
   aimed at students away from their roommate or their cohort's main floor,
   with the cost kept incrementally; a change is kept when the cost does not
   rise. Deterministic for a seed while the iteration budget, not the time
   limit, ends the search.
4. Consolidation. Each student still away from their cohort group's main floor
   is swapped, when the cost falls, with a student on that floor who is away
   from their own group's main floor (in index order: deterministic).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

from engines.allocation.model import Cost, Goal, Instance, Result
from engines.allocation.park import Park, group_key

DEFAULT_ITERATIONS_PER_STUDENT = 10
DEFAULT_SECONDS = 60.0
# Free beds a floor in a building the cohort group already uses may waste more than the tightest floor elsewhere.
GROUP_SLACK = 20

_GOALS = tuple(Goal)
_RM, _CF, _CB, _KB, _PE, _AC = range(6)


class _State:
    """The allocation being built: rooms of students, occupancy, group counts and the goal counts, kept in step."""

    def __init__(self, instance: Instance, park: Park) -> None:
        self.park = park
        students = instance.students
        n = len(students)
        self.need = [s.needs_accessible for s in students]
        self.gender = [s.gender for s in students]
        self.room_of = [-1] * n
        self.occ = list(park.room_taken)
        self.members: list[list[int]] = [[] for _ in park.room_ids]
        self.partner = park.mutual
        cohorts: dict[tuple[str, str], int] = {}
        colleges: dict[tuple[str, str], int] = {}
        self.cohort = [
            -1 if (k := group_key(s.cohort, s.gender)) is None else cohorts.setdefault(k, len(cohorts))
            for s in students
        ]
        self.college = [
            -1 if (k := group_key(s.college, s.gender)) is None else colleges.setdefault(k, len(colleges))
            for s in students
        ]
        self.cohort_keys = list(cohorts)
        self.cohort_floor: list[dict[int, int]] = [{} for _ in cohorts]
        self.cohort_building: list[dict[int, int]] = [{} for _ in cohorts]
        self.cohort_size = [0] * len(cohorts)
        self.college_building: list[dict[int, int]] = [{} for _ in colleges]
        self.college_size = [0] * len(colleges)
        w = instance.weights
        self.weights = [w.of(goal) for goal in _GOALS]
        # Every mutual pair starts apart; rooms part-taken before the allocation start with their free beds.
        self.counts = [0] * 6
        self.counts[_RM] = sum(1 for i, j in enumerate(self.partner) if i < j)
        self.counts[_PE] = sum(
            cap - occ for cap, occ in zip(park.room_capacity, self.occ, strict=True) if 0 < occ < cap
        )

    def total(self) -> int:
        """Return the weighted cost."""
        return sum(c * w for c, w in zip(self.counts, self.weights, strict=True))

    def _room_pe(self, r: int) -> int:
        occ, cap = self.occ[r], self.park.room_capacity[r]
        return cap - occ if 0 < occ < cap else 0

    @staticmethod
    def _bump(counts: dict[int, int], key: int, by: int) -> None:
        value = counts.get(key, 0) + by
        if value:
            counts[key] = value
        else:
            del counts[key]

    def _regroup(self, counts: dict[int, int], size: int, old: int, new: int, delta_size: int) -> tuple[int, int]:
        """Move one student of a group from key ``old`` to ``new`` (-1: none); return (off before, off after)."""
        before = size - (max(counts.values()) if counts else 0)
        if old >= 0:
            self._bump(counts, old, -1)
        if new >= 0:
            self._bump(counts, new, 1)
        size += delta_size
        after = size - (max(counts.values()) if counts else 0)
        return before, after

    def move(self, s: int, r2: int) -> None:
        """Put student ``s`` in room ``r2`` (-1: take them out), updating every count."""
        park = self.park
        r1 = self.room_of[s]
        counts = self.counts
        for r, by in ((r1, -1), (r2, 1)):
            if r >= 0:
                counts[_PE] -= self._room_pe(r)
                self.occ[r] += by
                counts[_PE] += self._room_pe(r)
        if r1 >= 0:
            self.members[r1].remove(s)
        if r2 >= 0:
            self.members[r2].append(s)
        if not self.need[s]:
            counts[_AC] += (r2 >= 0 and park.room_accessible[r2]) - (r1 >= 0 and park.room_accessible[r1])
        f1 = park.room_floor[r1] if r1 >= 0 else -1
        f2 = park.room_floor[r2] if r2 >= 0 else -1
        b1 = park.room_building[r1] if r1 >= 0 else -1
        b2 = park.room_building[r2] if r2 >= 0 else -1
        delta_size = (r2 >= 0) - (r1 >= 0)
        g = self.cohort[s]
        if g >= 0:
            if f1 != f2:
                before, after = self._regroup(self.cohort_floor[g], self.cohort_size[g], f1, f2, delta_size)
                counts[_CF] += after - before
            if b1 != b2:
                before, after = self._regroup(self.cohort_building[g], self.cohort_size[g], b1, b2, delta_size)
                counts[_CB] += after - before
            self.cohort_size[g] += delta_size
        k = self.college[s]
        if k >= 0:
            if b1 != b2:
                before, after = self._regroup(self.college_building[k], self.college_size[k], b1, b2, delta_size)
                counts[_KB] += after - before
            self.college_size[k] += delta_size
        p = self.partner[s]
        if p >= 0:
            rp = self.room_of[p]
            together_before = rp >= 0 and rp == r1
            together_after = rp >= 0 and rp == r2
            counts[_RM] += together_before - together_after
        self.room_of[s] = r2


def _select(instance: Instance, park: Park) -> list[int]:
    """Return the students who get a bed, as many as the free beds allow, in the instance's order per kind."""
    chosen: list[int] = []
    for gender in sorted({s.gender for s in instance.students}):
        accessible = park.free_beds(gender, accessible=True)
        total = park.free_beds(gender)
        need = [i for i, s in enumerate(instance.students) if s.gender == gender and s.needs_accessible]
        other = [i for i, s in enumerate(instance.students) if s.gender == gender and not s.needs_accessible]
        need = need[:accessible]
        chosen += need + other[: total - len(need)]
    return sorted(chosen)


def _units(instance: Instance, park: Park, placed: set[int]) -> list[tuple[int, ...]]:
    """Return the placed students as units: mutual roommates (both placed) together, others alone."""
    units: list[tuple[int, ...]] = []
    for i in sorted(placed):
        j = park.mutual[i]
        if j >= 0 and j in placed:
            if i < j:
                units.append((i, j))
        else:
            units.append((i,))
    return units


class _Builder:
    """The constructive phase: floors for cohort groups, rooms on each floor, then accessible and leftover students."""

    def __init__(self, instance: Instance, park: Park, state: _State) -> None:
        self.instance = instance
        self.park = park
        self.state = state
        self.rooms_by_floor: dict[tuple[int, str], list[int]] = defaultdict(list)
        for r, (f, g) in enumerate(zip(park.room_floor, park.room_gender, strict=True)):
            self.rooms_by_floor[(f, g)].append(r)
        self.floors_by_building: dict[int, list[int]] = defaultdict(list)
        for f, b in enumerate(park.floor_building):
            self.floors_by_building[b].append(f)

    def free(self, r: int) -> int:
        return self.park.room_capacity[r] - self.state.occ[r]

    def build(self, units: list[tuple[int, ...]]) -> None:
        park, state = self.park, self.state
        by_gender: dict[str, list[tuple[int, ...]]] = defaultdict(list)
        for unit in units:
            by_gender[state.gender[unit[0]]].append(unit)
        for gender in sorted(by_gender):
            needing = [u for u in by_gender[gender] if any(state.need[i] for i in u)]
            regular = [u for u in by_gender[gender] if not any(state.need[i] for i in u)]
            plan, overflow = self.plan_floors(gender, regular)
            home: dict[int, int] = {}
            for f, floor_units in plan.items():
                overflow += self.fill_floor(f, gender, floor_units)
                for unit in floor_units:
                    g = state.cohort[unit[0]]
                    if g >= 0 and g not in home:
                        home[g] = f
            remaining_need = sum(1 for u in needing for i in u if state.need[i])
            accessible_free = sum(self.free(r) for r in range(len(park.room_ids)) if self.is_room(r, gender, True))
            for unit in needing:
                near = home.get(state.cohort[unit[0]], -1)
                need_here = sum(1 for i in unit if state.need[i])
                spare = accessible_free - remaining_need
                # A pair of one needing and one not takes two accessible beds only if one is to spare.
                unit_parts = [(i,) for i in unit] if len(unit) == 2 and need_here == 1 and spare < 1 else [unit]
                for part in unit_parts:
                    if not any(state.need[i] for i in part):
                        overflow.append(part)
                        continue
                    if self.place_near(part, gender, near, accessible=True):
                        accessible_free -= len(part)
                        continue
                    for i in part:
                        if state.need[i]:
                            self.place_near((i,), gender, near, accessible=True)
                            accessible_free -= 1
                        else:
                            overflow.append((i,))
                remaining_need -= need_here
            for unit in overflow:
                near = home.get(state.cohort[unit[0]], -1)
                if not self.place_near(unit, gender, near, accessible=False) and not self.place_near(
                    unit, gender, near, accessible=None
                ):
                    for i in unit:
                        if not self.place_near((i,), gender, near, accessible=False):
                            self.place_near((i,), gender, near, accessible=None)

    def is_room(self, r: int, gender: str, accessible: bool | None) -> bool:
        park = self.park
        return park.room_gender[r] == gender and (accessible is None or park.room_accessible[r] == accessible)

    def plan_floors(
        self, gender: str, units: list[tuple[int, ...]]
    ) -> tuple[dict[int, list[tuple[int, ...]]], list[tuple[int, ...]]]:
        """
        Return the units given to each floor (regular rooms only) and those that did not fit.

        A bin packing, best fit decreasing over pieces: each cohort group is a
        piece; the largest piece left goes to the floor whose free space it
        fills most tightly (a floor of its college's buildings when that costs
        little). A piece larger than every floor takes the floor with the most
        space (in its college's buildings first) and its remainder goes back
        among the pieces, so a large group spans as few floors as it must and
        the small remainders fill the gaps the whole groups leave.
        """
        park, state = self.park, self.state
        space = [0] * len(park.floor_keys)
        for r in range(len(park.room_ids)):
            if self.is_room(r, gender, False):
                space[park.room_floor[r]] += self.free(r)
        sizes: dict[int, int] = defaultdict(int)
        for unit in units:
            for i in unit:
                sizes[state.cohort[i]] += 1

        def owner(unit: tuple[int, ...]) -> int:
            # A pair of two cohorts follows the smaller group: the larger one is the more likely to be split anyway.
            return min((state.cohort[i] for i in unit), key=lambda g: (g < 0, sizes[g], g))

        groups: dict[int, list[tuple[int, ...]]] = defaultdict(list)
        for unit in units:
            groups[owner(unit)].append(unit)
        home: dict[int, set[int]] = defaultdict(set)  # college -> buildings it uses
        quotas: dict[int, dict[int, int]] = defaultdict(dict)
        pieces = [(sum(len(u) for u in members), g) for g, members in groups.items() if g >= 0]
        slack = 8  # free beds a floor of the college's buildings may waste more than the tightest floor
        while pieces:
            pieces.sort(key=lambda p: (-p[0], p[1]))
            n, g = pieces.pop(0)
            k = state.college[groups[g][0][0]]
            fits = [f for f, free in enumerate(space) if free >= n]
            mine = {park.floor_building[f] for f in quotas[g]}  # buildings the group already has a floor in

            used = home[k]

            def waste(f: int, n: int = n, used: set[int] = used, mine: set[int] = mine) -> int:
                b = park.floor_building[f]
                return space[f] - n + (0 if b in used else slack) + (0 if not mine or b in mine else GROUP_SLACK)

            if fits:
                f = min(fits, key=lambda f: (waste(f), f))
                take = n
            else:
                open_floors = [f for f, free in enumerate(space) if free > 0]
                if not open_floors:
                    break
                f = min(
                    open_floors,
                    key=lambda f: (
                        -space[f]
                        - (slack if park.floor_building[f] in home[k] else 0)
                        - (GROUP_SLACK if park.floor_building[f] in mine else 0),
                        f,
                    ),
                )
                take = space[f]
                pieces.append((n - take, g))
            quotas[g][f] = quotas[g].get(f, 0) + take
            space[f] -= take
            home[k].add(park.floor_building[f])
        plan: dict[int, list[tuple[int, ...]]] = defaultdict(list)
        overflow: list[tuple[int, ...]] = list(groups.get(-1, []))
        for g in sorted(g for g in groups if g >= 0):
            placed, rest = self.split(groups[g], quotas[g])
            for f, floor_units in placed.items():
                plan[f] += floor_units
            overflow += rest
        return plan, overflow

    @staticmethod
    def split(
        units: list[tuple[int, ...]], quotas: dict[int, int]
    ) -> tuple[dict[int, list[tuple[int, ...]]], list[tuple[int, ...]]]:
        """Share ``units`` among floors up to their quotas: pairs first (split when no quota of 2 is left)."""
        left = dict(quotas)
        placed: dict[int, list[tuple[int, ...]]] = defaultdict(list)
        singles = [u for u in units if len(u) == 1]
        rest: list[tuple[int, ...]] = []
        for unit in (u for u in units if len(u) == 2):
            f = next((f for f, q in left.items() if q >= 2), None)
            if f is None:
                singles += [(i,) for i in unit]
                continue
            placed[f].append(unit)
            left[f] -= 2
        for unit in singles:
            f = next((f for f, q in left.items() if q >= 1), None)
            if f is None:
                rest.append(unit)
                continue
            placed[f].append(unit)
            left[f] -= 1
        return placed, rest

    def fill_floor(self, f: int, gender: str, units: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
        """Fill the floor's regular rooms in order with ``units``; return the units that found no room."""
        state, park = self.state, self.park
        rooms = [r for r in self.rooms_by_floor[(f, gender)] if not park.room_accessible[r] and self.free(r) > 0]
        rooms.sort(key=lambda r: (park.room_taken[r] == 0, r))
        queue = list(units)
        for r in rooms:
            while self.free(r) > 0 and queue:
                room_free = self.free(r)
                pick = next((x for x in range(min(len(queue), 12)) if len(queue[x]) <= room_free), None)
                if pick is None:
                    break
                for i in queue.pop(pick):
                    state.move(i, r)
        leftover: list[tuple[int, ...]] = []
        for unit in queue:
            for i in unit:
                r = next((r for r in rooms if self.free(r) > 0), None)
                if r is None:
                    leftover.append((i,))
                else:
                    state.move(i, r)
        return leftover

    def place_near(self, unit: tuple[int, ...], gender: str, near: int, *, accessible: bool | None) -> bool:
        """Put ``unit`` in one room of ``gender`` with room for it: on floor ``near``, in its building, anywhere."""
        park = self.park
        floors: list[int] = []
        if near >= 0:
            b = park.floor_building[near]
            floors = [near, *(f for f in self.floors_by_building[b] if f != near)]
        for f in [*floors, *range(len(park.floor_keys))]:
            for r in self.rooms_by_floor.get((f, gender), ()):
                if (accessible is None or park.room_accessible[r] == accessible) and self.free(r) >= len(unit):
                    for i in unit:
                        self.state.move(i, r)
                    return True
        return False


def _search(state: _State, rng: random.Random, iterations: int, deadline: float) -> tuple[int, str]:
    """Improve the allocation by moves and swaps; return the iterations run and what stopped the search."""
    park = state.park
    placed = [s for s, r in enumerate(state.room_of) if r >= 0]
    if not placed:
        return 0, "iterations"
    rooms_by_floor: dict[tuple[int, str], list[int]] = defaultdict(list)
    rooms_by_gender: dict[str, list[int]] = defaultdict(list)
    for r, (f, g) in enumerate(zip(park.room_floor, park.room_gender, strict=True)):
        rooms_by_floor[(f, g)].append(r)
        rooms_by_gender[g].append(r)
    capacity = park.room_capacity
    accessible = park.room_accessible
    room_of, need, partner, members = state.room_of, state.need, state.partner, state.members

    def unhappy() -> list[int]:
        out = []
        for s in placed:
            p = partner[s]
            if p >= 0 and room_of[p] >= 0 and room_of[p] != room_of[s]:
                out.append(s)
                continue
            g = state.cohort[s]
            if g >= 0:
                counts = state.cohort_floor[g]
                if counts[park.room_floor[room_of[s]]] < max(counts.values()):
                    out.append(s)
        return out

    rebuild = max(500, len(placed) // 2)
    candidates: list[int] = []
    it = 0
    while it < iterations:
        if it % 128 == 0 and time.perf_counter() > deadline:
            return it, "time"
        if it % rebuild == 0:
            candidates = unhappy()
        it += 1
        x = rng.random()
        s = candidates[rng.randrange(len(candidates))] if candidates and x < 0.9 else placed[rng.randrange(len(placed))]
        r1 = room_of[s]
        p = partner[s]
        if p >= 0 and room_of[p] >= 0 and room_of[p] != r1 and rng.random() < 0.6:
            r2 = room_of[p]
        else:
            g = state.cohort[s]
            choices = None
            if g >= 0 and rng.random() < 0.8:
                counts = state.cohort_floor[g]
                main = max(counts, key=counts.__getitem__)
                choices = rooms_by_floor[(main, state.gender[s])]
            if not choices:
                choices = rooms_by_gender[state.gender[s]]
            r2 = choices[rng.randrange(len(choices))]
        if r2 == r1 or (need[s] and not accessible[r2]):
            continue
        before = state.total()
        if state.occ[r2] < capacity[r2]:
            state.move(s, r2)
            if state.total() > before:
                state.move(s, r1)
            continue
        others = members[r2]
        if not others:
            continue
        t = others[rng.randrange(len(others))]
        if t == p or (need[t] and not accessible[r1]):
            continue
        state.move(s, r2)
        state.move(t, r1)
        if state.total() > before:
            state.move(t, r2)
            state.move(s, r1)
    return it, "iterations"


def _consolidate(state: _State, deadline: float) -> int:
    """
    Bring students away from their cohort group's main floor home by swaps that suit both sides.

    For each such student ``s``, a student ``t`` on ``s``'s main floor (in a
    room of ``s``'s gender, ``s``'s accessibility need met) who is off their own
    main floor changes places with ``s`` when the total cost falls; ``t``'s
    floor being ``t``'s main floor makes it fall most. Deterministic: students
    and rooms in index order. Return the swaps made.
    """
    park = state.park
    room_of, members, need, partner = state.room_of, state.members, state.need, state.partner
    accessible = park.room_accessible
    rooms_by_floor: dict[tuple[int, str], list[int]] = defaultdict(list)
    for r, (f, g) in enumerate(zip(park.room_floor, park.room_gender, strict=True)):
        rooms_by_floor[(f, g)].append(r)

    def main_floor(s: int) -> int:
        counts = state.cohort_floor[state.cohort[s]]
        return max(counts, key=lambda f: (counts[f], -f))

    swaps = 0
    for s in range(len(room_of)):
        if s % 256 == 0 and time.perf_counter() > deadline:
            break
        r1 = room_of[s]
        if r1 < 0 or state.cohort[s] < 0 or partner[s] >= 0:
            continue
        home = main_floor(s)
        if park.room_floor[r1] == home:
            continue
        best: tuple[int, int] | None = None
        before = state.total()
        for r2 in rooms_by_floor[(home, state.gender[s])]:
            if need[s] and not accessible[r2]:
                continue
            for t in members[r2]:
                if partner[t] >= 0 or state.cohort[t] < 0 or (need[t] and not accessible[r1]):
                    continue
                if main_floor(t) == home:
                    continue
                state.move(s, r2)
                state.move(t, r1)
                gain = before - state.total()
                state.move(t, r2)
                state.move(s, r1)
                if gain > 0 and (best is None or gain > best[0]):
                    best = (gain, t)
        if best is not None:
            t = best[1]
            r2 = room_of[t]
            state.move(s, r2)
            state.move(t, r1)
            swaps += 1
    return swaps


def solve(
    instance: Instance, *, seed: int | None = None, iterations: int | None = None, seconds: float | None = None
) -> Result:
    """
    Allocate the students of ``instance`` to beds and return the result with its cost (explanations empty).

    ``seed`` defaults to the instance's; ``iterations`` (default 10 per student)
    bounds the local search, ``seconds`` (default 60) caps its time.
    """
    seed = instance.seed if seed is None else seed
    iterations = DEFAULT_ITERATIONS_PER_STUDENT * len(instance.students) if iterations is None else iterations
    deadline = time.perf_counter() + (DEFAULT_SECONDS if seconds is None else seconds)
    park = Park.of(instance)
    state = _State(instance, park)
    chosen = _select(instance, park)
    _Builder(instance, park, state).build(_units(instance, park, set(chosen)))
    done, stopped_by = _search(state, random.Random(seed), iterations, deadline)
    _consolidate(state, deadline)
    assignment: dict[str, str | None] = {s.id: None for s in instance.students}
    for r, members in enumerate(state.members):
        for s, bed in zip(sorted(members), park.room_free_beds[r], strict=False):
            assignment[instance.students[s].id] = bed
    cost = Cost(counts=dict(zip(_GOALS, state.counts, strict=True)), weights=instance.weights)
    return Result(assignment=assignment, cost=cost, seed=seed, iterations=done, stopped_by=stopped_by)
