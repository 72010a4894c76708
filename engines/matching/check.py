"""Verify a matching: well formed, capacities respected, and no blocking pair."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from engines.matching.model import BlockingPair, BlockingReason, Instance, TieBreaking, Verification
from engines.matching.tiebreak import rankings


def check(
    instance: Instance,
    assignment: Mapping[str, str | None] | Iterable[tuple[str, str | None]],
    *,
    seed: int | None = None,
    tie_breaking: TieBreaking | None = None,
    weak: bool = False,
) -> Verification:
    """
    Check ``assignment`` (student id -> position id or None) against ``instance``.

    Report as errors: unknown ids, a student assigned twice or not at all, a
    pair that is not mutually acceptable, and a position over capacity. List
    every blocking pair: a student and a position the student prefers to their
    match (or any they ranked, when unmatched) that either has a free seat or
    ranks the student above its worst admitted applicant. Positions rank by
    the strict order of the lottery of ``seed`` and ``tie_breaking`` (the
    instance's by default); with ``weak`` they rank by their own lists, ties
    included, so only a strict preference blocks (weak stability).
    """
    pairs = list(assignment.items()) if isinstance(assignment, Mapping) else list(assignment)
    ranks = rankings(instance, seed=seed, tie_breaking=tie_breaking)
    score = {position_id: (ranking.tier if weak else ranking.rank) for position_id, ranking in ranks.items()}
    students = {student.id: student for student in instance.students}
    capacity = {position.id: position.capacity for position in instance.positions}
    errors: list[str] = []

    match: dict[str, str | None] = {}
    for student_id, position_id in pairs:
        if student_id not in students:
            errors.append(f"unknown student {student_id!r} in the assignment")
            continue
        if student_id in match:
            errors.append(f"student {student_id!r} is assigned more than once")
            continue
        if position_id is not None and position_id not in capacity:
            errors.append(f"student {student_id!r} is assigned to unknown position {position_id!r}")
            position_id = None
        match[student_id] = position_id
        if position_id is None:
            continue
        if position_id not in students[student_id].prefs:
            errors.append(f"student {student_id!r} is assigned to {position_id!r}, which they did not rank")
        if student_id not in score[position_id]:
            errors.append(f"student {student_id!r} is assigned to {position_id!r}, which does not accept them")
    for student in instance.students:
        if student.id not in match:
            errors.append(f"student {student.id!r} is missing from the assignment (use null for unmatched)")
            match[student.id] = None

    admitted: dict[str, list[str]] = {}
    for student_id, position_id in match.items():
        if position_id is not None:
            admitted.setdefault(position_id, []).append(student_id)
    unacceptable = len(students) + 1
    worst: dict[str, tuple[int, str]] = {}
    for position in instance.positions:
        members = admitted.get(position.id, [])
        if len(members) > position.capacity:
            errors.append(
                f"position {position.id!r} admits {len(members)} students, over its capacity of {position.capacity}"
            )
        if members:
            worst[position.id] = max((score[position.id].get(s, unacceptable), s) for s in members)

    blocking: list[BlockingPair] = []
    for student in instance.students:
        matched = match[student.id]
        # A position the student did not rank is worse than any they ranked.
        cut = student.prefs.index(matched) if matched in student.prefs else len(student.prefs)
        for position_id in student.prefs[:cut]:
            mine = score[position_id].get(student.id)
            if mine is None:
                continue
            if len(admitted.get(position_id, ())) < capacity[position_id]:
                blocking.append(BlockingPair(student.id, position_id, BlockingReason.FREE_SEAT))
            elif position_id in worst and mine < worst[position_id][0]:
                blocking.append(BlockingPair(student.id, position_id, BlockingReason.PREFERRED, worst[position_id][1]))
    return Verification(errors=tuple(errors), blocking_pairs=tuple(blocking))
