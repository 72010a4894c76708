"""
Writes of employment records, the sources' claims, headcount confirmations and graduate destinations.

Every function checks the policy, validates, and writes with its audit events
in one transaction; pages, the API, the survey upload and the demo call them.

Employment records are the settled truth. Three sources make *claims* about a
graduate's employment on a date: the enterprise's monthly headcount
confirmation, the college's graduate survey and the student's own report.
A claim is compared with the records current on its date: one that agrees is
kept as evidence; one that disagrees is a *conflict*, notified to the
college's student managers and administrators, who settle it by applying it
to the records or dismissing it with a note. The enterprise is authoritative
about its own employees: a confirmation that someone left ends their record
at once, and any other source's claim that they were still employed there
becomes a conflict.
"""

from __future__ import annotations

import copy
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iepark.core import policy
from iepark.core.audit import (
    audited_bulk_create,
    audited_bulk_update,
    audited_create,
    audited_delete,
    audited_update,
)
from iepark.core.choices import OrganisationKind
from iepark.core.models import Membership, Organisation, Student
from iepark.core.policy import STUDENT_EDITOR_ROLES, Action

from ..choices import (
    ClaimStatus,
    ContractType,
    DestinationCategory,
    LeaveReason,
    NotificationKind,
    RecordSource,
)
from ..models import EmploymentClaim, EmploymentRecord, GraduateDestination, HeadcountConfirmation
from ..notifications import notify
from ..policy import OUTCOME_EDITOR_ROLES
from . import selectors


