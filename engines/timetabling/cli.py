"""Command line: ``iepark-timetable solve`` and ``iepark-timetable score``; each prints one JSON line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from engines.timetabling.ctt import FormatError, read_instance, read_solution, write_solution
from engines.timetabling.score import score
from engines.timetabling.solver import solve


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iepark-timetable", description="Solve and score ITC-2007 curriculum-based timetabling instances."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    solve_cmd = commands.add_parser("solve", help="solve an instance and write the solution file")
    solve_cmd.add_argument("instance", help="instance file (.ctt)")
    solve_cmd.add_argument("--seconds", type=float, default=60.0, help="time limit (default 60)")
    solve_cmd.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    solve_cmd.add_argument("--iterations", type=int, default=None, help="iteration limit (deterministic runs)")
    solve_cmd.add_argument("-o", "--output", required=True, help="solution file to write")
    solve_cmd.add_argument("--progress", action="store_true", help="print progress lines to stderr")
    score_cmd = commands.add_parser("score", help="score a solution the way the ITC-2007 validator does")
    score_cmd.add_argument("instance", help="instance file (.ctt)")
    score_cmd.add_argument("solution", help="solution file (COURSE ROOM DAY PERIOD per line)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 on success, 2 on unreadable input)."""
    args = _parser().parse_args(argv)
    try:
        instance = read_instance(args.instance)
        if args.command == "score":
            breakdown = score(instance, read_solution(args.solution))
            print(json.dumps(breakdown.as_dict()))
            return 0

        def report(elapsed: float, cost: int, hard: int) -> None:
            print(f"{elapsed:8.1f}s cost={cost} hard={hard}", file=sys.stderr)

        result = solve(
            instance,
            seconds=args.seconds,
            seed=args.seed,
            max_iterations=args.iterations,
            on_progress=report if args.progress else None,
        )
        write_solution(result.solution, args.output)
        line = result.cost.as_dict()
        line.update(
            instance=instance.name, seed=args.seed, iterations=result.iterations, seconds=round(result.elapsed, 3)
        )
        print(json.dumps(line))
        return 0
    except (OSError, FormatError) as error:
        print(f"iepark-timetable: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
