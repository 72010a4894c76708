"""Verify an allocation against the hard constraints and compute its cost from scratch."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from engines.allocation.model import Cost, Goal, Instance, Verification
from engines.allocation.park import Park, group_key


def cost_of(instance: Instance, park: Park, room_of: Mapping[int, int]) -> Cost:
    """Return the cost of the allocation ``room_of`` (student index -> room index; unplaced students absent)."""
    students = instance.students
    counts = dict.fromkeys(Goal, 0)
    for i, j in enumerate(park.mutual):
        if i < j and not (i in room_of and j in room_of and room_of[i] == room_of[j]):
            counts[Goal.ROOMMATE] += 1
    cohort_floor: dict[tuple[str, str], Counter[int]] = {}
    cohort_building: dict[tuple[str, str], Counter[int]] = {}
    college_building: dict[tuple[str, str], Counter[int]] = {}
    occupied = list(park.room_taken)
    for i, r in room_of.items():
        s = students[i]
        occupied[r] += 1
        if park.room_accessible[r] and not s.needs_accessible:
            counts[Goal.ACCESSIBLE] += 1
        cohort = group_key(s.cohort, s.gender)
        if cohort is not None:
            cohort_floor.setdefault(cohort, Counter())[park.room_floor[r]] += 1
            cohort_building.setdefault(cohort, Counter())[park.room_building[r]] += 1
        college = group_key(s.college, s.gender)
        if college is not None:
            college_building.setdefault(college, Counter())[park.room_building[r]] += 1
    for goal, groups in (
        (Goal.COHORT_FLOOR, cohort_floor),
        (Goal.COHORT_BUILDING, cohort_building),
        (Goal.COLLEGE_BUILDING, college_building),
    ):
        counts[goal] = sum(c.total() - max(c.values()) for c in groups.values())
    counts[Goal.PART_EMPTY] = sum(
        cap - occ for cap, occ in zip(park.room_capacity, occupied, strict=True) if 0 < occ < cap
    )
    return Cost(counts=counts, weights=instance.weights)


def check(instance: Instance, assignment: Mapping[str, str | None] | Iterable[tuple[str, str | None]]) -> Verification:
    """
    Check ``assignment`` (student id -> bed id or None) against ``instance`` and compute its cost.

    Errors: an unknown student or bed, a student assigned twice or missing (use
    None for unplaced), a bed given twice or already taken, a room of the other
    gender, a student needing an accessible room in one that is not, and fewer
    students placed (per gender) than the free beds allow. The cost counts only
    the students whose bed is valid.
    """
    pairs = list(assignment.items()) if isinstance(assignment, Mapping) else list(assignment)
    park = Park.of(instance)
    students = instance.students
    errors: list[str] = []
    seen: set[str] = set()
    bed_holder: dict[str, str] = {}
    room_of: dict[int, int] = {}
    for student_id, bed in pairs:
        i = park.student_index.get(student_id)
        if i is None:
            errors.append(f"unknown student {student_id!r} in the assignment")
            continue
        if student_id in seen:
            errors.append(f"student {student_id!r} is assigned more than once")
            continue
        seen.add(student_id)
        if bed is None:
            continue
        r = park.bed_room.get(bed)
        s = students[i]
        if r is None:
            errors.append(f"student {student_id!r} is assigned to unknown bed {bed!r}")
            continue
        if bed in instance.taken:
            errors.append(f"student {student_id!r} is assigned to bed {bed!r}, which is already taken")
            continue
        if bed in bed_holder:
            errors.append(f"bed {bed!r} is given to both {bed_holder[bed]!r} and {student_id!r}")
            continue
        bed_holder[bed] = student_id
        if park.room_gender[r] != s.gender:
            errors.append(
                f"student {student_id!r} ({s.gender}) is in room {park.room_ids[r]!r} ({park.room_gender[r]})"
            )
            continue
        if s.needs_accessible and not park.room_accessible[r]:
            errors.append(
                f"student {student_id!r} needs an accessible room but is in room {park.room_ids[r]!r}, which is not"
            )
            continue
        room_of[i] = r
    for s in students:
        if s.id not in seen:
            errors.append(f"student {s.id!r} is missing from the assignment (use null for unplaced)")
    if not errors:
        errors.extend(_unplaced_errors(instance, park, room_of))
    return Verification(errors=tuple(errors), cost=cost_of(instance, park, room_of))


def _unplaced_errors(instance: Instance, park: Park, room_of: Mapping[int, int]) -> list[str]:
    """Return an error per gender whose placed students are fewer than its free beds allow."""
    errors = []
    for gender in sorted({s.gender for s in instance.students}):
        need = sum(1 for s in instance.students if s.gender == gender and s.needs_accessible)
        other = sum(1 for s in instance.students if s.gender == gender and not s.needs_accessible)
        accessible = park.free_beds(gender, accessible=True)
        total = park.free_beds(gender)
        placeable = min(need, accessible) + min(other, total - min(need, accessible))
        placed = sum(1 for i in room_of if instance.students[i].gender == gender)
        if placed < placeable:
            errors.append(f"only {placed} {gender} students are placed, but the free beds allow {placeable}")
    return errors
