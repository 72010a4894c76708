"""
Writes of employer profiles, demand plans and postings, and the park's vetting of them.

Every function checks the policy, validates, saves and records its audit event
in one transaction (``audited_create/update/delete``); views and API endpoints
call these and nothing else.

The vetting workflow of profiles and postings:

- ``submit`` (the enterprise): draft or rejected (or, for a posting, closed) → submitted;
- ``approve`` (a vetter of the park): submitted → approved;
- ``reject`` with a reason (a vetter): submitted or approved → rejected;
- ``close`` (the enterprise, postings only): submitted or approved → closed.

Changing the content of an approved profile or posting sends it back to
"submitted": the park vets what students see. A demand plan is a draft its
enterprise edits, then submitted (it counts in the zone's demand); reopening
it makes it a draft again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iepark.core import policy
from iepark.core.audit import audited_create, audited_delete, audited_update
from iepark.core.choices import Role
from iepark.core.models import Major, Membership, Organisation
from iepark.core.policy import Action

from ..choices import NotificationKind, PlanHorizon, PlanStatus, VettingStatus
from ..models import DemandLine, DemandPlan, EmployerProfile, Posting
from ..notifications import notify
from ..policy import VETTER_ROLES, is_vetter

User = get_user_model()

# Fields each service accepts; anything else in ``data`` is ignored.
PROFILE_FIELDS = [
    "summary",
    "summary_en",
    "employees",
    "benefits",
    "benefits_en",
    "housing",
    "housing_en",
    "commute",
    "contact_email",
]
PLAN_FIELDS = ["title", "horizon", "year_from", "year_to", "notes"]
LINE_FIELDS = [
    "year",
    "post",
    "major",
    "certificates",
    "skills",
    "headcount",
    "pay_min",
    "pay_max",
    "shift_pattern",
    "location",
    "housing_provided",
]
POSTING_FIELDS = [
    "kind",
    "title",
    "title_en",
    "description",
    "description_en",
    "majors",
    "certificates",
    "skills",
    "headcount",
    "pay_min",
    "pay_max",
    "shift_pattern",
    "location",
    "housing_provided",
    "start_date",
    "closes_on",
    "demand_line",
    "is_public",
]
# Changing these after approval does not need a new vetting: the closing date, the link
# to the enterprise's own demand plan, and whether the portal shows the posting.
POSTING_UNVETTED_FIELDS = frozenset({"closes_on", "demand_line", "is_public"})

PROFILE_SUBMITTABLE = frozenset({VettingStatus.DRAFT, VettingStatus.REJECTED})
POSTING_SUBMITTABLE = frozenset({VettingStatus.DRAFT, VettingStatus.REJECTED, VettingStatus.CLOSED})
REJECTABLE = frozenset({VettingStatus.SUBMITTED, VettingStatus.APPROVED})
CLOSABLE = frozenset({VettingStatus.SUBMITTED, VettingStatus.APPROVED})
# A posting students may have seen is closed, not deleted.
POSTING_DELETABLE = frozenset({VettingStatus.DRAFT, VettingStatus.SUBMITTED, VettingStatus.REJECTED})


def _only(data: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    names = set(names)
    return {k: v for k, v in data.items() if k in names}


def _require_add(actor: Any, instance: Model) -> None:
    if not policy.can_add(actor, instance):
        raise PermissionDenied


def _locked(instance: Model) -> Any:
    """Return a fresh copy of ``instance`` locked for the rest of the transaction (status checks see the truth)."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def _status_label(value: str) -> str:
    try:
        return str(VettingStatus(value).label)
    except ValueError:
        return value


def _active_members(**membership_filter: Any) -> Q:
    today = timezone.localdate()
    return Q(
        pk__in=Membership.objects.filter(start_date__lte=today, **membership_filter)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exclude(person__user__isnull=True)
        .values("person__user_id")
    )


def hr_users(organisation: Organisation) -> list[Any]:
    """Return the active logins holding a current HR membership of ``organisation``."""
    return list(
        User.objects.filter(_active_members(organisation=organisation, role=Role.ENTERPRISE_HR), is_active=True)
    )


