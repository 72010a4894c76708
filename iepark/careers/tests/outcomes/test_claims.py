"""Claims of the three sources: compared with the records, conflicts notified, settled by applying or dismissing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from iepark.careers.choices import ClaimStatus, LeaveReason, NotificationKind, RecordSource
from iepark.careers.models import EmploymentClaim, EmploymentRecord, Notification
from iepark.careers.outcomes import services
from iepark.careers.testing import make_employment
from iepark.core.models import AuditEvent

START = datetime.date(2025, 7, 1)


def _conflict_notes(user):
    return Notification.objects.filter(recipient=user, kind=NotificationKind.CLAIM_CONFLICT)


# --- agreement and each kind of disagreement ----------------------------------------------------


def test_survey_agreeing_with_the_record_is_kept_as_evidence(world, days_ago):
    record = make_employment(world.a_student, world.enterprise_1, START)
    claim = services.survey_report(
        actor=world.manager_a, student=world.a_student, as_of=days_ago(1), employed=True, employer=world.enterprise_1
    )
    assert (claim.status, claim.record, claim.source) == (ClaimStatus.AGREES, record, RecordSource.COLLEGE_SURVEY)
    assert not _conflict_notes(world.manager_a).exists()


def test_survey_naming_another_employer_is_a_conflict_notified_to_the_college(world, days_ago):
    record = make_employment(world.a_student, world.enterprise_1, START)
    claim = services.survey_report(
        actor=world.manager_a, student=world.a_student, as_of=days_ago(1), employed=True, employer=world.enterprise_2
    )
    assert (claim.status, claim.record) == (ClaimStatus.CONFLICT, record)
    # The college's student managers and administrators are told; college B and the enterprise are not.
    assert _conflict_notes(world.manager_a).count() == 1
    assert _conflict_notes(world.college_a_admin).count() == 1
    assert not _conflict_notes(world.college_b_admin).exists()
    assert not _conflict_notes(world.hr_e1).exists()
    note = _conflict_notes(world.college_a_admin).get()
    assert note.url == f"/employment/claims/{claim.pk}/"


def test_survey_saying_employed_without_any_record_is_a_conflict(world, days_ago):
    claim = services.survey_report(
        actor=world.manager_a, student=world.a_student, as_of=days_ago(1), employed=True, employer_name="区外公司"
    )
    assert claim.status == ClaimStatus.CONFLICT and claim.record is None


def test_student_saying_not_employed_while_the_record_is_open_is_a_conflict(world):
    record = make_employment(world.a_student, world.enterprise_1, START)
    claim = services.student_report(actor=world.student_a, employed=False)
    assert (claim.status, claim.record, claim.source) == (ClaimStatus.CONFLICT, record, RecordSource.STUDENT)
    assert _conflict_notes(world.manager_a).exists()


def test_student_not_employed_without_records_agrees(world):
    assert services.student_report(actor=world.student_a, employed=False).status == ClaimStatus.AGREES


def test_outside_employer_matches_by_name(world, days_ago):
    make_employment(world.a_student, None, START, employer_name="乌鲁木齐某公司")
    agree = services.student_report(actor=world.student_a, employed=True, employer_name="乌鲁木齐某公司")
    differ = services.student_report(actor=world.student_a, employed=True, employer_name="另一公司")
    zone = services.student_report(actor=world.student_a, employed=True, employer=world.enterprise_1)
    assert [agree.status, differ.status, zone.status] == [
        ClaimStatus.AGREES,
        ClaimStatus.CONFLICT,
        ClaimStatus.CONFLICT,
    ]


def test_college_saying_still_employed_after_the_enterprise_said_left_is_a_conflict(world, today, days_ago):
    record = make_employment(world.a_student, world.enterprise_1, START)
    services.headcount_confirm(
        actor=world.hr_e1,
        enterprise=world.enterprise_1,
        month=today,
        lines=[{"record": record, "employed": False, "end_date": days_ago(5), "leave_reason": LeaveReason.RESIGNED}],
    )
    claim = services.survey_report(
        actor=world.manager_a, student=world.a_student, as_of=days_ago(1), employed=True, employer=world.enterprise_1
    )
    assert claim.status == ClaimStatus.CONFLICT


def test_enterprise_saying_left_turns_an_earlier_agreeing_survey_into_a_conflict(world, today, days_ago):
    record = make_employment(world.a_student, world.enterprise_1, START)
    survey = services.survey_report(
        actor=world.manager_a, student=world.a_student, as_of=days_ago(2), employed=True, employer=world.enterprise_1
    )
    assert survey.status == ClaimStatus.AGREES
    services.headcount_confirm(
        actor=world.hr_e1,
        enterprise=world.enterprise_1,
        month=today,
        lines=[{"record": record, "employed": False, "end_date": days_ago(10), "leave_reason": LeaveReason.RESIGNED}],
    )
    survey.refresh_from_db()
    assert survey.status == ClaimStatus.CONFLICT
    assert _conflict_notes(world.manager_a).count() == 1
    # The enterprise's own claim agrees: the record followed it.
    enterprise_claim = EmploymentClaim.objects.get(source=RecordSource.ENTERPRISE)
    assert enterprise_claim.status == ClaimStatus.AGREES and not enterprise_claim.employed


# --- who may claim, and bad input -----------------------------------------------------------------


def test_college_b_cannot_survey_college_a_graduates(world, days_ago):
    with pytest.raises(PermissionDenied):
        services.survey_report(actor=world.college_b_admin, student=world.a_student, as_of=days_ago(1), employed=False)
    with pytest.raises(PermissionDenied):
        services.survey_report(actor=world.hr_e1, student=world.a_student, as_of=days_ago(1), employed=False)
    assert not EmploymentClaim.objects.exists()


def test_only_students_report_their_own_employment(world):
    with pytest.raises(PermissionDenied):
        services.student_report(actor=world.manager_a, employed=False)
    with pytest.raises(PermissionDenied):
        services.employment_claim_create(actor=world.student_b, student=world.a_student, employed=False)


def test_enterprise_claims_come_only_from_confirmations(world, days_ago):
    with pytest.raises(ValidationError) as exc:
        services.employment_claim_create(
            actor=world.manager_a, student=world.a_student, source=RecordSource.ENTERPRISE, as_of=days_ago(1),
            employed=True, employer=world.enterprise_1,
        )  # fmt: skip
    assert "source" in exc.value.message_dict


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"employed": True}, "employer_name"),
        ({"employed": True, "employer_name": "X公司", "as_of": datetime.date(2100, 1, 1)}, "as_of"),
    ],
)
def test_bad_claims_are_refused_with_the_field_named(world, fields, field):
    fields.setdefault("as_of", datetime.date(2025, 1, 1))
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.survey_report(actor=world.manager_a, student=world.a_student, **fields)
    assert field in exc.value.message_dict
    assert AuditEvent.objects.count() == before


# --- settling -------------------------------------------------------------------------------------


def _conflict(world, days_ago, **fields):
    return services.survey_report(actor=world.manager_a, student=world.a_student, as_of=days_ago(3), **fields)


def test_applying_an_employed_elsewhere_claim_transfers_the_graduate(world, days_ago):
    record = make_employment(world.a_student, world.enterprise_1, START)
    claim = _conflict(world, days_ago, employed=True, employer=world.enterprise_2)
    services.claim_apply(actor=world.manager_a, claim=claim, note="电话核实", post="值班员")
    record.refresh_from_db()
    assert (record.end_date, record.leave_reason) == (days_ago(3), LeaveReason.TRANSFERRED)
    new = EmploymentRecord.objects.get(employer=world.enterprise_2)
    assert (new.start_date, new.post, new.source) == (days_ago(3), "值班员", RecordSource.COLLEGE_SURVEY)
    claim.refresh_from_db()
    assert (claim.status, claim.settled_by, claim.record) == (ClaimStatus.APPLIED, world.manager_a, new)
    assert AuditEvent.objects.filter(object_type="careers.employmentclaim", action="update").exists()


def test_applying_a_not_employed_claim_ends_the_open_record(world, days_ago):
    record = make_employment(world.a_student, world.enterprise_1, START)
    claim = services.student_report(actor=world.student_a, employed=False, as_of=days_ago(4))
    services.claim_apply(actor=world.college_a_admin, claim=claim)
    record.refresh_from_db()
    assert (record.end_date, record.leave_reason) == (days_ago(4), LeaveReason.RESIGNED)


def test_applying_still_employed_reopens_the_spell_the_enterprise_ended(world, today, days_ago):
    record = make_employment(world.a_student, world.enterprise_1, START)
    services.headcount_confirm(
        actor=world.hr_e1,
        enterprise=world.enterprise_1,
        month=today,
        lines=[{"record": record, "employed": False, "end_date": days_ago(5), "leave_reason": LeaveReason.RESIGNED}],
    )
    claim = _conflict(world, days_ago, employed=True, employer=world.enterprise_1)
    services.claim_apply(actor=world.coordinator, claim=claim)
    record.refresh_from_db()
    assert record.end_date is None and record.leave_reason == ""
    assert EmploymentRecord.objects.count() == 1


def test_dismissing_needs_a_note_and_keeps_the_records(world, days_ago):
    record = make_employment(world.a_student, world.enterprise_1, START)
    claim = _conflict(world, days_ago, employed=False)
    with pytest.raises(ValidationError) as exc:
        services.claim_dismiss(actor=world.manager_a, claim=claim, note=" ")
    assert "note" in exc.value.message_dict
    services.claim_dismiss(actor=world.manager_a, claim=claim, note="学生填错")
    claim.refresh_from_db()
    record.refresh_from_db()
    assert (claim.status, claim.settlement_note) == (ClaimStatus.DISMISSED, "学生填错")
    assert record.end_date is None


def test_a_settled_or_agreeing_claim_cannot_be_settled(world, days_ago):
    make_employment(world.a_student, world.enterprise_1, START)
    agreeing = _conflict(world, days_ago, employed=True, employer=world.enterprise_1)
    with pytest.raises(ValidationError):
        services.claim_apply(actor=world.manager_a, claim=agreeing)
    claim = _conflict(world, days_ago, employed=False)
    services.claim_dismiss(actor=world.manager_a, claim=claim, note="ok")
    with pytest.raises(ValidationError):
        services.claim_dismiss(actor=world.manager_a, claim=claim, note="again")


@pytest.mark.parametrize("persona", ["college_b_admin", "teacher_a", "hr_e1", "student_a", "committee"])
def test_others_cannot_settle(world, days_ago, persona):
    make_employment(world.a_student, world.enterprise_1, START)
    claim = _conflict(world, days_ago, employed=False)
    with pytest.raises(PermissionDenied):
        services.claim_dismiss(actor=world.users[persona], claim=claim, note="no")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFLICT
