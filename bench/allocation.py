"""
The allocation engine at intake scale.

Builds a park of ``--buildings`` buildings (default 12) of 6 floors, each floor
of 35 four-bed rooms, one accessible four-bed room and one two-bed room (146
beds; 10,512 in all), 3 % of beds already taken; four buildings are female,
four male and four mixed by floor. Then ``--students`` incoming students
(default 10,000; half female) in ~40 cohorts of 8 colleges, 30 % in mutual
roommate pairs, 5 % with a one-sided request, 1 % needing an accessible room.
Times solve, explain and check, measures the peak memory of solve
(tracemalloc, a second run), and prints the soft-goal figures.

Reference: the issue's target, 10,000 students in seconds (budget 10 s).
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from collections import Counter, defaultdict

from engines.allocation.check import check
from engines.allocation.explain import explain
from engines.allocation.model import Building, Floor, Goal, Instance, Room, Student
from engines.allocation.park import Park
from engines.allocation.solver import solve

BUDGET_S = 10.0
REFERENCE = "the issue's target: 10,000 students in seconds (budget 10 s)"


def build_instance(*, buildings: int, students: int, cohorts: int, colleges: int, seed: int) -> Instance:
    """Return a random park and intake (see the module's docstring)."""
    rng = random.Random(seed)
    park: list[Building] = []
    for b in range(buildings):
        kind = b % 3  # 0: female, 1: male, 2: mixed by floor
        floors = []
        for f in range(1, 7):
            gender = "female" if kind == 0 or (kind == 2 and f % 2) else "male"
            rooms = []
            for n in range(1, 38):
                room_id = f"B{b + 1:02d}-{f}{n:02d}"
                size = 2 if n == 37 else 4
                rooms.append(
                    Room(
                        room_id,
                        gender,
                        tuple(f"{room_id}-{k}" for k in range(1, size + 1)),
                        accessible=n == 1,
                        facilities=("bathroom",) if n % 2 else (),
                        fee=1200.0 if size == 4 else 1500.0,
                    )
                )
            floors.append(Floor(str(f), tuple(rooms)))
        park.append(Building(f"B{b + 1:02d}", tuple(floors)))
    beds = [bed for building in park for floor in building.floors for room in floor.rooms for bed in room.beds]
    taken = frozenset(rng.sample(beds, len(beds) * 3 // 100))

    cohort_college = {f"C{c:02d}": f"K{c % colleges}" for c in range(cohorts)}
    # Cohort sizes vary: weights between 0.6 and 1.4.
    cohort_weights = [rng.uniform(0.6, 1.4) for _ in range(cohorts)]
    raw = []
    for i in range(students):
        cohort = rng.choices(list(cohort_college), weights=cohort_weights)[0]
        raw.append(
            {
                "id": f"s{i:05d}",
                "gender": rng.choice(("female", "male")),
                "needs_accessible": rng.random() < 0.01,
                "cohort": cohort,
                "college": cohort_college[cohort],
                "roommate": None,
            }
        )
    # 30 % in mutual pairs: mostly within a cohort, some within a college; then 5 % one-sided requests.
    by_group: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for s in raw:
        key = (s["cohort"], s["gender"]) if rng.random() < 0.85 else (s["college"], s["gender"])
        by_group[key].append(s)
    want_pairs = students * 30 // 200
    pairs = 0
    for key in sorted(by_group):
        members = [s for s in by_group[key] if s["roommate"] is None]
        rng.shuffle(members)
        quota = round(len(members) * 0.3 / 2)
        for a, b in zip(members[: 2 * quota : 2], members[1 : 2 * quota : 2], strict=True):
            if pairs >= want_pairs:
                break
            a["roommate"], b["roommate"] = b["id"], a["id"]
            pairs += 1
    for s in rng.sample(raw, students * 5 // 100):
        if s["roommate"] is None:
            s["roommate"] = rng.choice(raw)["id"]
            if s["roommate"] == s["id"]:
                s["roommate"] = None
    return Instance(
        buildings=tuple(park),
        students=tuple(Student(**s) for s in raw),
        taken=taken,
        seed=seed,
    )


SHARES = {
    "cohort groups on one floor",
    "of those on one floor",
    "students on their cohort group's main floor",
    "cohort groups in one building",
    "mutual pairs honoured",
}


def _on_main(instance: Instance, park: Park, room_of: dict[int, int]) -> float:
    """Return the share of placed students on the floor holding most of their cohort group."""
    floors: dict[tuple, Counter[int]] = defaultdict(Counter)
    for i, r in room_of.items():
        s = instance.students[i]
        floors[(s.cohort, s.gender)][park.room_floor[r]] += 1
    return sum(max(c.values()) for c in floors.values()) / max(len(room_of), 1)


def figures(instance: Instance, assignment: dict[str, str | None]) -> dict[str, float]:
    """Return the soft-goal figures of an allocation."""
    park = Park.of(instance)
    room_of = {i: park.bed_room[assignment[s.id]] for i, s in enumerate(instance.students) if assignment[s.id]}
    cohort_floors: dict[tuple, set[int]] = defaultdict(set)
    cohort_buildings: dict[tuple, set[int]] = defaultdict(set)
    cohort_size: Counter[tuple] = Counter()
    college_buildings: dict[tuple, set[int]] = defaultdict(set)
    for i, r in room_of.items():
        s = instance.students[i]
        cohort_floors[(s.cohort, s.gender)].add(park.room_floor[r])
        cohort_buildings[(s.cohort, s.gender)].add(park.room_building[r])
        cohort_size[(s.cohort, s.gender)] += 1
        college_buildings[(s.college, s.gender)].add(park.room_building[r])
    floor_free: Counter[tuple[int, str]] = Counter()
    for r, free in enumerate(park.room_free_beds):
        floor_free[(park.room_floor[r], park.room_gender[r])] += len(free)
    biggest = {g: max(v for (f, gg), v in floor_free.items() if gg == g) for g in ("female", "male")}
    fits = [k for k in cohort_floors if cohort_size[k] <= biggest[k[1]]]
    pairs = [(i, j) for i, j in enumerate(park.mutual) if i < j]
    honoured = sum(1 for i, j in pairs if i in room_of and j in room_of and room_of[i] == room_of[j])
    occupied = Counter(room_of.values())
    part = sum(
        1 for r, cap in enumerate(park.room_capacity) if 0 < occupied[r] + park.room_taken[r] < cap and occupied[r] > 0
    )
    return {
        "cohort groups": len(cohort_floors),
        "cohort groups on one floor": sum(len(v) == 1 for v in cohort_floors.values()) / len(cohort_floors),
        "cohort groups that fit a floor": len(fits),
        "of those on one floor": sum(len(cohort_floors[k]) == 1 for k in fits) / max(len(fits), 1),
        "students on their cohort group's main floor": _on_main(instance, park, room_of),
        "cohort groups in one building": sum(len(v) == 1 for v in cohort_buildings.values()) / len(cohort_buildings),
        "mean floors per cohort group": sum(len(v) for v in cohort_floors.values()) / len(cohort_floors),
        "mean buildings per college group": sum(len(v) for v in college_buildings.values()) / len(college_buildings),
        "mutual pairs": len(pairs),
        "mutual pairs honoured": honoured / max(len(pairs), 1),
        "rooms part-empty (with new students)": part,
        "rooms used": sum(1 for r in occupied),
    }


def main(argv: list[str] | None = None) -> None:
    """Build the park and intake, time solve, explain and check, and print the figures against the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--buildings", type=int, default=12)
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--cohorts", type=int, default=40)
    parser.add_argument("--colleges", type=int, default=8)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--iterations", type=int, help="local search iterations (default: the solver's)")
    parser.add_argument("--no-memory", action="store_true", help="skip the second, traced run")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    instance = build_instance(
        buildings=args.buildings, students=args.students, cohorts=args.cohorts, colleges=args.colleges, seed=args.seed
    )
    beds = sum(len(r.beds) for b in instance.buildings for f in b.floors for r in f.rooms)
    print(
        f"instance: {len(instance.students)} students, {beds} beds ({len(instance.taken)} taken) in "
        f"{len(instance.buildings)} buildings; built in {time.perf_counter() - t0:.1f} s"
    )
    t0 = time.perf_counter()
    result = solve(instance, iterations=args.iterations, seconds=BUDGET_S)
    solve_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    explanations = explain(instance, result.assignment)
    explain_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    verification = check(instance, result.assignment)
    check_s = time.perf_counter() - t0
    assert verification.valid, verification.errors[:3]
    assert verification.cost.counts == result.cost.counts, (verification.cost.counts, result.cost.counts)
    placed = sum(1 for bed in result.assignment.values() if bed)
    print(
        f"solve {solve_s:.2f} s ({result.iterations} search iterations, stopped by {result.stopped_by}), "
        f"explain {explain_s:.2f} s, check {check_s:.2f} s; check: valid, same cost"
    )
    print(f"placed {placed}, unplaced {len(result.assignment) - placed}; cost {result.cost.total}:")
    for goal in Goal:
        print(
            f"  {goal:<18} count {result.cost.counts[goal]:6d} x {result.cost.weights.of(goal)} = {result.cost.of(goal)}"
        )
    for label, value in figures(instance, dict(result.assignment)).items():
        shown = f"{value:.1%}" if label in SHARES else f"{value:.2f}" if isinstance(value, float) else f"{value}"
        print(f"  {label:<44} {shown}")
    print(f"  {'students with an explanation':<44} {len(explanations)}")
    if not args.no_memory:
        tracemalloc.start()
        solve(instance, iterations=args.iterations, seconds=BUDGET_S * 3)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"peak memory of solve (tracemalloc): {peak / 2**20:.1f} MiB")
    verdict = "within" if solve_s <= BUDGET_S else "OVER"
    print(f"{REFERENCE}: solve {solve_s:.2f} s, {verdict} budget ({solve_s / BUDGET_S:.0%})")


if __name__ == "__main__":
    main()