def vetter_users(park_id: int) -> list[Any]:
    """Return the active logins who vet for the park ``park_id``."""
    return list(
        User.objects.filter(_active_members(organisation__park_id=park_id, role__in=VETTER_ROLES), is_active=True)
    )


def _require_vetter(actor: Any, obj: Model, park_id: int) -> None:
    if not policy.can(actor, Action.VIEW, obj) or not is_vetter(policy.actor_for(actor), park_id):
        raise PermissionDenied


def _vetting_done(actor: Any) -> dict[str, Any]:
    return {"vetted_by": actor if getattr(actor, "is_authenticated", False) else None, "vetted_at": timezone.now()}


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("Give the reason for the rejection.")}, code="reason_required")
    return text


# --- employer profiles ------------------------------------------------------------------


def employer_profile_create(*, actor: Any, organisation: Organisation, **fields: Any) -> EmployerProfile:
    """Create an enterprise's profile as a draft (its HR, or a park administrator)."""
    profile = EmployerProfile(organisation=organisation, **_only(fields, PROFILE_FIELDS))
    _require_add(actor, profile)
    return audited_create(actor=actor, instance=profile)


def employer_profile_update(*, actor: Any, profile: EmployerProfile, data: dict[str, Any]) -> EmployerProfile:
    """Change a profile; changing an approved profile's content sends it back to vetting."""
    policy.require(actor, Action.CHANGE, profile)
    data = _only(data, PROFILE_FIELDS)
    with transaction.atomic():
        profile = _locked(profile)
        changed = any(getattr(profile, name) != value for name, value in data.items())
        revetting = changed and profile.vetting_status == VettingStatus.APPROVED
        if revetting:
            data["vetting_status"] = VettingStatus.SUBMITTED
        audited_update(actor=actor, instance=profile, data=data)
    return profile


def employer_profile_delete(*, actor: Any, profile: EmployerProfile) -> None:
    policy.require(actor, Action.DELETE, profile)
    audited_delete(actor=actor, instance=profile)


def employer_profile_submit(*, actor: Any, profile: EmployerProfile) -> EmployerProfile:
    """Send a draft or rejected profile to the park's vetters."""
    policy.require(actor, Action.CHANGE, profile)
    with transaction.atomic():
        profile = _locked(profile)
        if profile.vetting_status not in PROFILE_SUBMITTABLE:
            raise ValidationError(
                {
                    "vetting_status": _(
                        "This profile is “%(status)s”: only a draft or a rejected profile can be submitted."
                    )
                    % {"status": _status_label(profile.vetting_status)}
                },
                code="bad_transition",
            )
        audited_update(actor=actor, instance=profile, data={"vetting_status": VettingStatus.SUBMITTED})
        notify(
            vetter_users(profile.organisation.park_id),
            NotificationKind.EMPLOYER_SUBMITTED,
            {"enterprise": profile.organisation.name},
            url=reverse("vetting_queue"),
        )
    return profile


def employer_profile_approve(*, actor: Any, profile: EmployerProfile) -> EmployerProfile:
    """Approve a profile awaiting vetting (a vetter of its park); its HR is notified."""
    return _vet(
        actor,
        profile,
        profile.organisation.park_id,
        allowed={VettingStatus.SUBMITTED},
        refusal=_("Only a profile awaiting vetting can be approved; this one is “%(status)s”."),
        data={"vetting_status": VettingStatus.APPROVED, "rejection_reason": ""},
        then=_notify_profile_vetted,
    )


def employer_profile_reject(*, actor: Any, profile: EmployerProfile, reason: str) -> EmployerProfile:
    """Reject a profile awaiting vetting, or withdraw its approval, with a reason; its HR is notified."""
    return _vet(
        actor,
        profile,
        profile.organisation.park_id,
        allowed=REJECTABLE,
        refusal=_("Only a profile awaiting vetting or approved can be rejected; this one is “%(status)s”."),
        data={"vetting_status": VettingStatus.REJECTED, "rejection_reason": reason},
        then=_notify_profile_vetted,
    )


