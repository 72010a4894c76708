"""Read instances and results from JSON and write them back, with errors that say where the problem is."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from engines.allocation.model import (
    GENDERS,
    Building,
    Cost,
    Explanation,
    Floor,
    Goal,
    Instance,
    Result,
    Room,
    Student,
    Weights,
)

# Beyond this many, further problems of an instance are counted, not listed.
MAX_LISTED_ERRORS = 20


class InstanceError(ValueError):
    """An instance that cannot be read; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = errors[:MAX_LISTED_ERRORS]
        more = len(errors) - len(shown)
        lines = [*shown, f"... and {more} more"] if more else shown
        super().__init__("invalid instance: " + "; ".join(lines))


class ResultError(ValueError):
    """A result file that cannot be read."""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _id(raw: Any, where: str, errors: list[str]) -> str | None:
    value = raw.get("id")
    if not isinstance(value, str) or not value:
        errors.append(f"{where}: 'id' must be a non-empty string, not {value!r}")
        return None
    return value


def _keys(raw: dict[str, Any], allowed: tuple[str, ...], where: str, errors: list[str]) -> None:
    for key in sorted(set(raw) - set(allowed)):
        errors.append(f"{where}: unknown key {key!r} (expected {', '.join(allowed)})")


def _list(raw: dict[str, Any], key: str, where: str, errors: list[str]) -> list[Any]:
    value = raw.get(key)
    if not isinstance(value, list):
        errors.append(f"{where}: {key!r} must be a list, not {value!r}")
        return []
    return value


def _objects(items: list[Any], where: str, errors: list[str]) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for i, raw in enumerate(items):
        if isinstance(raw, dict):
            out.append((i, raw))
        else:
            errors.append(f"{where}[{i}] must be an object, not {raw!r}")
    return out


def _flag(raw: dict[str, Any], key: str, where: str, errors: list[str]) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        errors.append(f"{where}: {key!r} must be true or false, not {value!r}")
        return False
    return value


def _optional_str(raw: dict[str, Any], key: str, where: str, errors: list[str]) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if _is_int(value):
        return str(value)
    if not isinstance(value, str) or not value:
        errors.append(f"{where}: {key!r} must be a non-empty string or null, not {value!r}")
        return None
    return value


def _gender(raw: dict[str, Any], where: str, errors: list[str]) -> str:
    value = raw.get("gender")
    if value not in GENDERS:
        errors.append(f"{where}: unknown gender {value!r} (expected {' or '.join(GENDERS)})")
        return GENDERS[0]
    return value


def _unique(seen: dict[str, str], value: str | None, kind: str, where: str, errors: list[str]) -> None:
    if value is None:
        return
    if value in seen:
        errors.append(f"{where}: duplicate {kind} id {value!r} (also {seen[value]})")
    else:
        seen[value] = where


def _room(raw: dict[str, Any], where: str, errors: list[str], bed_ids: dict[str, str]) -> Room:
    _keys(raw, ("id", "gender", "beds", "accessible", "facilities", "fee"), where, errors)
    room_id = _id(raw, where, errors) or "?"
    beds_raw = raw.get("beds")
    beds: list[str] = []
    if _is_int(beds_raw):
        if beds_raw < 0:
            errors.append(f"{where}: negative capacity {beds_raw} in 'beds'")
        beds = [f"{room_id}-{n}" for n in range(1, max(beds_raw, 0) + 1)]
    elif isinstance(beds_raw, list):
        for j, bed in enumerate(beds_raw):
            if not isinstance(bed, str) or not bed:
                errors.append(f"{where}: beds[{j}] must be a non-empty bed id string, not {bed!r}")
            else:
                beds.append(bed)
    else:
        errors.append(f"{where}: 'beds' must be a list of bed ids or a number of beds, not {beds_raw!r}")
    for j, bed in enumerate(beds):
        _unique(bed_ids, bed, "bed", f"{where}: beds[{j}]", errors)
    facilities = raw.get("facilities", [])
    if not isinstance(facilities, list) or not all(isinstance(x, str) for x in facilities):
        errors.append(f"{where}: 'facilities' must be a list of strings, not {facilities!r}")
        facilities = []
    fee = raw.get("fee")
    if fee is not None and (not isinstance(fee, int | float) or isinstance(fee, bool) or fee < 0):
        errors.append(f"{where}: 'fee' must be a non-negative number or null, not {fee!r}")
        fee = None
    return Room(
        id=room_id,
        gender=_gender(raw, where, errors),
        beds=tuple(beds),
        accessible=_flag(raw, "accessible", where, errors),
        facilities=tuple(facilities),
        fee=fee,
    )


