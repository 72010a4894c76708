"""Hypothesis strategies and small hand-made instances for the allocation engine's tests."""

from __future__ import annotations

from hypothesis import strategies as st

from engines.allocation.model import Building, Floor, Instance, Room, Student, Weights


@st.composite
def instances(draw: st.DrawFn, *, max_students: int = 14, max_rooms: int = 6) -> Instance:
    """Draw a small park (rooms of 0-4 beds, some taken, some accessible) and an intake that may not fit."""
    buildings = []
    beds: list[str] = []
    room_n = 0
    for b in range(draw(st.integers(1, 2))):
        floors = []
        for f in range(draw(st.integers(1, 2))):
            rooms = []
            for _ in range(draw(st.integers(0, max_rooms // 2))):
                room_id = f"r{room_n}"
                room_n += 1
                room_beds = tuple(f"{room_id}-{k}" for k in range(draw(st.integers(0, 4))))
                beds += room_beds
                rooms.append(
                    Room(room_id, draw(st.sampled_from(["female", "male"])), room_beds, accessible=draw(st.booleans()))
                )
            floors.append(Floor(str(f), tuple(rooms)))
        buildings.append(Building(f"B{b}", tuple(floors)))
    taken = frozenset(bed for bed in beds if draw(st.integers(0, 4)) == 0)
    n = draw(st.integers(0, max_students))
    ids = [f"s{i}" for i in range(n)]
    students = []
    for sid in ids:
        roommate = draw(st.sampled_from([None, None, *ids]))
        students.append(
            Student(
                sid,
                draw(st.sampled_from(["female", "male"])),
                needs_accessible=draw(st.integers(0, 5)) == 0,
                cohort=draw(st.sampled_from([None, "c1", "c2", "c3"])),
                college=draw(st.sampled_from([None, "k1", "k2"])),
                roommate=None if roommate == sid else roommate,
            )
        )
    # Turn some requests mutual, so that pairs are common.
    students = [s if s.roommate is None or draw(st.booleans()) else s for s in students]
    by_id = {s.id: s for s in students}
    for s in list(students):
        if s.roommate is not None and draw(st.booleans()):
            other = by_id[s.roommate]
            by_id[other.id] = Student(other.id, other.gender, other.needs_accessible, other.cohort, other.college, s.id)
    weights = Weights(*(draw(st.integers(0, 12)) for _ in range(6)))
    return Instance(tuple(buildings), tuple(by_id[sid] for sid in ids), taken, weights, draw(st.integers(0, 2**16)))


def room(room_id: str, gender: str, beds: int, *, accessible: bool = False) -> Room:
    """Return a room with beds named ``<room>-1`` ... ``<room>-<beds>``."""
    return Room(room_id, gender, tuple(f"{room_id}-{k}" for k in range(1, beds + 1)), accessible=accessible)


def student(sid: str, gender: str = "female", **kwargs: object) -> Student:
    """Return a student (keyword arguments as in ``Student``)."""
    return Student(sid, gender, **kwargs)  # type: ignore[arg-type]