def _vet(
    actor: Any,
    obj: Any,
    park_id: int,
    *,
    allowed: Any,
    refusal: Any,
    data: dict[str, Any],
    then: Any,
) -> Any:
    """
    Record a vetter's decision on a profile or posting: check the vetter, lock the row, check its status,
    write the decision (with who and when) through the audit, and notify with ``then(obj)``.
    """
    _require_vetter(actor, obj, park_id)
    if data["vetting_status"] == VettingStatus.REJECTED:
        data = {**data, "rejection_reason": _reason(data["rejection_reason"])}
    with transaction.atomic():
        obj = _locked(obj)
        if obj.vetting_status not in allowed:
            raise ValidationError(
                {"vetting_status": refusal % {"status": _status_label(obj.vetting_status)}}, code="bad_transition"
            )
        audited_update(actor=actor, instance=obj, data={**data, **_vetting_done(actor)})
        then(obj)
    return obj


def _notify_profile_vetted(profile: EmployerProfile) -> None:
    notify(
        hr_users(profile.organisation),
        NotificationKind.EMPLOYER_VETTED,
        {"status": profile.vetting_status},
        url=reverse("employerprofile_detail", args=[profile.pk]),
    )


# --- demand plans --------------------------------------------------------------------------


def _horizon_span(horizon: str) -> int:
    return 1 if horizon == PlanHorizon.NEXT_YEAR else 3


def _check_year_from(year_from: int | None) -> None:
    if year_from is not None and not (2000 <= year_from <= 2100):
        raise ValidationError({"year_from": _("Give a year between 2000 and 2100.")}, code="year_range")


def _require_draft(plan: DemandPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            {"status": _("This plan is submitted: reopen it before changing it.")}, code="plan_submitted"
        )


def demand_plan_create(*, actor: Any, enterprise: Organisation, **fields: Any) -> DemandPlan:
    """
    Create a draft plan of ``enterprise``.

    Without ``year_to`` the plan covers its horizon from ``year_from`` (one or three years).
    """
    data = _only(fields, PLAN_FIELDS)
    plan = DemandPlan(enterprise=enterprise, **data)
    if plan.year_to is None and plan.year_from is not None:
        plan.year_to = plan.year_from + _horizon_span(plan.horizon) - 1
    _require_add(actor, plan)
    _check_year_from(plan.year_from)
    return audited_create(actor=actor, instance=plan)


def demand_plan_update(*, actor: Any, plan: DemandPlan, data: dict[str, Any]) -> DemandPlan:
    """Change a draft plan; its years must still hold all its lines."""
    policy.require(actor, Action.CHANGE, plan)
    data = _only(data, PLAN_FIELDS)
    with transaction.atomic():
        plan = _locked(plan)
        _require_draft(plan)
        year_from = data.get("year_from", plan.year_from)
        horizon = data.get("horizon", plan.horizon)
        if data.get("year_to") is None and {"year_from", "horizon", "year_to"} & set(data):
            # The years follow the horizon unless the last year is given.
            data["year_to"] = year_from + _horizon_span(horizon) - 1 if year_from is not None else None
        year_to = data.get("year_to", plan.year_to)
        _check_year_from(year_from)
        if year_from is not None and year_to is not None:
            outside = sorted(
                set(plan.lines.filter(Q(year__lt=year_from) | Q(year__gt=year_to)).values_list("year", flat=True))
            )
            if outside:
                raise ValidationError(
                    {
                        "year_from": _("Lines of this plan lie outside the new years (%(years)s): change them first.")
                        % {"years": ", ".join(str(y) for y in outside)}
                    },
                    code="lines_outside",
                )
        audited_update(actor=actor, instance=plan, data=data)
    return plan


def demand_plan_delete(*, actor: Any, plan: DemandPlan) -> None:
    """Delete a draft plan with its lines (a submitted plan is reopened first)."""
    policy.require(actor, Action.DELETE, plan)
    with transaction.atomic():
        plan = _locked(plan)
        _require_draft(plan)
        for line in plan.lines.all():
            audited_delete(actor=actor, instance=line)
        audited_delete(actor=actor, instance=plan)


