"""Scenes of the employers' tests, written directly (tests of a service call the service)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from iepark.careers.choices import PlanStatus
from iepark.careers.models import DemandLine, DemandPlan

NEXT_YEAR = timezone.localdate().year + 1


def make_plan(
    world: Any, enterprise: Any = None, *, status: str = PlanStatus.DRAFT, years: tuple[int, int] | None = None, **extra
) -> DemandPlan:
    enterprise = enterprise or world.enterprise_1
    year_from, year_to = years or (NEXT_YEAR, NEXT_YEAR)
    return DemandPlan.objects.create(
        enterprise=enterprise,
        title=extra.pop("title", f"{year_from}年度用工需求计划"),
        horizon="1y" if year_from == year_to else "3y",
        year_from=year_from,
        year_to=year_to,
        status=status,
        submitted_at=timezone.now() if status == PlanStatus.SUBMITTED else None,
        **extra,
    )


def make_line(plan: DemandPlan, major: Any, *, year: int | None = None, headcount: int = 5, **extra) -> DemandLine:
    return DemandLine.objects.create(
        plan=plan,
        year=year or plan.year_from,
        post=extra.pop("post", "化工总控工"),
        major=major,
        headcount=headcount,
        **extra,
    )
