"""
The adapter between a round's rows and ``engines.matching``: build the instance, compute, shape the results.

Ids in the instance are the students' and round positions' primary keys as
strings. Each student carries two attributes, ``college`` and ``major`` (their
primary keys), so the report gives match rates per college and per major;
pages turn them into names in the reader's language.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engines.matching import Instance, Position, Result, Student, TieBreaking, solve
from engines.matching.check import check
from engines.matching.explain import explain
from engines.matching.io import report_to_dict
from engines.matching.report import report
from engines.matching.tiebreak import rankings

from ..models import MatchingRound, RoundStudentList
from .selectors import eligible_students

# The attributes each student carries into the engine, reported on per value.
REPORT_ATTRIBUTES = ("college", "major")
UNMATCHED = "unmatched"


def tiers_of(ranking: list[Any]) -> list[list[int]]:
    """Return a stored ranking (ids best first, an inner list a tie) as a list of tiers."""
    return [[int(s) for s in entry] if isinstance(entry, list) else [int(entry)] for entry in ranking or []]


def build_instance(matching_round: MatchingRound, *, seed: int) -> Instance:
    """
    Return the engine's instance for ``matching_round``: its eligible students' lists and its positions.

    A position whose enterprise submitted no ranking accepts every student who
    listed it, all tied (the lottery orders them). With a ranking, it accepts
    only the students it ranked, in that order, equal ranks tied; applicants
    left unranked are unacceptable to it.
    """
    positions = list(matching_round.positions.order_by("pk").values_list("pk", "capacity", "ranking"))
    known = {pk for pk, _capacity, _ranking in positions}
    eligible = eligible_students(matching_round).values("pk")
    rows = (
        RoundStudentList.objects.filter(round=matching_round, student__in=eligible)
        .order_by("student_id")
        .values_list("student_id", "preferences", "student__college_id", "student__major_id")
    )
    listed_by: dict[int, set[int]] = {pk: set() for pk in known}
    students: list[Student] = []
    for student_id, preferences, college_id, major_id in rows:
        prefs: list[int] = []
        for position_id in preferences or []:
            if position_id in known and position_id not in prefs:
                prefs.append(position_id)
                listed_by[position_id].add(student_id)
        students.append(
            Student(
                id=str(student_id),
                prefs=tuple(str(p) for p in prefs),
                attributes={"college": str(college_id), "major": str(major_id)},
            )
        )
    engine_positions = []
    for pk, capacity, ranking in positions:
        listed = listed_by[pk]
        if ranking:
            tiers = [tuple(str(s) for s in tier if s in listed) for tier in tiers_of(ranking)]
            prefs = tuple(tier for tier in tiers if tier)
        else:
            prefs = (tuple(str(s) for s in sorted(listed)),) if listed else ()
        engine_positions.append(Position(id=str(pk), capacity=capacity, prefs=prefs))
    return Instance(
        students=tuple(students),
        positions=tuple(engine_positions),
        seed=seed,
        tie_breaking=TieBreaking(matching_round.tie_breaking),
    )


@dataclass(frozen=True)
class Outcome:
    """What a run produced: one row per student, and the round's report."""

    # student id -> (position id or None, choice rank or None, explanation items)
    rows: dict[int, tuple[int | None, int | None, list[dict[str, Any]]]]
    report: dict[str, Any]
    result: Result


def assignment_digest(assignment: dict[str, str | None]) -> str:
    """Return a fingerprint of a matching, to tell identical runs apart from different ones at a glance."""
    payload = json.dumps(sorted(assignment.items(), key=lambda item: int(item[0])), separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def compute(instance: Instance, *, step: Callable[[str], None] | None = None) -> Outcome:
    """
    Solve ``instance``, verify the matching is stable, explain it and report on it.

    Raise ``RuntimeError`` if the engine's own check finds the matching unstable
    or malformed (it never should: the result is then not stored).
    """
    step = step or (lambda name: None)
    result = solve(instance)
    step("solved")
    verification = check(instance, result.assignment, seed=result.seed, tie_breaking=result.tie_breaking)
    if not verification.valid:
        raise RuntimeError(
            f"the matching does not verify: {len(verification.errors)} errors, "
            f"{len(verification.blocking_pairs)} blocking pairs"
        )
    step("checked")
    ranks = rankings(instance, seed=result.seed, tie_breaking=result.tie_breaking)
    explanations = explain(instance, result, ranks=ranks)
    step("explained")

    rows: dict[int, tuple[int | None, int | None, list[dict[str, Any]]]] = {}
    choice_ranks: Counter[str] = Counter()
    for student in instance.students:
        position_id = result.assignment.get(student.id)
        choice = student.prefs.index(position_id) + 1 if position_id is not None else None
        choice_ranks[str(choice) if choice else UNMATCHED] += 1
        items = []
        for e in explanations.get(student.id, []):
            # Codes and numbers only: pages phrase them in the reader's language.
            item: dict[str, Any] = {"position": int(e.position), "reason": str(e.reason)}
            if e.last_admitted_rank is not None:
                item.update(last_admitted_rank=e.last_admitted_rank, your_rank=e.student_rank, tie_broken=e.tie_broken)
            items.append(item)
        rows[int(student.id)] = (int(position_id) if position_id is not None else None, choice, items)

    data = report_to_dict(report(instance, result, attributes=REPORT_ATTRIBUTES))
    longest = max((len(s.prefs) for s in instance.students), default=0)
    data.update(
        {
            "positions": len(instance.positions),
            "choice_ranks": {
                **{str(k): choice_ranks.get(str(k), 0) for k in range(1, longest + 1)},
                UNMATCHED: choice_ranks.get(UNMATCHED, 0),
            },
            "stable": True,
            "blocking_pairs": 0,
            "seed": result.seed,
            "tie_breaking": str(result.tie_breaking),
            "digest": assignment_digest(dict(result.assignment)),
        }
    )
    return Outcome(rows=rows, report=data, result=result)
