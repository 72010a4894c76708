"""Hypothesis strategies and a brute-force stability oracle for the matching engine's tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from hypothesis import strategies as st

from engines.matching.model import Instance, Position, Student, TieBreaking
from engines.matching.tiebreak import rankings


@st.composite
def instances(
    draw: st.DrawFn,
    *,
    max_students: int = 8,
    max_positions: int = 5,
    max_capacity: int = 3,
    ties: bool = True,
) -> Instance:
    """Draw a small instance: random preferences, capacities (0 included) and, with ``ties``, tied tiers."""
    n = draw(st.integers(1, max_students))
    m = draw(st.integers(1, max_positions))
    student_ids = [f"s{i}" for i in range(n)]
    position_ids = [f"p{j}" for j in range(m)]
    students = tuple(
        Student(sid, tuple(draw(st.permutations(position_ids))[: draw(st.integers(0, m))])) for sid in student_ids
    )
    positions = []
    for pid in position_ids:
        listed = draw(st.permutations(student_ids))[: draw(st.integers(0, n))]
        tiers: list[tuple[str, ...]] = []
        for sid in listed:
            if ties and tiers and draw(st.booleans()):
                tiers[-1] = (*tiers[-1], sid)
            else:
                tiers.append((sid,))
        positions.append(Position(pid, draw(st.integers(0, max_capacity)), tuple(tiers)))
    return Instance(
        students,
        tuple(positions),
        seed=draw(st.integers(0, 2**32)),
        tie_breaking=draw(st.sampled_from(list(TieBreaking))),
    )


def is_stable(instance: Instance, assignment: dict[str, str | None]) -> bool:
    """Return whether ``assignment`` is individually rational, within capacity and blocked by no pair (oracle)."""
    ranks = {pid: r.rank for pid, r in rankings(instance).items()}
    capacity = {p.id: p.capacity for p in instance.positions}
    members: dict[str, list[str]] = {p.id: [] for p in instance.positions}
    for student in instance.students:
        pid = assignment[student.id]
        if pid is None:
            continue
        if pid not in student.prefs or student.id not in ranks[pid]:
            return False
        members[pid].append(student.id)
    if any(len(members[pid]) > capacity[pid] for pid in capacity):
        return False
    for student in instance.students:
        pid = assignment[student.id]
        better = student.prefs if pid is None else student.prefs[: student.prefs.index(pid)]
        for q in better:
            if student.id not in ranks[q]:
                continue
            if len(members[q]) < capacity[q]:
                return False
            if any(ranks[q][other] > ranks[q][student.id] for other in members[q]):
                return False
    return True


def all_matchings(instance: Instance) -> Iterator[dict[str, str | None]]:
    """Yield every assignment of students to mutually acceptable positions or None (capacities unchecked)."""
    ranks = {pid: r.rank for pid, r in rankings(instance).items()}
    options = [[None, *(p for p in s.prefs if s.id in ranks[p])] for s in instance.students]
    ids = [s.id for s in instance.students]
    for choice in itertools.product(*options):
        yield dict(zip(ids, choice, strict=True))


def choice_index(student: Student, position_id: str | None) -> int:
    """Return where ``position_id`` is in the student's list (its length when unmatched): lower is better."""
    return len(student.prefs) if position_id is None else student.prefs.index(position_id)
