"""Read instances and results from JSON and write them back, with errors that say what is wrong."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engines.matching.model import Explanation, Instance, Position, Report, Result, Student, TieBreaking

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


@dataclass(frozen=True)
class ResultFile:
    """The assignment of a result file as (student, position) pairs in file order, and its lottery if recorded."""

    pairs: tuple[tuple[str, str | None], ...]
    seed: int | None = None
    tie_breaking: TieBreaking | None = None


def _is_int(value: object) -> bool:
    """Return whether ``value`` is a JSON integer (``True`` is not one)."""
    return isinstance(value, int) and not isinstance(value, bool)


def parse_instance(data: Any) -> Instance:
    """Return the instance described by the decoded JSON ``data``; raise InstanceError listing every problem."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise InstanceError(["the instance must be a JSON object with 'students' and 'positions'"])
    for key in sorted(set(data) - {"students", "positions", "seed", "tie_breaking"}):
        errors.append(f"unknown key {key!r} at the top level (expected students, positions, seed, tie_breaking)")
    seed = data.get("seed", 0)
    if not _is_int(seed):
        errors.append(f"'seed' must be an integer, not {seed!r}")
        seed = 0
    tie_breaking = TieBreaking.SINGLE
    if "tie_breaking" in data:
        try:
            tie_breaking = TieBreaking(data["tie_breaking"])
        except ValueError:
            errors.append(f"'tie_breaking' must be 'single' or 'multiple', not {data['tie_breaking']!r}")
    raw_students = data.get("students")
    raw_positions = data.get("positions")
    if not isinstance(raw_students, list):
        errors.append("'students' must be a list")
        raw_students = []
    if not isinstance(raw_positions, list):
        errors.append("'positions' must be a list")
        raw_positions = []

    position_ids = _ids(raw_positions, "positions", errors)
    student_ids = _ids(raw_students, "students", errors)

    students: list[Student] = []
    for i, raw in enumerate(raw_students):
        if not isinstance(raw, dict):
            continue
        where = f"students[{i}] ({raw.get('id')!r})"
        prefs = raw.get("prefs")
        if not isinstance(prefs, list):
            errors.append(f"{where}: 'prefs' must be a list of position ids")
            prefs = []
        seen: set[str] = set()
        clean: list[str] = []
        for j, position_id in enumerate(prefs):
            if isinstance(position_id, list):
                errors.append(f"{where}: prefs[{j}] is a list, but students rank positions strictly (no ties)")
            elif not isinstance(position_id, str):
                errors.append(f"{where}: prefs[{j}] must be a position id string, not {position_id!r}")
            elif position_id not in position_ids:
                errors.append(f"{where}: prefs[{j}] is unknown position id {position_id!r}")
            elif position_id in seen:
                errors.append(f"{where}: position {position_id!r} is ranked twice")
            else:
                seen.add(position_id)
                clean.append(position_id)
        attributes: dict[str, str] = {}
        for key, value in raw.items():
            if key in ("id", "prefs") or value is None:
                continue
            if isinstance(value, str):
                attributes[key] = value
            elif _is_int(value):
                attributes[key] = str(value)
            else:
                errors.append(f"{where}: attribute {key!r} must be a string or an integer, not {value!r}")
        students.append(Student(id=raw.get("id"), prefs=tuple(clean), attributes=attributes))

    positions: list[Position] = []
    for i, raw in enumerate(raw_positions):
        if not isinstance(raw, dict):
            continue
        where = f"positions[{i}] ({raw.get('id')!r})"
        for key in sorted(set(raw) - {"id", "capacity", "prefs"}):
            errors.append(f"{where}: unknown key {key!r} (expected id, capacity, prefs)")
        capacity = raw.get("capacity")
        if not _is_int(capacity):
            errors.append(f"{where}: 'capacity' must be an integer, not {capacity!r}")
            capacity = 0
        elif capacity < 0:
            errors.append(f"{where}: negative capacity {capacity}")
            capacity = 0
        prefs = raw.get("prefs")
        if not isinstance(prefs, list):
            errors.append(f"{where}: 'prefs' must be a list of student ids (a nested list for a tie)")
            prefs = []
        seen = set()
        tiers: list[tuple[str, ...]] = []
        for j, entry in enumerate(prefs):
            members = entry if isinstance(entry, list) else [entry]
            if not members:
                errors.append(f"{where}: prefs[{j}] is an empty tie")
            tier: list[str] = []
            for student_id in members:
                if not isinstance(student_id, str):
                    errors.append(f"{where}: prefs[{j}] must hold student id strings, not {student_id!r}")
                elif student_id not in student_ids:
                    errors.append(f"{where}: prefs[{j}] holds unknown student id {student_id!r}")
                elif student_id in seen:
                    errors.append(f"{where}: student {student_id!r} is ranked twice")
                else:
                    seen.add(student_id)
                    tier.append(student_id)
            if tier:
                tiers.append(tuple(tier))
        positions.append(Position(id=raw.get("id"), capacity=capacity, prefs=tuple(tiers)))

    if errors:
        raise InstanceError(errors)
    return Instance(students=tuple(students), positions=tuple(positions), seed=seed, tie_breaking=tie_breaking)


