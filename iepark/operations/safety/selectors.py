"""
Reads of security and fire safety, always scoped by the acting user through the policy.

``dashboard_figures(actor, park)`` is the interface of the operator's dashboard; ``serious_findings``
is the seam where a governance "major issue" capability will pick findings up (it does not exist yet).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from iepark.core import policy
from iepark.core.models import Park
from iepark.core.policy import Action, Actor

from .choices import SERIOUS_SEVERITIES, EquipmentStatus, RectificationStatus, RoundStatus, Severity
from .models import (
    ChecklistItem,
    EquipmentCheck,
    Finding,
    FireEquipment,
    InspectionRound,
    InspectionSchedule,
    InspectionTemplate,
    RectificationTask,
    ReInspection,
    RoundAnswer,
)

DUE_SOON_DAYS = 30


def _today(today: datetime.date | None = None) -> datetime.date:
    return today or timezone.localdate()


def _user(actor: Any) -> Any:
    return actor.user if isinstance(actor, Actor) else actor


# --- conditions in SQL ----------------------------------------------------------------------------------


def overdue_task_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    """Open rectifications past their deadline (reported ones wait for re-inspection, not for the owner)."""
    return Q(**{f"{prefix}status": RectificationStatus.OPEN, f"{prefix}deadline__lt": _today(today)})


def open_finding_q(prefix: str = "") -> Q:
    """Findings whose rectification is not closed."""
    return ~Q(**{f"{prefix}task__status": RectificationStatus.CLOSED})


def rounds_due_q(today: datetime.date | None = None) -> Q:
    """Rounds planned for today or earlier and not completed."""
    return Q(scheduled_date__lte=_today(today)) & ~Q(status=RoundStatus.COMPLETED)


def _active_equipment_q() -> Q:
    return ~Q(status=EquipmentStatus.RETIRED)


def equipment_due_q(days: int = DUE_SOON_DAYS, today: datetime.date | None = None) -> Q:
    """Equipment whose next check falls from today to ``days`` days ahead."""
    today = _today(today)
    return _active_equipment_q() & Q(
        next_check_due__gte=today, next_check_due__lte=today + datetime.timedelta(days=days)
    )


def equipment_overdue_q(today: datetime.date | None = None) -> Q:
    return _active_equipment_q() & Q(next_check_due__lt=_today(today))


def equipment_expired_q(today: datetime.date | None = None) -> Q:
    return _active_equipment_q() & Q(expiry_date__lt=_today(today))


# --- lists -------------------------------------------------------------------------------------------------


def template_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[InspectionTemplate]:
    qs = (
        InspectionTemplate.objects.select_related("park")
        .annotate(items_count=Count("items", filter=Q(items__is_active=True), distinct=True))
        .order_by("park", "name", "pk")
    )
    return policy.restrict(qs, user, action)


def checklist_item_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[ChecklistItem]:
    return policy.restrict(ChecklistItem.objects.select_related("template"), user, action)


def schedule_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[InspectionSchedule]:
    qs = InspectionSchedule.objects.select_related("template", "building", "owner", "inspector")
    return policy.restrict(qs, user, action)


def round_list(
    *, user: Any, action: Action = Action.VIEW, today: datetime.date | None = None
) -> QuerySet[InspectionRound]:
    """Rounds with ``findings_count`` and ``is_due`` (planned for today or earlier, not completed)."""
    qs = (
        InspectionRound.objects.select_related("template", "building", "owner", "inspector", "schedule")
        .annotate(
            findings_count=Count("findings", distinct=True),
            is_due=ExpressionWrapper(rounds_due_q(today), output_field=BooleanField()),
        )
        .order_by("-scheduled_date", "-pk")
    )
    return policy.restrict(qs, user, action)


def answer_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[RoundAnswer]:
    return policy.restrict(RoundAnswer.objects.select_related("item", "round"), user, action)


def finding_list(*, user: Any, action: Action = Action.VIEW, today: datetime.date | None = None) -> QuerySet[Finding]:
    """Findings with their task, annotated ``is_open`` and ``is_overdue`` (computed in SQL)."""
    qs = Finding.objects.select_related(
        "round", "round__template", "item", "task", "task__owner", "task__owner_person", "created_by"
    ).annotate(
        is_open=ExpressionWrapper(open_finding_q(), output_field=BooleanField()),
        is_overdue=ExpressionWrapper(overdue_task_q(today, "task__"), output_field=BooleanField()),
    )
    return policy.restrict(qs, user, action)


def serious_findings(*, user: Any, park: Park | None = None) -> QuerySet[Finding]:
    """
    Open findings of high or critical severity: what may be raised as a governance major issue.

    The governance capability does not exist yet; when it does, it reads this selector (and links
    the issue back to the finding) instead of filtering findings itself.
    """
    qs = finding_list(user=user).filter(open_finding_q(), severity__in=list(SERIOUS_SEVERITIES))
    if park is not None:
        qs = qs.filter(round__template__park=park)
    return qs


def task_list(
    *, user: Any, action: Action = Action.VIEW, today: datetime.date | None = None
) -> QuerySet[RectificationTask]:
    """Rectification tasks, annotated ``is_overdue`` (open and past the deadline, in SQL)."""
    qs = RectificationTask.objects.select_related(
        "finding", "finding__round", "finding__round__template", "owner", "owner_person"
    ).annotate(is_overdue=ExpressionWrapper(overdue_task_q(today), output_field=BooleanField()))
    return policy.restrict(qs, user, action)


def reinspection_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[ReInspection]:
    return policy.restrict(ReInspection.objects.select_related("task", "inspector"), user, action)


def equipment_list(
    *, user: Any, action: Action = Action.VIEW, today: datetime.date | None = None
) -> QuerySet[FireEquipment]:
    """The fire equipment register, annotated ``is_overdue``, ``is_due`` (30 days) and ``is_expired``."""
    qs = FireEquipment.objects.select_related("park", "building").annotate(
        is_overdue=ExpressionWrapper(equipment_overdue_q(today), output_field=BooleanField()),
        is_due=ExpressionWrapper(equipment_due_q(DUE_SOON_DAYS, today), output_field=BooleanField()),
        is_expired=ExpressionWrapper(equipment_expired_q(today), output_field=BooleanField()),
    )
    return policy.restrict(qs, user, action)


def equipment_check_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[EquipmentCheck]:
    return policy.restrict(EquipmentCheck.objects.select_related("equipment", "inspector"), user, action)


def owner_candidates(*, user: Any):
    """Organisations ``user`` may name as owner of a rectification (or filter tasks by)."""
    from iepark.core.models import Organisation

    from .policy import owner_candidates_q

    actor = policy.actor_for(user)
    if actor.is_superuser:
        return Organisation.objects.all()
    if not actor.is_authenticated:
        return Organisation.objects.none()
    q = owner_candidates_q(actor) | policy.scope(user, Organisation)
    return Organisation.objects.filter(q).distinct()


# --- the operator's dashboard -----------------------------------------------------------------------------


def dashboard_figures(actor: Any, park: Park, today: datetime.date | None = None) -> dict[str, Any]:
    """
    Return the safety figures of ``park`` that ``actor`` may see, with links to the filtered lists.

    Keys: ``open_findings``, ``open_findings_by_severity`` (severity → count, every severity present),
    ``overdue_rectifications``, ``equipment_due`` (next check within 30 days), ``equipment_overdue``,
    ``equipment_expired``, ``rounds_due`` (planned for today or earlier, not completed), and ``links``
    (each key → its list URL with the filters applied; ``links["by_severity"]`` per severity).
    """
    user = _user(actor)
    today = _today(today)
    findings = policy.restrict(Finding.objects.filter(round__template__park=park), user).filter(open_finding_q())
    by_severity = dict.fromkeys(Severity.values, 0)
    for row in findings.values("severity").annotate(n=Count("pk")).order_by():
        by_severity[row["severity"]] = row["n"]
    tasks = policy.restrict(RectificationTask.objects.filter(finding__round__template__park=park), user)
    equipment = policy.restrict(FireEquipment.objects.filter(park=park), user)
    equipment_counts = equipment.aggregate(
        due=Count("pk", filter=equipment_due_q(DUE_SOON_DAYS, today)),
        overdue=Count("pk", filter=equipment_overdue_q(today)),
        expired=Count("pk", filter=equipment_expired_q(today)),
    )
    rounds = policy.restrict(InspectionRound.objects.filter(template__park=park), user).filter(rounds_due_q(today))
    park_q = f"park={park.pk}"
    findings_url = reverse("finding_list")
    return {
        "open_findings": sum(by_severity.values()),
        "open_findings_by_severity": by_severity,
        "overdue_rectifications": tasks.filter(overdue_task_q(today)).count(),
        "equipment_due": equipment_counts["due"],
        "equipment_overdue": equipment_counts["overdue"],
        "equipment_expired": equipment_counts["expired"],
        "rounds_due": rounds.count(),
        "links": {
            "open_findings": f"{findings_url}?open=true&{park_q}",
            "open_findings_by_severity": f"{findings_url}?open=true&{park_q}",
            "by_severity": {s: f"{findings_url}?open=true&severity={s}&{park_q}" for s in Severity.values},
            "overdue_rectifications": f"{reverse('rectificationtask_list')}?overdue=true&{park_q}",
            "equipment_due": f"{reverse('fireequipment_list')}?due_within={DUE_SOON_DAYS}&{park_q}",
            "equipment_overdue": f"{reverse('fireequipment_list')}?overdue=true&{park_q}",
            "equipment_expired": f"{reverse('fireequipment_list')}?expired=true&{park_q}",
            "rounds_due": f"{reverse('inspectionround_list')}?due=true&{park_q}",
        },
    }
