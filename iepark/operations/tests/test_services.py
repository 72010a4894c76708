"""Writes of service points and notices: policy, validation, audit, nothing half-written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from iepark.core.models import AuditEvent
from iepark.operations import hours, services
from iepark.operations.choices import ServicePointKind
from iepark.operations.models import OpeningPeriod, ServiceNotice, ServicePoint
from iepark.testing import audit_count

from .factories import make_notice, make_point, t

MEALS = [{"weekday": d, "opens": "06:30", "closes": "09:00"} for d in range(5)]


def _create(world, user, **extra):
    fields = {"kind": ServicePointKind.SUPERMARKET, "name": "生活超市", "phone": "0994-5812310", "periods": MEALS}
    return services.service_point_create(actor=user, park=world.park, **{**fields, **extra})


@pytest.mark.parametrize("keeper", ["park_admin", "operator"])
def test_park_admins_and_operator_staff_create_points_with_hours(world, keeper):
    point = _create(world, world.users[keeper], operator=world.operator_org)
    assert point.pk and point.operator == world.operator_org
    assert sorted(p.as_period() for p in point.periods.all()) == [
        hours.Period(d, t("06:30"), t("09:00")) for d in range(5)
    ]
    assert audit_count(ServicePoint, "create", point.pk) == 1
    assert audit_count(OpeningPeriod, "create") == 5
    event = AuditEvent.objects.get(object_type="operations.servicepoint", object_id=str(point.pk))
    assert event.park_id == world.park.pk and event.actor == world.users[keeper]


@pytest.mark.parametrize("persona", ["committee", "student_a", "hr_e1", "college_a_admin", "other_admin", "outsider"])
def test_other_roles_cannot_create(world, persona):
    with pytest.raises(PermissionDenied):
        _create(world, world.users[persona])
    assert not ServicePoint.objects.exists() and not AuditEvent.objects.exists()


def test_other_parks_admin_cannot_create_in_this_park(world):
    with pytest.raises(PermissionDenied):
        _create(world, world.other_admin)


def test_bad_phone_and_foreign_operator_are_refused_with_nothing_written(world):
    with pytest.raises(ValidationError) as exc:
        _create(world, world.park_admin, phone="12345")
    assert "phone" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _create(world, world.park_admin, operator=world.other_college)
    assert "operator" in exc.value.message_dict
    assert not ServicePoint.objects.exists() and not OpeningPeriod.objects.exists()
    assert not AuditEvent.objects.exists()


def test_overlapping_periods_are_refused_with_nothing_written(world):
    periods = [{"weekday": 0, "opens": "08:00", "closes": "12:00"}, {"weekday": 0, "opens": "11:00", "closes": "14:00"}]
    with pytest.raises(ValidationError) as exc:
        _create(world, world.park_admin, periods=periods)
    assert "periods" in exc.value.message_dict
    assert not ServicePoint.objects.exists() and not AuditEvent.objects.exists()


def test_bad_weekday_or_time_is_refused(world):
    for bad in ({"weekday": 7, "opens": "08:00", "closes": "09:00"}, {"weekday": 1, "opens": "8h", "closes": "9"}):
        with pytest.raises(ValidationError) as exc:
            _create(world, world.park_admin, periods=[bad])
        assert "periods" in exc.value.message_dict


def test_update_replaces_only_changed_periods_and_keeps_the_park(world):
    point = _create(world, world.park_admin)
    kept = set(point.periods.filter(weekday__in=[0, 1]).values_list("pk", flat=True))
    new = MEALS[:2] + [{"weekday": 5, "opens": "22:00", "closes": "02:00"}]
    services.service_point_update(
        actor=world.operator,
        service_point=point,
        data={"name_en": "Supermarket", "park": world.other_park},
        periods=new,
    )
    point.refresh_from_db()
    assert point.name_en == "Supermarket" and point.park == world.park
    assert set(point.periods.values_list("pk", flat=True)) >= kept
    assert point.periods.count() == 3
    assert audit_count(OpeningPeriod, "delete") == 3 and audit_count(OpeningPeriod, "create") == 6
    assert audit_count(ServicePoint, "update", point.pk) == 1


def test_readers_cannot_change_or_delete(world):
    point = make_point(world.park)
    for persona in ("committee", "student_a", "hr_e1"):
        with pytest.raises(PermissionDenied):
            services.service_point_update(actor=world.users[persona], service_point=point, data={"name": "x"})
        with pytest.raises(PermissionDenied):
            services.service_point_delete(actor=world.users[persona], service_point=point)
    with pytest.raises(PermissionDenied):
        services.service_point_set_hours(actor=world.other_admin, service_point=point, periods=[])


def test_delete_removes_periods_and_notices_each_audited(world):
    point = make_point(world.park, periods=[(0, "08:00", "12:00")])
    make_notice(point, valid_from=datetime.date(2025, 1, 1))
    services.service_point_delete(actor=world.operator, service_point=point)
    assert not ServicePoint.objects.exists() and not ServiceNotice.objects.exists()
    assert audit_count(ServiceNotice, "delete") == 1 and audit_count(OpeningPeriod, "delete") == 1
    assert audit_count(ServicePoint, "delete") == 1


def test_notices_are_posted_by_keepers_only_and_dates_are_checked(world):
    point = make_point(world.park)
    notice = services.service_notice_create(
        actor=world.operator,
        service_point=point,
        title="周六检修",
        title_en="Closed on Saturday",
        valid_from=datetime.date(2025, 3, 8),
        valid_to=datetime.date(2025, 3, 8),
        closes_point=True,
    )
    assert audit_count(ServiceNotice, "create", notice.pk) == 1
    with pytest.raises(ValidationError) as exc:
        services.service_notice_update(
            actor=world.park_admin, notice=notice, data={"valid_to": datetime.date(2025, 3, 1)}
        )
    assert "valid_to" in exc.value.message_dict
    for persona in ("student_a", "committee", "other_admin"):
        with pytest.raises(PermissionDenied):
            services.service_notice_create(
                actor=world.users[persona], service_point=point, title="x", valid_from=datetime.date(2025, 3, 8)
            )
        with pytest.raises(PermissionDenied):
            services.service_notice_delete(actor=world.users[persona], notice=notice)
    services.service_notice_delete(actor=world.park_admin, notice=notice)
    assert audit_count(ServiceNotice, "delete", notice.pk) == 1
