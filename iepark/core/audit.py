"""
The audit service: append-only, hash-chained events written in the writer's transaction.

Services call ``audited_create``/``audited_update``/``audited_delete`` (which
validate, save and record in one step) or ``record`` directly. Personal data
named in a model's ``AUDIT_MASKED`` stays masked in the trail.
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
    for field in instance._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS or field.primary_key:
            continue
        value = _json_value(getattr(instance, field.attname))
        if field.name in MASKED_FIELDS and value:
            value = MASKED_FIELDS[field.name](value)
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
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Audit events are written inside the service's transaction.")
    park_id, org_id = owner or _owner(instance)
    # Lock the chain head so concurrent writers append one after another.
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        park_id=park_id,
        organisation_id=org_id,
        actor=user,
        actor_label=user.get_username() if user else "system",
        timestamp=timezone.now(),
        action=action,
        object_type=object_type_of(instance),
        object_id=str(object_id if object_id is not None else instance.pk),
        object_repr=str(instance)[:300],
        changes=_json_value(changes),
        prev_hash=head.last_hash,
    )
    event.hash = compute_hash(event)
    event.save()
    head.last_hash = event.hash
    head.last_event_id = event.pk
    head.save(update_fields=["last_hash", "last_event_id"])
    return event


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
