"""Say, per student, which soft wishes an allocation did not meet and why, and why anyone is unplaced."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from engines.allocation.model import Code, Explanation, Instance
from engines.allocation.park import Park, group_key


def _main(counts: Counter[int]) -> int:
    """Return the key holding most of a group (the lowest index among ties)."""
    return min(counts, key=lambda k: (-counts[k], k))


def explain(instance: Instance, assignment: Mapping[str, str | None]) -> dict[str, tuple[Explanation, ...]]:
    """
    Return the explanations of a valid ``assignment``, for the students who have any, in the instance's order.

    Codes and parameters only (see ``Code``); ``messages.render`` turns them into English.
    """
    park = Park.of(instance)
    students = instance.students
    room_of: dict[int, int] = {}
    for i, s in enumerate(students):
        bed = assignment.get(s.id)
        if bed is not None and bed in park.bed_room:
            room_of[i] = park.bed_room[bed]
    out: dict[int, list[Explanation]] = {}

    # Unplaced students: too few free beds of their kind.
    for gender in sorted({s.gender for s in students}):
        need = [i for i, s in enumerate(students) if s.gender == gender and s.needs_accessible]
        other = [i for i, s in enumerate(students) if s.gender == gender and not s.needs_accessible]
        need_placed = sum(1 for i in need if i in room_of)
        for kind, free in ((need, park.free_beds(gender, True)), (other, park.free_beds(gender) - need_placed)):
            for i in kind:
                if i not in room_of:
                    params = {
                        "gender": gender,
                        "accessible": students[i].needs_accessible,
                        "free_beds": max(free, 0),
                        "students": len(kind),
                    }
                    out.setdefault(i, []).append(Explanation(Code.NO_BED, params))

    # Roommate requests.
    occupied = Counter(room_of.values())
    for i, s in enumerate(students):
        if s.roommate is None:
            continue
        j = park.student_index[s.roommate]
        other = students[j]
        if other.gender != s.gender:
            out.setdefault(i, []).append(Explanation(Code.ROOMMATE_OTHER_GENDER, {"roommate": other.id}))
        elif other.roommate != s.id:
            params = {"roommate": other.id, "their_request": other.roommate}
            out.setdefault(i, []).append(Explanation(Code.ROOMMATE_NOT_MUTUAL, params))
        elif i not in room_of or j not in room_of:
            params = {"roommate": other.id, "who": "you" if i not in room_of else "they"}
            out.setdefault(i, []).append(Explanation(Code.ROOMMATE_UNPLACED, params))
        elif room_of[i] != room_of[j]:
            r, q = room_of[i], room_of[j]
            params = {
                "roommate": other.id,
                "room": park.room_ids[r],
                "their_room": park.room_ids[q],
                "room_full": occupied[r] + park.room_taken[r] >= park.room_capacity[r],
                "their_room_full": occupied[q] + park.room_taken[q] >= park.room_capacity[q],
            }
            out.setdefault(i, []).append(Explanation(Code.ROOMMATE_SEPARATED, params))

    # Cohorts and colleges, per gender.
    free_floor: Counter[tuple[int, str]] = Counter()
    free_building: Counter[tuple[int, str]] = Counter()
    for r, beds in enumerate(park.room_free_beds):
        free_floor[(park.room_floor[r], park.room_gender[r])] += len(beds)
        free_building[(park.room_building[r], park.room_gender[r])] += len(beds)
    cohorts: dict[tuple[str, str], list[int]] = {}
    colleges: dict[tuple[str, str], list[int]] = {}
    for i in room_of:
        s = students[i]
        if (key := group_key(s.cohort, s.gender)) is not None:
            cohorts.setdefault(key, []).append(i)
        if (key := group_key(s.college, s.gender)) is not None:
            colleges.setdefault(key, []).append(i)
    for (cohort, gender), members in cohorts.items():
        floors = Counter(park.room_floor[room_of[i]] for i in members)
        buildings = Counter(park.room_building[room_of[i]] for i in members)
        if len(floors) == 1:
            continue
        main_floor, main_building = _main(floors), _main(buildings)
        for i in members:
            f, b = park.room_floor[room_of[i]], park.room_building[room_of[i]]
            if b != main_building:
                params = {
                    "cohort": cohort,
                    "gender": gender,
                    "building": park.building_ids[b],
                    "main_building": park.building_ids[main_building],
                    "buildings": [park.building_ids[x] for x in sorted(buildings, key=lambda x: (-buildings[x], x))],
                    "students": len(members),
                    "main_building_free_beds": free_building[(main_building, gender)],
                }
                out.setdefault(i, []).append(Explanation(Code.COHORT_BUILDING, params))
            elif f != main_floor:
                params = {
                    "cohort": cohort,
                    "gender": gender,
                    "floor": park.floor_label(f),
                    "main_floor": park.floor_label(main_floor),
                    "floors": [park.floor_label(x) for x in sorted(floors, key=lambda x: (-floors[x], x))],
                    "students": len(members),
                    "main_floor_free_beds": free_floor[(main_floor, gender)],
                }
                out.setdefault(i, []).append(Explanation(Code.COHORT_FLOOR, params))
    for (college, gender), members in colleges.items():
        buildings = Counter(park.room_building[room_of[i]] for i in members)
        if len(buildings) == 1:
            continue
        main_building = _main(buildings)
        for i in members:
            b = park.room_building[room_of[i]]
            if b != main_building:
                params = {
                    "college": college,
                    "gender": gender,
                    "building": park.building_ids[b],
                    "main_building": park.building_ids[main_building],
                    "buildings": [park.building_ids[x] for x in sorted(buildings, key=lambda x: (-buildings[x], x))],
                    "students": len(members),
                    "main_building_free_beds": free_building[(main_building, gender)],
                }
                out.setdefault(i, []).append(Explanation(Code.COLLEGE_BUILDING, params))
    return {students[i].id: tuple(out[i]) for i in sorted(out)}
