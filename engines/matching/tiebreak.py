"""The lottery that turns each position's list with ties into a strict order."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from engines.matching.model import Instance, TieBreaking


@dataclass(frozen=True)
class Ranking:
    """A position's strict order after tie-breaking, with each student's 0-based rank and tier."""

    order: tuple[str, ...]
    rank: dict[str, int] = field(hash=False)
    tier: dict[str, int] = field(hash=False)


def single_lottery(instance: Instance, seed: int) -> dict[str, int]:
    """
    Return each student's number in the one lottery of the round (lower wins).

    The students are sorted by id before the draw so that the order of the
    instance file does not matter.
    """
    ids = sorted(student.id for student in instance.students)
    random.Random(seed).shuffle(ids)
    return {student_id: number for number, student_id in enumerate(ids)}


def rankings(
    instance: Instance, *, seed: int | None = None, tie_breaking: TieBreaking | None = None
) -> dict[str, Ranking]:
    """
    Return every position's strict order, breaking ties by the lottery of ``seed``.

    With the single lottery every tie, in every position, is broken by the same
    random order of all students. With multiple lotteries each position draws its
    own order from a generator seeded with the seed and the position's id, so a
    position's order does not depend on the other positions.
    """
    seed = instance.seed if seed is None else seed
    tie_breaking = TieBreaking(instance.tie_breaking if tie_breaking is None else tie_breaking)
    lottery = single_lottery(instance, seed) if tie_breaking == TieBreaking.SINGLE else None
    result: dict[str, Ranking] = {}
    for position in instance.positions:
        rng = None if lottery is not None else random.Random(f"{seed}:{position.id}")
        order: list[str] = []
        tier_of: dict[str, int] = {}
        for tier_number, tier in enumerate(position.prefs):
            if len(tier) == 1:
                members = list(tier)
            elif lottery is not None:
                members = sorted(tier, key=lottery.__getitem__)
            else:
                assert rng is not None
                members = sorted(tier)
                rng.shuffle(members)
            order.extend(members)
            for student_id in tier:
                tier_of[student_id] = tier_number
        result[position.id] = Ranking(
            order=tuple(order), rank={student_id: r for r, student_id in enumerate(order)}, tier=tier_of
        )
    return result
