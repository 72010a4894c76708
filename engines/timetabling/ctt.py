"""Read and write the ITC-2007 ``.ctt`` instance format and the solution format.

A solution file has one line per lecture: ``COURSE ROOM DAY PERIOD``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from engines.timetabling.model import Assignment, Course, Curriculum, Instance, Room, Solution

_HEADERS = ("Name", "Courses", "Rooms", "Days", "Periods_per_day", "Curricula", "Constraints")
_SECTIONS = ("COURSES:", "ROOMS:", "CURRICULA:", "UNAVAILABILITY_CONSTRAINTS:")


class FormatError(ValueError):
    """A malformed instance or solution file; the message names the line."""

    def __init__(self, message: str, line: int | None = None, source: str = "") -> None:
        where = [source] if source else []
        if line is not None:
            where.append(f"line {line}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
        self.line = line


def _int(token: str, what: str, line: int, source: str) -> int:
    try:
        value = int(token)
    except ValueError:
        raise FormatError(f"{what} must be an integer, got {token!r}", line, source)
    return value


def parse_instance(text: str, source: str = "") -> Instance:
    """Parse the text of a ``.ctt`` file into an :class:`Instance`."""
    lines = [(n, raw.split()) for n, raw in enumerate(text.splitlines(), start=1)]
    lines = [(n, tokens) for n, tokens in lines if tokens]
    pos = 0
    instance_name = ""
    counts: dict[str, int] = {}
    for key in _HEADERS:
        if pos >= len(lines):
            raise FormatError(f"missing header {key}:", None, source)
        n, tokens = lines[pos]
        if tokens[0] != f"{key}:" or len(tokens) != 2:
            raise FormatError(f"expected '{key}: VALUE', got {' '.join(tokens)!r}", n, source)
        if key == "Name":
            instance_name = tokens[1]
        else:
            counts[key] = _int(tokens[1], key, n, source)
        pos += 1

    def section(title: str, count: int, width: int | None) -> list[tuple[int, list[str]]]:
        nonlocal pos
        if pos >= len(lines) or lines[pos][1] != [title]:
            n = lines[pos][0] if pos < len(lines) else None
            raise FormatError(f"expected section {title}", n, source)
        pos += 1
        rows = lines[pos : pos + count]
        if len(rows) < count:
            raise FormatError(f"section {title} ends after {len(rows)} of {count} rows", None, source)
        for n, tokens in rows:
            if tokens[0] in _SECTIONS or tokens[0] == "END.":
                raise FormatError(f"section {title} has fewer rows than the header announces ({count})", n, source)
            if width is not None and len(tokens) != width:
                raise FormatError(f"{title} row needs {width} fields, got {len(tokens)}", n, source)
        pos += count
        return rows

    courses = []
    for n, (name, teacher, lectures, min_days, students) in section("COURSES:", counts["Courses"], 5):
        courses.append(
            Course(
                name=name,
                teacher=teacher,
                lectures=_int(lectures, "lectures", n, source),
                min_working_days=_int(min_days, "minimum working days", n, source),
                students=_int(students, "students", n, source),
            )
        )
    rooms = [
        Room(name=name, capacity=_int(cap, "capacity", n, source))
        for n, (name, cap) in section("ROOMS:", counts["Rooms"], 2)
    ]
    course_names = {c.name for c in courses}
    curricula = []
    for n, tokens in section("CURRICULA:", counts["Curricula"], None):
        if len(tokens) < 2:
            raise FormatError("CURRICULA: row needs a name and a course count", n, source)
        size = _int(tokens[1], "curriculum size", n, source)
        members = tuple(tokens[2:])
        if len(members) != size:
            raise FormatError(f"curriculum {tokens[0]} announces {size} courses, lists {len(members)}", n, source)
        for member in members:
            if member not in course_names:
                raise FormatError(f"curriculum {tokens[0]} names unknown course {member}", n, source)
        curricula.append(Curriculum(name=tokens[0], courses=members))
    unavailability = set()
    for n, (course, day, period) in section("UNAVAILABILITY_CONSTRAINTS:", counts["Constraints"], 3):
        if course not in course_names:
            raise FormatError(f"constraint names unknown course {course}", n, source)
        d, p = _int(day, "day", n, source), _int(period, "period", n, source)
        if not (0 <= d < counts["Days"] and 0 <= p < counts["Periods_per_day"]):
            raise FormatError(f"constraint slot {d} {p} is out of range", n, source)
        unavailability.add((course, d, p))
    if pos >= len(lines) or lines[pos][1] != ["END."]:
        n = lines[pos][0] if pos < len(lines) else None
        raise FormatError("expected END.", n, source)
    return Instance(
        name=instance_name,
        days=counts["Days"],
        periods_per_day=counts["Periods_per_day"],
        courses=tuple(courses),
        rooms=tuple(rooms),
        curricula=tuple(curricula),
        unavailability=frozenset(unavailability),
    )


def format_instance(instance: Instance) -> str:
    """Return ``instance`` in the ``.ctt`` format (park extensions are not representable and are dropped)."""
    constraints = sorted(
        instance.unavailability, key=lambda t: (instance.course_index.get(t[0], len(instance.courses)), t)
    )
    out = [
        f"Name: {instance.name}",
        f"Courses: {len(instance.courses)}",
        f"Rooms: {len(instance.rooms)}",
        f"Days: {instance.days}",
        f"Periods_per_day: {instance.periods_per_day}",
        f"Curricula: {len(instance.curricula)}",
        f"Constraints: {len(constraints)}",
        "",
        "COURSES:",
    ]
    out += [f"{c.name} {c.teacher} {c.lectures} {c.min_working_days} {c.students}" for c in instance.courses]
    out += ["", "ROOMS:"]
    out += [f"{r.name} {r.capacity}" for r in instance.rooms]
    out += ["", "CURRICULA:"]
    out += [" ".join([q.name, str(len(q.courses)), *q.courses]) for q in instance.curricula]
    out += ["", "UNAVAILABILITY_CONSTRAINTS:"]
    out += [f"{course} {day} {period}" for course, day, period in constraints]
    out += ["", "END.", ""]
    return "\n".join(out)


def parse_solution(text: str, source: str = "") -> Solution:
    """Parse the text of a solution file; names are not checked here (the scorer warns about them)."""
    assignments = []
    for n, raw in enumerate(text.splitlines(), start=1):
        tokens = raw.split()
        if not tokens:
            continue
        if len(tokens) != 4:
            raise FormatError(f"expected 'COURSE ROOM DAY PERIOD', got {raw.strip()!r}", n, source)
        course, room, day, period = tokens
        assignments.append(Assignment(course, room, _int(day, "day", n, source), _int(period, "period", n, source)))
    return Solution(tuple(assignments))


def format_solution(solution: Solution | Iterable[Assignment]) -> str:
    """Return ``solution`` in the solution format, one line per lecture."""
    assignments = solution.assignments if isinstance(solution, Solution) else tuple(solution)
    return "".join(f"{a.course} {a.room} {a.day} {a.period}\n" for a in assignments)


def read_instance(path: str | Path) -> Instance:
    """Read a ``.ctt`` file."""
    path = Path(path)
    return parse_instance(path.read_text(encoding="utf-8"), source=str(path))


def read_solution(path: str | Path) -> Solution:
    """Read a solution file."""
    path = Path(path)
    return parse_solution(path.read_text(encoding="utf-8"), source=str(path))


def write_instance(instance: Instance, path: str | Path) -> None:
    """Write ``instance`` to a ``.ctt`` file."""
    Path(path).write_text(format_instance(instance), encoding="utf-8")


def write_solution(solution: Solution, path: str | Path) -> None:
    """Write ``solution`` to a solution file."""
    Path(path).write_text(format_solution(solution), encoding="utf-8")