def _ids(items: list[Any], kind: str, errors: list[str]) -> set[str]:
    """Return the ids of ``items``, recording missing, malformed and duplicate ids in ``errors``."""
    ids: set[str] = set()
    for i, raw in enumerate(items):
        if not isinstance(raw, dict):
            errors.append(f"{kind}[{i}] must be an object, not {raw!r}")
            continue
        item_id = raw.get("id")
        if not isinstance(item_id, str) or not item_id:
            errors.append(f"{kind}[{i}]: 'id' must be a non-empty string, not {item_id!r}")
        elif item_id in ids:
            errors.append(f"{kind}[{i}]: duplicate id {item_id!r}")
        else:
            ids.add(item_id)
    return ids


def _load_json(path: str | Path) -> Any:
    """Return the decoded JSON of the file at ``path``; raise ValueError saying why it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}")
    try:
        return json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")


class _Pairs(dict):
    """A JSON object that also keeps its members in order, duplicate keys included."""

    pairs: list[tuple[str, Any]]


def _pairs(items: list[tuple[str, Any]]) -> _Pairs:
    """Return a JSON object that remembers duplicate keys, so that the check can report a student assigned twice."""
    obj = _Pairs(items)
    obj.pairs = items
    return obj


def read_instance(path: str | Path) -> Instance:
    """Return the instance of the JSON file at ``path``; raise InstanceError if it cannot be used."""
    try:
        data = _load_json(path)
    except ValueError as exc:
        raise InstanceError([str(exc)])
    return parse_instance(data)


def read_result(path: str | Path) -> ResultFile:
    """Return the assignment of the result file at ``path``, duplicate students kept for the check to report."""
    try:
        data = _load_json(path)
    except ValueError as exc:
        raise ResultError(str(exc))
    if not isinstance(data, dict) or not isinstance(data.get("assignment"), dict):
        raise ResultError(f"{path}: a result must be a JSON object with an 'assignment' object")
    pairs: list[tuple[str, str | None]] = []
    for student_id, position_id in data["assignment"].pairs:
        if position_id is not None and not isinstance(position_id, str):
            raise ResultError(
                f"{path}: the assignment of {student_id!r} must be a position id or null, not {position_id!r}"
            )
        pairs.append((student_id, position_id))
    seed = data.get("seed")
    if seed is not None and not _is_int(seed):
        raise ResultError(f"{path}: 'seed' must be an integer, not {seed!r}")
    tie_breaking = data.get("tie_breaking")
    if tie_breaking is not None:
        try:
            tie_breaking = TieBreaking(tie_breaking)
        except ValueError:
            raise ResultError(f"{path}: 'tie_breaking' must be 'single' or 'multiple', not {tie_breaking!r}")
    return ResultFile(pairs=tuple(pairs), seed=seed, tie_breaking=tie_breaking)


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """Return ``instance`` in its JSON form."""
    return {
        "students": [{"id": s.id, "prefs": list(s.prefs), **s.attributes} for s in instance.students],
        "positions": [
            {
                "id": p.id,
                "capacity": p.capacity,
                "prefs": [tier[0] if len(tier) == 1 else list(tier) for tier in p.prefs],
            }
            for p in instance.positions
        ],
        "seed": instance.seed,
        "tie_breaking": str(instance.tie_breaking),
    }


def _share(value: float) -> float:
    """Return a share rounded for the JSON."""
    return round(value, 4)


def report_to_dict(report: Report) -> dict[str, Any]:
    """Return ``report`` in its JSON form, shares rounded to four decimals."""
    return {
        "students": report.students,
        "matched": report.matched,
        "matched_share": _share(report.matched_share),
        "seats": report.seats,
        "unfilled_seats": report.unfilled_seats,
        "first_choice": report.first_choice,
        "first_choice_share": _share(report.first_choice_share),
        "top3_choice": report.top3_choice,
        "top3_share": _share(report.top3_share),
        "by_attribute": {
            name: {
                value: {"students": g.students, "matched": g.matched, "match_rate": _share(g.match_rate)}
                for value, g in groups.items()
            }
            for name, groups in report.by_attribute.items()
        },
    }


def explanation_to_dict(explanation: Explanation) -> dict[str, Any]:
    """Return ``explanation`` in its JSON form (the student's id is the key it is filed under)."""
    data: dict[str, Any] = {"position": explanation.position, "reason": str(explanation.reason)}
    if explanation.last_admitted_rank is not None:
        data["last_admitted_rank"] = explanation.last_admitted_rank
        data["your_rank"] = explanation.student_rank
        data["tie_broken"] = explanation.tie_broken
    data["message"] = explanation.message
    return data


def result_to_dict(
    result: Result,
    *,
    explanations: dict[str, list[Explanation]] | None = None,
    report: Report | None = None,
) -> dict[str, Any]:
    """Return ``result`` in its JSON form, with the explanations and the report when given."""
    data: dict[str, Any] = {
        "assignment": dict(result.assignment),
        "seed": result.seed,
        "tie_breaking": str(result.tie_breaking),
        "algorithm": "student-proposing deferred acceptance",
    }
    if explanations is not None:
        data["explanations"] = {
            student_id: [explanation_to_dict(e) for e in items] for student_id, items in explanations.items()
        }
    if report is not None:
        data["report"] = report_to_dict(report)
    return data


def dumps(data: Any) -> str:
    """Return ``data`` as JSON text, byte for byte the same for the same data."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_json(path: str | Path, data: Any) -> None:
    """Write ``data`` to ``path`` as JSON in UTF-8."""
    Path(path).write_text(dumps(data), encoding="utf-8")