def _only(data: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    names = set(names)
    return {k: v for k, v in data.items() if k in names}


def _probe(instance: Any, data: dict[str, Any]) -> Any:
    """Return a copy of ``instance`` with ``data`` applied, to check a change before the audited update makes it."""
    probe = copy.copy(instance)
    probe._state = copy.copy(instance._state)
    probe._state.fields_cache = dict(instance._state.fields_cache)
    for name, value in data.items():
        setattr(probe, name, value)
    return probe


def _require_add(actor: Any, instance: Any) -> None:
    if not policy.can_add(actor, instance):
        raise PermissionDenied


def _today() -> datetime.date:
    return timezone.localdate()


def _not_in_future(day: datetime.date | None, field: str) -> None:
    if day is not None and day > _today():
        raise ValidationError({field: _("This date cannot be in the future.")}, code="future")


def _check_zone_employer(employer: Organisation | None, student: Student, field: str = "employer") -> None:
    """Refuse an employer that is not an enterprise of the graduate's park."""
    if employer is None:
        return
    if employer.kind != OrganisationKind.ENTERPRISE:
        raise ValidationError({field: _("This must be an enterprise.")}, code="not_enterprise")
    if employer.park_id != student.college.park_id:
        raise ValidationError(
            {field: _("The employer is in another park; name it as an employer outside the zone.")},
            code="park_mismatch",
        )


def _normal_name(name: str) -> str:
    return "".join((name or "").split()).casefold()


# ---------------------------------------------------------------------------------------------
# Employment records.
# ---------------------------------------------------------------------------------------------

RECORD_FIELDS = (
    "student",
    "employer",
    "employer_name",
    "post",
    "start_date",
    "contract_type",
    "pay_band",
    "social_insurance_start",
    "end_date",
    "leave_reason",
    "via_order_class",
)
# What an edit may change: not whose record it is, nor where it came from.
RECORD_CHANGE_FIELDS = tuple(f for f in RECORD_FIELDS if f != "student") + ("last_confirmed",)


def _employer_key(record: EmploymentRecord) -> tuple[str, Any]:
    if record.employer_id:
        return ("zone", record.employer_id)
    return ("outside", _normal_name(record.employer_name))


def _spans_overlap(a: EmploymentRecord, b: EmploymentRecord) -> bool:
    """Return whether two spells overlap (each runs from its start date up to, not including, its end date)."""
    a_end, b_end = a.end_date or datetime.date.max, b.end_date or datetime.date.max
    return a.start_date < b_end and b.start_date < a_end


def _overlap_error(clash: EmploymentRecord) -> ValidationError:
    end = f"{clash.end_date:%Y-%m-%d}" if clash.end_date else _("now")
    return ValidationError(
        {
            "start_date": _(
                "This graduate already has a spell at this employer (%(start)s – %(end)s) that overlaps this one."
            )
            % {"start": f"{clash.start_date:%Y-%m-%d}", "end": end}
        },
        code="overlap",
    )


def _check_overlap(record: EmploymentRecord) -> None:
    """Refuse a spell overlapping another spell of the same graduate at the same employer."""
    if not (record.student_id and record.start_date) or not (record.employer_id or record.employer_name.strip()):
        return
    others = EmploymentRecord.objects.filter(student_id=record.student_id).exclude(pk=record.pk)
    if record.employer_id:
        others = others.filter(employer_id=record.employer_id)
    else:
        others = others.filter(employer__isnull=True)
    others = others.filter(Q(end_date__isnull=True) | Q(end_date__gt=record.start_date))
    if record.end_date:
        others = others.filter(start_date__lt=record.end_date)
    for other in others.order_by("start_date"):
        if _employer_key(other) == _employer_key(record) and _spans_overlap(other, record):
            raise _overlap_error(other)


def _check_employer_fields(record: EmploymentRecord) -> None:
    if record.employer_id and record.employer_name.strip():
        raise ValidationError(
            {"employer_name": _("Give either a zone employer or the name of an employer outside the zone, not both.")},
            code="two_employers",
        )


def _prepare_record(record: EmploymentRecord) -> None:
    """Run the checks every record write shares (the model's own validation runs when saving)."""
    _check_employer_fields(record)
    if record.employer_id and record.student_id:
        _check_zone_employer(record.employer, record.student)
    _check_overlap(record)


def employment_record_create(*, actor: Any, **fields: Any) -> EmploymentRecord:
    """
    Open an employment record (``RECORD_FIELDS``; ``source`` and ``offer`` optional).

    Refused: an employer in another park, an end date before the start, a
    reason without an end date, a spell overlapping another spell of the same
    graduate at the same employer.
    """
    record = EmploymentRecord(
        **_only(fields, RECORD_FIELDS),
        source=fields.get("source") or RecordSource.MANUAL,
        offer=fields.get("offer"),
    )
    if record.student_id is None:
        raise ValidationError({"student": _("Choose the graduate.")}, code="required")
    _require_add(actor, record)
    with transaction.atomic():
        _prepare_record(record)
        audited_create(actor=actor, instance=record)
    return record


def employment_record_update(*, actor: Any, record: EmploymentRecord, data: dict[str, Any]) -> EmploymentRecord:
    """Change a record; the result must still be one the actor may keep (HR cannot move it to another employer)."""
    policy.require(actor, Action.CHANGE, record)
    data = _only(data, RECORD_CHANGE_FIELDS)
    probe = _probe(record, data)
    _require_add(actor, probe)
    with transaction.atomic():
        _prepare_record(probe)
        return audited_update(actor=actor, instance=record, data=data)


def employment_record_delete(*, actor: Any, record: EmploymentRecord) -> None:
    policy.require(actor, Action.DELETE, record)
    audited_delete(actor=actor, instance=record)


FOLLOW_ON_FIELDS = ("employer", "post", "start_date", "contract_type", "pay_band", "social_insurance_start")


def employment_record_end(
    *,
    actor: Any,
    record: EmploymentRecord,
    end_date: datetime.date | None,
    leave_reason: str,
    follow_on: dict[str, Any] | None = None,
) -> tuple[EmploymentRecord, EmploymentRecord | None]:
    """
    End a current record on ``end_date`` for ``leave_reason``; return it and the follow-on record, if any.

    With the reason "transferred within the zone", ``follow_on`` (``employer``,
    ``post``, ``start_date``, ``contract_type``, ``pay_band``,
    ``social_insurance_start``) opens the record at the new zone employer in
    the same step; its errors are reported on ``new_<field>``. Both are written
    or neither.
    """
    policy.require(actor, Action.CHANGE, record)
    if record.end_date is not None:
        raise ValidationError(
            {"end_date": _("This record has ended already (on %(date)s).") % {"date": f"{record.end_date:%Y-%m-%d}"}},
            code="ended",
        )
    errors: dict[str, Any] = {}
    if end_date is None:
        errors["end_date"] = _("Give the end date.")
    if not leave_reason:
        errors["leave_reason"] = _("Give the reason for leaving.")
    elif leave_reason not in LeaveReason.values:
        errors["leave_reason"] = _("Unknown reason for leaving.")
    elif leave_reason == LeaveReason.TRANSFERRED and not record.in_zone:
        errors["leave_reason"] = _("Only a spell at a zone enterprise ends with a transfer within the zone.")
    if follow_on and leave_reason != LeaveReason.TRANSFERRED and "leave_reason" not in errors:
        errors["leave_reason"] = _("A record at a new zone employer follows only a transfer within the zone.")
    if errors:
        raise ValidationError(errors, code="invalid")
    with transaction.atomic():
        ended = audited_update(actor=actor, instance=record, data={"end_date": end_date, "leave_reason": leave_reason})
        new_record = None
        if follow_on:
            new_record = _open_follow_on(actor=actor, ended=ended, follow_on=follow_on)
    return ended, new_record


def _open_follow_on(*, actor: Any, ended: EmploymentRecord, follow_on: dict[str, Any]) -> EmploymentRecord:
    data = _only(follow_on, FOLLOW_ON_FIELDS)
    employer = data.get("employer")
    if employer is None:
        raise ValidationError({"new_employer": _("Choose the zone enterprise the graduate moved to.")})
    if employer.pk == ended.employer_id:
        raise ValidationError({"new_employer": _("A transfer goes to another zone enterprise.")})
    start = data.get("start_date") or ended.end_date
    if start < ended.end_date:
        raise ValidationError({"new_start_date": _("The new spell cannot start before the previous one ends.")})
    try:
        return employment_record_create(
            actor=actor,
            student=ended.student,
            employer=employer,
            post=data.get("post") or ended.post,
            start_date=start,
            contract_type=data.get("contract_type") or ended.contract_type,
            pay_band=data.get("pay_band", ""),
            social_insurance_start=data.get("social_insurance_start"),
            source=RecordSource.MANUAL,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise ValidationError({f"new_{name}": errors for name, errors in exc.error_dict.items()}) from None
        raise


def employment_record_bulk_create(*, actor: Any, records: Sequence[EmploymentRecord]) -> list[EmploymentRecord]:
    """
    Open many records at once (imports, the demo): the same checks as one by one, in a fixed number of queries.

    Records of one graduate at one employer may not overlap each other nor the
    records already stored.
    """
    records = list(records)
    if not records:
        return []
    for record in records:
        _require_add(actor, record)
        _check_employer_fields(record)
        if record.employer_id:
            _check_zone_employer(record.employer, record.student)
    by_key: dict[tuple[Any, ...], list[EmploymentRecord]] = defaultdict(list)
    stored = EmploymentRecord.objects.filter(student_id__in={r.student_id for r in records})
    for record in [*stored, *records]:
        by_key[(record.student_id, *_employer_key(record))].append(record)
    for spells in by_key.values():
        spells.sort(key=lambda r: r.start_date)
        for i, spell in enumerate(spells):
            for other in spells[i + 1 :]:
                if other.start_date >= (spell.end_date or datetime.date.max):
                    break
                if _spans_overlap(spell, other):
                    raise _overlap_error(spell if spell.pk else other)
    with transaction.atomic():
        return audited_bulk_create(actor=actor, instances=records)


# ---------------------------------------------------------------------------------------------
# Claims: comparing what a source says with the records.
# ---------------------------------------------------------------------------------------------


def _claim_matches(record: EmploymentRecord, claim: EmploymentClaim) -> bool:
    """Return whether ``record`` is employment where the (employed) claim says the graduate works."""
    if claim.employer_id:
        return record.employer_id == claim.employer_id
    if record.employer_id:
        return False
    names = _normal_name(claim.employer_name), _normal_name(record.employer_name)
    return not all(names) or names[0] == names[1]


def claim_compare(claim: EmploymentClaim, current: Sequence[EmploymentRecord]) -> tuple[str, EmploymentRecord | None]:
    """
    Return the claim's status against the records ``current`` on its date, and the record it is about.

    Employed at E: agrees when a current record is at E (for an employer
    outside the zone, when the names agree). Not employed: agrees when no
    record is current.
    """
    if not claim.employed:
        if current:
            return ClaimStatus.CONFLICT, current[0]
        return ClaimStatus.AGREES, None
    for record in current:
        if _claim_matches(record, claim):
            return ClaimStatus.AGREES, record
    return ClaimStatus.CONFLICT, (current[0] if current else None)


def _college_outcome_editors(college_ids: Iterable[int]) -> dict[int, list[Any]]:
    """Return the logins of each college's student managers and administrators (active memberships)."""
    today = _today()
    rows = (
        Membership.objects.filter(
            organisation_id__in=list(college_ids),
            role__in=STUDENT_EDITOR_ROLES,
            start_date__lte=today,
            person__user__isnull=False,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person__user")
    )
    result: dict[int, list[Any]] = defaultdict(list)
    for membership in rows:
        result[membership.organisation_id].append(membership.person.user)
    return result


def _notify_conflicts(claims: Sequence[EmploymentClaim]) -> None:
    """Tell the graduates' colleges that sources disagree (one notification per claim)."""
    claims = [c for c in claims if c.status == ClaimStatus.CONFLICT]
    if not claims:
        return
    editors = _college_outcome_editors({c.student.college_id for c in claims})
    for claim in claims:
        notify(
            editors.get(claim.student.college_id, []),
            NotificationKind.CLAIM_CONFLICT,
            {"student": str(claim.student.person)},
            url=reverse("employmentclaim_detail", args=[claim.pk]),
        )


def claim_validate(claim: EmploymentClaim) -> None:
    """Raise the errors of a survey answer or a student's report before it is compared and saved."""
    errors: dict[str, Any] = {}
    if claim.as_of is None:
        errors["as_of"] = _("Give the date the claim speaks of.")
    elif claim.as_of > _today():
        errors["as_of"] = _("This date cannot be in the future.")
    if claim.employed:
        if claim.employer_id and claim.employer_name.strip():
            errors["employer_name"] = _(
                "Give either a zone employer or the name of an employer outside the zone, not both."
            )
        elif not claim.employer_id and not claim.employer_name.strip():
            errors["employer_name"] = _("Name the employer: a zone enterprise or one outside the zone.")
    if errors:
        raise ValidationError(errors, code="invalid")
    if claim.employer_id:
        _check_zone_employer(claim.employer, claim.student)


def _record_claim(*, actor: Any, claim: EmploymentClaim) -> EmploymentClaim:
    """Compare a (validated, permitted) claim with the records, save it and notify a conflict."""
    current = selectors.records_current_on([claim.student_id], claim.as_of).get(claim.student_id, [])
    claim.status, claim.record = claim_compare(claim, current)
    with transaction.atomic():
        audited_create(actor=actor, instance=claim)
        _notify_conflicts([claim])
    return claim


def _may_survey(actor: Any, student: Student) -> bool:
    acting = policy.actor_for(actor)
    return acting.is_superuser or student.college_id in acting.orgs(OUTCOME_EDITOR_ROLES)


def survey_report(
    *,
    actor: Any,
    student: Student,
    as_of: datetime.date | None,
    employed: bool,
    employer: Organisation | None = None,
    employer_name: str = "",
    note: str = "",
) -> EmploymentClaim:
    """Record one answer of the college's graduate survey (the college's student managers and administrators)."""
    claim = EmploymentClaim(
        student=student,
        source=RecordSource.COLLEGE_SURVEY,
        as_of=as_of,
        employed=bool(employed),
        employer=employer if employed else None,
        employer_name=(employer_name or "").strip() if employed else "",
        note=note or "",
    )
    if not _may_survey(actor, student):
        raise PermissionDenied
    _require_add(actor, claim)
    claim_validate(claim)
    return _record_claim(actor=actor, claim=claim)


def student_report(
    *,
    actor: Any,
    employed: bool,
    as_of: datetime.date | None = None,
    employer: Organisation | None = None,
    employer_name: str = "",
    note: str = "",
    student: Student | None = None,
) -> EmploymentClaim:
    """
    Record a student's own statement of their current employment.

    The student is the actor's own student record; only an installation
    superuser (the demo, a migration) records a statement for ``student``.
    """
    acting = policy.actor_for(actor)
    if student is not None and not acting.is_superuser and student.person_id != acting.person_id:
        raise PermissionDenied
    if student is None and acting.person_id:
        student = Student.objects.filter(person_id=acting.person_id).select_related("college").first()
    if student is None:
        raise PermissionDenied
    claim = EmploymentClaim(
        student=student,
        source=RecordSource.STUDENT,
        as_of=as_of or _today(),
        employed=bool(employed),
        employer=employer if employed else None,
        employer_name=(employer_name or "").strip() if employed else "",
        note=note or "",
    )
    _require_add(actor, claim)
    claim_validate(claim)
    return _record_claim(actor=actor, claim=claim)


def employment_claim_create(*, actor: Any, student: Student, source: str = "", **fields: Any) -> EmploymentClaim:
    """
    Record a claim from the API: the student's own report, or the college's survey.

    Without ``source``, a student reporting about themself makes a student
    report and anyone else a survey answer. Enterprises make claims only
    through their monthly headcount confirmation.
    """
    fields = _only(fields, ["as_of", "employed", "employer", "employer_name", "note"])
    own = policy.actor_for(actor).person_id == student.person_id
    source = source or (RecordSource.STUDENT if own else RecordSource.COLLEGE_SURVEY)
    if source == RecordSource.STUDENT:
        if not own:
            raise PermissionDenied
        return student_report(actor=actor, **fields)
    if source == RecordSource.COLLEGE_SURVEY:
        return survey_report(actor=actor, student=student, **{"as_of": None, **fields})
    raise ValidationError(
        {"source": _("An enterprise's claims come from its monthly headcount confirmation.")}, code="source"
    )


def _recheck_after_ending(*, actor: Any, ended: Sequence[EmploymentRecord]) -> list[EmploymentClaim]:
    """
    Turn into conflicts the other sources' agreeing claims that the ended records no longer support.

    The enterprise is authoritative about its own employees; a survey or a
    student still saying they work there, on a date from the end on, now
    disagrees with the records.
    """
    if not ended:
        return []
    claims = list(
        EmploymentClaim.objects.filter(record__in=ended, status=ClaimStatus.AGREES, employed=True)
        .exclude(source=RecordSource.ENTERPRISE)
        .select_related("student__person", "student__college", "employer")
    )
    changes = []
    for claim in claims:
        current = selectors.records_current_on([claim.student_id], claim.as_of).get(claim.student_id, [])
        status, record = claim_compare(claim, current)
        if status == ClaimStatus.CONFLICT:
            changes.append((claim, {"status": status, "record": record or claim.record}))
    audited_bulk_update(actor=actor, changes=changes)
    flipped = [claim for claim, _data in changes]
    _notify_conflicts(flipped)
    return flipped


# ---------------------------------------------------------------------------------------------
# Settling disagreements.
# ---------------------------------------------------------------------------------------------


def _require_conflict(actor: Any, claim: EmploymentClaim) -> None:
    policy.require(actor, Action.CHANGE, claim)
    if claim.status != ClaimStatus.CONFLICT:
        raise ValidationError(_("This claim is not awaiting settlement."), code="not_conflict")


def claim_apply(
    *,
    actor: Any,
    claim: EmploymentClaim,
    note: str = "",
    post: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    leave_reason: str = "",
) -> EmploymentClaim:
    """
    Settle a conflict by making the records say what the claim says.

    Not employed: the records current on the claim's date end (on ``end_date``,
    else the claim's own end date, else its date). Employed at E: the other
    current records end on ``end_date`` or the claim's date (a move between two
    zone enterprises is a transfer), and the graduate's record at E is opened
    from ``start_date`` (the claim's date by default; ``post`` defaults to the
    graduate's latest post) — or reopened, if their record at E ended on or
    before that date and nothing followed it there.
    """
    _require_conflict(actor, claim)
    student = claim.student
    day = claim.as_of
    with transaction.atomic():
        current = selectors.records_current_on([student.pk], day).get(student.pk, [])
        target: EmploymentRecord | None = None
        if not claim.employed:
            for record in current:
                stop = end_date or claim.end_date or day
                reason = leave_reason or claim.leave_reason or LeaveReason.RESIGNED
                employment_record_end(actor=actor, record=record, end_date=stop, leave_reason=reason)
                target = target or record
        else:
            target = next((r for r in current if _claim_matches(r, claim)), None)
            if target is None:
                for record in current:
                    reason = leave_reason or (
                        LeaveReason.TRANSFERRED if record.in_zone and claim.employer_id else LeaveReason.RESIGNED
                    )
                    employment_record_end(actor=actor, record=record, end_date=end_date or day, leave_reason=reason)
                target = _reopen_or_open(actor=actor, claim=claim, post=post, start_date=start_date or day)
        audited_update(
            actor=actor,
            instance=claim,
            data={"status": ClaimStatus.APPLIED, "settled_by": actor, "settlement_note": note, "record": target},
        )
    return claim


def _reopen_or_open(*, actor: Any, claim: EmploymentClaim, post: str, start_date: datetime.date) -> EmploymentRecord:
    student = claim.student
    spells = list(EmploymentRecord.objects.filter(student=student).select_related("employer").order_by("start_date"))
    at_employer = [r for r in spells if _claim_matches(r, claim)]
    last = at_employer[-1] if at_employer else None
    if (
        last is not None
        and last.end_date is not None
        and last.end_date <= claim.as_of
        and not any(r.start_date >= last.end_date for r in spells if r.pk != last.pk)
    ):
        # The spell was ended, yet the claim says it goes on and nothing came after it: reopen it.
        return employment_record_update(actor=actor, record=last, data={"end_date": None, "leave_reason": ""})
    latest = spells[-1] if spells else None
    post = post or (last.post if last else (latest.post if latest else ""))
    if not post:
        raise ValidationError({"post": _("Give the post of the new record.")}, code="required")
    return employment_record_create(
        actor=actor,
        student=student,
        employer=claim.employer,
        employer_name="" if claim.employer_id else claim.employer_name,
        post=post,
        start_date=start_date,
        contract_type=last.contract_type if last else ContractType.FIXED_TERM,
        source=claim.source,
    )


def claim_dismiss(*, actor: Any, claim: EmploymentClaim, note: str) -> EmploymentClaim:
    """Settle a conflict by keeping the records as they are; the note says why."""
    _require_conflict(actor, claim)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the claim is dismissed.")}, code="required")
    return audited_update(
        actor=actor,
        instance=claim,
        data={"status": ClaimStatus.DISMISSED, "settled_by": actor, "settlement_note": note.strip()},
    )


# ---------------------------------------------------------------------------------------------
# The enterprise's monthly headcount confirmation.
# ---------------------------------------------------------------------------------------------


def headcount_confirm(
    *, actor: Any, enterprise: Organisation, month: datetime.date | None, lines: Sequence[dict[str, Any]]
) -> HeadcountConfirmation:
    """
    Record an enterprise's confirmation of its graduate employees for a month, all or nothing.

    ``lines`` has one entry per current record of the enterprise (the roster):
    ``{"record": record or id, "employed": bool, "end_date": date, "leave_reason": str}``;
    those not employed give the day they left and why. The confirmation (with
    its counts), one enterprise claim per person, ``last_confirmed`` on the
    confirmed records and the end of the records of those who left are written
    together; a bad line writes nothing and every bad line is reported.
    """
    if month is None:
        raise ValidationError({"month": _("Give the month.")}, code="required")
    month = selectors.month_start(month)
    if month > selectors.month_start(_today()):
        raise ValidationError({"month": _("A month in the future cannot be confirmed.")}, code="future")
    confirmation = HeadcountConfirmation(enterprise=enterprise, month=month)
    _require_add(actor, confirmation)
    if HeadcountConfirmation.objects.filter(enterprise=enterprise, month=month).exists():
        raise ValidationError(
            {"month": _("The headcount of %(month)s has been confirmed already.") % {"month": f"{month:%Y-%m}"}},
            code="duplicate",
        )
    day = selectors.headcount_as_of(month)
    roster = {r.pk: r for r in selectors.headcount_roster(enterprise=enterprise, month=month)}
    errors: list[str] = []
    seen: set[int] = set()
    confirmed: list[EmploymentRecord] = []
    left: list[tuple[EmploymentRecord, datetime.date, str]] = []
    for number, line in enumerate(lines, start=1):
        ref = line.get("record")
        try:
            record_id = int(getattr(ref, "pk", ref))
        except (TypeError, ValueError):
            record_id = None
        record = roster.get(record_id) if record_id is not None else None
        if record is None:
            errors.append(_("Line %(n)d: this is not a current graduate employee of the enterprise.") % {"n": number})
            continue
        name = str(record.student.person)
        if record_id in seen:
            errors.append(_("Line %(n)d: %(name)s is listed twice.") % {"n": number, "name": name})
            continue
        seen.add(record_id)
        if line.get("employed", True):
            confirmed.append(record)
            continue
        end_date, reason = line.get("end_date"), line.get("leave_reason") or ""
        if end_date is None:
            errors.append(_("Line %(n)d: give the day %(name)s left.") % {"n": number, "name": name})
        elif end_date < record.start_date:
            errors.append(
                _("Line %(n)d: %(name)s cannot leave before starting (%(start)s).")
                % {"n": number, "name": name, "start": f"{record.start_date:%Y-%m-%d}"}
            )
        elif end_date > day:
            errors.append(
                _("Line %(n)d: the day %(name)s left cannot be after %(day)s.")
                % {"n": number, "name": name, "day": f"{day:%Y-%m-%d}"}
            )
        if reason not in LeaveReason.values:
            errors.append(_("Line %(n)d: give the reason %(name)s left.") % {"n": number, "name": name})
        if end_date is not None and reason in LeaveReason.values:
            left.append((record, end_date, reason))
    missing = [str(r.student.person) for pk, r in roster.items() if pk not in seen]
    if missing:
        errors.append(
            _("Every current graduate employee needs a line; missing: %(names)s.") % {"names": ", ".join(missing)}
        )
    if errors:
        raise ValidationError({"lines": errors}, code="invalid")

    confirmation.confirmed = len(confirmed)
    confirmation.left = len(left)
    with transaction.atomic():
        audited_create(actor=actor, instance=confirmation)
        claims = [
            EmploymentClaim(
                student=r.student,
                record=r,
                source=RecordSource.ENTERPRISE,
                as_of=day,
                employed=True,
                employer=enterprise,
                status=ClaimStatus.AGREES,
            )
            for r in confirmed
        ]
        claims += [
            EmploymentClaim(
                student=r.student,
                record=r,
                source=RecordSource.ENTERPRISE,
                as_of=day,
                employed=False,
                employer=enterprise,
                end_date=end_date,
                leave_reason=reason,
                # The employer is authoritative about its own employees: the record follows the claim.
                status=ClaimStatus.AGREES,
            )
            for r, end_date, reason in left
        ]
        audited_bulk_create(actor=actor, instances=claims)
        audited_bulk_update(
            actor=actor,
            changes=[(r, {"last_confirmed": day}) for r in confirmed]
            + [(r, {"end_date": end_date, "leave_reason": reason}) for r, end_date, reason in left],
        )
        _recheck_after_ending(actor=actor, ended=[r for r, _end, _reason in left])
    return confirmation


# ---------------------------------------------------------------------------------------------
# Graduate destinations.
# ---------------------------------------------------------------------------------------------

DESTINATION_FIELDS = ("student", "category", "as_of", "employer", "detail")
DESTINATION_CHANGE_FIELDS = ("category", "as_of", "employer", "detail")
EMPLOYMENT_CATEGORIES = {DestinationCategory.CONTRACT_EMPLOYMENT, DestinationCategory.FLEXIBLE_EMPLOYMENT}


def _check_destination(destination: GraduateDestination, *, check_unique: bool = True) -> None:
    _not_in_future(destination.as_of, "as_of")
    if destination.employer_id:
        if destination.category not in EMPLOYMENT_CATEGORIES:
            raise ValidationError(
                {"employer": _("Only an employment destination names a zone employer.")}, code="employer_category"
            )
        _check_zone_employer(destination.employer, destination.student)
    if (
        check_unique
        and destination.student_id
        and destination.as_of
        and GraduateDestination.objects.filter(student_id=destination.student_id, as_of=destination.as_of)
        .exclude(pk=destination.pk)
        .exists()
    ):
        raise ValidationError(
            {"as_of": _("This graduate already has a destination recorded on this date; change that one instead.")},
            code="duplicate",
        )


def destination_create(*, actor: Any, **fields: Any) -> GraduateDestination:
    """Record a graduate's destination as of a date (``DESTINATION_FIELDS``, ``source`` optional)."""
    destination = GraduateDestination(
        **_only(fields, DESTINATION_FIELDS), source=fields.get("source") or RecordSource.MANUAL
    )
    if destination.student_id is None:
        raise ValidationError({"student": _("Choose the graduate.")}, code="required")
    _require_add(actor, destination)
    with transaction.atomic():
        _check_destination(destination)
        audited_create(actor=actor, instance=destination)
    return destination


def destination_update(*, actor: Any, destination: GraduateDestination, data: dict[str, Any]) -> GraduateDestination:
    policy.require(actor, Action.CHANGE, destination)
    data = _only(data, DESTINATION_CHANGE_FIELDS)
    probe = _probe(destination, data)
    with transaction.atomic():
        _check_destination(probe)
        return audited_update(actor=actor, instance=destination, data=data)


def destination_delete(*, actor: Any, destination: GraduateDestination) -> None:
    policy.require(actor, Action.DELETE, destination)
    audited_delete(actor=actor, instance=destination)


def destination_bulk_create(*, actor: Any, destinations: Sequence[GraduateDestination]) -> list[GraduateDestination]:
    """Record many destinations at once (the demo, imports), with the checks of ``destination_create``."""
    destinations = list(destinations)
    keys: set[tuple[int, datetime.date]] = set()
    for destination in destinations:
        _require_add(actor, destination)
        _check_destination(destination, check_unique=False)
        key = (destination.student_id, destination.as_of)
        if key in keys:
            raise ValidationError({"as_of": _("Two destinations of one graduate on the same date.")})
        keys.add(key)
    stored = GraduateDestination.objects.filter(
        student_id__in={k[0] for k in keys}, as_of__in={k[1] for k in keys}
    ).values_list("student_id", "as_of")
    if keys & set(stored):
        raise ValidationError(
            {"as_of": _("This graduate already has a destination recorded on this date; change that one instead.")}
        )
    with transaction.atomic():
        return audited_bulk_create(actor=actor, instances=destinations)
