"""
The audit service: append-only, hash-chained events written in the writer's transaction.

Services call ``audited_create``/``audited_update``/``audited_delete`` (which
validate, save and record in one step) or ``record`` directly. Personal data
stays masked in the trail: fields named ``national_id`` or ``phone`` in any
model, and the fields a model names in ``AUDIT_MASKED`` (``{"contact_phone": "phone"}``:
field → the kind of masking).
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .choices import AuditAction
from .models import AuditChainHead, AuditEvent
from .validators import mask_national_id, mask_phone

GENESIS_HASH = "0" * 64

# Fields masked in every audit record, whatever the model.
MASKED_FIELDS: dict[str, Callable[[str], str]] = {"national_id": mask_national_id, "phone": mask_phone}
# Fields never recorded (noise or secrets).
SKIPPED_FIELDS = {"created_at", "updated_at", "password", "content"}


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return str(value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """Return the instance's concrete field values, JSON-safe, with personal data masked."""
    data: dict[str, Any] = {}
    extra_masked: dict[str, str] = getattr(type(instance), "AUDIT_MASKED", {})
    for field in instance._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS or field.primary_key:
            continue
        value = _json_value(getattr(instance, field.attname))
        kind = extra_masked.get(field.name, field.name)
        if kind in MASKED_FIELDS and value:
            value = MASKED_FIELDS[kind](value)
        data[field.attname] = value
    if instance.pk is not None and not instance._state.adding:
        # Many-to-many links are part of the object's state (e.g. a posting's majors): ids, sorted.
        for field in instance._meta.many_to_many:
            data[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [before, after]}`` for fields whose value changed."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _owner(instance: models.Model) -> tuple[int | None, int | None]:
    """Return (park id, organisation id) owning ``instance``, from its ``audit_owner`` or common fields."""
    hook = getattr(instance, "audit_owner", None)
    if callable(hook):
        return hook()
    from .models import Organisation

    if isinstance(instance, Organisation):
        return instance.park_id, instance.pk
    park_id = getattr(instance, "park_id", None)
    org_id = None
    for name in ("organisation", "college"):
        org = getattr(instance, name, None) if hasattr(type(instance), name) else None
        if org is not None:
            org_id = org.pk
            park_id = park_id or org.park_id
            break
    if park_id is None:
        person = getattr(instance, "person", None) if hasattr(type(instance), "person") else None
        if person is not None:
            park_id = person.park_id
    return park_id, org_id


def event_content(event: AuditEvent) -> dict[str, Any]:
    """Return the part of an event covered by its hash."""
    return {
        "park": event.park_id,
        "organisation": event.organisation_id,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "timestamp": event.timestamp.astimezone(datetime.UTC).isoformat(),
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "prev_hash": event.prev_hash,
    }


def compute_hash(event: AuditEvent) -> str:
    payload = json.dumps(event_content(event), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def object_type_of(instance_or_model: Any) -> str:
    return instance_or_model._meta.label_lower


def _lock_chain_head() -> AuditChainHead:
    """Return the chain head, locked until the transaction ends (created on first use)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit events are written inside the service's transaction.")
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _append(
    actor: Any, action: str, rows: list[tuple[models.Model, dict[str, Any], Any, tuple[int | None, int | None] | None]]
) -> list[AuditEvent]:
    """
    Append one event per ``(instance, changes, object_id, owner)`` to the chain, in order, with one lock.

    ``object_id`` defaults to the instance's pk and ``owner`` to the instance's (park, organisation).
    """
    head = _lock_chain_head()
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user else "system"
    now = timezone.now()
    prev = head.last_hash
    events = []
    for instance, changes, object_id, owner in rows:
        park_id, org_id = owner or _owner(instance)
        event = AuditEvent(
            park_id=park_id,
            organisation_id=org_id,
            actor=user,
            actor_label=label,
            timestamp=now,
            action=action,
            object_type=object_type_of(instance),
            object_id=str(object_id if object_id is not None else instance.pk),
            object_repr=str(instance)[:300],
            changes=_json_value(changes),
            prev_hash=prev,
        )
        event.hash = compute_hash(event)
        prev = event.hash
        events.append(event)
    if len(events) == 1:
        events[0].save()
    else:
        events = AuditEvent.objects.bulk_create(events)
    head.last_hash = prev
    head.last_event_id = events[-1].pk
    head.save(update_fields=["last_hash", "last_event_id"])
    return events


def record(
    *,
    actor: Any,
    action: AuditAction,
    instance: models.Model,
    changes: dict[str, Any],
    object_id: Any = None,
    owner: tuple[int | None, int | None] | None = None,
) -> AuditEvent:
    """
    Append one event to the chain; must run inside the writer's transaction.

    ``owner`` is the (park id, organisation id) the event belongs to, when the
    service knows it better than the instance can tell (a person registered
    for a college before their student record exists).
    """
    return _append(actor, action, [(instance, changes, object_id, owner)])[0]


def _split_m2m(instance: models.Model, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split ``data`` into plain field values and many-to-many values (set after saving)."""
    names = {f.name for f in instance._meta.many_to_many}
    return {k: v for k, v in data.items() if k not in names}, {k: v for k, v in data.items() if k in names}


def audited_create(
    *,
    actor: Any,
    instance: models.Model,
    owner: tuple[int | None, int | None] | None = None,
    m2m: dict[str, Any] | None = None,
) -> models.Model:
    """
    Validate and save a new instance and record its creation, atomically (``owner`` as in ``record``).

    ``m2m`` gives many-to-many values (``{"majors": [...]}``), set after the save and recorded with it.
    """
    with transaction.atomic():
        instance.full_clean()
        instance.save()
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
        after = snapshot(instance)
        record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=instance,
            changes={k: [None, v] for k, v in after.items()},
            owner=owner,
        )
    return instance


