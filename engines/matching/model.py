"""The matching engine's data: what goes in (an instance) and what comes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class TieBreaking(StrEnum):
    """How ties in the positions' lists are broken."""

    # One lottery order of all students, used by every position.
    SINGLE = "single"
    # An independent lottery per position.
    MULTIPLE = "multiple"


class Reason(StrEnum):
    """Why a student did not get a position they ranked above their match."""

    NOT_ACCEPTABLE = "not_acceptable"
    NO_CAPACITY = "no_capacity"
    FULL = "full"


class BlockingReason(StrEnum):
    """Why a position would take a student of a blocking pair."""

    FREE_SEAT = "free_seat"
    PREFERRED = "preferred"


@dataclass(frozen=True)
class Student:
    """A student of the cohort: the positions they accept, best first, and optional attributes."""

    id: str
    prefs: tuple[str, ...]
    # Free-form attributes such as "college" and "major", reported on per value.
    attributes: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Position:
    """
    A position with a number of seats and the students it accepts, best first.

    ``prefs`` is a tuple of tiers: students of the same tier are tied.
    """

    id: str
    capacity: int
    prefs: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Instance:
    """A matching round: students, positions and the seed of the tie-breaking lottery."""

    students: tuple[Student, ...]
    positions: tuple[Position, ...]
    seed: int = 0
    tie_breaking: TieBreaking = TieBreaking.SINGLE


@dataclass(frozen=True)
class Result:
    """A matching: each student's position (or None), with the lottery that broke the ties."""

    assignment: Mapping[str, str | None] = field(hash=False)
    seed: int
    tie_breaking: TieBreaking


def ordinal(n: int) -> str:
    """Return ``n`` as an English ordinal: 1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class Explanation:
    """
    Why ``student`` did not get ``position``, a position they ranked above their match.

    Ranks are 1-based in the position's strict order (after tie-breaking).
    ``tie_broken`` is true when the student was tied with the last admitted
    applicant in the position's own list and the lottery put them behind.
    """

    student: str
    position: str
    reason: Reason
    last_admitted_rank: int | None = None
    student_rank: int | None = None
    tie_broken: bool = False

    @property
    def message(self) -> str:
        """Return the explanation in one English sentence, addressed to the student."""
        if self.reason == Reason.NOT_ACCEPTABLE:
            return "not acceptable: you are not on the position's list"
        if self.reason == Reason.NO_CAPACITY:
            return "no seats: the position has a capacity of 0"
        text = (
            f"full: its last admitted applicant ranks {ordinal(self.last_admitted_rank or 0)}, "
            f"you rank {ordinal(self.student_rank or 0)}"
        )
        if self.tie_broken:
            text += " (you were tied with them; the lottery put them ahead)"
        return text


@dataclass(frozen=True)
class BlockingPair:
    """
    A student and a position that would both rather be matched to each other.

    ``displaced`` is the admitted student the position would drop (None for a free seat).
    """

    student: str
    position: str
    reason: BlockingReason
    displaced: str | None = None


@dataclass(frozen=True)
class Verification:
    """The outcome of checking a matching: structural errors and blocking pairs."""

    errors: tuple[str, ...]
    blocking_pairs: tuple[BlockingPair, ...]

    @property
    def valid(self) -> bool:
        """Return whether the matching is well formed and stable."""
        return not self.errors and not self.blocking_pairs


@dataclass(frozen=True)
class GroupRate:
    """How many students of a group there are and how many were matched."""

    students: int
    matched: int

    @property
    def match_rate(self) -> float:
        """Return the matched share of the group (0 for an empty group)."""
        return self.matched / self.students if self.students else 0.0


@dataclass(frozen=True)
class Report:
    """The figures of a matching round."""

    students: int
    matched: int
    seats: int
    unfilled_seats: int
    first_choice: int
    top3_choice: int
    # attribute name -> attribute value -> figures; students without the attribute count under UNSPECIFIED.
    by_attribute: Mapping[str, Mapping[str, GroupRate]] = field(default_factory=dict, hash=False)

    UNSPECIFIED = "(unspecified)"

    @property
    def matched_share(self) -> float:
        """Return the share of students who got a position."""
        return self.matched / self.students if self.students else 0.0

    @property
    def first_choice_share(self) -> float:
        """Return the share of students who got their first choice."""
        return self.first_choice / self.students if self.students else 0.0

    @property
    def top3_share(self) -> float:
        """Return the share of students who got one of their first three choices."""
        return self.top3_choice / self.students if self.students else 0.0
