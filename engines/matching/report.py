"""The round's report: how many got a seat, how many got what they wanted, per group."""

from __future__ import annotations

from collections.abc import Sequence

from engines.matching.model import GroupRate, Instance, Report, Result


def report(instance: Instance, result: Result, *, attributes: Sequence[str] | None = None) -> Report:
    """
    Return the figures of the round for ``result``.

    Match rates are given per value of each of ``attributes`` (by default every
    attribute any student carries, in sorted order).
    """
    if attributes is None:
        attributes = sorted({name for student in instance.students for name in student.attributes})
    filled: dict[str, int] = {}
    matched = first = top3 = 0
    groups: dict[str, dict[str, list[int]]] = {name: {} for name in attributes}
    for student in instance.students:
        position_id = result.assignment.get(student.id)
        got = position_id is not None
        if got:
            matched += 1
            filled[position_id] = filled.get(position_id, 0) + 1
            choice = student.prefs.index(position_id) if position_id in student.prefs else len(student.prefs)
            first += choice == 0
            top3 += choice < 3
        for name in attributes:
            counts = groups[name].setdefault(student.attributes.get(name, Report.UNSPECIFIED), [0, 0])
            counts[0] += 1
            counts[1] += got
    seats = sum(position.capacity for position in instance.positions)
    unfilled = sum(max(0, position.capacity - filled.get(position.id, 0)) for position in instance.positions)
    return Report(
        students=len(instance.students),
        matched=matched,
        seats=seats,
        unfilled_seats=unfilled,
        first_choice=first,
        top3_choice=top3,
        by_attribute={
            name: {value: GroupRate(students=n, matched=k) for value, (n, k) in sorted(values.items())}
            for name, values in groups.items()
        },
    )
