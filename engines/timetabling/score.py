"""Score a solution the way the official ITC-2007 validator does (UD2 formulation).

The validator reads the solution into a course × period matrix of rooms. Lines that
name an unknown course or room, use an out-of-range day or period, or put a course
twice in one period are skipped with a warning; the lectures they would have placed
then count as unscheduled.
"""

from __future__ import annotations

from engines.timetabling.model import (
    ISOLATED_LECTURES_WEIGHT,
    MIN_WORKING_DAYS_WEIGHT,
    ROOM_CAPACITY_WEIGHT,
    ROOM_STABILITY_WEIGHT,
    CostBreakdown,
    Instance,
    Solution,
    room_suits,
)


def timetable_matrix(instance: Instance, solution: Solution) -> tuple[list[list[int]], list[str]]:
    """Return the course × period matrix of room indices (-1 for none) and the warnings."""
    warnings: list[str] = []
    matrix = [[-1] * instance.periods for _ in instance.courses]
    for line, a in enumerate(solution.assignments, start=1):
        c = instance.course_index.get(a.course)
        if c is None:
            warnings.append(f"line {line}: unknown course {a.course}")
            continue
        r = instance.room_index.get(a.room)
        if r is None:
            warnings.append(f"line {line}: unknown room {a.room}")
            continue
        if not 0 <= a.day < instance.days:
            warnings.append(f"line {line}: day {a.day} out of range")
            continue
        if not 0 <= a.period < instance.periods_per_day:
            warnings.append(f"line {line}: period {a.period} out of range")
            continue
        p = a.day * instance.periods_per_day + a.period
        if matrix[c][p] != -1:
            warnings.append(f"line {line}: repeated entry for course {a.course} at day {a.day} period {a.period}")
            continue
        matrix[c][p] = r
    return matrix, warnings


def conflicting_courses(instance: Instance) -> list[set[int]]:
    """Return, per course, the other courses sharing one of its teachers or one of its curricula."""
    conflicts: list[set[int]] = [set() for _ in instance.courses]
    by_teacher: dict[str, list[int]] = {}
    for i, course in enumerate(instance.courses):
        for teacher in course.teachers:
            by_teacher.setdefault(teacher, []).append(i)
    groups = list(by_teacher.values())
    groups += [[instance.course_index[name] for name in q.courses] for q in instance.curricula]
    for group in groups:
        for i in group:
            conflicts[i].update(j for j in group if j != i)
    return conflicts


def score(instance: Instance, solution: Solution) -> CostBreakdown:
    """Return the hard violations, weighted soft components and warnings of ``solution``."""
    matrix, warnings = timetable_matrix(instance, solution)
    courses, rooms = instance.courses, instance.rooms
    ppd = instance.periods_per_day
    periods = range(instance.periods)

    lectures = availability = suitability = capacity = mwd = stability = 0
    for c, course in enumerate(courses):
        row = matrix[c]
        used = [p for p in periods if row[p] != -1]
        lectures += abs(course.lectures - len(used))
        for p in used:
            room = rooms[row[p]]
            day, slot = p // ppd, p % ppd
            if not (instance.is_available(course, day, slot) and instance.room_is_available(room.name, day, slot)):
                availability += 1
            if not room_suits(course, room):
                suitability += 1
            if course.students > room.capacity:
                capacity += course.students - room.capacity
        days = len({p // ppd for p in used})
        if days < course.min_working_days:
            mwd += course.min_working_days - days
        distinct_rooms = len({row[p] for p in used})
        if distinct_rooms > 1:
            stability += distinct_rooms - 1

    conflicts = 0
    neighbours = conflicting_courses(instance)
    for c1 in range(len(courses)):
        for c2 in neighbours[c1]:
            if c2 > c1:
                conflicts += sum(1 for p in periods if matrix[c1][p] != -1 and matrix[c2][p] != -1)

    occupation = 0
    for p in periods:
        counts: dict[int, int] = {}
        for c in range(len(courses)):
            if matrix[c][p] != -1:
                counts[matrix[c][p]] = counts.get(matrix[c][p], 0) + 1
        occupation += sum(n - 1 for n in counts.values() if n > 1)

    isolated = 0
    for q in instance.curricula:
        members = [instance.course_index[name] for name in q.courses]
        busy = [sum(1 for c in members if matrix[c][p] != -1) for p in periods]
        for p in periods:
            if busy[p] == 0:
                continue
            slot = p % ppd
            before = slot > 0 and busy[p - 1] > 0
            after = slot < ppd - 1 and busy[p + 1] > 0
            if not before and not after:
                isolated += busy[p]

    return CostBreakdown(
        lectures=lectures,
        conflicts=conflicts,
        availability=availability,
        room_occupation=occupation,
        room_suitability=suitability,
        room_capacity=capacity * ROOM_CAPACITY_WEIGHT,
        min_working_days=mwd * MIN_WORKING_DAYS_WEIGHT,
        isolated_lectures=isolated * ISOLATED_LECTURES_WEIGHT,
        room_stability=stability * ROOM_STABILITY_WEIGHT,
        warnings=tuple(warnings),
    )
