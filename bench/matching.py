"""
The matching engine at cohort scale.

Builds a random instance of ``--students`` students (default 20,000), each
ranking 10 of ``--positions`` positions (default 2,000, capacities 5 to 15,
popular positions more popular), whose lists hold their applicants scored on
a coarse scale, so with many ties. Then times solving, explaining, checking
and reporting, and writing the result JSON.

Reference: the iepark budget for solving such a round is 2 s on the 2-core
development machine; the figures are compared with it.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from engines.matching.check import check
from engines.matching.explain import explain
from engines.matching.io import dumps, result_to_dict
from engines.matching.model import Instance, Position, Student, TieBreaking
from engines.matching.report import report
from engines.matching.solver import solve
from engines.matching.tiebreak import rankings

BUDGET_S = 2.0
REFERENCE = "iepark budget"


def build_instance(*, students: int, positions: int, ranked: int, seed: int) -> Instance:
    """Return a random instance: each student ranks ``ranked`` positions; positions score applicants 0-20."""
    rng = random.Random(seed)
    position_ids = [f"p{j:05d}" for j in range(positions)]
    # Zipf-like popularity: a few positions draw many applicants.
    cum_weights = list(itertools.accumulate(1.0 / (j + 10) for j in range(positions)))
    applicants: dict[str, list[str]] = {pid: [] for pid in position_ids}
    student_objs: list[Student] = []
    colleges = [f"college-{c}" for c in range(8)]
    for i in range(students):
        sid = f"s{i:06d}"
        chosen: list[str] = []
        seen: set[str] = set()
        while len(chosen) < min(ranked, positions):
            for pid in rng.choices(position_ids, cum_weights=cum_weights, k=ranked):
                if pid not in seen and len(chosen) < ranked:
                    seen.add(pid)
                    chosen.append(pid)
        for pid in chosen:
            applicants[pid].append(sid)
        college = rng.choice(colleges)
        student_objs.append(
            Student(sid, tuple(chosen), {"college": college, "major": f"{college}/major-{rng.randrange(5)}"})
        )
    position_objs: list[Position] = []
    for pid in position_ids:
        # A tenth of applicants are not acceptable; the rest are scored 0-20, equal scores tied.
        scored: dict[int, list[str]] = {}
        for sid in applicants[pid]:
            if rng.random() >= 0.1:
                scored.setdefault(rng.randrange(21), []).append(sid)
        tiers = tuple(tuple(scored[score]) for score in sorted(scored, reverse=True))
        position_objs.append(Position(pid, rng.randint(5, 15), tiers))
    return Instance(tuple(student_objs), tuple(position_objs), seed=seed, tie_breaking=TieBreaking.SINGLE)


def _time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times = []
    value = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), value


def main(argv: list[str] | None = None) -> None:
    """Build the instance, time each step and print the figures against the iepark budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--students", type=int, default=20_000)
    parser.add_argument("--positions", type=int, default=2_000)
    parser.add_argument("--ranked", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3, help="runs per step; the median is shown")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    instance = build_instance(students=args.students, positions=args.positions, ranked=args.ranked, seed=args.seed)
    prefs = sum(len(s.prefs) for s in instance.students)
    listed = sum(len(t) for p in instance.positions for t in p.prefs)
    tied = sum(len(t) for p in instance.positions for t in p.prefs if len(t) > 1)
    seats = sum(p.capacity for p in instance.positions)
    print(
        f"instance: {len(instance.students)} students, {len(instance.positions)} positions, {seats} seats, "
        f"{prefs} student preferences, {listed} listed applicants ({tied} in ties); "
        f"built in {time.perf_counter() - t0:.1f} s"
    )

    figures: list[tuple[str, float]] = []
    for tie_breaking in TieBreaking:
        solve_s, result = _time(lambda tb=tie_breaking: solve(instance, tie_breaking=tb), args.repeat)
        figures.append((f"solve ({tie_breaking} lottery, incl. tie-breaking)", solve_s))
    result = solve(instance)
    ranks = rankings(instance)
    figures.append(("  of which tie-breaking", _time(lambda: rankings(instance), args.repeat)[0]))
    explain_s, _ = _time(lambda: explain(instance, result, ranks=ranks), args.repeat)
    figures.append(("explanations", explain_s))
    check_s, verification = _time(lambda: check(instance, result.assignment), args.repeat)
    figures.append(("check (strict, tie-broken order)", check_s))
    weak_s, weak = _time(lambda: check(instance, result.assignment, weak=True), args.repeat)
    figures.append(("check (weak, original ties)", weak_s))
    figures.append(("report", _time(lambda: report(instance, result), args.repeat)[0]))
    explanations = explain(instance, result, ranks=ranks)
    figures.append(
        (
            "result JSON (with explanations and report)",
            _time(
                lambda: dumps(result_to_dict(result, explanations=explanations, report=report(instance, result))),
                args.repeat,
            )[0],
        )
    )
    assert verification.valid and weak.valid, (verification.errors[:3], verification.blocking_pairs[:3])

    summary = report(instance, result)
    print(
        f"round: {summary.matched_share:.1%} matched, {summary.unfilled_seats} unfilled seats, "
        f"{summary.first_choice_share:.1%} first choice, {summary.top3_share:.1%} top-3; check: valid"
    )
    print(f"median of {args.repeat} runs:")
    for label, seconds in figures:
        print(f"  {label:<45} {seconds * 1000:8.0f} ms")
    solve_s = figures[0][1]
    verdict = "within" if solve_s <= BUDGET_S else "OVER"
    print(f"{REFERENCE}: solve <= {BUDGET_S:.1f} s -> {solve_s:.2f} s, {verdict} budget ({solve_s / BUDGET_S:.0%})")


if __name__ == "__main__":
    main()
