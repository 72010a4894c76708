"""
How a round's stored results read on a page: explanations and the report, in the reader's language.

Results are stored as codes and numbers (``reason``, ranks, primary keys);
these functions phrase them when the page renders, so each reader sees them in
the language they use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iepark.core.models import Major, Organisation

from ..models import MatchingRound, RoundPosition
from .matching import UNMATCHED

REASONS = {
    "not_acceptable": gettext_lazy("not acceptable: the enterprise did not rank you"),
    "no_capacity": gettext_lazy("no seats: the position has a capacity of 0"),
    "full": gettext_lazy("full: its last admitted applicant ranks no. %(last)d, you rank no. %(yours)d"),
}


@dataclass
class ExplanationLine:
    """Why a student did not get one of the positions they preferred to their result."""

    position: RoundPosition | None
    position_id: int
    reason: str
    text: str


def explanation_text(item: dict[str, Any]) -> str:
    """Return one stored explanation item as a sentence in the active language."""
    reason = item.get("reason", "")
    template = REASONS.get(reason)
    if template is None:
        return str(reason)
    if reason == "full":
        text = str(template) % {"last": item.get("last_admitted_rank") or 0, "yours": item.get("your_rank") or 0}
        if item.get("tie_broken"):
            text += " " + _("(you were tied with them; the lottery put them ahead)")
        return text
    return str(template)


def explanation_lines(explanation: list[dict[str, Any]], positions: dict[int, RoundPosition]) -> list[ExplanationLine]:
    """Return a match's explanation as lines naming the positions (``positions`` maps id to position)."""
    lines = []
    for item in explanation or []:
        position_id = int(item.get("position", 0))
        lines.append(
            ExplanationLine(
                position=positions.get(position_id),
                position_id=position_id,
                reason=str(item.get("reason", "")),
                text=explanation_text(item),
            )
        )
    return lines


def _percent(value: Any) -> float:
    try:
        return round(float(value) * 100, 1)
    except (TypeError, ValueError):
        return 0.0


def report_view(matching_round: MatchingRound) -> dict[str, Any] | None:
    """
    Return the round's report ready for the page: figures, and the series of its charts.

    Colleges and majors are named in the active language; the chart data is
    plain JSON (``json_script`` in the template).
    """
    report = matching_round.report or {}
    if not report:
        return None
    groups = report.get("by_attribute", {})
    names = {
        "college": {
            str(o.pk): o.display_name
            for o in Organisation.objects.filter(pk__in=[k for k in groups.get("college", {}) if k.isdigit()])
        },
        "major": {
            str(m.pk): m.display_name
            for m in Major.objects.filter(pk__in=[k for k in groups.get("major", {}) if k.isdigit()])
        },
    }

    def series(attribute: str) -> dict[str, Any]:
        rows = sorted(
            (
                (names[attribute].get(key, key), g.get("students", 0), g.get("matched", 0), g.get("match_rate", 0))
                for key, g in groups.get(attribute, {}).items()
            ),
            key=lambda row: str(row[0]),
        )
        return {
            "labels": [row[0] for row in rows],
            "students": [row[1] for row in rows],
            "matched": [row[2] for row in rows],
            "rates": [_percent(row[3]) for row in rows],
        }

    ranks = report.get("choice_ranks", {})
    rank_labels, rank_counts = [], []
    for key, count in ranks.items():
        rank_labels.append(_("Unmatched") if key == UNMATCHED else _("Choice %(n)s") % {"n": key})
        rank_counts.append(count)
    return {
        "figures": [
            (_("Students with a list"), report.get("students", 0), None),
            (_("Matched"), report.get("matched", 0), _percent(report.get("matched_share"))),
            (_("Got their first choice"), report.get("first_choice", 0), _percent(report.get("first_choice_share"))),
            (_("Got a top-3 choice"), report.get("top3_choice", 0), _percent(report.get("top3_share"))),
            (_("Seats"), report.get("seats", 0), None),
            (_("Unfilled seats"), report.get("unfilled_seats", 0), None),
        ],
        "offers": report.get("offers"),
        "seed": report.get("seed"),
        "tie_breaking": report.get("tie_breaking"),
        "digest": report.get("digest", ""),
        "stable": report.get("stable", False),
        "charts": {
            "college": series("college"),
            "major": series("major"),
            "ranks": {"labels": rank_labels, "counts": rank_counts},
            "text": {
                "rate": _("Match rate (%)"),
                "students": _("Students"),
                "matched": _("Matched"),
            },
        },
    }
