"""Reading and writing instances and results: clear errors, faithful round trips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from engines.matching.io import (
    InstanceError,
    ResultError,
    instance_to_dict,
    parse_instance,
    read_instance,
    read_result,
)
from engines.matching.model import Instance, Position, TieBreaking
from engines.matching.tests.strategies import instances


def minimal(**changes: Any) -> dict[str, Any]:
    """Return a valid instance as JSON data, with top-level keys replaced by ``changes``."""
    data: dict[str, Any] = {
        "students": [{"id": "s1", "prefs": ["p1", "p2"]}, {"id": "s2", "prefs": ["p1"]}],
        "positions": [
            {"id": "p1", "capacity": 1, "prefs": [["s1", "s2"]]},
            {"id": "p2", "capacity": 2, "prefs": ["s1"]},
        ],
        "seed": 3,
    }
    data.update(changes)
    return data


def test_parse_valid_instance() -> None:
    data = minimal(
        students=[{"id": "s1", "prefs": ["p1", "p2"], "college": "Eng", "year": 2026}, {"id": "s2", "prefs": ["p1"]}]
    )
    instance = parse_instance(data)
    assert instance.seed == 3
    assert instance.tie_breaking == TieBreaking.SINGLE
    assert instance.positions[0] == Position("p1", 1, (("s1", "s2"),))
    assert instance.positions[1] == Position("p2", 2, (("s1",),))
    assert instance.students[0].attributes == {"college": "Eng", "year": "2026"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (minimal(students=[{"id": "s1", "prefs": ["p9"]}]), "students[0] ('s1'): prefs[0] is unknown position id 'p9'"),
        (minimal(students=[{"id": "s1", "prefs": []}, {"id": "s1", "prefs": []}]), "students[1]: duplicate id 's1'"),
        (minimal(students=[{"id": "s1", "prefs": ["p1", "p1"]}]), "students[0] ('s1'): position 'p1' is ranked twice"),
        (minimal(students=[{"id": "s1", "prefs": [["p1", "p2"]]}]), "students rank positions strictly (no ties)"),
        (minimal(students=[{"prefs": []}]), "students[0]: 'id' must be a non-empty string, not None"),
        (minimal(students=[{"id": "s1", "prefs": [], "college": ["x"]}]), "attribute 'college' must be a string"),
        (minimal(positions=[{"id": "p1", "capacity": -1, "prefs": []}]), "positions[0] ('p1'): negative capacity -1"),
        (minimal(positions=[{"id": "p1", "capacity": "2", "prefs": []}]), "'capacity' must be an integer, not '2'"),
        (minimal(positions=[{"id": "p1", "capacity": True, "prefs": []}]), "'capacity' must be an integer, not True"),
        (
            minimal(positions=[{"id": "p1", "capacity": 1, "prefs": ["s1", ["s2", "s1"]]}]),
            "positions[0] ('p1'): student 's1' is ranked twice",
        ),
        (minimal(positions=[{"id": "p1", "capacity": 1, "prefs": ["s7"]}]), "prefs[0] holds unknown student id 's7'"),
        (minimal(positions=[{"id": "p1", "capacity": 1, "prefs": [[]]}]), "prefs[0] is an empty tie"),
        (minimal(positions=[{"id": "p1", "capacity": 1, "prefs": [], "capcity": 2}]), "unknown key 'capcity'"),
        (minimal(positions=[{"id": "p", "capacity": 1, "prefs": []}] * 2), "positions[1]: duplicate id 'p'"),
        (minimal(seed="x"), "'seed' must be an integer, not 'x'"),
        (minimal(tie_breaking="lottery"), "'tie_breaking' must be 'single' or 'multiple', not 'lottery'"),
        (minimal(postions=[]), "unknown key 'postions' at the top level"),
        (minimal(students={}), "'students' must be a list"),
        ([], "the instance must be a JSON object"),
    ],
)
def test_instance_errors_say_what_is_wrong(data: Any, message: str) -> None:
    with pytest.raises(InstanceError) as info:
        parse_instance(data)
    assert message in str(info.value)


def test_every_problem_is_listed() -> None:
    data = minimal(students=[{"id": "s1", "prefs": ["x", "y"]}], seed=None)
    with pytest.raises(InstanceError) as info:
        parse_instance(data)
    assert len(info.value.errors) >= 3
    assert isinstance(info.value, ValueError)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InstanceError, match="cannot read"):
        read_instance(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"students": [}', encoding="utf-8")
    with pytest.raises(InstanceError, match=r"not valid JSON: .* at line 1, column 15"):
        read_instance(broken)


def test_result_file_keeps_duplicate_students_and_lottery(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text('{"assignment": {"s1": "p1", "s1": null}, "seed": 4, "tie_breaking": "multiple"}', encoding="utf-8")
    result = read_result(path)
    assert result.pairs == (("s1", "p1"), ("s1", None))
    assert result.seed == 4
    assert result.tie_breaking == TieBreaking.MULTIPLE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "'assignment' object"),
        ('{"assignment": {"s1": 3}}', "must be a position id or null, not 3"),
        ('{"assignment": {}, "tie_breaking": "x"}', "'tie_breaking' must be"),
        ('{"assignment": {}, "seed": 1.5}', "'seed' must be an integer"),
    ],
)
def test_result_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "result.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ResultError, match=message):
        read_result(path)


@settings(max_examples=50, deadline=None)
@given(instances())
def test_instance_round_trip(instance: Instance) -> None:
    assert parse_instance(json.loads(json.dumps(instance_to_dict(instance)))) == instance