def _weights(raw: Any, errors: list[str]) -> Weights:
    if raw is None:
        return Weights()
    if not isinstance(raw, dict):
        errors.append(f"'weights' must be an object, not {raw!r}")
        return Weights()
    _keys(raw, Weights.names(), "weights", errors)
    values = {}
    for name in Weights.names():
        if name in raw:
            value = raw[name]
            if not _is_int(value) or value < 0:
                errors.append(f"weights: {name!r} must be a non-negative integer, not {value!r}")
            else:
                values[name] = value
    return Weights(**values)


def parse_instance(data: Any) -> Instance:
    """Return the instance described by the decoded JSON ``data``; raise InstanceError listing every problem."""
    if not isinstance(data, dict):
        raise InstanceError(["the instance must be a JSON object with 'buildings' and 'students'"])
    errors: list[str] = []
    _keys(data, ("buildings", "students", "taken", "weights", "seed"), "the top level", errors)
    seed = data.get("seed", 0)
    if not _is_int(seed):
        errors.append(f"'seed' must be an integer, not {seed!r}")
        seed = 0
    building_ids: dict[str, str] = {}
    room_ids: dict[str, str] = {}
    bed_ids: dict[str, str] = {}
    buildings: list[Building] = []
    for b, raw_b in _objects(_list(data, "buildings", "the top level", errors), "buildings", errors):
        where_b = f"buildings[{b}] ({raw_b.get('id')!r})"
        _keys(raw_b, ("id", "floors"), where_b, errors)
        building_id = _id(raw_b, where_b, errors)
        _unique(building_ids, building_id, "building", where_b, errors)
        floor_ids: dict[str, str] = {}
        floors: list[Floor] = []
        for f, raw_f in _objects(_list(raw_b, "floors", where_b, errors), f"{where_b}.floors", errors):
            where_f = f"{where_b}.floors[{f}] ({raw_f.get('id')!r})"
            _keys(raw_f, ("id", "rooms"), where_f, errors)
            raw_id = raw_f.get("id")
            floor_id = str(raw_id) if _is_int(raw_id) else _id(raw_f, where_f, errors)
            _unique(floor_ids, floor_id, "floor", where_f, errors)
            rooms: list[Room] = []
            for r, raw_r in _objects(_list(raw_f, "rooms", where_f, errors), f"{where_f}.rooms", errors):
                where_r = f"{where_f}.rooms[{r}] ({raw_r.get('id')!r})"
                room = _room(raw_r, where_r, errors, bed_ids)
                _unique(
                    room_ids, raw_r.get("id") if isinstance(raw_r.get("id"), str) else None, "room", where_r, errors
                )
                rooms.append(room)
            floors.append(Floor(id=floor_id or "?", rooms=tuple(rooms)))
        buildings.append(Building(id=building_id or "?", floors=tuple(floors)))

    taken: set[str] = set()
    raw_taken = data.get("taken", [])
    if not isinstance(raw_taken, list):
        errors.append(f"'taken' must be a list of bed ids, not {raw_taken!r}")
        raw_taken = []
    for j, bed in enumerate(raw_taken):
        if not isinstance(bed, str):
            errors.append(f"taken[{j}] must be a bed id string, not {bed!r}")
        elif bed not in bed_ids:
            errors.append(f"taken[{j}] is unknown bed id {bed!r}")
        elif bed in taken:
            errors.append(f"taken[{j}]: bed {bed!r} is listed twice")
        else:
            taken.add(bed)

    raw_students = _objects(_list(data, "students", "the top level", errors), "students", errors)
    student_ids: dict[str, str] = {}
    for i, raw in raw_students:
        where = f"students[{i}] ({raw.get('id')!r})"
        _unique(student_ids, _id(raw, where, errors), "student", where, errors)
    students: list[Student] = []
    for i, raw in raw_students:
        where = f"students[{i}] ({raw.get('id')!r})"
        _keys(raw, ("id", "gender", "needs_accessible", "cohort", "college", "roommate"), where, errors)
        roommate = raw.get("roommate")
        if roommate is not None:
            if not isinstance(roommate, str):
                errors.append(f"{where}: 'roommate' must be a student id or null, not {roommate!r}")
                roommate = None
            elif roommate not in student_ids:
                errors.append(f"{where}: 'roommate' is unknown student id {roommate!r}")
                roommate = None
            elif roommate == raw.get("id"):
                errors.append(f"{where}: 'roommate' asks for the student themselves")
                roommate = None
        students.append(
            Student(
                id=raw.get("id") if isinstance(raw.get("id"), str) else "?",
                gender=_gender(raw, where, errors),
                needs_accessible=_flag(raw, "needs_accessible", where, errors),
                cohort=_optional_str(raw, "cohort", where, errors),
                college=_optional_str(raw, "college", where, errors),
                roommate=roommate,
            )
        )
    weights = _weights(data.get("weights"), errors)
    if errors:
        raise InstanceError(errors)
    return Instance(
        buildings=tuple(buildings), students=tuple(students), taken=frozenset(taken), weights=weights, seed=seed
    )


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """Return ``instance`` as JSON data that ``parse_instance`` reads back."""
    return {
        "buildings": [
            {
                "id": b.id,
                "floors": [
                    {
                        "id": f.id,
                        "rooms": [
                            {
                                "id": r.id,
                                "gender": r.gender,
                                "beds": list(r.beds),
                                "accessible": r.accessible,
                                "facilities": list(r.facilities),
                                "fee": r.fee,
                            }
                            for r in f.rooms
                        ],
                    }
                    for f in b.floors
                ],
            }
            for b in instance.buildings
        ],
        "taken": sorted(instance.taken),
        "students": [
            {
                "id": s.id,
                "gender": s.gender,
                "needs_accessible": s.needs_accessible,
                "cohort": s.cohort,
                "college": s.college,
                "roommate": s.roommate,
            }
            for s in instance.students
        ],
        "weights": {name: getattr(instance.weights, name) for name in Weights.names()},
        "seed": instance.seed,
    }


