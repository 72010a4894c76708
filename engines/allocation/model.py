"""The allocation engine's data: the park's beds and the incoming students (an instance), and what comes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

GENDERS = ("female", "male")


class Goal(StrEnum):
    """A soft goal; its cost is a count (of students, pairs or beds) times its weight."""

    # Mutual roommate requests (same gender) whose two students are not in one room.
    ROOMMATE = "roommate"
    # Students not on the floor holding most of their cohort group (a cohort's students of one gender).
    COHORT_FLOOR = "cohort_floor"
    # Students not in the building holding most of their cohort group.
    COHORT_BUILDING = "cohort_building"
    # Students not in the building holding most of their college group (a college's students of one gender).
    COLLEGE_BUILDING = "college_building"
    # Free beds in rooms that hold at least one student (incoming or already there).
    PART_EMPTY = "part_empty"
    # Students who do not need an accessible room but were put in one.
    ACCESSIBLE = "accessible"


@dataclass(frozen=True)
class Weights:
    """The weight of each soft goal: a non-negative integer cost per unit of its count."""

    roommate: int = 10
    cohort_floor: int = 2
    cohort_building: int = 4
    college_building: int = 1
    part_empty: int = 1
    accessible: int = 1

    def of(self, goal: Goal) -> int:
        """Return the weight of ``goal``."""
        return getattr(self, goal.value)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Return the goals' names in the order of the fields."""
        return tuple(f.name for f in fields(cls))


@dataclass(frozen=True)
class Room:
    """A room: its gender, its beds (ids, in order), whether it is accessible, its facilities and fee."""

    id: str
    gender: str
    beds: tuple[str, ...]
    accessible: bool = False
    facilities: tuple[str, ...] = ()
    fee: float | None = None


@dataclass(frozen=True)
class Floor:
    """A floor of a building; its id is unique within the building."""

    id: str
    rooms: tuple[Room, ...]


@dataclass(frozen=True)
class Building:
    """A dormitory building."""

    id: str
    floors: tuple[Floor, ...]


@dataclass(frozen=True)
class Student:
    """An incoming student; ``roommate`` is the id of the student they ask to share a room with."""

    id: str
    gender: str
    needs_accessible: bool = False
    cohort: str | None = None
    college: str | None = None
    roommate: str | None = None


@dataclass(frozen=True)
class Instance:
    """An intake: the park, the beds already taken, the students (in priority order), the weights and the seed."""

    buildings: tuple[Building, ...]
    students: tuple[Student, ...]
    taken: frozenset[str] = frozenset()
    weights: Weights = field(default_factory=Weights)
    seed: int = 0


@dataclass(frozen=True)
class Cost:
    """The count of each soft goal (its units of harm) and the weights: the cost breakdown."""

    counts: Mapping[Goal, int] = field(hash=False)
    weights: Weights

    def of(self, goal: Goal) -> int:
        """Return the weighted cost of ``goal``."""
        return self.counts[goal] * self.weights.of(goal)

    @property
    def total(self) -> int:
        """Return the sum of the weighted costs."""
        return sum(self.of(goal) for goal in Goal)


class Code(StrEnum):
    """What an explanation says; its parameters are listed next to each code."""

    # Unplaced: {gender, accessible (bool), free_beds, students}: too few free beds of that kind.
    NO_BED = "no_bed"
    # {roommate, their_request (id or None)}: the roommate did not ask for you.
    ROOMMATE_NOT_MUTUAL = "roommate_not_mutual"
    # {roommate}: the roommate is of another gender, and rooms are single-gender.
    ROOMMATE_OTHER_GENDER = "roommate_other_gender"
    # {roommate, who ("you" or "they")}: one of you got no bed.
    ROOMMATE_UNPLACED = "roommate_unplaced"
    # {roommate, room, their_room, room_full, their_room_full}: the request was mutual but the solver kept you apart.
    ROOMMATE_SEPARATED = "roommate_separated"
    # {cohort, gender, building, floor, main_building, main_floor, floors, students, main_floor_free_beds}
    COHORT_FLOOR = "cohort_floor"
    # {cohort, gender, building, main_building, buildings, students, main_building_free_beds}
    COHORT_BUILDING = "cohort_building"
    # {college, gender, building, main_building, buildings, students, main_building_free_beds}
    COLLEGE_BUILDING = "college_building"


@dataclass(frozen=True)
class Explanation:
    """A soft wish (or the bed itself) a student did not get, as a code and its parameters; see messages.py."""

    code: Code
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Result:
    """An allocation: each student's bed id (or None), its cost, and what the search did."""

    assignment: Mapping[str, str | None] = field(hash=False)
    cost: Cost
    seed: int
    iterations: int
    stopped_by: str  # "iterations" (reproducible) or "time" (the time limit cut the search short)
    explanations: Mapping[str, tuple[Explanation, ...]] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Verification:
    """The outcome of checking an allocation: hard-constraint errors and the cost of the soft goals."""

    errors: tuple[str, ...]
    cost: Cost

    @property
    def valid(self) -> bool:
        """Return whether no hard constraint is broken."""
        return not self.errors
