"""
The command line: ``iepark-allocate solve INSTANCE.json -o RESULT.json`` and ``iepark-allocate check INSTANCE.json RESULT.json``.

Exit status: 0 on success (check: the allocation is valid), 1 when check finds
a hard constraint broken, 2 when an input cannot be read or the arguments are wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace

from engines.allocation.check import check
from engines.allocation.explain import explain
from engines.allocation.io import (
    InstanceError,
    ResultError,
    cost_to_dict,
    dumps,
    read_assignment,
    read_instance,
    result_to_dict,
    write_json,
)
from engines.allocation.messages import render
from engines.allocation.solver import DEFAULT_SECONDS, solve

PROG = "iepark-allocate"


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the command line."""
    parser = argparse.ArgumentParser(prog=PROG, description="Allocate incoming students to dormitory beds.")
    commands = parser.add_subparsers(dest="command", required=True)
    solve_parser = commands.add_parser("solve", help="allocate the students and explain the unmet wishes")
    solve_parser.add_argument("instance", help="the instance JSON file")
    solve_parser.add_argument("-o", "--output", default="-", help="the result JSON file (default: standard output)")
    solve_parser.add_argument("--seed", type=int, help="the seed of the local search (default: the instance's)")
    solve_parser.add_argument(
        "--iterations", type=int, help="local search iterations (default: 10 per student); the result is reproducible"
    )
    solve_parser.add_argument(
        "--seconds",
        type=float,
        default=DEFAULT_SECONDS,
        help=f"time limit of the local search (default {DEFAULT_SECONDS:g}); if it stops the search, "
        "the result depends on the machine",
    )
    check_parser = commands.add_parser("check", help="verify an allocation and compute its cost")
    check_parser.add_argument("instance", help="the instance JSON file")
    check_parser.add_argument("result", help="the result JSON file; its 'assignment' is checked")
    return parser


def run_solve(args: argparse.Namespace) -> int:
    """Solve, explain, write the result and print the cost breakdown as one JSON line."""
    instance = read_instance(args.instance)
    if args.seed is not None:
        instance = replace(instance, seed=args.seed)
    result = solve(instance, iterations=args.iterations, seconds=args.seconds)
    result = replace(result, explanations=explain(instance, result.assignment))
    data = result_to_dict(result, render=render)
    if args.output == "-":
        sys.stdout.write(dumps(data))
    else:
        write_json(args.output, data)
        line = {"placed": data["placed"], "unplaced": data["unplaced"], "cost": data["cost"]}
        print(json.dumps(line, ensure_ascii=False))
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Check the result against the instance and print the verdict and cost as one JSON line."""
    instance = read_instance(args.instance)
    verification = check(instance, read_assignment(args.result))
    line = {"valid": verification.valid, "errors": list(verification.errors), "cost": cost_to_dict(verification.cost)}
    print(json.dumps(line, ensure_ascii=False))
    return 0 if verification.valid else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return run_solve(args) if args.command == "solve" else run_check(args)
    except (InstanceError, ResultError, OSError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
