"""Reads of governance, scoped by the policy; totals and the diff between two revisions of a run."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import get_language

from iepark.core import policy
from iepark.core.models import Park
from iepark.core.policy import Action

from .models import (
    AssessmentLine,
    AssessmentRun,
    Objection,
    PolicyDocument,
    ProgrammeVersion,
    SubsidyProgramme,
    SubsidyRule,
)


def policy_document_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[PolicyDocument]:
    return policy.restrict(PolicyDocument.objects.select_related("park"), user, action)


def policy_document_public_list(*, park: Park) -> QuerySet[PolicyDocument]:
    """Return the park's public policy documents, newest first (the public portal)."""
    return policy.public(PolicyDocument.objects.filter(park=park)).order_by("-effective_from", "-pk")


def programme_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[SubsidyProgramme]:
    return policy.restrict(
        SubsidyProgramme.objects.select_related("park", "policy")
        .annotate(version_count=Count("versions"))
        .order_by("park", "name", "pk"),
        user,
        action,
    )


def version_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[ProgrammeVersion]:
    return policy.restrict(
        ProgrammeVersion.objects.select_related("programme__park")
        .annotate(rule_count=Count("rules"))
        .order_by("programme", "-number"),
        user,
        action,
    )


def rule_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[SubsidyRule]:
    return policy.restrict(SubsidyRule.objects.select_related("version__programme"), user, action)


def run_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[AssessmentRun]:
    return policy.restrict(
        AssessmentRun.objects.select_related("park", "version__programme", "job", "previous", "created_by"),
        user,
        action,
    )


def line_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[AssessmentLine]:
    return policy.restrict(
        AssessmentLine.objects.select_related(
            "run__version__programme",
            "rule",
            "student__person",
            "student__college",
            "payee_organisation",
            "payee_person",
        ),
        user,
        action,
    )


def objection_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Objection]:
    return policy.restrict(
        Objection.objects.select_related(
            "line__run__version__programme",
            "line__rule",
            "line__student__person",
            "line__payee_organisation",
            "organisation",
            "raised_by",
        ),
        user,
        action,
    )


@dataclass
class Total:
    label: str
    payee_organisation_id: int | None
    payee_person_id: int | None
    lines: int
    amount: Decimal


def _display(row: dict[str, Any], key: str) -> str | None:
    """Return the English name of ``row`` in English when there is one, else the Chinese name."""
    english = row.get(f"{key}_en") if (get_language() or "").startswith("en") else None
    return english or row.get(key)


def totals_by_payee(lines: QuerySet[AssessmentLine]) -> list[dict[str, Any]]:
    """Return ``[{payee_organisation, payee_person, lines, amount}]`` of ``lines``, largest amount first (one query)."""
    rows = (
        lines.order_by()
        .values(
            "payee_organisation_id",
            "payee_organisation__name",
            "payee_organisation__name_en",
            "payee_person_id",
            "payee_person__name",
            "payee_person__name_en",
        )
        .annotate(lines=Count("pk"), amount=Sum("amount"))
    )
    result = [
        {
            "organisation_id": r["payee_organisation_id"],
            "person_id": r["payee_person_id"],
            "name": _display(r, "payee_organisation__name") or _display(r, "payee_person__name"),
            "lines": r["lines"],
            "amount": r["amount"] or Decimal("0"),
        }
        for r in rows
    ]
    result.sort(key=lambda r: (-r["amount"], r["name"] or ""))
    return result


def totals_by_rule(lines: QuerySet[AssessmentLine]) -> list[dict[str, Any]]:
    """Return ``[{rule_id, name, kind, lines, amount, capped}]`` of ``lines`` in the rules' order (one query)."""
    rows = (
        lines.order_by()
        .values("rule_id", "rule__name", "rule__kind", "rule__position")
        .annotate(lines=Count("pk"), amount=Sum("amount"), base=Sum("base_amount"))
    )
    result = [
        {
            "rule_id": r["rule_id"],
            "name": r["rule__name"],
            "kind": r["rule__kind"],
            "position": r["rule__position"],
            "lines": r["lines"],
            "amount": r["amount"] or Decimal("0"),
            "capped_off": (r["base"] or Decimal("0")) - (r["amount"] or Decimal("0")),
        }
        for r in rows
    ]
    result.sort(key=lambda r: (r["position"], r["rule_id"]))
    return result


@dataclass
class DiffRow:
    """One line that differs between two revisions: added, removed or with a changed amount."""

    change: str  # "added", "removed" or "changed"
    key: str
    old: AssessmentLine | None
    new: AssessmentLine | None

    @property
    def line(self) -> AssessmentLine:
        return self.new or self.old

    @property
    def delta(self) -> Decimal:
        return (self.new.amount if self.new else Decimal("0")) - (self.old.amount if self.old else Decimal("0"))


def run_diff(old: AssessmentRun, new: AssessmentRun) -> dict[str, Any]:
    """Return the lines added, removed and changed in amount from ``old`` to ``new``, with the totals' change."""
    related = ("rule", "student__person", "payee_organisation", "payee_person")
    before = {line.key: line for line in old.lines.select_related(*related)}
    after = {line.key: line for line in new.lines.select_related(*related)}
    rows: list[DiffRow] = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a is None:
            rows.append(DiffRow("added", key, None, b))
        elif b is None:
            rows.append(DiffRow("removed", key, a, None))
        elif a.amount != b.amount:
            rows.append(DiffRow("changed", key, a, b))
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.change] += 1
    return {
        "rows": rows,
        "added": counts["added"],
        "removed": counts["removed"],
        "changed": counts["changed"],
        "unchanged": len(set(before) & set(after)) - counts["changed"],
        "old_total": old.total,
        "new_total": new.total,
        "delta": new.total - old.total,
    }
