"""Explanations: why each student did not get the positions they preferred."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from engines.matching.explain import explain
from engines.matching.model import Explanation, Instance, Position, Reason, Result, Student, TieBreaking, ordinal
from engines.matching.solver import solve
from engines.matching.tests.strategies import instances
from engines.matching.tests.test_solver import college_admissions


def test_explanations_of_hand_example() -> None:
    instance = college_admissions()
    explanations = explain(instance, solve(instance))
    assert explanations["s1"] == [] and explanations["s3"] == [] and explanations["s4"] == []
    assert explanations["s2"] == [Explanation("s2", "P1", Reason.FULL, last_admitted_rank=3, student_rank=4)]
    assert explanations["s5"] == [
        Explanation("s5", "P1", Reason.NOT_ACCEPTABLE),
        Explanation("s5", "P3", Reason.FULL, last_admitted_rank=1, student_rank=3),
    ]
    assert explanations["s2"][0].message == "full: its last admitted applicant ranks 3rd, you rank 4th"
    assert explanations["s5"][0].message == "not acceptable: you are not on the position's list"


def test_tie_broken_by_the_lottery_is_noted() -> None:
    # p takes c (ranked alone, first) and one of a and b, who are tied; the other falls back to q.
    instance = Instance(
        students=(Student("a", ("p", "q")), Student("b", ("p", "q")), Student("c", ("p",))),
        positions=(Position("p", 2, (("c",), ("a", "b"))), Position("q", 1, (("a", "b"),))),
        seed=11,
    )
    result = solve(instance)
    assert result.assignment["c"] == "p"
    loser = "a" if result.assignment["a"] == "q" else "b"
    assert result.assignment[loser] == "q"
    explanations = explain(instance, result)
    assert explanations[loser] == [
        Explanation(loser, "p", Reason.FULL, last_admitted_rank=2, student_rank=3, tie_broken=True)
    ]
    assert explanations[loser][0].message == (
        "full: its last admitted applicant ranks 2nd, you rank 3rd (you were tied with them; the lottery put them ahead)"
    )


def test_no_tie_note_when_outranked() -> None:
    instance = Instance(
        students=(Student("a", ("p",)), Student("b", ("p",))),
        positions=(Position("p", 1, (("a",), ("b",))),),
    )
    assert explain(instance, solve(instance))["b"] == [
        Explanation("b", "p", Reason.FULL, last_admitted_rank=1, student_rank=2, tie_broken=False)
    ]


def test_no_capacity_reason() -> None:
    instance = Instance(students=(Student("a", ("p",)),), positions=(Position("p", 0, (("a",),)),))
    assert explain(instance, solve(instance))["a"] == [Explanation("a", "p", Reason.NO_CAPACITY)]


def test_unstable_matching_cannot_be_explained() -> None:
    instance = Instance(students=(Student("a", ("p",)),), positions=(Position("p", 1, (("a",),)),))
    with pytest.raises(ValueError, match="not stable"):
        explain(instance, Result({"a": None}, seed=0, tie_breaking=TieBreaking.SINGLE))


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111, 112)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th", "112th",
    ]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(instances())
def test_every_better_choice_is_explained(instance: Instance) -> None:
    result = solve(instance)
    explanations = explain(instance, result)
    for student in instance.students:
        matched = result.assignment[student.id]
        above = student.prefs if matched is None else student.prefs[: student.prefs.index(matched)]
        assert [e.position for e in explanations[student.id]] == list(above)
        for e in explanations[student.id]:
            if e.reason == Reason.FULL:
                assert e.last_admitted_rank is not None and e.student_rank is not None
                assert e.last_admitted_rank < e.student_rank