def demand_plan_submit(*, actor: Any, plan: DemandPlan) -> DemandPlan:
    """Submit a draft plan with at least one line: it then counts in the zone's demand."""
    policy.require(actor, Action.CHANGE, plan)
    with transaction.atomic():
        plan = _locked(plan)
        if plan.status != PlanStatus.DRAFT:
            raise ValidationError({"status": _("This plan is submitted already.")}, code="bad_transition")
        if not plan.lines.exists():
            raise ValidationError(
                {"lines": _("Add at least one line (a post and its headcount) before submitting the plan.")},
                code="no_lines",
            )
        audited_update(
            actor=actor, instance=plan, data={"status": PlanStatus.SUBMITTED, "submitted_at": timezone.now()}
        )
    return plan


def demand_plan_reopen(*, actor: Any, plan: DemandPlan) -> DemandPlan:
    """Make a submitted plan a draft again, to change it (it stops counting until submitted again)."""
    policy.require(actor, Action.CHANGE, plan)
    with transaction.atomic():
        plan = _locked(plan)
        if plan.status != PlanStatus.SUBMITTED:
            raise ValidationError({"status": _("Only a submitted plan can be reopened.")}, code="bad_transition")
        audited_update(actor=actor, instance=plan, data={"status": PlanStatus.DRAFT, "submitted_at": None})
    return plan


def demand_line_create(*, actor: Any, plan: DemandPlan, **fields: Any) -> DemandLine:
    """Add a line to a draft plan."""
    line = DemandLine(plan=plan, **_only(fields, LINE_FIELDS))
    _require_add(actor, line)
    policy.require(actor, Action.CHANGE, plan)
    with transaction.atomic():
        _require_draft(_locked(plan))
        return audited_create(actor=actor, instance=line)


def demand_line_update(*, actor: Any, line: DemandLine, data: dict[str, Any]) -> DemandLine:
    """Change a line of a draft plan."""
    policy.require(actor, Action.CHANGE, line)
    with transaction.atomic():
        _require_draft(_locked(line.plan))
        return audited_update(actor=actor, instance=line, data=_only(data, LINE_FIELDS))


def demand_line_delete(*, actor: Any, line: DemandLine) -> None:
    """Delete a line of a draft plan."""
    policy.require(actor, Action.DELETE, line)
    with transaction.atomic():
        _require_draft(_locked(line.plan))
        audited_delete(actor=actor, instance=line)


# --- postings --------------------------------------------------------------------------------


def _check_majors(enterprise: Organisation, majors: Iterable[Major]) -> list[Major]:
    majors = list(majors)
    if any(m.park_id != enterprise.park_id for m in majors):
        raise ValidationError({"majors": _("Every major must belong to the enterprise's park.")}, code="park_mismatch")
    return majors


def posting_create(*, actor: Any, enterprise: Organisation, **fields: Any) -> Posting:
    """Create a draft posting of ``enterprise`` (its HR); ``majors`` is a list of majors."""
    data = _only(fields, POSTING_FIELDS)
    majors = _check_majors(enterprise, data.pop("majors", None) or [])
    posting = Posting(enterprise=enterprise, vetting_status=VettingStatus.DRAFT, **data)
    _require_add(actor, posting)
    return audited_create(actor=actor, instance=posting, m2m={"majors": majors})


def _posting_changes(posting: Posting, data: dict[str, Any]) -> set[str]:
    changed = set()
    for name, value in data.items():
        if name == "majors":
            if {m.pk for m in value} != set(posting.majors.values_list("pk", flat=True)):
                changed.add(name)
        elif getattr(posting, name) != value:
            changed.add(name)
    return changed


