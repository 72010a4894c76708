"""JSON in and out: round trip, and errors that name the field."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from engines.allocation.io import InstanceError, instance_to_dict, parse_instance
from engines.allocation.model import Instance, Weights
from engines.allocation.tests.strategies import instances


def valid() -> dict:
    return {
        "buildings": [
            {
                "id": "B1",
                "floors": [
                    {
                        "id": "1",
                        "rooms": [
                            {
                                "id": "101",
                                "gender": "female",
                                "beds": ["101-a", "101-b"],
                                "accessible": True,
                                "fee": 1200,
                            },
                            {"id": "102", "gender": "male", "beds": 3, "facilities": ["bathroom"]},
                        ],
                    }
                ],
            }
        ],
        "taken": ["101-a"],
        "students": [
            {"id": "s1", "gender": "female", "cohort": "c1", "college": "k1", "roommate": "s2"},
            {"id": "s2", "gender": "female", "needs_accessible": True, "roommate": "s1"},
        ],
        "weights": {"roommate": 7},
        "seed": 5,
    }


def test_a_valid_instance_is_read() -> None:
    instance = parse_instance(valid())
    room = instance.buildings[0].floors[0].rooms[1]
    assert room.beds == ("102-1", "102-2", "102-3")
    assert instance.taken == frozenset({"101-a"})
    assert instance.weights == Weights(roommate=7)
    assert instance.students[1].needs_accessible
    assert instance.seed == 5


@settings(max_examples=50, deadline=None)
@given(instances())
def test_round_trip(instance: Instance) -> None:
    assert parse_instance(instance_to_dict(instance)) == instance


def error_of(change) -> str:
    data = valid()
    change(data)
    with pytest.raises(InstanceError) as info:
        parse_instance(data)
    return str(info.value)


def test_errors_name_the_field() -> None:
    def rooms(d):
        return d["buildings"][0]["floors"][0]["rooms"]

    assert "students[0] ('s1'): 'roommate' is unknown student id 'zz'" in error_of(
        lambda d: d["students"][0].update(roommate="zz")
    )
    assert "duplicate bed id '101-a'" in error_of(lambda d: rooms(d)[1].update(beds=["101-a"]))
    assert "rooms[1] ('102'): negative capacity -2 in 'beds'" in error_of(lambda d: rooms(d)[1].update(beds=-2))
    assert "students[1] ('s2'): unknown gender 'f' (expected female or male)" in error_of(
        lambda d: d["students"][1].update(gender="f")
    )
    assert "rooms[0] ('101'): unknown gender 'mixed'" in error_of(lambda d: rooms(d)[0].update(gender="mixed"))
    assert "duplicate student id 's1'" in error_of(lambda d: d["students"][1].update(id="s1"))
    assert "taken[0] is unknown bed id 'nope'" in error_of(lambda d: d.update(taken=["nope"]))
    assert "weights: 'roommate' must be a non-negative integer, not -1" in error_of(
        lambda d: d["weights"].update(roommate=-1)
    )
    assert "weights: unknown key 'roomate'" in error_of(lambda d: d["weights"].update(roomate=1))
    assert "'roommate' asks for the student themselves" in error_of(lambda d: d["students"][0].update(roommate="s1"))
    assert "unknown key 'studnets'" in error_of(lambda d: d.update(studnets=[]))
    assert "'needs_accessible' must be true or false" in error_of(lambda d: d["students"][0].update(needs_accessible=1))
