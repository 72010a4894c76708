"""Reading and writing the .ctt instance format and the solution format."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from engines.timetabling.ctt import (
    FormatError,
    format_instance,
    format_solution,
    parse_instance,
    parse_solution,
    read_instance,
    read_solution,
)
from engines.timetabling.model import Instance
from engines.timetabling.tests.strategies import DATA_DIR, INSTANCES, NO_DATA, instances


@pytest.mark.skipif(not DATA_DIR.is_dir(), reason=NO_DATA)
@pytest.mark.parametrize("name", INSTANCES)
def test_competition_instance_round_trips(name: str) -> None:
    instance = read_instance(DATA_DIR / f"{name}.ctt")
    assert parse_instance(format_instance(instance)) == instance
    solution = read_solution(DATA_DIR / "best-known-solutions" / f"{name}.sol")
    assert parse_solution(format_solution(solution)) == solution


@pytest.mark.skipif(not DATA_DIR.is_dir(), reason=NO_DATA)
def test_comp01_header() -> None:
    instance = read_instance(DATA_DIR / "comp01.ctt")
    assert (instance.name, instance.days, instance.periods_per_day) == ("Fis0506-1", 5, 6)
    assert (len(instance.courses), len(instance.rooms), len(instance.curricula)) == (30, 6, 14)
    assert len(instance.unavailability) == 53
    assert instance.total_lectures == 160


@settings(max_examples=50, deadline=None)
@given(instances(park=False))
def test_random_instance_round_trips(instance: Instance) -> None:
    assert parse_instance(format_instance(instance)) == instance


GOOD = """Name: Toy
Courses: 1
Rooms: 1
Days: 1
Periods_per_day: 2
Curricula: 1
Constraints: 0

COURSES:
c1 t1 2 1 10

ROOMS:
rA 20

CURRICULA:
q1 1 c1

UNAVAILABILITY_CONSTRAINTS:

END.
"""


def test_toy_instance_parses() -> None:
    instance = parse_instance(GOOD)
    assert instance.courses[0].lectures == 2
    assert instance.curricula[0].courses == ("c1",)


@pytest.mark.parametrize(
    ("broken", "line", "message"),
    [
        (GOOD.replace("Rooms: 1", "Rooms: one"), 3, "Rooms must be an integer"),
        (GOOD.replace("c1 t1 2 1 10", "c1 t1 2 1"), 10, "needs 5 fields"),
        (GOOD.replace("q1 1 c1", "q1 2 c1"), 16, "announces 2 courses"),
        (GOOD.replace("q1 1 c1", "q1 1 c9"), 16, "unknown course c9"),
        (GOOD.replace("Days: 1", "Weeks: 1"), 4, "expected 'Days: VALUE'"),
    ],
)
def test_malformed_instance_names_the_line(broken: str, line: int, message: str) -> None:
    with pytest.raises(FormatError, match=message) as caught:
        parse_instance(broken)
    assert caught.value.line == line
    assert f"line {line}:" in str(caught.value)


def test_missing_end_is_reported() -> None:
    with pytest.raises(FormatError, match=r"END\."):
        parse_instance(GOOD.replace("END.", ""))


def test_malformed_solution_names_the_line() -> None:
    with pytest.raises(FormatError, match="line 2: day must be an integer"):
        parse_solution("c1 rA 0 0\nc1 rA x 1\n")
    with pytest.raises(FormatError, match="line 3: expected 'COURSE ROOM DAY PERIOD'"):
        parse_solution("c1 rA 0 0\n\nc1 rA\n")
