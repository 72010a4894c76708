"""Explanations: codes and parameters per student, and their English text."""

from __future__ import annotations

from engines.allocation.explain import explain
from engines.allocation.messages import render
from engines.allocation.model import Building, Code, Floor, Instance
from engines.allocation.solver import solve
from engines.allocation.tests.strategies import room, student


def test_unplaced_and_roommate_explanations() -> None:
    rooms = (room("a", "female", 2), room("acc", "female", 1, accessible=True), room("m", "male", 2))
    students = (
        student("f1", roommate="f2"),
        student("f2", roommate="f3"),
        student("f3", roommate="m1"),
        student("f4", needs_accessible=True),
        student("f5", needs_accessible=True),
        student("m1", "male", roommate="f3"),
    )
    instance = Instance((Building("B1", (Floor("1", rooms),)),), students)
    result = solve(instance)
    explanations = explain(instance, result.assignment)
    assert explanations["f5"][0].code == Code.NO_BED
    assert dict(explanations["f5"][0].params) == {"gender": "female", "accessible": True, "free_beds": 1, "students": 2}
    assert render(explanations["f5"][0]).startswith("unplaced: no free bed in an accessible female room")
    (e,) = explanations["f1"]
    assert e.code == Code.ROOMMATE_NOT_MUTUAL
    assert render(e) == (
        "roommate request not honoured: f2 did not ask for you (they asked for f3); only mutual requests are honoured"
    )
    # f3 is the third of three non-needing women for two beds: unplaced, and m1 is a man.
    assert [e.code for e in explanations["f3"]] == [Code.NO_BED, Code.ROOMMATE_OTHER_GENDER]
    assert render(explanations["f3"][0]) == (
        "unplaced: no free bed in a female room (2 free beds for 3 students; beds go in the order of the intake list)"
    )


def test_a_split_cohort_says_why() -> None:
    floor3 = tuple(room(f"3{k}", "female", 6) for k in range(3))  # 18 beds
    floor4 = tuple(room(f"4{k}", "female", 6) for k in range(3))
    instance = Instance(
        (Building("B1", (Floor("3", floor3), Floor("4", floor4))),),
        tuple(student(f"s{i:02d}", cohort="C1") for i in range(24)),
    )
    result = solve(instance)
    explanations = explain(instance, result.assignment)
    assert len(explanations) == 6
    e = next(iter(explanations.values()))[0]
    assert e.code == Code.COHORT_FLOOR
    assert render(e) == (
        "cohort C1 (24 female students) split across floors B1 floor 3 and B1 floor 4 because B1 floor 3 had "
        "18 free female beds for 24 students; you are on B1 floor 4"
    )
