"""Explanations: why each student did not get the positions they preferred to their match."""

from __future__ import annotations

from engines.matching.model import Explanation, Instance, Reason, Result
from engines.matching.tiebreak import Ranking, rankings


def explain(
    instance: Instance, result: Result, *, ranks: dict[str, Ranking] | None = None
) -> dict[str, list[Explanation]]:
    """
    Return, for every student, an explanation for each position ranked above their match.

    Unmatched students get one for every position they ranked. In a stable
    matching each such position either does not accept the student, has no
    seats, or is full of applicants it ranks higher; raise ValueError if the
    matching is not stable, since its outcome cannot then be explained.
    """
    if ranks is None:
        ranks = rankings(instance, seed=result.seed, tie_breaking=result.tie_breaking)
    capacity = {position.id: position.capacity for position in instance.positions}
    # The rank of the last admitted applicant of each position, and how many it admitted.
    last_rank: dict[str, int] = {}
    admitted_count: dict[str, int] = {}
    for student_id, position_id in result.assignment.items():
        if position_id is None:
            continue
        admitted_count[position_id] = admitted_count.get(position_id, 0) + 1
        rank = ranks[position_id].rank.get(student_id)
        if rank is None:
            raise ValueError(f"student {student_id!r} is assigned to {position_id!r}, which does not accept them")
        if rank > last_rank.get(position_id, -1):
            last_rank[position_id] = rank
    last_admitted = {position_id: ranks[position_id].order[rank] for position_id, rank in last_rank.items()}

    explanations: dict[str, list[Explanation]] = {}
    for student in instance.students:
        matched = result.assignment.get(student.id)
        if matched is not None and matched not in student.prefs:
            raise ValueError(f"student {student.id!r} is assigned to {matched!r}, which they did not rank")
        above = student.prefs if matched is None else student.prefs[: student.prefs.index(matched)]
        items: list[Explanation] = []
        for position_id in above:
            ranking = ranks[position_id]
            rank = ranking.rank.get(student.id)
            if rank is None:
                items.append(Explanation(student.id, position_id, Reason.NOT_ACCEPTABLE))
            elif capacity[position_id] == 0:
                items.append(Explanation(student.id, position_id, Reason.NO_CAPACITY))
            elif admitted_count.get(position_id, 0) < capacity[position_id] or last_rank[position_id] > rank:
                raise ValueError(f"the matching is not stable: {student.id!r} and {position_id!r} block it")
            else:
                last = last_admitted[position_id]
                items.append(
                    Explanation(
                        student.id,
                        position_id,
                        Reason.FULL,
                        last_admitted_rank=last_rank[position_id] + 1,
                        student_rank=rank + 1,
                        tie_broken=ranking.tier[last] == ranking.tier[student.id],
                    )
                )
        explanations[student.id] = items
    return explanations
