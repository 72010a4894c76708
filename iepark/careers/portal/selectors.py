"""
Reads of the portal area.

The public pages read only through ``policy.public``: what the park has vetted
and marked public (``iepark.careers.policy`` holds the rules). Each function
takes the park, so one park's portal never shows another park's rows. The
management pages of the "living in the park" sections read through
``policy.restrict`` like every other page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone

from iepark.careers.choices import PostingKind
from iepark.careers.models import EmployerProfile, LivingSection, Posting
from iepark.core import policy
from iepark.core.models import Major, Park
from iepark.core.policy import Action

# --- parks ----------------------------------------------------------------------------------


def park_public_list() -> QuerySet[Park]:
    return policy.public(Park.objects.all()).order_by("code")


def park_public_get(*, code: str) -> Park | None:
    return park_public_list().filter(code=code).first()


# --- postings -------------------------------------------------------------------------------


def _open_q(today: datetime.date | None = None) -> Q:
    """Return the postings still taking applications: no closing date, or not past it."""
    today = today or timezone.localdate()
    return Q(closes_on__isnull=True) | Q(closes_on__gte=today)


def posting_public_list(*, park: Park, today: datetime.date | None = None) -> QuerySet[Posting]:
    """Return ``park``'s open public postings (vetted, public, of a vetted active employer), newest first."""
    return (
        policy.public(Posting.objects.filter(enterprise__park=park))
        .filter(_open_q(today))
        .select_related("enterprise")
        .order_by("-created_at", "-pk")
    )


def posting_public_get(*, park: Park, pk: Any) -> Posting | None:
    """Return one public posting of ``park`` (also after it closed: the page says so), or None."""
    return (
        policy.public(Posting.objects.filter(enterprise__park=park, pk=pk))
        .select_related("enterprise")
        .prefetch_related("majors")
        .first()
    )


def majors_offered(*, park: Park) -> QuerySet[Major]:
    """Return the majors that ``park``'s open public postings ask for (the jobs page's filter)."""
    return Major.objects.filter(park=park, pk__in=posting_public_list(park=park).values("majors")).order_by("code")


# --- employers ------------------------------------------------------------------------------


def employer_public_list(*, park: Park) -> QuerySet[EmployerProfile]:
    """Return ``park``'s vetted employer profiles of active enterprises, by name."""
    return (
        policy.public(EmployerProfile.objects.filter(organisation__park=park))
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def employer_public_get(*, park: Park, organisation_id: Any) -> EmployerProfile | None:
    return employer_public_list(park=park).filter(organisation_id=organisation_id).first()


@dataclass(frozen=True)
class OpenCount:
    postings: int = 0
    openings: int = 0


def open_counts_by_enterprise(*, park: Park) -> dict[int, OpenCount]:
    """Return, per enterprise id, its open public postings and their openings (one query)."""
    rows = (
        posting_public_list(park=park)
        .order_by()
        .values("enterprise_id")
        .annotate(postings=Count("pk"), openings=Sum("headcount"))
    )
    return {row["enterprise_id"]: OpenCount(row["postings"], row["openings"] or 0) for row in rows}


# --- the park's key figures -------------------------------------------------------------------


@dataclass(frozen=True)
class KindFigures:
    kind: str
    postings: int
    openings: int
    pay_min: int | None
    pay_max: int | None

    @property
    def label(self) -> str:
        return str(PostingKind(self.kind).label)


@dataclass
class ParkFigures:
    """The numbers on a park's portal home: employers, open positions, order-class seats, typical pay."""

    employers: int = 0
    by_kind: dict[str, KindFigures] = field(default_factory=dict)

    def _kind(self, kind: str) -> KindFigures:
        return self.by_kind.get(kind) or KindFigures(kind, 0, 0, None, None)

    @property
    def open_positions(self) -> int:
        """Openings of jobs and internships (order-class seats are counted apart)."""
        return self._kind(PostingKind.JOB).openings + self._kind(PostingKind.INTERNSHIP).openings

    @property
    def order_seats(self) -> int:
        return self._kind(PostingKind.ORDER_SEAT).openings

    @property
    def typical_pay(self) -> list[KindFigures]:
        """Return the kinds with a typical pay range (the average of the postings' ranges), jobs first."""
        return [k for k in (self._kind(kind) for kind in PostingKind.values) if k.pay_min or k.pay_max]


def _round_hundred(value: Any) -> int | None:
    return int(round(value / 100.0)) * 100 if value is not None else None


def park_figures(*, park: Park) -> ParkFigures:
    """Return ``park``'s key figures over its public rows (two queries, whatever the data)."""
    figures = ParkFigures(employers=employer_public_list(park=park).count())
    rows = (
        posting_public_list(park=park)
        .order_by()
        .values("kind")
        .annotate(postings=Count("pk"), openings=Sum("headcount"), pay_min=Avg("pay_min"), pay_max=Avg("pay_max"))
    )
    for row in rows:
        figures.by_kind[row["kind"]] = KindFigures(
            kind=row["kind"],
            postings=row["postings"],
            openings=row["openings"] or 0,
            pay_min=_round_hundred(row["pay_min"]),
            pay_max=_round_hundred(row["pay_max"]),
        )
    return figures


# --- living in the park -------------------------------------------------------------------------


def living_section_public_list(*, park: Park) -> QuerySet[LivingSection]:
    return policy.public(LivingSection.objects.filter(park=park)).order_by("order", "pk")


def living_section_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[LivingSection]:
    """Return the sections ``user`` may see (or change): the management pages and the API."""
    return policy.restrict(LivingSection.objects.select_related("park"), user, action)
