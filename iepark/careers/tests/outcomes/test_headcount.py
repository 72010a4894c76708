"""The enterprise's monthly headcount confirmation: all or nothing, once a month, its own employees only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from iepark.careers.choices import ClaimStatus, LeaveReason, RecordSource
from iepark.careers.models import EmploymentClaim, EmploymentRecord, HeadcountConfirmation
from iepark.careers.outcomes import selectors, services
from iepark.careers.testing import make_employment
from iepark.core.models import AuditEvent

START = datetime.date(2025, 7, 1)


@pytest.fixture
def staff(world, graduate):
    """Three graduates employed by E1 and one by E2."""
    e1 = [make_employment(graduate(), world.enterprise_1, START) for _ in range(3)]
    e2 = make_employment(graduate(world.college_b), world.enterprise_2, START)
    return e1, e2


def _snapshot():
    return (
        AuditEvent.objects.count(),
        EmploymentClaim.objects.count(),
        HeadcountConfirmation.objects.count(),
        list(EmploymentRecord.objects.order_by("pk").values_list("end_date", "leave_reason", "last_confirmed")),
    )


def test_confirmation_confirms_ends_and_counts_in_one_step(world, staff, today, days_ago):
    (a, b, c), _e2 = staff
    confirmation = services.headcount_confirm(
        actor=world.hr_e1,
        enterprise=world.enterprise_1,
        month=today,
        lines=[
            {"record": a, "employed": True},
            {"record": b.pk, "employed": True},
            {"record": c, "employed": False, "end_date": days_ago(3), "leave_reason": LeaveReason.CONTRACT_ENDED},
        ],
    )
    assert (confirmation.month, confirmation.confirmed, confirmation.left) == (today.replace(day=1), 2, 1)
    for record in (a, b, c):
        record.refresh_from_db()
    assert a.last_confirmed == b.last_confirmed == today
    assert (c.end_date, c.leave_reason, c.last_confirmed) == (days_ago(3), LeaveReason.CONTRACT_ENDED, None)
    claims = EmploymentClaim.objects.filter(source=RecordSource.ENTERPRISE, employer=world.enterprise_1)
    assert claims.count() == 3
    assert set(claims.values_list("status", flat=True)) == {ClaimStatus.AGREES}
    assert claims.get(record=c).employed is False
    # Every write is in the audit trail: the confirmation, three claims, three record changes.
    assert AuditEvent.objects.filter(object_type="careers.headcountconfirmation").count() == 1
    assert AuditEvent.objects.filter(object_type="careers.employmentclaim", action="create").count() == 3
    assert AuditEvent.objects.filter(object_type="careers.employmentrecord", action="update").count() == 3


def test_the_audit_chain_still_verifies_after_bulk_writes(world, staff, today):
    from iepark.core.audit import verify_chain

    (a, b, c), _e2 = staff
    services.headcount_confirm(
        actor=world.hr_e1,
        enterprise=world.enterprise_1,
        month=today,
        lines=[{"record": r, "employed": True} for r in (a, b, c)],
    )
    assert verify_chain() is None


def test_a_bad_line_leaves_nothing_written(world, staff, today, days_ago):
    (a, b, c), _e2 = staff
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.headcount_confirm(
            actor=world.hr_e1,
            enterprise=world.enterprise_1,
            month=today,
            lines=[
                {"record": a, "employed": True},
                {"record": b, "employed": False, "end_date": days_ago(2), "leave_reason": LeaveReason.RESIGNED},
                {"record": c, "employed": False, "end_date": START - datetime.timedelta(days=1), "leave_reason": ""},
            ],
        )
    messages = exc.value.message_dict["lines"]
    assert any("Line 3" in m and "before starting" in m for m in messages)
    assert any("Line 3" in m and "reason" in m for m in messages)
    assert _snapshot() == before


def test_every_current_employee_needs_a_line(world, staff, today):
    (a, b, c), _e2 = staff
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.headcount_confirm(
            actor=world.hr_e1, enterprise=world.enterprise_1, month=today, lines=[{"record": a}, {"record": b}]
        )
    assert str(c.student.person) in " ".join(exc.value.message_dict["lines"])
    assert _snapshot() == before


def test_duplicate_month_is_refused(world, staff, today):
    (a, b, c), _e2 = staff
    lines = [{"record": r, "employed": True} for r in (a, b, c)]
    services.headcount_confirm(actor=world.hr_e1, enterprise=world.enterprise_1, month=today, lines=lines)
    before = _snapshot()
    with pytest.raises(ValidationError) as exc:
        services.headcount_confirm(
            actor=world.hr_e1, enterprise=world.enterprise_1, month=today.replace(day=1), lines=lines
        )
    assert "confirmed already" in " ".join(exc.value.message_dict["month"])
    assert _snapshot() == before


def test_a_future_month_is_refused(world, staff, today):
    with pytest.raises(ValidationError) as exc:
        services.headcount_confirm(
            actor=world.hr_e1, enterprise=world.enterprise_1, month=today + datetime.timedelta(days=40), lines=[]
        )
    assert "month" in exc.value.message_dict


def test_hr_of_e2_cannot_confirm_e1s_employees(world, staff, today):
    (a, b, c), e2 = staff
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        services.headcount_confirm(
            actor=world.hr_e2,
            enterprise=world.enterprise_1,
            month=today,
            lines=[{"record": r, "employed": True} for r in (a, b, c)],
        )
    # Nor slip E1's records into its own confirmation.
    with pytest.raises(ValidationError) as exc:
        services.headcount_confirm(
            actor=world.hr_e2,
            enterprise=world.enterprise_2,
            month=today,
            lines=[
                {"record": e2, "employed": True},
                {"record": a, "employed": False, "end_date": today, "leave_reason": "resigned"},
            ],
        )
    assert "Line 2" in " ".join(exc.value.message_dict["lines"])
    assert _snapshot() == before


@pytest.mark.parametrize("persona", ["college_a_admin", "coordinator", "park_admin", "mentor_e1", "student_a"])
def test_only_the_enterprises_hr_confirms(world, staff, today, persona):
    (a, b, c), _e2 = staff
    with pytest.raises(PermissionDenied):
        services.headcount_confirm(
            actor=world.users[persona],
            enterprise=world.enterprise_1,
            month=today,
            lines=[{"record": r} for r in (a, b, c)],
        )


def test_a_past_month_confirms_the_graduates_current_on_its_last_day(world, graduate, today):
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    month_end = selectors.month_end(last_month)
    stayed = make_employment(graduate(), world.enterprise_1, START)
    make_employment(graduate(), world.enterprise_1, START, last_month, reason=LeaveReason.RESIGNED)  # left before
    make_employment(graduate(), world.enterprise_1, month_end + datetime.timedelta(days=1))  # came after
    roster = list(selectors.headcount_roster(enterprise=world.enterprise_1, month=last_month))
    assert roster == [stayed]
    services.headcount_confirm(
        actor=world.hr_e1, enterprise=world.enterprise_1, month=last_month, lines=[{"record": stayed}]
    )
    stayed.refresh_from_db()
    assert stayed.last_confirmed == month_end


def test_hr_sees_its_own_confirmations_and_the_zone_sees_all(world, staff, today):
    (a, b, c), e2 = staff
    services.headcount_confirm(
        actor=world.hr_e1, enterprise=world.enterprise_1, month=today, lines=[{"record": r} for r in (a, b, c)]
    )
    services.headcount_confirm(actor=world.hr_e2, enterprise=world.enterprise_2, month=today, lines=[{"record": e2}])
    assert selectors.headcount_confirmation_list(user=world.hr_e1).count() == 1
    assert selectors.headcount_confirmation_list(user=world.coordinator).count() == 2
    assert selectors.headcount_confirmation_list(user=world.college_a_admin).count() == 0
