"""A flat, index-based view of an instance, shared by the solver, the check and the explanations."""

from __future__ import annotations

from dataclasses import dataclass

from engines.allocation.model import Instance


@dataclass
class Park:
    """Rooms, floors and buildings as lists indexed by integers, with the free beds of each room."""

    building_ids: list[str]
    floor_keys: list[tuple[str, str]]  # (building id, floor id)
    floor_building: list[int]
    room_ids: list[str]
    room_gender: list[str]
    room_accessible: list[bool]
    room_floor: list[int]
    room_building: list[int]
    room_capacity: list[int]
    room_taken: list[int]  # beds already taken before this allocation
    room_free_beds: list[list[str]]  # the free beds, in the room's order
    bed_room: dict[str, int]
    student_index: dict[str, int]
    mutual: list[int]  # the student's partner when both asked for each other, are distinct and of one gender; else -1

    @classmethod
    def of(cls, instance: Instance) -> Park:
        """Return the flat view of ``instance``."""
        park = cls([], [], [], [], [], [], [], [], [], [], [], {}, {}, [])
        for b, building in enumerate(instance.buildings):
            park.building_ids.append(building.id)
            for floor in building.floors:
                f = len(park.floor_keys)
                park.floor_keys.append((building.id, floor.id))
                park.floor_building.append(b)
                for room in floor.rooms:
                    r = len(park.room_ids)
                    park.room_ids.append(room.id)
                    park.room_gender.append(room.gender)
                    park.room_accessible.append(room.accessible)
                    park.room_floor.append(f)
                    park.room_building.append(b)
                    park.room_capacity.append(len(room.beds))
                    free = [bed for bed in room.beds if bed not in instance.taken]
                    park.room_taken.append(len(room.beds) - len(free))
                    park.room_free_beds.append(free)
                    for bed in room.beds:
                        park.bed_room[bed] = r
        students = instance.students
        park.student_index = {s.id: i for i, s in enumerate(students)}
        for i, s in enumerate(students):
            j = park.student_index.get(s.roommate, -1) if s.roommate is not None else -1
            ok = j >= 0 and j != i and students[j].roommate == s.id and students[j].gender == s.gender
            park.mutual.append(j if ok else -1)
        return park

    def free_beds(self, gender: str, accessible: bool | None = None) -> int:
        """Return the free beds in rooms of ``gender`` (only accessible or only other rooms when given)."""
        return sum(
            len(beds)
            for beds, g, acc in zip(self.room_free_beds, self.room_gender, self.room_accessible, strict=True)
            if g == gender and (accessible is None or acc == accessible)
        )

    def floor_label(self, f: int) -> dict[str, str]:
        """Return the floor ``f`` as {"building", "floor"} for explanations."""
        building, floor = self.floor_keys[f]
        return {"building": building, "floor": floor}


def group_key(kind: str | None, gender: str) -> tuple[str, str] | None:
    """Return the group of a cohort or college of one gender, or None for a student without one."""
    return None if kind is None else (kind, gender)
