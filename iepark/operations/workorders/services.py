"""
Writes of maintenance work orders. Every write checks the policy, validates,
saves and records its audit event (and a timeline line) in one transaction.

The life of an order: ``work_order_report`` (new) → ``work_order_assign``
(assigned) → ``work_order_start`` (in progress) → ``work_order_resolve``
(resolved) → ``work_order_confirm`` by the reporter (confirmed), or
``work_order_reopen`` back to work; ``work_order_rate`` records the reporter's
rating; ``work_order_cancel`` ends an open order. ``tick`` escalates overdue
orders and creates the orders of due preventive plans (the daily command and
the background task ``workorders.tick``).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from iepark.core import policy
from iepark.core.attachments import attach_files
from iepark.core.audit import audited_create, audited_delete, audited_update
from iepark.core.choices import Role
from iepark.core.models import Membership, Park, Person
from iepark.core.policy import Action
from iepark.core.tasks import job_start
from iepark.core.validators import validate_phone
from iepark.operations.models import DormRoom

from .choices import (
    AWAITING_RESPONSE,
    DEFAULT_SERVICE_LEVELS,
    DONE_STATUSES,
    OPEN_STATUSES,
    FaultCategory,
    PlaceKind,
    RecurrenceUnit,
    TimelineKind,
    Urgency,
    WorkOrderSource,
    WorkOrderStatus,
)
from .models import MaintenancePlan, ServiceLevel, WorkOrder, WorkOrderEvent
from .notifications import notify_step
from .policy import runs_orders

TICK_TASK = "workorders.tick"
ORDER_EDIT_FIELDS = ["title", "description", "category", "urgency", "place_kind", "room", "location", "contact_phone"]
PLAN_FIELDS = [
    "title",
    "description",
    "place_kind",
    "room",
    "location",
    "category",
    "urgency",
    "every",
    "unit",
    "next_due",
    "default_assignee",
    "is_active",
]
# How far a preventive plan catches up on missed dates in one run.
MAX_CATCH_UP = 12


def _only(data: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items() if k in names}


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- service levels ---------------------------------------------------------------------------------


def service_levels_for(park: Park | int) -> dict[str, tuple[int, int]]:
    """Return ``{urgency: (response hours, resolution hours)}`` of ``park``: its own levels over the defaults."""
    park_id = getattr(park, "pk", park)
    levels = dict(DEFAULT_SERVICE_LEVELS)
    for urgency, response, resolution in ServiceLevel.objects.filter(park_id=park_id).values_list(
        "urgency", "response_hours", "resolution_hours"
    ):
        levels[urgency] = (response, resolution)
    return levels


def service_level_set(
    *, actor: Any, park: Park, urgency: str, response_hours: int, resolution_hours: int
) -> ServiceLevel:
    """Set the response and resolution times of ``urgency`` in ``park`` (creating the park's row on first use)."""
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose an urgency.")})
    existing = ServiceLevel.objects.filter(park=park, urgency=urgency).first()
    if existing is not None:
        return service_level_update(
            actor=actor,
            level=existing,
            data={"response_hours": response_hours, "resolution_hours": resolution_hours},
        )
    return service_level_create(
        actor=actor, park=park, urgency=urgency, response_hours=response_hours, resolution_hours=resolution_hours
    )


def service_level_create(*, actor: Any, park: Park, **fields: Any) -> ServiceLevel:
    level = ServiceLevel(park=park, **_only(fields, ["urgency", "response_hours", "resolution_hours"]))
    if not policy.can_add(actor, level):
        raise PermissionDenied
    if level.urgency and ServiceLevel.objects.filter(park=park, urgency=level.urgency).exists():
        raise ValidationError({"urgency": _("This park already has a service level for that urgency.")})
    return audited_create(actor=actor, instance=level)


def service_level_update(*, actor: Any, level: ServiceLevel, data: Mapping[str, Any]) -> ServiceLevel:
    policy.require(actor, Action.CHANGE, level)
    return audited_update(actor=actor, instance=level, data=_only(data, ["response_hours", "resolution_hours"]))


def service_level_delete(*, actor: Any, level: ServiceLevel) -> None:
    """Remove a park's own level: orders reported from now on use the default for that urgency."""
    policy.require(actor, Action.DELETE, level)
    audited_delete(actor=actor, instance=level)


# --- helpers -------------------------------------------------------------------------------------------


def is_operator_staff(person: Person | None, park_id: int) -> bool:
    """Return whether ``person`` holds a current operator staff role in park ``park_id``."""
    if person is None:
        return False
    today = timezone.localdate()
    return (
        Membership.objects.filter(
            person=person, role=Role.OPERATOR_STAFF, organisation__park_id=park_id, start_date__lte=today
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exists()
    )


def _check_place(
    park_id: int, place_kind: str, room: DormRoom | None, location: str, *, field_prefix: str = ""
) -> None:
    errors: dict[str, str] = {}
    if place_kind not in PlaceKind.values:
        errors["place_kind"] = _("Choose the kind of place.")
    if room is not None:
        if room.building.park_id != park_id:
            errors["room"] = _("The room must be in the same park.")
        elif place_kind not in (PlaceKind.ROOM, PlaceKind.DORMITORY):
            errors["room"] = _("A dormitory room goes with the place kind “Dormitory” or “Room”.")
    elif not (location or "").strip():
        errors["location"] = _("Say where the fault is: choose the room or describe the location.")
    if errors:
        raise ValidationError(errors)


def _check_choices(category: str, urgency: str) -> None:
    errors = {}
    if category not in FaultCategory.values:
        errors["category"] = _("Choose a category.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose an urgency.")
    if errors:
        raise ValidationError(errors)


def _next_number(park: Park, year: int) -> int:
    """Return the next order number of ``park`` in ``year`` (the park row is locked until commit)."""
    list(Park.objects.select_for_update().filter(pk=park.pk).values_list("pk", flat=True))
    last = WorkOrder.objects.filter(park=park, year=year).aggregate(m=Max("number"))["m"] or 0
    return last + 1


def _log(
    order: WorkOrder, kind: str, actor: Any, *, before: str = "", note: str = "", at: datetime.datetime | None = None
) -> WorkOrderEvent:
    user = _user(actor)
    event = WorkOrderEvent(
        order=order,
        kind=kind,
        at=at or timezone.now(),
        actor=user,
        actor_label=_actor_label(user),
        from_status=before if before != order.status else "",
        to_status=order.status if before != order.status else "",
        note=note,
    )
    event = audited_create(actor=actor, instance=event)
    notify_step(order, kind, actor, note)
    return event


def _actor_label(user: Any) -> str:
    """The name shown on a timeline line: the person's name, else the login; empty for the system."""
    if user is None:
        return ""
    person = Person.objects.filter(user=user).first()
    return str(person)[:150] if person else user.get_username()


def _locked(order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.select_for_update().select_related("park").get(pk=order.pk)


def _deadlines(park: Park, urgency: str, reported_at: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    response, resolution = service_levels_for(park)[urgency]
    return reported_at + datetime.timedelta(hours=response), reported_at + datetime.timedelta(hours=resolution)


def _new_order(*, actor: Any, park: Park, reported_at: datetime.datetime, urgency: str, **fields: Any) -> WorkOrder:
    response_due, resolution_due = _deadlines(park, urgency, reported_at)
    local_year = timezone.localtime(reported_at).year
    number = _next_number(park, local_year)
    order = WorkOrder(
        park=park,
        year=local_year,
        number=number,
        reference=f"WO-{local_year}-{number:05d}",
        urgency=urgency,
        reported_at=reported_at,
        response_due=response_due,
        resolution_due=resolution_due,
        **fields,
    )
    return audited_create(actor=actor, instance=order)


# --- reporting -----------------------------------------------------------------------------------------


def work_order_report(
    *,
    actor: Any,
    park: Park,
    place_kind: str,
    category: str,
    title: str,
    urgency: str = Urgency.NORMAL,
    description: str = "",
    room: DormRoom | None = None,
    location: str = "",
    contact_phone: str = "",
    photos: list[Any] | None = None,
    reported_at: datetime.datetime | None = None,
    reporter: Person | None = None,
) -> WorkOrder:
    """
    Report a fault in ``park``: the order is new, its deadlines fixed from the park's service level.

    ``photos`` (uploaded files or checked uploads) are attached to the order, all or nothing. The desk
    may record a report made by phone on behalf of ``reporter`` (a person of the park); anybody
    else reports as themselves.
    """
    actor_ = policy.actor_for(actor)
    probe = WorkOrder(park=park)
    if not policy.can_add(actor, probe):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the fault a short title.")})
    _check_choices(category, urgency)
    _check_place(park.pk, place_kind, room, location)
    contact_phone = (contact_phone or "").strip()
    if contact_phone:
        try:
            validate_phone(contact_phone)
        except ValidationError as exc:
            raise ValidationError({"contact_phone": exc.messages}) from None
    if reporter is not None:
        if not runs_orders(actor_, park.pk):
            raise PermissionDenied
        if reporter.park_id != park.pk:
            raise ValidationError({"reporter": _("The reporter must be a person of the same park.")})
    else:
        reporter = Person.objects.filter(pk=actor_.person_id).first() if actor_.person_id else None
    now = timezone.now()
    if reported_at is not None and reported_at > now:
        raise ValidationError({"reported_at": _("A fault cannot be reported in the future.")})
    with transaction.atomic():
        order = _new_order(
            actor=actor,
            park=park,
            reported_at=reported_at or now,
            urgency=urgency,
            source=WorkOrderSource.REPORTED,
            place_kind=place_kind,
            room=room,
            location=(location or "").strip(),
            category=category,
            title=title,
            description=(description or "").strip(),
            reporter=reporter,
            contact_phone=contact_phone,
        )
        _log(order, TimelineKind.REPORTED, actor, note=order.description[:500], at=order.reported_at)
        if photos:
            attach_files(actor=actor, parent=order, files=photos)
    return order


def may_add_photos(actor: Any, order: WorkOrder) -> bool:
    """The desk, or the order's reporter while the order is not closed, may add photos."""
    if policy.can(actor, Action.CHANGE, order):
        return True
    actor_ = policy.actor_for(actor)
    return (
        bool(actor_.person_id) and order.reporter_id == actor_.person_id and order.status != WorkOrderStatus.CANCELLED
    )


def work_order_add_photos(*, actor: Any, order: WorkOrder, photos: list[Any], caption: str = "") -> list[Any]:
    """Attach photos to an order (the desk, or its reporter)."""
    if not policy.can(actor, Action.VIEW, order) or not may_add_photos(actor, order):
        raise PermissionDenied
    if not photos:
        raise ValidationError({"photos": _("Choose at least one photo.")})
    return attach_files(actor=actor, parent=order, files=photos, caption=caption)


def work_order_update(*, actor: Any, order: WorkOrder, data: Mapping[str, Any]) -> WorkOrder:
    """Correct an order's description, category, urgency or place (the desk); deadlines stay as reported."""
    policy.require(actor, Action.CHANGE, order)
    data = _only(data, ORDER_EDIT_FIELDS)
    with transaction.atomic():
        order = _locked(order)
        if order.status not in OPEN_STATUSES:
            raise ValidationError(_("Only open orders can be changed."))
        merged = {name: data.get(name, getattr(order, name)) for name in ("place_kind", "room", "location")}
        if "title" in data and not data["title"]:
            raise ValidationError({"title": _("Give the fault a short title.")})
        _check_choices(data.get("category", order.category), data.get("urgency", order.urgency))
        _check_place(order.park_id, merged["place_kind"], merged["room"], merged["location"])
        before = order.status
        audited_update(actor=actor, instance=order, data=data)
        _log(order, TimelineKind.EDITED, actor, before=before)
    return order


# --- the desk's steps ----------------------------------------------------------------------------------


def _desk_step(actor: Any, order: WorkOrder, allowed: tuple[str, ...], message: str) -> WorkOrder:
    policy.require(actor, Action.CHANGE, order)
    order = _locked(order)
    if order.status not in allowed:
        raise ValidationError({"status": message})
    return order


def work_order_assign(*, actor: Any, order: WorkOrder, assignee: Person, note: str = "") -> WorkOrder:
    """Dispatch an open order to a member of the operator's staff of its park (or hand it to another)."""
    with transaction.atomic():
        order = _desk_step(actor, order, OPEN_STATUSES, _("Only open orders can be assigned."))
        if not is_operator_staff(assignee, order.park_id):
            raise ValidationError({"assignee": _("Choose a member of the operator's staff of this park.")})
        before = order.status
        now = timezone.now()
        data: dict[str, Any] = {"assignee": assignee}
        if order.status == WorkOrderStatus.NEW:
            data.update(status=WorkOrderStatus.ASSIGNED, assigned_at=now)
        audited_update(actor=actor, instance=order, data=data)
        text = _("Assigned to %(person)s.") % {"person": assignee}
        _log(order, TimelineKind.ASSIGNED, actor, before=before, note=f"{text} {note}".strip())
    return order


def work_order_start(*, actor: Any, order: WorkOrder, note: str = "") -> WorkOrder:
    """Record that the work started (the response): the order is in progress."""
    with transaction.atomic():
        order = _desk_step(actor, order, (WorkOrderStatus.ASSIGNED,), _("Assign the order before starting it."))
        before = order.status
        data: dict[str, Any] = {"status": WorkOrderStatus.IN_PROGRESS}
        if order.started_at is None:
            data["started_at"] = timezone.now()
        audited_update(actor=actor, instance=order, data=data)
        _log(order, TimelineKind.STARTED, actor, before=before, note=(note or "").strip())
    return order


def work_order_resolve(*, actor: Any, order: WorkOrder, note: str) -> WorkOrder:
    """Record the fix with a note of what was done; the reporter then confirms or reopens it."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was done to fix the fault.")})
    with transaction.atomic():
        order = _desk_step(
            actor,
            order,
            (WorkOrderStatus.ASSIGNED, WorkOrderStatus.IN_PROGRESS),
            _("Only assigned or started orders can be resolved."),
        )
        before = order.status
        now = timezone.now()
        data: dict[str, Any] = {"status": WorkOrderStatus.RESOLVED, "resolved_at": now, "resolution_note": note}
        if order.started_at is None:
            data["started_at"] = now
        audited_update(actor=actor, instance=order, data=data)
        _log(order, TimelineKind.RESOLVED, actor, before=before, note=note)
    return order


def work_order_cancel(*, actor: Any, order: WorkOrder, reason: str) -> WorkOrder:
    """Cancel an open order with a reason: the desk at any time, the reporter while it is still new."""
    reason = (reason or "").strip()
    actor_ = policy.actor_for(actor)
    with transaction.atomic():
        if not policy.can(actor, Action.VIEW, order):
            raise PermissionDenied
        order = _locked(order)
        if not policy.can(actor, Action.CHANGE, order):
            if not (actor_.person_id and order.reporter_id == actor_.person_id):
                raise PermissionDenied
            if order.status != WorkOrderStatus.NEW:
                raise ValidationError({"status": _("You can withdraw your report only before it is assigned.")})
        if not reason:
            raise ValidationError({"reason": _("Give the reason for cancelling.")})
        if order.status not in OPEN_STATUSES:
            raise ValidationError({"status": _("Only open orders can be cancelled.")})
        before = order.status
        audited_update(
            actor=actor, instance=order, data={"status": WorkOrderStatus.CANCELLED, "cancelled_at": timezone.now()}
        )
        _log(order, TimelineKind.CANCELLED, actor, before=before, note=reason)
    return order


# --- the reporter's steps --------------------------------------------------------------------------------


def _reporter_step(actor: Any, order: WorkOrder) -> WorkOrder:
    """Check ``actor`` is the order's reporter (the desk stands in for preventive orders without one)."""
    actor_ = policy.actor_for(actor)
    if not policy.can(actor, Action.VIEW, order):
        raise PermissionDenied
    if order.reporter_id is None:
        if not policy.can(actor, Action.CHANGE, order):
            raise PermissionDenied
    elif not (actor_.person_id and order.reporter_id == actor_.person_id) and not actor_.is_superuser:
        raise PermissionDenied
    return _locked(order)


def _clean_rating(rating: Any) -> int:
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if isinstance(rating, bool) or value < 1 or value > 5 or str(value) != str(rating).strip():
        raise ValidationError({"rating": _("Give a rating from 1 to 5.")})
    return value


def work_order_confirm(*, actor: Any, order: WorkOrder, rating: Any = None, comment: str = "") -> WorkOrder:
    """The reporter confirms the fix (optionally rating the service at the same time)."""
    value = _clean_rating(rating) if rating not in (None, "") else None
    with transaction.atomic():
        order = _reporter_step(actor, order)
        if order.status != WorkOrderStatus.RESOLVED:
            raise ValidationError({"status": _("Only a resolved order can be confirmed.")})
        before = order.status
        now = timezone.now()
        data: dict[str, Any] = {"status": WorkOrderStatus.CONFIRMED, "confirmed_at": now}
        if value is not None:
            if order.rating is not None:
                raise ValidationError({"rating": _("This order has already been rated.")})
            data.update(rating=value, rating_comment=(comment or "").strip(), rated_at=now)
        audited_update(actor=actor, instance=order, data=data)
        _log(order, TimelineKind.CONFIRMED, actor, before=before)
        if value is not None:
            _log(order, TimelineKind.RATED, actor, note=_rating_note(value, comment))
    return order


def _rating_note(value: int, comment: str) -> str:
    stars = "★" * value + "☆" * (5 - value)
    return f"{stars} {(comment or '').strip()}".strip()


def work_order_reopen(*, actor: Any, order: WorkOrder, reason: str) -> WorkOrder:
    """The reporter says the fault is not fixed: the order goes back to its assignee (or to the desk)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is still wrong.")})
    with transaction.atomic():
        order = _reporter_step(actor, order)
        if order.status != WorkOrderStatus.RESOLVED:
            raise ValidationError({"status": _("Only a resolved order can be reopened.")})
        before = order.status
        status = WorkOrderStatus.ASSIGNED if order.assignee_id else WorkOrderStatus.NEW
        audited_update(
            actor=actor,
            instance=order,
            data={
                "status": status,
                "resolved_at": None,
                "resolution_note": "",
                "reopen_count": order.reopen_count + 1,
            },
        )
        _log(order, TimelineKind.REOPENED, actor, before=before, note=reason)
    return order


def work_order_rate(*, actor: Any, order: WorkOrder, rating: Any, comment: str = "") -> WorkOrder:
    """The reporter rates the service (1 to 5, once) after the order was resolved."""
    value = _clean_rating(rating)
    with transaction.atomic():
        order = _reporter_step(actor, order)
        if order.status not in DONE_STATUSES:
            raise ValidationError({"status": _("An order can be rated once it is resolved.")})
        if order.rating is not None:
            raise ValidationError({"rating": _("This order has already been rated.")})
        audited_update(
            actor=actor,
            instance=order,
            data={"rating": value, "rating_comment": (comment or "").strip(), "rated_at": timezone.now()},
        )
        _log(order, TimelineKind.RATED, actor, note=_rating_note(value, comment))
    return order


# --- preventive plans ------------------------------------------------------------------------------------


def add_recurrence(day: datetime.date, every: int, unit: str) -> datetime.date:
    """Return ``day`` moved on by ``every`` ``unit`` (a month's end is kept: 31 Jan + 1 month = 28/29 Feb)."""
    if unit == RecurrenceUnit.DAY:
        return day + datetime.timedelta(days=every)
    if unit == RecurrenceUnit.WEEK:
        return day + datetime.timedelta(weeks=every)
    month_index = day.month - 1 + every
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _check_plan(plan: MaintenancePlan, *, creating: bool) -> None:
    errors: dict[str, str] = {}
    try:
        _check_place(plan.park_id, plan.place_kind, plan.room, plan.location)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    try:
        _check_choices(plan.category, plan.urgency)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if plan.unit not in RecurrenceUnit.values:
        errors["unit"] = _("Choose days, weeks or months.")
    if plan.default_assignee_id and not is_operator_staff(plan.default_assignee, plan.park_id):
        errors["default_assignee"] = _("Choose a member of the operator's staff of this park.")
    today = timezone.localdate()
    if plan.next_due is None:
        errors["next_due"] = _("Give the next due date.")
    elif creating and plan.next_due < today - datetime.timedelta(days=366):
        errors["next_due"] = _("The next due date is more than a year ago.")
    elif plan.next_due > today + datetime.timedelta(days=366 * 5):
        errors["next_due"] = _("The next due date is more than five years away.")
    if errors:
        raise ValidationError(errors)


def maintenance_plan_create(*, actor: Any, park: Park, **fields: Any) -> MaintenancePlan:
    plan = MaintenancePlan(park=park, **_only(fields, PLAN_FIELDS))
    if not policy.can_add(actor, plan):
        raise PermissionDenied
    _check_plan(plan, creating=True)
    return audited_create(actor=actor, instance=plan)


def maintenance_plan_update(*, actor: Any, plan: MaintenancePlan, data: Mapping[str, Any]) -> MaintenancePlan:
    policy.require(actor, Action.CHANGE, plan)
    data = _only(data, PLAN_FIELDS)
    with transaction.atomic():
        plan = MaintenancePlan.objects.select_for_update().get(pk=plan.pk)
        for name, value in data.items():
            setattr(plan, name, value)
        _check_plan(plan, creating=False)
        plan.refresh_from_db()
        audited_update(actor=actor, instance=plan, data=data)
    return plan


def maintenance_plan_delete(*, actor: Any, plan: MaintenancePlan) -> None:
    """Delete a plan; the orders it created stay (without their plan)."""
    policy.require(actor, Action.DELETE, plan)
    audited_delete(actor=actor, instance=plan)


def _plan_order(*, actor: Any, plan: MaintenancePlan, due: datetime.date, now: datetime.datetime) -> WorkOrder | None:
    """Create the order of ``plan`` for ``due`` unless it exists (idempotent)."""
    if WorkOrder.objects.filter(plan=plan, plan_due_date=due).exists():
        return None
    assignee = plan.default_assignee if is_operator_staff(plan.default_assignee, plan.park_id) else None
    order = _new_order(
        actor=actor,
        park=plan.park,
        reported_at=now,
        urgency=plan.urgency,
        source=WorkOrderSource.PREVENTIVE,
        plan=plan,
        plan_due_date=due,
        place_kind=plan.place_kind,
        room=plan.room,
        location=plan.location,
        category=plan.category,
        title=plan.title,
        description=plan.description,
        status=WorkOrderStatus.ASSIGNED if assignee else WorkOrderStatus.NEW,
        assignee=assignee,
        assigned_at=now if assignee else None,
    )
    note = _("Preventive plan “%(plan)s”, due %(date)s.") % {"plan": plan.title, "date": due.isoformat()}
    _log(order, TimelineKind.REPORTED, actor, before=WorkOrderStatus.NEW if assignee else "", note=note, at=now)
    return order


def generate_preventive(
    *, actor: Any = None, park: Park | None = None, today: datetime.date | None = None, now=None
) -> int:
    """Create the orders of every active plan due by ``today`` (one per due date, never twice); return how many."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    plans = MaintenancePlan.objects.filter(is_active=True, next_due__lte=today).select_related(
        "park", "room__building", "default_assignee"
    )
    if park is not None:
        plans = plans.filter(park=park)
    created = 0
    for plan_id in plans.values_list("pk", flat=True):
        with transaction.atomic():
            plan = (
                MaintenancePlan.objects.select_for_update(of=("self",))
                .select_related("park", "room__building")
                .get(pk=plan_id)
            )
            due, steps = plan.next_due, 0
            while due <= today and steps < MAX_CATCH_UP:
                if _plan_order(actor=actor, plan=plan, due=due, now=now):
                    created += 1
                due = add_recurrence(due, plan.every, plan.unit)
                steps += 1
            while due <= today:  # dates missed beyond the catch-up limit are skipped
                due = add_recurrence(due, plan.every, plan.unit)
            audited_update(actor=actor, instance=plan, data={"next_due": due})
    return created


# --- escalation ------------------------------------------------------------------------------------------


def overdue_level(order: WorkOrder, now: datetime.datetime) -> int:
    """Return 2 when the resolution deadline is missed, 1 when only the response deadline is, else 0."""
    if order.status in OPEN_STATUSES and order.resolution_due < now:
        return 2
    if order.status in AWAITING_RESPONSE and order.response_due < now:
        return 1
    return 0


def escalate_overdue(*, actor: Any = None, park: Park | None = None, now: datetime.datetime | None = None) -> int:
    """Escalate open orders past a deadline to the park's administrators (the operator's managers); return how many."""
    now = now or timezone.now()
    candidates = WorkOrder.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(resolution_due__lt=now, escalation_level__lt=2)
        | Q(status__in=AWAITING_RESPONSE, response_due__lt=now, escalation_level__lt=1)
    )
    if park is not None:
        candidates = candidates.filter(park=park)
    count = 0
    for order_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            order = WorkOrder.objects.select_for_update().get(pk=order_id)
            level = overdue_level(order, now)
            if level <= order.escalation_level:
                continue
            audited_update(
                actor=actor, instance=order, data={"escalation_level": level, "escalated_at": order.escalated_at or now}
            )
            if level == 2:
                note = _("Resolution deadline missed: escalated to the park administrators.")
            else:
                note = _("Response deadline missed: escalated to the park administrators.")
            _log(order, TimelineKind.ESCALATED, actor, before=order.status, note=note, at=now)
            count += 1
    return count


def tick(*, actor: Any = None, park: Park | None = None, now: datetime.datetime | None = None) -> dict[str, int]:
    """The daily run: escalate overdue orders, then create the orders of due preventive plans."""
    now = now or timezone.now()
    created = generate_preventive(actor=actor, park=park, today=timezone.localdate(now), now=now)
    escalated = escalate_overdue(actor=actor, park=park, now=now)
    return {"escalated": escalated, "created": created}


def tick_start(*, actor: Any, park: Park):
    """Start the daily run for ``park`` now, in the background (the desk's "run now" button)."""
    if not runs_orders(policy.actor_for(actor), park.pk):
        raise PermissionDenied
    return job_start(actor=actor, kind=TICK_TASK, park=park, params={"park": park.pk})
