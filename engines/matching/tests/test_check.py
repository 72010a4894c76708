"""The check: structural errors, capacity violations and blocking pairs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from engines.matching.check import check
from engines.matching.model import BlockingPair, BlockingReason, Instance, Position, Student
from engines.matching.solver import solve
from engines.matching.tests.strategies import instances, is_stable
from engines.matching.tests.test_solver import college_admissions

STABLE = {"s1": "P1", "s2": "P3", "s3": "P1", "s4": "P2", "s5": None}


def test_stable_matching_is_valid() -> None:
    verification = check(college_admissions(), STABLE)
    assert verification.valid
    assert verification.errors == ()
    assert verification.blocking_pairs == ()


def test_planted_blocking_pair_is_found() -> None:
    # s5 takes s2's seat at P3: P3 ranks s2 first, and s2 prefers P3 to being unmatched.
    verification = check(college_admissions(), {**STABLE, "s2": None, "s5": "P3"})
    assert verification.errors == ()
    assert verification.blocking_pairs == (BlockingPair("s2", "P3", BlockingReason.PREFERRED, displaced="s5"),)
    assert not verification.valid


def test_free_seat_blocking_pair_is_found() -> None:
    # With P3's seat empty, both s2 and s5 (who ranks P3 and is on its list) block with it.
    verification = check(college_admissions(), {**STABLE, "s2": None})
    assert verification.blocking_pairs == (
        BlockingPair("s2", "P3", BlockingReason.FREE_SEAT),
        BlockingPair("s5", "P3", BlockingReason.FREE_SEAT),
    )


def test_capacity_violation_is_reported() -> None:
    verification = check(college_admissions(), {**STABLE, "s4": "P1"})
    assert "position 'P1' admits 3 students, over its capacity of 2" in verification.errors
    assert not verification.valid


def test_malformed_assignments_are_reported() -> None:
    pairs = [
        ("s1", "P1"),
        ("s1", "P2"),
        ("s2", "P2"),
        ("s3", "P9"),
        ("s5", "P1"),
        ("ghost", None),
    ]
    errors = check(college_admissions(), pairs).errors
    assert errors == (
        "student 's1' is assigned more than once",
        "student 's2' is assigned to 'P2', which they did not rank",
        "student 's2' is assigned to 'P2', which does not accept them",
        "student 's3' is assigned to unknown position 'P9'",
        "student 's5' is assigned to 'P1', which does not accept them",
        "unknown student 'ghost' in the assignment",
        "student 's4' is missing from the assignment (use null for unmatched)",
    )


def test_weak_check_ignores_ties_the_lottery_broke() -> None:
    # a and b are tied at the one seat; whoever got it, the other does not block under weak stability.
    instance = Instance(
        students=(Student("a", ("p",)), Student("b", ("p",))),
        positions=(Position("p", 1, (("a", "b"),)),),
        seed=5,
    )
    result = solve(instance)
    winner = next(sid for sid, pid in result.assignment.items() if pid == "p")
    loser = "b" if winner == "a" else "a"
    flipped = {winner: None, loser: "p"}
    assert check(instance, flipped, weak=True).valid
    strict = check(instance, flipped, seed=result.seed, tie_breaking=result.tie_breaking)
    assert strict.blocking_pairs == (BlockingPair(winner, "p", BlockingReason.PREFERRED, displaced=loser),)


@settings(max_examples=100, deadline=None)
@given(instances(max_students=6, max_positions=4), st.data())
def test_check_agrees_with_brute_force_oracle(instance: Instance, data: st.DataObject) -> None:
    assignment = {
        s.id: data.draw(st.sampled_from([None, *s.prefs]) if s.prefs else st.none()) for s in instance.students
    }
    assert check(instance, assignment).valid == is_stable(instance, assignment)
