"""
Supply against demand, and the recommendation rule (plain data, no Django).

For a major and a year, demand D is the headcount the enterprises' submitted
plans ask for and supply S the students expected to graduate. The gap is
G = D - S. It matters when |G| >= ``THRESHOLD`` x D (any supply without demand
is a surplus):

- shortage (G > 0): recommend G order-class seats for that year's graduates;
- surplus (G < 0): no order-class seats.

Per major, over the years shown, the average yearly gap drives the intake of
the next cohorts: a shortage raises the yearly intake by ceil(G / rate), where
``rate`` is the share of graduates the zone keeps (placement rate x retention
in the zone 12 months after hire): only that share of extra students ends up
working in the zone a year later. A surplus lowers it by floor(|G|).
``docs/careers/analytics.md`` explains the rule.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

THRESHOLD = 0.10
SHORTAGE = "shortage"
SURPLUS = "surplus"
BALANCED = "balanced"

_SEPARATORS = re.compile(r"[,，、;；/\n|]+")


@dataclass(frozen=True)
class Gap:
    """Demand against supply of one major (in one year, or a year's average over several)."""

    demand: float
    supply: float
    certified: float = 0

    @property
    def gap(self) -> float:
        return self.demand - self.supply

    @property
    def share(self) -> float | None:
        """Return the gap as a share of demand (None without demand)."""
        return self.gap / self.demand if self.demand else None

    @property
    def status(self) -> str:
        if self.demand <= 0:
            return SURPLUS if self.supply > 0 else BALANCED
        if abs(self.gap) < THRESHOLD * self.demand:
            return BALANCED
        return SHORTAGE if self.gap > 0 else SURPLUS

    @property
    def order_class_seats(self) -> int:
        """Return the order-class seats to recommend: the shortage, rounded up."""
        return math.ceil(self.gap) if self.status == SHORTAGE else 0

    def intake_change(self, rate: float | None) -> int:
        """Return the recommended change of the yearly intake, given the share of graduates the zone keeps."""
        if self.status == SHORTAGE:
            return math.ceil(self.gap / effective_rate(rate) - 1e-9)
        if self.status == SURPLUS:
            return -math.floor(-self.gap + 1e-9)
        return 0


def effective_rate(rate: float | None) -> float:
    """Return ``rate`` when it is a usable share (0 < rate <= 1), else 1 (no adjustment)."""
    return rate if rate is not None and 0 < rate <= 1 else 1.0


def keep_rate(placement_rate: float | None, retention_12: float | None) -> float | None:
    """Return the share of graduates the zone keeps: placement x 12-month retention (either alone if one is unknown)."""
    known = [r for r in (placement_rate, retention_12) if r is not None]
    if not known:
        return None
    return math.prod(known)


def average_gaps(rows: Iterable[tuple[int, Hashable, Gap]], years: Sequence[int]) -> dict[Hashable, Gap]:
    """Return per major the average yearly demand, supply and certified over ``years`` (a missing year counts 0)."""
    totals: dict[Hashable, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for year, major, gap in rows:
        if year in years:
            total = totals[major]
            total[0] += gap.demand
            total[1] += gap.supply
            total[2] += gap.certified
    span = max(len(years), 1)
    return {major: Gap(d / span, s / span, c / span) for major, (d, s, c) in totals.items()}


def skill_tokens(text: str) -> list[str]:
    """Split a free-text list of skills or certificates into its items (commas, 、, semicolons, slashes, lines)."""
    seen: dict[str, str] = {}
    for item in _SEPARATORS.split(text or ""):
        item = item.strip()
        if item and item.casefold() not in seen:
            seen[item.casefold()] = item
    return list(seen.values())


def skills_demand(
    lines: Iterable[tuple[int, str, int]], profiles: Iterable[tuple[int, str]], *, limit: int = 20
) -> list[dict[str, object]]:
    """
    Return the skills and certificates most in demand, with how many graduating students mention each.

    ``lines`` are ``(year, skills and certificates text, headcount)`` of demand
    lines; ``profiles`` ``(graduation year, text)`` of students' profiles. A
    student supplies a skill when their text contains it (case-insensitive) and
    they graduate in a year for which it is demanded.
    """
    demand: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    years: dict[str, set[int]] = defaultdict(set)
    for year, text, headcount in lines:
        for token in skill_tokens(text):
            key = token.casefold()
            names.setdefault(key, token)
            demand[key] += headcount
            years[key].add(year)
    top = sorted(demand, key=lambda key: (-demand[key], names[key]))[:limit]
    profiles = [(year, text.casefold()) for year, text in profiles]
    return [
        {
            "skill": names[key],
            "demand": demand[key],
            "supply": sum(1 for year, text in profiles if year in years[key] and key in text),
        }
        for key in top
    ]