def cost_to_dict(cost: Cost) -> dict[str, Any]:
    """Return the cost breakdown: the total and, per goal, its count, weight and weighted cost."""
    return {
        "total": cost.total,
        "goals": {
            str(goal): {"count": cost.counts[goal], "weight": cost.weights.of(goal), "cost": cost.of(goal)}
            for goal in Goal
        },
    }


def explanation_to_dict(explanation: Explanation, render: Callable[[Explanation], str] | None = None) -> dict[str, Any]:
    """Return an explanation as {"code", "params"} and, with ``render``, its "message"."""
    data: dict[str, Any] = {"code": str(explanation.code), "params": dict(explanation.params)}
    if render is not None:
        data["message"] = render(explanation)
    return data


def result_to_dict(
    result: Result, *, render: Callable[[Explanation], str] | None = None, unplaced: int | None = None
) -> dict[str, Any]:
    """Return ``result`` as JSON data (explanations with English messages when ``render`` is given)."""
    placed = sum(1 for bed in result.assignment.values() if bed is not None)
    return {
        "assignment": dict(result.assignment),
        "placed": placed,
        "unplaced": len(result.assignment) - placed,
        "cost": cost_to_dict(result.cost),
        "seed": result.seed,
        "iterations": result.iterations,
        "stopped_by": result.stopped_by,
        "explanations": {
            student_id: [explanation_to_dict(e, render) for e in items]
            for student_id, items in result.explanations.items()
        },
    }


def dumps(data: Any) -> str:
    """Return ``data`` as JSON text, byte for byte the same for the same data."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_json(path: str | Path, data: Any) -> None:
    """Write ``data`` to ``path`` as JSON in UTF-8."""
    Path(path).write_text(dumps(data), encoding="utf-8")


class _Pairs(dict):
    """A JSON object that also keeps its members in order, duplicate keys included."""

    pairs: list[tuple[str, Any]]


def _pairs(items: list[tuple[str, Any]]) -> _Pairs:
    obj = _Pairs(items)
    obj.pairs = items
    return obj


def _load_json(path: str | Path) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}")
    try:
        return json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")


def read_instance(path: str | Path) -> Instance:
    """Return the instance of the JSON file at ``path``; raise InstanceError if it cannot be used."""
    try:
        data = _load_json(path)
    except ValueError as exc:
        raise InstanceError([str(exc)])
    return parse_instance(data)


def read_assignment(path: str | Path) -> list[tuple[str, str | None]]:
    """Return the assignment of the result file at ``path`` as pairs in file order, duplicate students kept."""
    try:
        data = _load_json(path)
    except ValueError as exc:
        raise ResultError(str(exc))
    if not isinstance(data, Mapping) or not isinstance(data.get("assignment"), _Pairs):
        raise ResultError(f"{path}: a result must be a JSON object with an 'assignment' object")
    pairs: list[tuple[str, str | None]] = []
    for student_id, bed in data["assignment"].pairs:
        if bed is not None and not isinstance(bed, str):
            raise ResultError(f"{path}: assignment[{student_id!r}] must be a bed id or null, not {bed!r}")
        pairs.append((student_id, bed))
    return pairs
