"""Dataclasses of the curriculum-based course timetabling problem (ITC-2007 CB-CTT, UD2).

The park extends the competition model with room kinds and features (a course that
requires a kind or features may only be taught in a matching room), with further
teachers per course, teacher unavailability and room unavailability. The ``.ctt``
format carries none of these, so they default to empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

# UD2 weights of the soft components.
ROOM_CAPACITY_WEIGHT = 1
MIN_WORKING_DAYS_WEIGHT = 5
ISOLATED_LECTURES_WEIGHT = 2
ROOM_STABILITY_WEIGHT = 1


@dataclass(frozen=True)
class Course:
    """A course: ``lectures`` weekly lectures taught by ``teacher`` to ``students`` students.

    ``co_teachers`` are further teachers of the course (park extension): every one of
    them conflicts with the other courses they teach, and their unavailability applies.
    """

    name: str
    teacher: str
    lectures: int
    min_working_days: int
    students: int
    required_kind: str = ""
    required_features: frozenset[str] = frozenset()
    co_teachers: tuple[str, ...] = ()

    @property
    def teachers(self) -> tuple[str, ...]:
        """Return ``teacher`` followed by the co-teachers, without repeats."""
        return tuple(dict.fromkeys((self.teacher, *self.co_teachers)))


@dataclass(frozen=True)
class Room:
    """A room with a seating capacity and, in the park, a kind and a set of features."""

    name: str
    capacity: int
    kind: str = ""
    features: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Curriculum:
    """A group of courses that share students, so none of them may overlap."""

    name: str
    courses: tuple[str, ...]


@dataclass(frozen=True)
class Instance:
    """A timetabling problem: courses, rooms, curricula and unavailable periods.

    ``unavailability`` holds ``(course, day, period)`` triples,
    ``teacher_unavailability`` ``(teacher, day, period)`` triples and
    ``room_unavailability`` ``(room, day, period)`` triples; all are hard.
    """

    name: str
    days: int
    periods_per_day: int
    courses: tuple[Course, ...]
    rooms: tuple[Room, ...]
    curricula: tuple[Curriculum, ...]
    unavailability: frozenset[tuple[str, int, int]] = frozenset()
    teacher_unavailability: frozenset[tuple[str, int, int]] = frozenset()
    room_unavailability: frozenset[tuple[str, int, int]] = frozenset()

    @property
    def periods(self) -> int:
        """Return the number of periods in the week."""
        return self.days * self.periods_per_day

    @cached_property
    def course_index(self) -> dict[str, int]:
        """Return the position of each course by name."""
        return {course.name: i for i, course in enumerate(self.courses)}

    @cached_property
    def room_index(self) -> dict[str, int]:
        """Return the position of each room by name."""
        return {room.name: i for i, room in enumerate(self.rooms)}

    @property
    def total_lectures(self) -> int:
        """Return the number of lectures to schedule."""
        return sum(course.lectures for course in self.courses)

    def is_available(self, course: Course, day: int, period: int) -> bool:
        """Return whether ``course`` (and every one of its teachers) may be taught at ``day``, ``period``."""
        if (course.name, day, period) in self.unavailability:
            return False
        return all((teacher, day, period) not in self.teacher_unavailability for teacher in course.teachers)

    def room_is_available(self, room_name: str, day: int, period: int) -> bool:
        """Return whether the room named ``room_name`` may be used at ``day``, ``period``."""
        return (room_name, day, period) not in self.room_unavailability


def room_suits(course: Course, room: Room) -> bool:
    """Return whether ``room`` has the kind and features that ``course`` requires."""
    if course.required_kind and room.kind != course.required_kind:
        return False
    return course.required_features <= room.features


@dataclass(frozen=True)
class Assignment:
    """One lecture of ``course`` in ``room`` at ``day``, ``period`` (one line of a solution file).

    Names are kept as written, so a solution may mention unknown courses or rooms; the
    scorer reports those as warnings.
    """

    course: str
    room: str
    day: int
    period: int


@dataclass(frozen=True)
class Solution:
    """A timetable: the list of assignments, in file order."""

    assignments: tuple[Assignment, ...]


@dataclass(frozen=True)
class CostBreakdown:
    """The UD2 cost of a solution: hard violations per kind and the weighted soft components.

    ``room_suitability`` is the park extension (a course in a room of the wrong kind or
    without the required features); it is always 0 on competition instances.
    """

    lectures: int = 0
    conflicts: int = 0
    availability: int = 0
    room_occupation: int = 0
    room_suitability: int = 0
    room_capacity: int = 0
    min_working_days: int = 0
    isolated_lectures: int = 0
    room_stability: int = 0
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def hard_violations(self) -> int:
        """Return the number of hard violations of all kinds."""
        return self.lectures + self.conflicts + self.availability + self.room_occupation + self.room_suitability

    @property
    def soft_cost(self) -> int:
        """Return the weighted soft cost (the validator's "Total Cost")."""
        return self.room_capacity + self.min_working_days + self.isolated_lectures + self.room_stability

    @property
    def feasible(self) -> bool:
        """Return whether no hard constraint is violated."""
        return self.hard_violations == 0

    def as_dict(self) -> dict[str, object]:
        """Return the breakdown as a JSON-ready dictionary with the validator's names."""
        return {
            "hard": {
                "Lectures": self.lectures,
                "Conflicts": self.conflicts,
                "Availability": self.availability,
                "RoomOccupation": self.room_occupation,
                "RoomSuitability": self.room_suitability,
            },
            "soft": {
                "RoomCapacity": self.room_capacity,
                "MinWorkingDays": self.min_working_days,
                "IsolatedLectures": self.isolated_lectures,
                "RoomStability": self.room_stability,
            },
            "violations": self.hard_violations,
            "total": self.soft_cost,
            "feasible": self.feasible,
            "warnings": list(self.warnings),
        }
