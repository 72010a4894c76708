"""
Timetabling engine on the ITC-2007 curriculum-based instances (UD2 cost).

Solves each instance with a time limit and prints, per instance, the cost found and
its hard violations next to two named references from the data README: the best-known
solution's cost and the 2007 winner's cost (T. Müller, best of the organisers' final
runs, about 10 minutes on 2007 hardware). The found solution is re-scored with the
engine's validator-equivalent scorer; the best-known solutions are never read.

    python -m bench.timetabling [--seconds 60] [--instances comp01,comp05] [--seed 0]
"""

from __future__ import annotations

import argparse
import sys
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


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one row per instance."""
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit per instance (default 60)")
    parser.add_argument("--instances", default="comp01,comp04,comp11", help="comma-separated instance names")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="directory of the compNN.ctt files")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.instances.split(",") if name.strip()]
    unknown = [name for name in names if name not in REFERENCES]
    if unknown:
        parser.error(f"unknown instances: {', '.join(unknown)}")
    if not args.data.is_dir():
        print(f"ITC-2007 data directory {args.data} is absent", file=sys.stderr)
        return 2

    print(f"ITC-2007 CB-CTT, UD2 cost, {args.seconds:g} s per instance, seed {args.seed}")
    header = f"{'instance':<8} {'cost':>6} {'hard':>5} {'best-known':>10} {'winner-2007':>11} {'iterations':>11}"
    print(header)
    print("-" * len(header))
    for name in names:
        instance = read_instance(args.data / f"{name}.ctt")
        result = solve(instance, seconds=args.seconds, seed=args.seed)
        cost = score(instance, result.solution)
        if cost != result.cost:
            print(f"{name}: tracked cost {result.cost} differs from the scorer's {cost}", file=sys.stderr)
            return 1
        best, winner = REFERENCES[name]
        print(
            f"{name:<8} {cost.soft_cost:>6} {cost.hard_violations:>5} {best:>10} {winner:>11} {result.iterations:>11}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
