"""The check: each kind of violation is caught, and the cost is computed from scratch."""

from __future__ import annotations

from engines.allocation.check import check
from engines.allocation.model import Building, Floor, Goal, Instance
from engines.allocation.tests.strategies import room, student


def instance() -> Instance:
    rooms = (room("a", "female", 2), room("acc", "female", 1, accessible=True), room("m", "male", 2))
    return Instance(
        (Building("B1", (Floor("1", rooms),)),),
        (student("f1", needs_accessible=True), student("f2"), student("m1", "male")),
        taken=frozenset({"m-2"}),
    )


GOOD = {"f1": "acc-1", "f2": "a-1", "m1": "m-1"}


def errors(assignment) -> tuple[str, ...]:
    return check(instance(), assignment).errors


def test_a_good_allocation_is_valid_with_its_cost() -> None:
    verification = check(instance(), GOOD)
    assert verification.valid
    assert verification.cost.counts[Goal.PART_EMPTY] == 1  # room a: one of two beds used
    assert verification.cost.total == 1


def test_each_violation_is_caught() -> None:
    assert any("given to both 'f1' and 'f2'" in e for e in errors({**GOOD, "f2": "acc-1"}))
    assert errors({**GOOD, "m1": "m-2"}) == ("student 'm1' is assigned to bed 'm-2', which is already taken",)
    assert errors({**GOOD, "f2": "m-1", "m1": "m-1"})[0] == "student 'f2' (female) is in room 'm' (male)"
    assert errors({**GOOD, "f1": "a-2"}) == ("student 'f1' needs an accessible room but is in room 'a', which is not",)
    assert errors({**GOOD, "f2": "zz"}) == ("student 'f2' is assigned to unknown bed 'zz'",)
    assert errors({**GOOD, "x9": None}) == ("unknown student 'x9' in the assignment",)
    assert errors({"f1": "acc-1", "m1": "m-1"}) == (
        "student 'f2' is missing from the assignment (use null for unplaced)",
    )
    assert errors([*GOOD.items(), ("f2", "a-2")]) == ("student 'f2' is assigned more than once",)
    assert errors({**GOOD, "f2": None}) == ("only 1 female students are placed, but the free beds allow 2",)


def test_an_accessible_bed_used_without_need_costs_a_little() -> None:
    inst = instance()
    inst = Instance(inst.buildings, (student("f1"), student("f2"), student("m1", "male")), taken=inst.taken)
    assert check(inst, GOOD).cost.counts[Goal.ACCESSIBLE] == 1
