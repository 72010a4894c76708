"""
The command line: ``iepark-match solve INSTANCE.json -o RESULT.json`` and ``iepark-match check INSTANCE.json RESULT.json``.

Exit status: 0 on success (check: the matching is valid), 1 when check finds the
matching invalid, 2 when an input cannot be read or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace

from engines.matching.check import check
from engines.matching.explain import explain
from engines.matching.io import (
    InstanceError,
    ResultError,
    dumps,
    read_instance,
    read_result,
    result_to_dict,
    write_json,
)
from engines.matching.model import TieBreaking
from engines.matching.report import report
from engines.matching.solver import solve
from engines.matching.tiebreak import rankings

PROG = "iepark-match"


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the command line."""
    parser = argparse.ArgumentParser(prog=PROG, description="Stable matching of students to positions.")
    commands = parser.add_subparsers(dest="command", required=True)

    solve_parser = commands.add_parser("solve", help="compute the student-optimal stable matching")
    solve_parser.add_argument("instance", help="the instance JSON file")
    solve_parser.add_argument("-o", "--output", default="-", help="the result JSON file (default: standard output)")
    solve_parser.add_argument("--seed", type=int, help="the lottery seed (default: the instance's)")
    solve_parser.add_argument(
        "--tie-breaking",
        choices=[t.value for t in TieBreaking],
        help="one lottery for all positions or one per position (default: the instance's, else single)",
    )
    solve_parser.add_argument(
        "--report-by",
        action="append",
        metavar="ATTRIBUTE",
        help="report match rates per value of this student attribute (repeatable; default: every attribute)",
    )

    check_parser = commands.add_parser("check", help="verify a matching and list its blocking pairs")
    check_parser.add_argument("instance", help="the instance JSON file")
    check_parser.add_argument("result", help="the result JSON file; its 'assignment' is checked")
    check_parser.add_argument(
        "--weak",
        action="store_true",
        help="rank by the positions' own lists, ties included (weak stability), not by the recorded lottery",
    )
    return parser


def run_solve(args: argparse.Namespace) -> int:
    """Solve the instance and write the result with its explanations and report."""
    instance = read_instance(args.instance)
    if args.seed is not None:
        instance = replace(instance, seed=args.seed)
    if args.tie_breaking is not None:
        instance = replace(instance, tie_breaking=TieBreaking(args.tie_breaking))
    ranks = rankings(instance)
    result = solve(instance)
    data = result_to_dict(
        result,
        explanations=explain(instance, result, ranks=ranks),
        report=report(instance, result, attributes=args.report_by),
    )
    if args.output == "-":
        sys.stdout.write(dumps(data))
    else:
        write_json(args.output, data)
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Check the result against the instance and print the verdict as one JSON line."""
    instance = read_instance(args.instance)
    result = read_result(args.result)
    verification = check(instance, result.pairs, seed=result.seed, tie_breaking=result.tie_breaking, weak=args.weak)
    line = {
        "valid": verification.valid,
        "blocking_pairs": [
            {"student": b.student, "position": b.position, "reason": str(b.reason), "displaced": b.displaced}
            for b in verification.blocking_pairs
        ],
        "errors": list(verification.errors),
    }
    print(json.dumps(line, ensure_ascii=False))
    return 0 if verification.valid else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return run_solve(args) if args.command == "solve" else run_check(args)
    except (InstanceError, ResultError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
