"""Student-proposing deferred acceptance (Gale and Shapley, 1962) for many-to-one matching."""

from __future__ import annotations

import heapq

from engines.matching.model import Instance, Result, TieBreaking
from engines.matching.tiebreak import Ranking, rankings


def deferred_acceptance(instance: Instance, ranks: dict[str, Ranking]) -> dict[str, str | None]:
    """
    Return the student-optimal stable matching for the strict orders ``ranks``.

    Each free student proposes to their next position; the position keeps the
    best applicants up to its capacity (a max-heap on rank holds its worst
    admitted on top) and rejects the rest. A student not on a position's list is
    rejected. Every proposal is made once, so the work is O(P log C) for P
    preferences in all and capacities of at most C.
    """
    capacity = {position.id: position.capacity for position in instance.positions}
    held: dict[str, list[tuple[int, str]]] = {position.id: [] for position in instance.positions}
    prefs = {student.id: student.prefs for student in instance.students}
    next_choice = dict.fromkeys(prefs, 0)
    match: dict[str, str | None] = dict.fromkeys(prefs)
    # Students in reverse instance order so that the first student proposes first;
    # the outcome does not depend on the order, the trace does.
    free = [student.id for student in reversed(instance.students)]
    while free:
        student_id = free.pop()
        student_prefs = prefs[student_id]
        k = next_choice[student_id]
        while k < len(student_prefs):
            position_id = student_prefs[k]
            k += 1
            rank = ranks[position_id].rank.get(student_id)
            if rank is None:
                continue
            heap = held[position_id]
            if len(heap) < capacity[position_id]:
                heapq.heappush(heap, (-rank, student_id))
                match[student_id] = position_id
                break
            if heap and -heap[0][0] > rank:
                _, rejected = heapq.heapreplace(heap, (-rank, student_id))
                match[student_id] = position_id
                match[rejected] = None
                free.append(rejected)
                break
        next_choice[student_id] = k
    return {student.id: match[student.id] for student in instance.students}


def solve(instance: Instance, *, seed: int | None = None, tie_breaking: TieBreaking | None = None) -> Result:
    """
    Return the student-optimal stable matching of ``instance``.

    Ties in the positions' lists are broken by the lottery of ``seed`` (the
    instance's seed by default) under ``tie_breaking`` (the instance's by
    default); the result records both so that the run can be reproduced.
    """
    seed = instance.seed if seed is None else seed
    tie_breaking = TieBreaking(instance.tie_breaking if tie_breaking is None else tie_breaking)
    ranks = rankings(instance, seed=seed, tie_breaking=tie_breaking)
    return Result(assignment=deferred_acceptance(instance, ranks), seed=seed, tie_breaking=tie_breaking)
