"""Employment records: who may write them, what is refused, ending a spell and transfers within the zone."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from iepark.careers.choices import ContractType, LeaveReason, PayBand, RecordSource
from iepark.careers.models import EmploymentRecord
from iepark.careers.outcomes import selectors, services
from iepark.careers.testing import make_application, make_employment, make_posting
from iepark.core.choices import Industry, OrganisationKind
from iepark.core.models import AuditEvent, Organisation
from iepark.testing import audit_count, make_uscc

START = datetime.date(2025, 7, 1)


def _create(actor, student, employer, **fields):
    fields.setdefault("post", "化工操作工")
    fields.setdefault("start_date", START)
    return services.employment_record_create(actor=actor, student=student, employer=employer, **fields)


# --- who may write ---------------------------------------------------------------------------


def test_student_manager_opens_a_record_for_their_college_with_audit(world):
    record = _create(world.manager_a, world.a_student, world.enterprise_1)
    assert record.pk and record.source == RecordSource.MANUAL
    assert audit_count(record, "create", record.pk) == 1


@pytest.mark.parametrize("persona", ["college_b_admin", "teacher_a", "student_a", "committee", "hr_e2", "outsider"])
def test_others_cannot_open_a_record_for_a_college_a_graduate(world, persona):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        _create(world.users[persona], world.a_student, world.enterprise_1)
    assert AuditEvent.objects.count() == before and not EmploymentRecord.objects.exists()


def test_hr_opens_records_at_its_own_enterprise_only(world):
    assert _create(world.hr_e1, world.a_student, world.enterprise_1).employer == world.enterprise_1
    with pytest.raises(PermissionDenied):
        _create(world.hr_e1, world.b_student, world.enterprise_2)
    with pytest.raises(PermissionDenied):
        _create(world.hr_e1, world.b_student, None, employer_name="区外公司")


def test_hr_cannot_move_a_record_to_another_employer(world):
    record = make_employment(world.a_student, world.enterprise_1, START)
    with pytest.raises(PermissionDenied):
        services.employment_record_update(actor=world.hr_e1, record=record, data={"employer": world.enterprise_2})
    record.refresh_from_db()
    assert record.employer == world.enterprise_1
    services.employment_record_update(actor=world.hr_e1, record=record, data={"post": "班长"})
    assert EmploymentRecord.objects.get(pk=record.pk).post == "班长"


def test_hr_of_another_enterprise_cannot_change_the_record(world):
    record = make_employment(world.a_student, world.enterprise_1, START)
    with pytest.raises(PermissionDenied):
        services.employment_record_update(actor=world.hr_e2, record=record, data={"post": "x"})


def test_coordinator_and_park_admin_write_any_graduates_record(world):
    assert _create(world.coordinator, world.b_student, world.enterprise_2).pk
    assert _create(world.park_admin, world.a_student, world.enterprise_2).pk


# --- validation --------------------------------------------------------------------------------


def test_end_before_start_is_refused_on_the_end_date(world):
    with pytest.raises(ValidationError) as exc:
        _create(
            world.manager_a,
            world.a_student,
            world.enterprise_1,
            end_date=START - datetime.timedelta(days=1),
            leave_reason=LeaveReason.RESIGNED,
        )
    assert "end_date" in exc.value.message_dict
    assert not EmploymentRecord.objects.exists()


def test_reason_without_end_date_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _create(world.manager_a, world.a_student, world.enterprise_1, leave_reason=LeaveReason.RESIGNED)
    assert "end_date" in exc.value.message_dict


def test_employer_in_another_park_is_refused(world):
    foreign = Organisation.objects.create(
        park=world.other_park,
        kind=OrganisationKind.ENTERPRISE,
        name="外园企业",
        industry=Industry.COAL_POWER,
        uscc=make_uscc(77),
    )
    with pytest.raises(ValidationError) as exc:
        _create(world.coordinator, world.a_student, foreign)
    assert "employer" in exc.value.message_dict
    assert "another park" in " ".join(exc.value.message_dict["employer"])


def test_a_college_is_not_an_employer(world):
    with pytest.raises(ValidationError) as exc:
        _create(world.coordinator, world.a_student, world.college_b)
    assert "employer" in exc.value.message_dict


def test_overlapping_spells_at_the_same_employer_are_refused(world):
    make_employment(world.a_student, world.enterprise_1, START, START.replace(year=2026), reason=LeaveReason.RESIGNED)
    with pytest.raises(ValidationError) as exc:
        _create(world.manager_a, world.a_student, world.enterprise_1, start_date=START.replace(month=12))
    assert "start_date" in exc.value.message_dict
    assert "overlaps" in " ".join(exc.value.message_dict["start_date"])
    # The day the first spell ended, a new one may start; another employer may overlap.
    assert _create(world.manager_a, world.a_student, world.enterprise_1, start_date=START.replace(year=2026)).pk
    assert _create(world.manager_a, world.a_student, world.enterprise_2, start_date=START.replace(month=12)).pk


def test_overlap_at_an_employer_outside_the_zone_compares_names(world):
    _create(world.manager_a, world.a_student, None, employer_name="乌鲁木齐某公司")
    with pytest.raises(ValidationError):
        _create(
            world.manager_a, world.a_student, None, employer_name=" 乌鲁木齐某公司 ", start_date=START.replace(month=9)
        )
    assert _create(world.manager_a, world.a_student, None, employer_name="昌吉另一公司").pk


def test_both_a_zone_employer_and_an_outside_name_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _create(world.manager_a, world.a_student, world.enterprise_1, employer_name="别的公司")
    assert "employer_name" in exc.value.message_dict


# --- ending a spell ---------------------------------------------------------------------------


def test_ending_a_record_sets_date_and_reason_with_audit(world):
    record = make_employment(world.a_student, world.enterprise_1, START)
    ended, follow_on = services.employment_record_end(
        actor=world.hr_e1, record=record, end_date=START.replace(year=2026), leave_reason=LeaveReason.RESIGNED
    )
    assert follow_on is None
    assert (ended.end_date, ended.leave_reason) == (START.replace(year=2026), LeaveReason.RESIGNED)
    assert audit_count(record, "update", record.pk) == 1


def test_ending_needs_a_date_and_a_reason_and_an_open_record(world):
    record = make_employment(world.a_student, world.enterprise_1, START)
    with pytest.raises(ValidationError) as exc:
        services.employment_record_end(actor=world.manager_a, record=record, end_date=None, leave_reason="")
    assert {"end_date", "leave_reason"} <= set(exc.value.message_dict)
    services.employment_record_end(
        actor=world.manager_a, record=record, end_date=START.replace(year=2026), leave_reason=LeaveReason.DISMISSED
    )
    with pytest.raises(ValidationError) as exc:
        services.employment_record_end(
            actor=world.manager_a, record=record, end_date=START.replace(year=2026), leave_reason=LeaveReason.RESIGNED
        )
    assert "ended already" in " ".join(exc.value.message_dict["end_date"])


def test_transfer_opens_the_follow_on_record_in_the_same_step(world):
    record = make_employment(world.a_student, world.enterprise_1, START, contract_type=ContractType.OPEN_ENDED)
    moved = START.replace(year=2026, month=3)
    ended, follow_on = services.employment_record_end(
        actor=world.manager_a,
        record=record,
        end_date=moved,
        leave_reason=LeaveReason.TRANSFERRED,
        follow_on={"employer": world.enterprise_2, "post": "值班员", "pay_band": PayBand.FROM_6K},
    )
    assert ended.leave_reason == LeaveReason.TRANSFERRED
    assert follow_on.employer == world.enterprise_2 and follow_on.start_date == moved
    assert follow_on.post == "值班员" and follow_on.contract_type == ContractType.OPEN_ENDED


def test_a_bad_follow_on_leaves_the_first_record_open(world):
    record = make_employment(world.a_student, world.enterprise_1, START)
    with pytest.raises(ValidationError) as exc:
        services.employment_record_end(
            actor=world.manager_a,
            record=record,
            end_date=START.replace(year=2026),
            leave_reason=LeaveReason.TRANSFERRED,
            follow_on={"employer": world.enterprise_2, "start_date": START},
        )
    assert "new_start_date" in exc.value.message_dict
    record.refresh_from_db()
    assert record.end_date is None


def test_transfer_needs_a_zone_spell_and_a_follow_on_needs_a_transfer(world):
    outside = make_employment(world.a_student, None, START)
    with pytest.raises(ValidationError) as exc:
        services.employment_record_end(
            actor=world.manager_a, record=outside, end_date=START.replace(year=2026), leave_reason="transferred"
        )
    assert "leave_reason" in exc.value.message_dict
    record = make_employment(world.b_student, world.enterprise_1, START)
    with pytest.raises(ValidationError) as exc:
        services.employment_record_end(
            actor=world.coordinator,
            record=record,
            end_date=START.replace(year=2026),
            leave_reason=LeaveReason.RESIGNED,
            follow_on={"employer": world.enterprise_2},
        )
    assert "leave_reason" in exc.value.message_dict


def test_hr_cannot_open_the_follow_on_at_another_enterprise(world):
    record = make_employment(world.a_student, world.enterprise_1, START)
    with pytest.raises(PermissionDenied):
        services.employment_record_end(
            actor=world.hr_e1,
            record=record,
            end_date=START.replace(year=2026),
            leave_reason=LeaveReason.TRANSFERRED,
            follow_on={"employer": world.enterprise_2},
        )
    record.refresh_from_db()
    assert record.end_date is None


def test_current_on_a_day_excludes_the_end_date(world):
    record = make_employment(world.a_student, world.enterprise_1, START, START.replace(year=2026), reason="resigned")
    day_before = START.replace(year=2026) - datetime.timedelta(days=1)
    assert selectors.records_current_on([world.a_student.pk], day_before)[world.a_student.pk] == [record]
    assert world.a_student.pk not in selectors.records_current_on([world.a_student.pk], START.replace(year=2026))


# --- reading ----------------------------------------------------------------------------------


def test_scopes_hr_college_and_student(world):
    own = make_employment(world.a_student, world.enterprise_1, START)
    other = make_employment(world.b_student, world.enterprise_2, START)

    def ids(user):
        return set(selectors.employment_record_list(user=user).values_list("pk", flat=True))

    assert ids(world.hr_e1) == {own.pk}
    assert ids(world.hr_e2) == {other.pk}
    assert ids(world.college_b_admin) == {other.pk}
    assert ids(world.student_a) == {own.pk}
    assert ids(world.users["committee"]) == {own.pk, other.pk}
    assert ids(world.mentor_e1) == set()


def test_hr_picks_among_its_applicants_only(world):
    make_application(make_posting(world), world.b_student)
    assert set(selectors.employable_students(user=world.hr_e1)) == {world.b_student}
    assert set(selectors.employable_students(user=world.hr_e2)) == set()
    assert set(selectors.employable_students(user=world.manager_a)) == {world.a_student}