def audited_update(*, actor: Any, instance: models.Model, data: dict[str, Any]) -> models.Model:
    """Apply ``data`` to ``instance``, validate, save and record the before/after diff, atomically."""
    with transaction.atomic():
        before = snapshot(instance)
        data, m2m = _split_m2m(instance, data)
        for name, value in data.items():
            setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        for name, values in m2m.items():
            getattr(instance, name).set(values)
        changes = diff(before, snapshot(instance))
        if changes:
            record(actor=actor, action=AuditAction.UPDATE, instance=instance, changes=changes)
    return instance


def audited_delete(*, actor: Any, instance: models.Model) -> None:
    """Delete ``instance`` and record what it held, atomically."""
    with transaction.atomic():
        before = snapshot(instance)
        pk = instance.pk
        record(
            actor=actor,
            action=AuditAction.DELETE,
            instance=instance,
            changes={k: [v, None] for k, v in before.items()},
            object_id=pk,
        )
        instance.delete()


def audited_bulk_create(*, actor: Any, instances: list[models.Model]) -> list[models.Model]:
    """
    Validate, insert and record the creation of many rows of one model, atomically, with one chain lock.

    For services writing hundreds of rows at once (a month's headcount confirmation, the demo's
    employment history). Rows are validated without per-row database checks: the calling service
    checks uniqueness for the whole set in one query. The events are those ``audited_create`` writes.
    """
    instances = list(instances)
    if not instances:
        return instances
    for instance in instances:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        created = type(instances[0])._default_manager.bulk_create(instances)
        rows = [(i, {k: [None, v] for k, v in snapshot(i).items()}, None, None) for i in created]
        _append(actor, AuditAction.CREATE, rows)
    return created


def audited_bulk_update(*, actor: Any, changes: list[tuple[models.Model, dict[str, Any]]]) -> list[models.Model]:
    """
    Apply each ``(instance, data)``, validate, save and record each row's diff, atomically, with one chain lock.

    Rows given the same ``data`` are written with one ``UPDATE``.
    """
    if not changes:
        return []
    rows = []
    groups: dict[tuple[Any, ...], tuple[dict[str, Any], list[Any]]] = {}
    instances = []
    for instance, data in changes:
        before = snapshot(instance)
        for name, value in data.items():
            setattr(instance, name, value)
        instance.full_clean(validate_unique=False, validate_constraints=False)
        changed = diff(before, snapshot(instance))
        instances.append(instance)
        if changed:
            rows.append((instance, changed, None, None))
            key = tuple(sorted((name, getattr(value, "pk", value)) for name, value in data.items()))
            groups.setdefault(key, (data, []))[1].append(instance.pk)
    model = type(instances[0])
    # A queryset update skips ``save()``, so ``auto_now`` does not fire by itself.
    stamp = {"updated_at": timezone.now()} if any(f.name == "updated_at" for f in model._meta.concrete_fields) else {}
    with transaction.atomic():
        for data, pks in groups.values():
            model._default_manager.filter(pk__in=pks).update(**data, **stamp)
        if rows:
            _append(actor, AuditAction.UPDATE, rows)
    return instances


@dataclass
class ChainBreak:
    event_id: int
    reason: str


def iter_chain_breaks(batch_size: int = 2000) -> Iterator[ChainBreak]:
    """Yield every place where the stored chain does not verify, in event order."""
    prev = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != prev:
            yield ChainBreak(event.pk, "prev_hash does not match the previous event's hash")
        elif compute_hash(event) != event.hash:
            yield ChainBreak(event.pk, "content does not match its hash")
        prev = event.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        yield ChainBreak(head.last_event_id or 0, "the chain's last event is missing (events deleted at the end)")


def verify_chain() -> ChainBreak | None:
    """Return the first break in the audit chain, or None if it verifies."""
    return next(iter_chain_breaks(), None)


def history_for(instance: models.Model):
    """Return the audit events of one object, newest first."""
    return AuditEvent.objects.filter(object_type=object_type_of(instance), object_id=str(instance.pk)).select_related(
        "actor"
    )
