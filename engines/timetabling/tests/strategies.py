"""Hypothesis strategies and helpers shared by the timetabling tests."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from engines.timetabling.model import Course, Curriculum, Instance, Room

DATA_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "itc2007-ctt"
INSTANCES = [f"comp{i:02d}" for i in range(1, 22)]
# UD2 cost of each best-known solution, from the data README (official validator).
BEST_KNOWN = {
    "comp01": 5, "comp02": 24, "comp03": 64, "comp04": 35, "comp05": 284, "comp06": 27, "comp07": 6,
    "comp08": 37, "comp09": 96, "comp10": 4, "comp11": 0, "comp12": 294, "comp13": 59, "comp14": 51,
    "comp15": 62, "comp16": 18, "comp17": 56, "comp18": 61, "comp19": 57, "comp20": 4, "comp21": 74,
}  # fmt: skip
NO_DATA = f"ITC-2007 data directory {DATA_DIR} is absent"


@st.composite
def instances(draw: st.DrawFn, park: bool = True) -> Instance:
    """Draw a small random instance; with ``park``, also room kinds, features, co-teachers and
    teacher and room unavailability."""
    days = draw(st.integers(1, 4))
    ppd = draw(st.integers(1, 4))
    n_rooms = draw(st.integers(1, 3))
    kinds = ["", "lab"] if park else [""]
    rooms = tuple(
        Room(
            name=f"r{i}",
            capacity=draw(st.integers(5, 60)),
            kind=draw(st.sampled_from(kinds)),
            features=frozenset(draw(st.sets(st.sampled_from(["projector", "bench"])))) if park else frozenset(),
        )
        for i in range(n_rooms)
    )
    n_courses = draw(st.integers(1, 6))
    courses = tuple(
        Course(
            name=f"c{i}",
            teacher=f"t{draw(st.integers(0, 2))}",
            lectures=draw(st.integers(1, min(3, days * ppd))),
            min_working_days=draw(st.integers(1, 3)),
            students=draw(st.integers(1, 80)),
            required_kind=draw(st.sampled_from(kinds)) if park else "",
            required_features=frozenset(draw(st.sets(st.sampled_from(["projector"])))) if park else frozenset(),
            co_teachers=tuple(draw(st.lists(st.sampled_from(["t0", "t1", "t2", "t3"]), max_size=2))) if park else (),
        )
        for i in range(n_courses)
    )
    names = [c.name for c in courses]
    curricula = tuple(
        Curriculum(name=f"q{i}", courses=tuple(draw(st.lists(st.sampled_from(names), min_size=1, unique=True))))
        for i in range(draw(st.integers(0, 3)))
    )
    slots = st.tuples(st.integers(0, days - 1), st.integers(0, ppd - 1))
    unavailability = frozenset((draw(st.sampled_from(names)), d, p) for d, p in draw(st.lists(slots, max_size=4)))
    teacher_unavailability = (
        frozenset((f"t{draw(st.integers(0, 2))}", d, p) for d, p in draw(st.lists(slots, max_size=3)))
        if park
        else frozenset()
    )
    room_unavailability = (
        frozenset((f"r{draw(st.integers(0, n_rooms - 1))}", d, p) for d, p in draw(st.lists(slots, max_size=4)))
        if park
        else frozenset()
    )
    return Instance(
        name="random",
        days=days,
        periods_per_day=ppd,
        courses=courses,
        rooms=rooms,
        curricula=curricula,
        unavailability=unavailability,
        teacher_unavailability=teacher_unavailability,
        room_unavailability=room_unavailability,
    )
