"""Deferred acceptance: textbook answers, stability, student-optimality, strategy-proofness, reproducibility."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from engines.matching.check import check
from engines.matching.io import dumps, parse_instance, result_to_dict
from engines.matching.model import Instance, Position, Student, TieBreaking
from engines.matching.solver import solve
from engines.matching.tests.strategies import all_matchings, choice_index, instances, is_stable
from engines.matching.tiebreak import rankings

FAST = settings(max_examples=100, deadline=None)


def gale_shapley_1962() -> Instance:
    """
    Return the three-by-three example of Gale and Shapley (1962), students proposing.

    Each side's first choices form a cycle, so there are three stable matchings:
    each student's first choice, each position's first choice, everyone's second.
    """
    return parse_instance(
        {
            "students": [
                {"id": "alpha", "prefs": ["A", "B", "C"]},
                {"id": "beta", "prefs": ["B", "C", "A"]},
                {"id": "gamma", "prefs": ["C", "A", "B"]},
            ],
            "positions": [
                {"id": "A", "capacity": 1, "prefs": ["beta", "gamma", "alpha"]},
                {"id": "B", "capacity": 1, "prefs": ["gamma", "alpha", "beta"]},
                {"id": "C", "capacity": 1, "prefs": ["alpha", "beta", "gamma"]},
            ],
        }
    )


def college_admissions() -> Instance:
    """Return a five-student, three-position example whose answer is computed by hand in the test."""
    return parse_instance(
        {
            "students": [
                {"id": "s1", "prefs": ["P1", "P2"]},
                {"id": "s2", "prefs": ["P1", "P3"]},
                {"id": "s3", "prefs": ["P1", "P2", "P3"]},
                {"id": "s4", "prefs": ["P2", "P1"]},
                {"id": "s5", "prefs": ["P1", "P3"]},
            ],
            "positions": [
                {"id": "P1", "capacity": 2, "prefs": ["s4", "s3", "s1", "s2"]},
                {"id": "P2", "capacity": 1, "prefs": ["s1", "s3", "s4"]},
                {"id": "P3", "capacity": 1, "prefs": ["s2", "s3", "s5"]},
            ],
            "seed": 7,
        }
    )


def test_gale_shapley_example_gives_students_their_first_choice() -> None:
    instance = gale_shapley_1962()
    assert solve(instance).assignment == {"alpha": "A", "beta": "B", "gamma": "C"}
    # The other two stable matchings exist and are worse for every student.
    stable = [m for m in all_matchings(instance) if is_stable(instance, m)]
    assert {"alpha": "C", "beta": "A", "gamma": "B"} in stable
    assert {"alpha": "B", "beta": "C", "gamma": "A"} in stable
    assert len(stable) == 3


def test_college_admissions_hand_computed() -> None:
    # Round 1: s1, s2, s3 and s5 propose to P1, which rejects s5 (not listed) and s2 (4th, two seats);
    # s4 holds P2. Round 2: s5 proposes to P3 and is held; s2 proposes to P3, which prefers s2 (1st) to s5 (3rd).
    # s5 has no choice left.
    result = solve(college_admissions())
    assert result.assignment == {"s1": "P1", "s2": "P3", "s3": "P1", "s4": "P2", "s5": None}
    assert result.seed == 7
    assert result.tie_breaking == TieBreaking.SINGLE


def test_unacceptable_applicant_and_zero_capacity_are_rejected() -> None:
    instance = Instance(
        students=(Student("a", ("closed", "picky", "open")), Student("b", ())),
        positions=(
            Position("closed", 0, (("a",),)),
            Position("picky", 3, (("b",),)),
            Position("open", 1, (("a",),)),
        ),
    )
    assert solve(instance).assignment == {"a": "open", "b": None}


@FAST
@given(instances())
def test_result_is_stable(instance: Instance) -> None:
    result = solve(instance)
    assert set(result.assignment) == {s.id for s in instance.students}
    verification = check(instance, result.assignment, seed=result.seed, tie_breaking=result.tie_breaking)
    assert verification.valid, verification
    assert is_stable(instance, dict(result.assignment))
    # A matching stable for the tie-broken order is weakly stable for the original ties.
    assert check(instance, result.assignment, weak=True).valid


@FAST
@given(instances(max_students=5, max_positions=3, max_capacity=2, ties=False))
def test_result_is_student_optimal(instance: Instance) -> None:
    result = solve(instance)
    stable = [m for m in all_matchings(instance) if is_stable(instance, m)]
    assert dict(result.assignment) in stable
    for student in instance.students:
        best = min(choice_index(student, m[student.id]) for m in stable)
        assert choice_index(student, result.assignment[student.id]) == best


@settings(max_examples=60, deadline=None)
@given(instances(max_students=5, max_positions=4, max_capacity=2))
def test_no_student_gains_by_swapping_two_entries(instance: Instance) -> None:
    truthful = solve(instance).assignment
    for k, student in enumerate(instance.students):
        honest = choice_index(student, truthful[student.id])
        prefs = student.prefs
        for i in range(len(prefs)):
            for j in range(i + 1, len(prefs)):
                lie = list(prefs)
                lie[i], lie[j] = lie[j], lie[i]
                students = list(instance.students)
                students[k] = replace(student, prefs=tuple(lie))
                got = solve(replace(instance, students=tuple(students))).assignment[student.id]
                assert choice_index(student, got) >= honest, (student.id, lie, got)


def tied_instance() -> Instance:
    """Return ten students tied for one position of three seats, all ranking it first."""
    ids = [f"s{i}" for i in range(10)]
    return Instance(
        students=tuple(Student(sid, ("hot", "cold")) for sid in ids),
        positions=(Position("hot", 3, (tuple(ids),)), Position("cold", 10, tuple((sid,) for sid in ids))),
        seed=1,
    )


def test_same_seed_gives_byte_identical_result() -> None:
    instance = tied_instance()
    first = dumps(result_to_dict(solve(instance)))
    assert first == dumps(result_to_dict(solve(instance)))
    # The order of the students in the file does not change the lottery.
    shuffled = replace(instance, students=tuple(reversed(instance.students)))
    assert solve(shuffled).assignment == dict(solve(instance).assignment)


def test_different_seeds_break_ties_differently() -> None:
    instance = tied_instance()
    outcomes = {
        tuple(sorted(sid for sid, pid in solve(instance, seed=seed).assignment.items() if pid == "hot"))
        for seed in range(20)
    }
    assert len(outcomes) > 1


def test_single_lottery_is_shared_by_all_positions() -> None:
    ids = [f"s{i}" for i in range(8)]
    positions = tuple(Position(f"p{j}", 1, (tuple(ids),)) for j in range(5))
    instance = Instance(students=tuple(Student(sid, ()) for sid in ids), positions=positions, seed=3)
    single = {r.order for r in rankings(instance, tie_breaking=TieBreaking.SINGLE).values()}
    assert len(single) == 1
    multiple = {r.order for r in rankings(instance, tie_breaking=TieBreaking.MULTIPLE).values()}
    assert len(multiple) > 1


@FAST
@given(instances(), st.integers(0, 2**32))
def test_tie_breaking_refines_the_positions_lists(instance: Instance, seed: int) -> None:
    for position in instance.positions:
        ranking = rankings(instance, seed=seed)[position.id]
        assert ranking.order == tuple(sorted(ranking.order, key=ranking.tier.__getitem__))
        assert sorted(ranking.order) == sorted(sid for tier in position.prefs for sid in tier)