def posting_update(*, actor: Any, posting: Posting, data: dict[str, Any]) -> Posting:
    """Change a posting; changing an approved posting's content sends it back to vetting."""
    policy.require(actor, Action.CHANGE, posting)
    data = _only(data, POSTING_FIELDS)
    with transaction.atomic():
        posting = _locked(posting)
        if "majors" in data:
            data["majors"] = _check_majors(posting.enterprise, data["majors"] or [])
        revetting = posting.vetting_status == VettingStatus.APPROVED and bool(
            _posting_changes(posting, data) - POSTING_UNVETTED_FIELDS
        )
        if revetting:
            data["vetting_status"] = VettingStatus.SUBMITTED
        audited_update(actor=actor, instance=posting, data=data)
        if revetting:
            _notify_posting_submitted(posting)
    return posting


def posting_delete(*, actor: Any, posting: Posting) -> None:
    """Delete a posting students have never seen (draft, awaiting vetting or rejected)."""
    policy.require(actor, Action.DELETE, posting)
    with transaction.atomic():
        posting = _locked(posting)
        if posting.vetting_status not in POSTING_DELETABLE:
            raise ValidationError(
                {"vetting_status": _("Students may have seen this posting: close it instead of deleting it.")},
                code="posting_seen",
            )
        audited_delete(actor=actor, instance=posting)


def posting_submit(*, actor: Any, posting: Posting) -> Posting:
    """Send a draft, rejected or closed posting to the park's vetters, who are notified."""
    policy.require(actor, Action.CHANGE, posting)
    with transaction.atomic():
        posting = _locked(posting)
        if posting.vetting_status not in POSTING_SUBMITTABLE:
            raise ValidationError(
                {
                    "vetting_status": _(
                        "This posting is “%(status)s”: only a draft, a rejected or a closed posting can be submitted."
                    )
                    % {"status": _status_label(posting.vetting_status)}
                },
                code="bad_transition",
            )
        audited_update(actor=actor, instance=posting, data={"vetting_status": VettingStatus.SUBMITTED})
        _notify_posting_submitted(posting)
    return posting


def posting_approve(*, actor: Any, posting: Posting) -> Posting:
    """Approve a posting awaiting vetting (a vetter of its park); its enterprise's HR is notified."""
    return _vet(
        actor,
        posting,
        posting.enterprise.park_id,
        allowed={VettingStatus.SUBMITTED},
        refusal=_("Only a posting awaiting vetting can be approved; this one is “%(status)s”."),
        data={"vetting_status": VettingStatus.APPROVED, "rejection_reason": ""},
        then=_notify_posting_vetted,
    )


def posting_reject(*, actor: Any, posting: Posting, reason: str) -> Posting:
    """Reject a posting awaiting vetting, or withdraw its approval, with a reason; its HR is notified."""
    return _vet(
        actor,
        posting,
        posting.enterprise.park_id,
        allowed=REJECTABLE,
        refusal=_("Only a posting awaiting vetting or approved can be rejected; this one is “%(status)s”."),
        data={"vetting_status": VettingStatus.REJECTED, "rejection_reason": reason},
        then=_notify_posting_vetted,
    )


def posting_close(*, actor: Any, posting: Posting) -> Posting:
    """Close a posting: students no longer see it or apply (submitting it again reopens it)."""
    policy.require(actor, Action.CHANGE, posting)
    with transaction.atomic():
        posting = _locked(posting)
        if posting.vetting_status not in CLOSABLE:
            raise ValidationError(
                {
                    "vetting_status": _(
                        "Only a posting awaiting vetting or approved can be closed; this one is “%(status)s”."
                    )
                    % {"status": _status_label(posting.vetting_status)}
                },
                code="bad_transition",
            )
        audited_update(actor=actor, instance=posting, data={"vetting_status": VettingStatus.CLOSED})
    return posting


def _notify_posting_submitted(posting: Posting) -> None:
    notify(
        vetter_users(posting.enterprise.park_id),
        NotificationKind.POSTING_SUBMITTED,
        {"enterprise": posting.enterprise.name, "posting": posting.title},
        url=reverse("vetting_queue"),
    )


def _notify_posting_vetted(posting: Posting) -> None:
    notify(
        hr_users(posting.enterprise),
        NotificationKind.POSTING_VETTED,
        {"posting": posting.title, "status": posting.vetting_status},
        url=reverse("posting_detail", args=[posting.pk]),
    )
