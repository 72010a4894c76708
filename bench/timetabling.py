"""
Timetabling engine on the ITC-2007 curriculum-based instances (UD2 cost).

Solves each instance with a time limit and prints, per instance, the hard violations
and cost found, the best-known cost, the ratio (cost + 1) / (best-known + 1) and the
2007 winner's cost (T. Müller, best of the organisers' final runs, about 10 minutes on
2007 hardware), then the mean ratio and the number of instances at or below the
winner's cost. The references come from the data README; the found solution is
re-scored with the engine's validator-equivalent scorer; the best-known solutions are
never read.

    python -m bench.timetabling [--seconds 60] [--instances comp01,comp05] [--seed 0] [--cpu-time]

With ``--cpu-time`` the limit counts CPU seconds of the solving process (one core)
rather than wall-clock seconds, so a run on a machine shared with other work gets its
full budget.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from engines.timetabling.ctt import read_instance
from engines.timetabling.score import score
from engines.timetabling.solver import solve

DATA_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "itc2007-ctt"
# UD2 costs from the data README: (best known, 2007 winner's final runs).
REFERENCES = {
    "comp01": (5, 5), "comp02": (24, 51), "comp03": (64, 84), "comp04": (35, 37), "comp05": (284, 330),
    "comp06": (27, 48), "comp07": (6, 20), "comp08": (37, 41), "comp09": (96, 109), "comp10": (4, 16),
    "comp11": (0, 0), "comp12": (294, 333), "comp13": (59, 66), "comp14": (51, 59), "comp15": (62, 84),
    "comp16": (18, 34), "comp17": (56, 83), "comp18": (61, 83), "comp19": (57, 62), "comp20": (4, 27),
    "comp21": (74, 103),
}  # fmt: skip


def ratio(cost: int, best: int) -> float:
    """Return (cost + 1) / (best + 1), so that an optimum of 0 counts."""
    return (cost + 1) / (best + 1)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one row per instance, then the summary."""
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit per instance (default 60)")
    parser.add_argument("--instances", default=",".join(REFERENCES), help="comma-separated names (default: all 21)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cpu-time", action="store_true", help="count the limit in CPU seconds of this process")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="directory of the compNN.ctt files")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.instances.split(",") if name.strip()]
    unknown = [name for name in names if name not in REFERENCES]
    if unknown:
        parser.error(f"unknown instances: {', '.join(unknown)}")
    if not args.data.is_dir():
        print(f"ITC-2007 data directory {args.data} is absent", file=sys.stderr)
        return 2

    clock = time.process_time if args.cpu_time else time.perf_counter
    unit = "CPU s" if args.cpu_time else "s"
    print(f"ITC-2007 CB-CTT, UD2 cost, {args.seconds:g} {unit} per instance, seed {args.seed}")
    header = (
        f"| {'instance':<8} | {'hard':>4} | {'cost':>5} | {'best-known':>10} | {'ratio':>5} "
        f"| {'2007 winner':>11} | {'moves':>11} | {'moves/s':>9} |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    ratios: list[float] = []
    at_or_below = feasible = 0
    for name in names:
        instance = read_instance(args.data / f"{name}.ctt")
        result = solve(instance, seconds=args.seconds, seed=args.seed, clock=clock)
        cost = score(instance, result.solution)
        if cost != result.cost:
            print(f"{name}: tracked cost {result.cost} differs from the scorer's {cost}", file=sys.stderr)
            return 1
        best, winner = REFERENCES[name]
        r = ratio(cost.soft_cost, best)
        ratios.append(r)
        feasible += cost.feasible
        at_or_below += cost.feasible and cost.soft_cost <= winner
        rate = result.iterations / max(result.elapsed, 1e-9)
        print(
            f"| {name:<8} | {cost.hard_violations:>4} | {cost.soft_cost:>5} | {best:>10} | {r:>5.2f} "
            f"| {winner:>11} | {result.iterations:>11,} | {rate:>9,.0f} |",
            flush=True,
        )
    print(
        f"feasible {feasible}/{len(names)}; mean ratio {sum(ratios) / len(ratios):.3f}; "
        f"at or below the 2007 winner {at_or_below}/{len(names)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
