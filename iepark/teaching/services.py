"""
Writes of teaching. Every write checks the policy, validates, saves and records
its audit event in one transaction; nothing else saves these models.

Sections: cooperation agreements (parties, status steps, termination, expiry
reminders); rooms, their features and unavailable times; terms; cohorts and
enrolments (an order class never exceeds its seats: checked under a row lock on
the cohort); courses and teachers' unavailable times.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iepark.core import policy
from iepark.core.audit import audited_bulk_create, audited_create, audited_delete, audited_update
from iepark.core.choices import COLLEGE_KINDS, OrganisationKind, Role
from iepark.core.models import Organisation, Park, Student, Teacher
from iepark.core.policy import Action

from .choices import AGREEMENT_TRANSITIONS, AgreementScope, AgreementStatus, AgreementType, CohortType
from .models import (
    Cohort,
    CooperationAgreement,
    Course,
    Enrolment,
    Room,
    RoomFeature,
    RoomUnavailability,
    TeacherUnavailability,
    Term,
    TimetableEntry,
    TimetableRun,
)

AGREEMENT_FIELDS = ["title", "number", "agreement_type", "scopes", "start_date", "end_date", "reminder_days", "notes"]
ROOM_FIELDS = ["building", "number", "name", "room_kind", "capacity", "owner", "is_active"]
TERM_FIELDS = [
    "name",
    "start_date",
    "end_date",
    "teaching_weeks",
    "days_per_week",
    "periods_per_day",
    "holidays",
    "period_times",
]
COHORT_FIELDS = [
    "major",
    "name",
    "intake_year",
    "cohort_type",
    "sponsor",
    "seats",
    "hiring_commitment",
    "hiring_terms",
    "agreement",
    "is_active",
]
COURSE_FIELDS = [
    "code",
    "name",
    "name_en",
    "course_type",
    "lectures_per_week",
    "min_working_days",
    "required_room_kind",
]
PERIOD_FIELDS = ["day_of_week", "first_period", "last_period", "reason"]

# Who is reminded of an agreement's end, in each party.
REMINDED_ROLES = (Role.COLLEGE_ADMIN, Role.COLLEGE_COORDINATOR, Role.ENTERPRISE_HR)


def _only(data: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    names = set(names)
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items() if k in names}


def _create(actor: Any, instance: Any, m2m: dict[str, Any] | None = None) -> Any:
    if not policy.can_add(actor, instance):
        raise PermissionDenied
    return audited_create(actor=actor, instance=instance, m2m=m2m)


def _update(actor: Any, instance: Any, data: dict[str, Any]) -> Any:
    policy.require(actor, Action.CHANGE, instance)
    return audited_update(actor=actor, instance=instance, data=data)


def _delete(actor: Any, instance: Any) -> None:
    policy.require(actor, Action.DELETE, instance)
    audited_delete(actor=actor, instance=instance)


# --- cooperation agreements -------------------------------------------------------------------------


def _check_parties(park: Park, agreement_type: str, parties: list[Organisation]) -> None:
    parties = list({p.pk: p for p in parties}.values())
    if len(parties) < 2:
        raise ValidationError({"parties": _("An agreement has at least two parties.")}, code="parties")
    if any(p.park_id != park.pk for p in parties):
        raise ValidationError({"parties": _("Every party must be an organisation of the park.")}, code="park")
    colleges = [p for p in parties if p.kind in COLLEGE_KINDS]
    enterprises = [p for p in parties if p.kind == OrganisationKind.ENTERPRISE]
    if agreement_type == AgreementType.SCHOOL_ENTERPRISE and not (colleges and enterprises):
        raise ValidationError(
            {"parties": _("A school–enterprise agreement needs at least one college and one enterprise.")},
            code="parties",
        )
    if agreement_type == AgreementType.SCHOOL_SCHOOL and (len(colleges) < 2 or enterprises):
        raise ValidationError(
            {"parties": _("A school–school agreement is made between colleges (at least two, no enterprise).")},
            code="parties",
        )


def agreement_create(
    *, actor: Any, park: Park, parties: Iterable[Organisation], files: Iterable[Any] = (), **fields: Any
) -> CooperationAgreement:
    """Record a draft agreement between ``parties`` (with its signed documents, if any)."""
    from iepark.core.attachments import attach_files

    parties = list(parties)
    agreement = CooperationAgreement(park=park, **_only(fields, AGREEMENT_FIELDS))
    if not policy.can_add(actor, agreement):
        raise PermissionDenied
    with transaction.atomic():
        _check_parties(park, agreement.agreement_type, parties)
        agreement = audited_create(actor=actor, instance=agreement, m2m={"parties": parties})
        if files:
            attach_files(actor=actor, parent=agreement, files=list(files))
    return agreement


def agreement_update(
    *,
    actor: Any,
    agreement: CooperationAgreement,
    data: dict[str, Any],
    parties: Iterable[Organisation] | None = None,
    files: Iterable[Any] = (),
) -> CooperationAgreement:
    """Change an agreement's terms (parties only while it is a draft)."""
    from iepark.core.attachments import attach_files

    policy.require(actor, Action.CHANGE, agreement)
    values = _only(data, AGREEMENT_FIELDS)
    with transaction.atomic():
        if parties is not None:
            parties = list(parties)
            if {p.pk for p in parties} != set(agreement.parties.values_list("pk", flat=True)):
                if agreement.agreement_status != AgreementStatus.DRAFT:
                    raise ValidationError(
                        {"parties": _("The parties of a signed agreement cannot change.")}, code="signed"
                    )
            _check_parties(agreement.park, values.get("agreement_type", agreement.agreement_type), parties)
            values["parties"] = parties
        elif "agreement_type" in values:
            _check_parties(agreement.park, values["agreement_type"], list(agreement.parties.all()))
        agreement = audited_update(actor=actor, instance=agreement, data=values)
        if files:
            attach_files(actor=actor, parent=agreement, files=list(files))
    return agreement


def agreement_delete(*, actor: Any, agreement: CooperationAgreement) -> None:
    """Delete a draft agreement that no cohort refers to (signed ones are terminated instead)."""
    policy.require(actor, Action.DELETE, agreement)
    if agreement.agreement_status != AgreementStatus.DRAFT:
        raise ValidationError(_("Only a draft agreement can be deleted; terminate a signed one."), code="signed")
    if agreement.cohorts.exists():
        raise ValidationError(_("Cohorts are made under this agreement: it cannot be deleted."), code="in_use")
    audited_delete(actor=actor, instance=agreement)


def _step(actor: Any, agreement: CooperationAgreement, target: str, data: dict[str, Any]) -> CooperationAgreement:
    policy.require(actor, Action.CHANGE, agreement)
    with transaction.atomic():
        agreement = CooperationAgreement.objects.select_for_update().get(pk=agreement.pk)
        current = agreement.live_status()
        if target not in AGREEMENT_TRANSITIONS.get(current, ()):
            raise ValidationError(
                {
                    "agreement_status": _("An agreement that is %(current)s cannot become %(target)s.")
                    % {"current": AgreementStatus(current).label, "target": AgreementStatus(target).label}
                },
                code="transition",
            )
        return audited_update(actor=actor, instance=agreement, data={"agreement_status": target, **data})


def agreement_sign(
    *, actor: Any, agreement: CooperationAgreement, signed_on: datetime.date | None = None
) -> CooperationAgreement:
    """Record that the parties signed the agreement."""
    signed_on = signed_on or timezone.localdate()
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")}, code="future")
    return _step(actor, agreement, AgreementStatus.SIGNED, {"signed_on": signed_on})


def agreement_activate(*, actor: Any, agreement: CooperationAgreement) -> CooperationAgreement:
    """Put a signed agreement into force (from its start date on)."""
    if agreement.start_date > timezone.localdate():
        raise ValidationError(
            {
                "agreement_status": _("The agreement starts on %(date)s: it cannot be in force before.")
                % {"date": agreement.start_date.isoformat()}
            },
            code="not_started",
        )
    return _step(actor, agreement, AgreementStatus.ACTIVE, {})


def agreement_terminate(
    *, actor: Any, agreement: CooperationAgreement, reason: str, terminated_on: datetime.date | None = None
) -> CooperationAgreement:
    """End an agreement before its term, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"termination_reason": _("Give the reason for the termination.")}, code="reason_required")
    data = {"termination_reason": reason, "terminated_on": terminated_on or timezone.localdate()}
    return _step(actor, agreement, AgreementStatus.TERMINATED, data)


def agreements_remind(*, today: datetime.date | None = None, park: Park | None = None) -> list[CooperationAgreement]:
    """
    Remind the parties' administrators of agreements ending within their reminder period (once each).

    Run daily by ``manage.py teaching_tick`` and the task ``teaching.tick``; safe to run again.
    """
    from iepark.careers.notifications import notify
    from iepark.core.selectors import role_users

    today = today or timezone.localdate()
    due = CooperationAgreement.objects.filter(
        agreement_status__in=[AgreementStatus.SIGNED, AgreementStatus.ACTIVE],
        reminder_sent_at__isnull=True,
        end_date__gte=today,
    ).prefetch_related("parties")
    if park is not None:
        due = due.filter(park=park)
    reminded = []
    for agreement in due.order_by("end_date", "pk"):
        days_left = (agreement.end_date - today).days
        if days_left > agreement.reminder_days:
            continue
        with transaction.atomic():
            locked = CooperationAgreement.objects.select_for_update().get(pk=agreement.pk)
            if locked.reminder_sent_at is not None:
                continue
            users = {
                u.pk: u for party in agreement.parties.all() for u in role_users(REMINDED_ROLES, organisation=party)
            }
            notify(
                users.values(),
                "teaching.agreement_expiring",
                {"agreement": locked.title, "date": locked.end_date.isoformat(), "days": days_left},
                url=reverse("cooperationagreement_detail", args=[locked.pk]),
            )
            audited_update(actor=None, instance=locked, data={"reminder_sent_at": timezone.now()})
        reminded.append(locked)
    return reminded


# --- rooms ----------------------------------------------------------------------------------------------


def room_feature_create(*, actor: Any, park: Park, name: str, name_en: str = "") -> RoomFeature:
    return _create(actor, RoomFeature(park=park, name=name.strip(), name_en=name_en.strip()))


def room_feature_update(*, actor: Any, feature: RoomFeature, data: dict[str, Any]) -> RoomFeature:
    return _update(actor, feature, _only(data, ["name", "name_en"]))


def room_feature_delete(*, actor: Any, feature: RoomFeature) -> None:
    if feature.courses.exists():
        raise ValidationError(_("Courses require this feature: it cannot be deleted."), code="in_use")
    _delete(actor, feature)


def _check_features(park_id: int, features: Iterable[RoomFeature], field: str = "features") -> list[RoomFeature]:
    features = list(features)
    if any(f.park_id != park_id for f in features):
        raise ValidationError({field: _("Choose features of the same park.")}, code="park")
    return features


def room_create(*, actor: Any, park: Park, features: Iterable[RoomFeature] = (), **fields: Any) -> Room:
    room = Room(park=park, **_only(fields, ROOM_FIELDS))
    if not policy.can_add(actor, room):
        raise PermissionDenied
    return audited_create(actor=actor, instance=room, m2m={"features": _check_features(park.pk, features)})


def room_update(*, actor: Any, room: Room, data: dict[str, Any], features: Iterable[RoomFeature] | None = None) -> Room:
    values = _only(data, ROOM_FIELDS)
    if features is not None:
        values["features"] = _check_features(room.park_id, features)
    return _update(actor, room, values)


def room_delete(*, actor: Any, room: Room) -> None:
    _delete(actor, room)


def room_unavailability_create(*, actor: Any, room: Room, **fields: Any) -> RoomUnavailability:
    values = _only(fields, [*PERIOD_FIELDS, "start_date", "end_date"])
    return _create(actor, RoomUnavailability(room=room, **values))


def room_unavailability_update(
    *, actor: Any, unavailability: RoomUnavailability, data: dict[str, Any]
) -> RoomUnavailability:
    return _update(actor, unavailability, _only(data, [*PERIOD_FIELDS, "start_date", "end_date"]))


def room_unavailability_delete(*, actor: Any, unavailability: RoomUnavailability) -> None:
    _delete(actor, unavailability)


# --- terms ----------------------------------------------------------------------------------------------


def _holidays(values: Any) -> list[str]:
    return [v.isoformat() if isinstance(v, datetime.date) else str(v).strip() for v in values or [] if str(v).strip()]


def term_create(*, actor: Any, park: Park, **fields: Any) -> Term:
    values = _only(fields, TERM_FIELDS)
    values["holidays"] = _holidays(values.get("holidays"))
    return _create(actor, Term(park=park, **values))


def term_update(*, actor: Any, term: Term, data: dict[str, Any]) -> Term:
    values = _only(data, TERM_FIELDS)
    if "holidays" in values:
        values["holidays"] = _holidays(values["holidays"])
    with transaction.atomic():
        term = _update(actor, term, values)
        for course in term.courses.all():
            try:
                course.full_clean()
            except ValidationError as exc:
                raise ValidationError(
                    _("The course %(course)s no longer fits the term: %(error)s")
                    % {"course": course, "error": " ".join(exc.messages)},
                    code="course_misfit",
                ) from None
    return term


def term_delete(*, actor: Any, term: Term) -> None:
    if term.courses.exists():
        raise ValidationError(_("The term has courses: delete them first."), code="in_use")
    _delete(actor, term)


# --- cohorts and enrolments --------------------------------------------------------------------------------


def _check_cohort_agreement(cohort: Cohort) -> None:
    """An order class's agreement includes its sponsor and the order-class scope; likewise for agreement classes."""
    agreement = cohort.agreement
    if agreement is None:
        return
    parties = set(agreement.parties.values_list("pk", flat=True))
    if cohort.cohort_type == CohortType.ORDER_CLASS:
        if AgreementScope.ORDER_CLASS not in (agreement.scopes or []):
            raise ValidationError(
                {"agreement": _("The agreement does not cover order classes.")}, code="agreement_scope"
            )
        if cohort.sponsor_id and cohort.sponsor_id not in parties:
            raise ValidationError(
                {"agreement": _("The sponsoring enterprise is not a party to the agreement.")}, code="agreement_party"
            )
    elif cohort.cohort_type == CohortType.AGREEMENT_CLASS:
        if AgreementScope.AGREEMENT_CLASS not in (agreement.scopes or []):
            raise ValidationError(
                {"agreement": _("The agreement does not cover agreement classes.")}, code="agreement_scope"
            )
    if agreement.live_status() in (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED):
        raise ValidationError({"agreement": _("The agreement is no longer in force.")}, code="agreement_over")


def cohort_create(*, actor: Any, college: Organisation, **fields: Any) -> Cohort:
    cohort = Cohort(college=college, **_only(fields, COHORT_FIELDS))
    if cohort.cohort_type != CohortType.ORDER_CLASS:
        cohort.sponsor = None
    if not policy.can_add(actor, cohort):
        raise PermissionDenied
    with transaction.atomic():
        cohort.full_clean()
        _check_cohort_agreement(cohort)
        return audited_create(actor=actor, instance=cohort)


def cohort_update(*, actor: Any, cohort: Cohort, data: dict[str, Any]) -> Cohort:
    """Change a cohort (its college stays); seats cannot drop below the students already enrolled."""
    policy.require(actor, Action.CHANGE, cohort)
    values = _only(data, COHORT_FIELDS)
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        for name, value in values.items():
            setattr(cohort, name, value)
        if cohort.cohort_type != CohortType.ORDER_CLASS:
            values["sponsor"] = None
            cohort.sponsor = None
        _check_cohort_agreement(cohort)
        enrolled = cohort.enrolments.filter(end_date__isnull=True).count()
        if cohort.cohort_type == CohortType.ORDER_CLASS and cohort.seats is not None and cohort.seats < enrolled:
            raise ValidationError(
                {
                    "seats": _("%(count)s students are enrolled: the class cannot have fewer seats.")
                    % {"count": enrolled}
                },
                code="seats",
            )
        return audited_update(actor=actor, instance=Cohort.objects.get(pk=cohort.pk), data=values)


def cohort_delete(*, actor: Any, cohort: Cohort) -> None:
    if cohort.enrolments.exists():
        raise ValidationError(_("The cohort has enrolments: deactivate it instead."), code="in_use")
    if cohort.courses.exists():
        raise ValidationError(_("Courses are taught to this cohort: it cannot be deleted."), code="in_use")
    _delete(actor, cohort)


def enrol(*, actor: Any, cohort: Cohort, student: Student, start_date: datetime.date | None = None) -> Enrolment:
    """
    Enrol ``student`` in ``cohort``.

    The cohort's row is locked for the check and the insert, so two enrolments racing
    for an order class's last seat cannot both succeed.
    """
    start_date = start_date or timezone.localdate()
    if not policy.can_add(actor, Enrolment(cohort=cohort, student=student, start_date=start_date)):
        raise PermissionDenied
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().select_related("college").get(pk=cohort.pk)
        if not cohort.is_active:
            raise ValidationError({"cohort": _("The cohort is no longer active.")}, code="inactive")
        if student.college_id != cohort.college_id:
            raise ValidationError(
                {"student": _("Only students of the cohort's college can join it.")}, code="other_college"
            )
        current = cohort.enrolments.filter(end_date__isnull=True)
        if current.filter(student=student).exists():
            raise ValidationError({"student": _("The student is already in this cohort.")}, code="duplicate")
        if cohort.cohort_type == CohortType.ORDER_CLASS and current.count() >= (cohort.seats or 0):
            raise ValidationError(
                {"cohort": _("The order class is full (%(seats)s seats).") % {"seats": cohort.seats}}, code="full"
            )
        return audited_create(actor=actor, instance=Enrolment(cohort=cohort, student=student, start_date=start_date))


def enrolment_end(*, actor: Any, enrolment: Enrolment, reason: str, end_date: datetime.date | None = None) -> Enrolment:
    """Record that a student left a cohort: the enrolment ends on ``end_date`` for ``reason`` (kept in the history)."""
    policy.require(actor, Action.CHANGE, enrolment)
    reason = (reason or "").strip()
    end_date = end_date or timezone.localdate()
    if not reason:
        raise ValidationError({"leave_reason": _("Give the reason the student leaves.")}, code="reason_required")
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.end_date is not None:
            raise ValidationError(_("The student already left this cohort."), code="ended")
        if end_date < enrolment.start_date:
            raise ValidationError({"end_date": _("The student cannot leave before joining.")}, code="dates")
        return audited_update(actor=actor, instance=enrolment, data={"end_date": end_date, "leave_reason": reason})


# --- courses --------------------------------------------------------------------------------------------------


def _check_course_relations(
    course: Course, teachers: list[Teacher], cohorts: list[Cohort], features: list[RoomFeature]
) -> None:
    from .selectors import suitable_rooms

    park_id = course.term.park_id
    if not teachers:
        raise ValidationError({"teachers": _("A course needs at least one teacher.")}, code="no_teacher")
    if any(t.organisation.park_id != park_id for t in teachers):
        raise ValidationError({"teachers": _("Choose teachers of the park.")}, code="park")
    if not cohorts:
        raise ValidationError({"cohorts": _("A course is taken by at least one cohort.")}, code="no_cohort")
    if any(c.college.park_id != park_id for c in cohorts):
        raise ValidationError({"cohorts": _("Choose cohorts of the park.")}, code="park")
    if course.college.kind == OrganisationKind.COOPERATIVE_COLLEGE and any(
        c.college_id != course.college_id for c in cohorts
    ):
        raise ValidationError(
            {"cohorts": _("A course of a cooperative college is taken by that college's cohorts only.")},
            code="other_college",
        )
    _check_features(park_id, features, "required_features")
    if course.required_room_kind or features:
        if not suitable_rooms(park_id, course.required_room_kind, features).exists():
            raise ValidationError(
                {"required_room_kind": _("No active room of the park has this kind and all the required features.")},
                code="no_room",
            )


def course_create(
    *,
    actor: Any,
    term: Term,
    college: Organisation,
    teachers: Iterable[Teacher],
    cohorts: Iterable[Cohort],
    required_features: Iterable[RoomFeature] = (),
    **fields: Any,
) -> Course:
    course = Course(term=term, college=college, **_only(fields, COURSE_FIELDS))
    if not policy.can_add(actor, course):
        raise PermissionDenied
    teachers, cohorts, features = list(teachers), list(cohorts), list(required_features)
    with transaction.atomic():
        course.full_clean()
        _check_course_relations(course, teachers, cohorts, features)
        return audited_create(
            actor=actor,
            instance=course,
            m2m={"teachers": teachers, "cohorts": cohorts, "required_features": features},
        )


def course_update(
    *,
    actor: Any,
    course: Course,
    data: dict[str, Any],
    teachers: Iterable[Teacher] | None = None,
    cohorts: Iterable[Cohort] | None = None,
    required_features: Iterable[RoomFeature] | None = None,
) -> Course:
    """Change a course (its term and college stay)."""
    policy.require(actor, Action.CHANGE, course)
    values = _only(data, COURSE_FIELDS)
    teachers = list(course.teachers.all()) if teachers is None else list(teachers)
    cohorts = list(course.cohorts.all()) if cohorts is None else list(cohorts)
    features = list(course.required_features.all()) if required_features is None else list(required_features)
    with transaction.atomic():
        probe = Course.objects.get(pk=course.pk)
        for name, value in values.items():
            setattr(probe, name, value)
        probe.full_clean()
        _check_course_relations(probe, teachers, cohorts, features)
        values.update({"teachers": teachers, "cohorts": cohorts, "required_features": features})
        return audited_update(actor=actor, instance=course, data=values)


def course_delete(*, actor: Any, course: Course) -> None:
    _delete(actor, course)


def teacher_unavailability_create(*, actor: Any, term: Term, teacher: Teacher, **fields: Any) -> TeacherUnavailability:
    return _create(actor, TeacherUnavailability(term=term, teacher=teacher, **_only(fields, PERIOD_FIELDS)))


def teacher_unavailability_update(
    *, actor: Any, unavailability: TeacherUnavailability, data: dict[str, Any]
) -> TeacherUnavailability:
    return _update(actor, unavailability, _only(data, PERIOD_FIELDS))


def teacher_unavailability_delete(*, actor: Any, unavailability: TeacherUnavailability) -> None:
    _delete(actor, unavailability)


# --- timetabling runs -----------------------------------------------------------------------------

TIMETABLE_TASK = "teaching.timetable"
TIMETABLE_MAX_SECONDS = 600


def timetable_start(
    *, actor: Any, term: Term, colleges: Iterable[Organisation] = (), seconds: int = 30, seed: int = 0
) -> TimetableRun:
    """Record a timetabling run of ``term`` and queue it as a background job (``teaching.timetable``)."""
    from iepark.core.tasks import job_start

    colleges = list(colleges)
    run = TimetableRun(term=term, seconds=seconds, seed=seed, created_by=getattr(actor, "user", actor))
    if not policy.can_add(actor, run):
        raise PermissionDenied
    if any(c.park_id != term.park_id or c.kind not in COLLEGE_KINDS for c in colleges):
        raise ValidationError({"colleges": _("Choose colleges of the term's park.")})
    if not isinstance(seconds, int) or not 1 <= seconds <= TIMETABLE_MAX_SECONDS:
        raise ValidationError(
            {"seconds": _("The time limit is between 1 and %(max)s seconds.") % {"max": TIMETABLE_MAX_SECONDS}}
        )
    courses = Course.objects.filter(term=term)
    if colleges:
        courses = courses.filter(college__in=colleges)
    if not courses.exists():
        raise ValidationError({"colleges": _("The term has no courses to timetable in this scope.")})
    if not Room.objects.filter(park_id=term.park_id, is_active=True).exists():
        raise ValidationError({"term": _("The park has no active rooms.")})
    with transaction.atomic():
        audited_create(actor=actor, instance=run, m2m={"colleges": colleges})
        job = job_start(actor=run.created_by, kind=TIMETABLE_TASK, park=term.park, params={"run": run.pk})
        audited_update(actor=actor, instance=run, data={"job": job})
    return run


def timetable_compute(
    *, actor: Any, run: TimetableRun, ctx: Any = None, max_iterations: int | None = None
) -> TimetableRun:
    """
    Solve ``run`` with the engine and store its entries as a draft (all or nothing).

    ``ctx`` (the job's context) receives the progress and is asked whether to stop;
    ``max_iterations`` (the demo) makes the run deterministic for its seed.
    """
    import time

    from engines.timetabling import solve
    from iepark.core.tasks import JobCancelled

    from .choices import TimetableStatus
    from .timetable_adapter import build_instance, solution_rows

    policy.require(actor, Action.CHANGE, run)
    run = audited_update(actor=actor, instance=run, data={"status": TimetableStatus.RUNNING})
    built = build_instance(run.term, run.colleges.all())
    last_check = [0.0, False]

    def on_progress(elapsed: float, soft: int, hard: int) -> None:
        if ctx is not None:
            message = _("%(elapsed)s s of %(limit)s s · best cost %(soft)s · hard violations %(hard)s") % {
                "elapsed": f"{elapsed:.1f}",
                "limit": run.seconds,
                "soft": soft,
                "hard": hard,
            }
            ctx.progress(min(int(elapsed), run.seconds), run.seconds, message)

    def should_stop() -> bool:
        now = time.monotonic()
        if ctx is not None and now - last_check[0] >= 0.3:
            last_check[0] = now
            last_check[1] = ctx.cancelled()
        return last_check[1]

    result = solve(
        built.instance,
        seconds=run.seconds,
        seed=run.seed,
        max_iterations=max_iterations,
        on_progress=on_progress,
        should_stop=should_stop,
    )
    if result.stopped_early:
        audited_update(
            actor=actor,
            instance=run,
            data={"status": TimetableStatus.CANCELLED, "finished_at": timezone.now()},
        )
        raise JobCancelled
    entries = [
        TimetableEntry(run=run, course=course, room=room, day_of_week=day, period=period)
        for course, room, day, period in solution_rows(built, result.solution)
    ]
    with transaction.atomic():
        audited_bulk_create(actor=actor, instances=entries)
        cost = result.cost
        run = audited_update(
            actor=actor,
            instance=run,
            data={
                "status": TimetableStatus.DRAFT,
                "cost": cost.as_dict(),
                "hard_violations": cost.hard_violations,
                "soft_cost": cost.soft_cost,
                "finished_at": timezone.now(),
            },
        )
    return run


def timetable_fail(*, actor: Any, run: TimetableRun, error: str) -> TimetableRun:
    """Record that ``run`` stopped without writing entries."""
    from .choices import TimetableStatus

    return audited_update(
        actor=actor,
        instance=TimetableRun.objects.get(pk=run.pk),
        data={"status": TimetableStatus.FAILED, "error": error[:500], "finished_at": timezone.now()},
    )


def timetable_cancelled_before_start(*, actor: Any, run_id: int | None) -> None:
    """Mark a run whose job was cancelled before it started as cancelled (it never ran)."""
    from .choices import TimetableStatus

    run = TimetableRun.objects.filter(pk=run_id, status=TimetableStatus.QUEUED).first()
    if run is not None:
        audited_update(
            actor=actor, instance=run, data={"status": TimetableStatus.CANCELLED, "finished_at": timezone.now()}
        )


def timetable_run_job(ctx: Any) -> dict[str, Any]:
    """Run the timetabling of a ``teaching.timetable`` job (called by the task runner)."""
    from iepark.core.tasks import JobCancelled

    run = TimetableRun.objects.select_related("term").get(pk=ctx.params["run"])
    actor = ctx.job.created_by
    try:
        run = timetable_compute(actor=actor, run=run, ctx=ctx)
    except JobCancelled:
        raise
    except Exception as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        timetable_fail(actor=actor, run=run, error=message)
        raise
    return {"run": run.pk, "hard_violations": run.hard_violations, "soft_cost": run.soft_cost}


def timetable_publish(*, actor: Any, run: TimetableRun) -> TimetableRun:
    """Publish a draft ``run``: the term's previously published run goes back to draft."""
    from .choices import TimetableStatus

    policy.require(actor, Action.CHANGE, run)
    with transaction.atomic():
        Term.objects.select_for_update().get(pk=run.term_id)
        run = TimetableRun.objects.select_for_update().get(pk=run.pk)
        if run.status != TimetableStatus.DRAFT:
            raise ValidationError({"status": _("Only a draft timetable can be published.")})
        if run.hard_violations:
            raise ValidationError(
                {"status": _("This timetable breaks %(n)s hard constraints.") % {"n": run.hard_violations}}
            )
        _refuse_booked_rooms(run)
        for previous in TimetableRun.objects.filter(term_id=run.term_id, status=TimetableStatus.PUBLISHED):
            audited_update(actor=actor, instance=previous, data={"status": TimetableStatus.DRAFT, "published_at": None})
        run = audited_update(
            actor=actor, instance=run, data={"status": TimetableStatus.PUBLISHED, "published_at": timezone.now()}
        )
        _notify_timetable_published(run)
    return run


def _refuse_booked_rooms(run: TimetableRun) -> None:
    """
    Refuse to publish ``run`` when a lecture would take a room an approved venue booking holds (from today).

    The rooms' rows are locked first, as venue approvals lock them: an approval and a publication of
    the same room run one after the other, and whichever comes second sees the first.
    """
    from .venues.selectors import timetable_clashes

    rooms = TimetableEntry.objects.filter(run=run).values("room_id")
    list(Room.objects.select_for_update().filter(pk__in=rooms).order_by("pk").values_list("pk", flat=True))
    clashes = timetable_clashes(run, since=timezone.localdate())
    if clashes:
        raise ValidationError(
            {
                "status": [
                    _(
                        "Room %(room)s is booked on %(date)s %(time)s (%(booking)s), when %(course)s would be "
                        "taught there: move the lecture, or have the booking cancelled first."
                    )
                    % {
                        "room": entry.room,
                        "date": booking.date.isoformat(),
                        "time": booking.time_label,
                        "booking": booking.reference,
                        "course": entry.course.code,
                    }
                    for booking, entry in clashes[:20]
                ]
            },
            code="room_booked",
        )


def _notify_timetable_published(run: TimetableRun) -> None:
    """Tell the teachers and the current students of the run's courses that their timetable is out."""
    from django.contrib.auth import get_user_model

    from iepark.careers.notifications import notify

    from .notifications import TIMETABLE_PUBLISHED

    courses = TimetableEntry.objects.filter(run=run).values("course_id")
    users = (
        get_user_model()
        .objects.filter(
            Q(person__teacher__teaching_courses__in=courses)
            | Q(
                person__student__enrolments__cohort__courses__in=courses,
                person__student__enrolments__end_date__isnull=True,
            ),
            is_active=True,
        )
        .distinct()
    )
    notify(users, TIMETABLE_PUBLISHED, {"term": str(run.term)}, reverse("my_timetable"))


def _timetable_rescore(actor: Any, run: TimetableRun) -> TimetableRun:
    """Score ``run``'s stored entries with the engine and store the cost on the run (audited)."""
    from engines.timetabling import score

    from .timetable_adapter import build_instance, rows_solution

    built = build_instance(run.term, run.colleges.all())
    rows = TimetableEntry.objects.filter(run=run).values_list("course_id", "room_id", "day_of_week", "period")
    cost = score(built.instance, rows_solution(rows))
    return audited_update(
        actor=actor,
        instance=run,
        data={"cost": cost.as_dict(), "hard_violations": cost.hard_violations, "soft_cost": cost.soft_cost},
    )


def timetable_entry_move(
    *, actor: Any, entry: TimetableEntry, day_of_week: int, period: int, room: Room
) -> TimetableEntry:
    """
    Move one lecture of a draft timetable to another day, period (1-based) or room.

    The move is refused with the exact reasons when it would break a hard constraint (the
    room taken, a cohort's or teacher's clash, someone's unavailability, an unsuitable room);
    otherwise the entry moves and the run's cost is scored again. The run's row is locked
    for the check and the write, so two moves cannot race into the same slot.
    """
    from .choices import TimetableStatus
    from .timetable_explain import explain_run

    policy.require(actor, Action.CHANGE, entry.run)
    with transaction.atomic():
        run = TimetableRun.objects.select_for_update().select_related("term").get(pk=entry.run_id)
        if run.status != TimetableStatus.DRAFT:
            raise ValidationError(
                _("Only a draft timetable can be changed: copy the published timetable to a new draft first."),
                code="not_draft",
            )
        entry = TimetableEntry.objects.select_related("course", "room").get(pk=entry.pk)
        if room.park_id != run.term.park_id or not room.is_active:
            raise ValidationError({"room": _("Choose an active room of the term's park.")})
        if not 0 <= day_of_week < run.term.days_per_week or not 1 <= period <= run.term.periods_per_day:
            raise ValidationError(_("That time is outside the term's teaching week."), code="out_of_range")
        if (entry.day_of_week, entry.period, entry.room_id) == (day_of_week, period, room.pk):
            raise ValidationError(_("The lecture is already there."), code="unchanged")
        refusals, _delta = explain_run(run).check_move(entry, day_of_week, period, room)
        if refusals:
            raise ValidationError(refusals, code="hard_constraint")
        entry = audited_update(
            actor=actor, instance=entry, data={"day_of_week": day_of_week, "period": period, "room": room}
        )
        _timetable_rescore(actor, run)
    return entry


def timetable_copy(*, actor: Any, run: TimetableRun) -> TimetableRun:
    """Copy a draft or published timetable into a new draft of the same term, to change it by hand."""
    from .choices import TimetableStatus

    policy.require(actor, Action.CHANGE, run)
    if run.status not in (TimetableStatus.DRAFT, TimetableStatus.PUBLISHED):
        raise ValidationError(_("Only a finished timetable can be copied."), code="not_finished")
    copy = TimetableRun(
        term=run.term,
        seconds=run.seconds,
        seed=run.seed,
        status=TimetableStatus.DRAFT,
        cost=run.cost,
        hard_violations=run.hard_violations,
        soft_cost=run.soft_cost,
        created_by=getattr(actor, "user", actor),
        finished_at=timezone.now(),
    )
    if not policy.can_add(actor, copy):
        raise PermissionDenied
    with transaction.atomic():
        audited_create(actor=actor, instance=copy, m2m={"colleges": list(run.colleges.all())})
        audited_bulk_create(
            actor=actor,
            instances=[
                TimetableEntry(
                    run=copy, course_id=e.course_id, room_id=e.room_id, day_of_week=e.day_of_week, period=e.period
                )
                for e in TimetableEntry.objects.filter(run=run)
            ],
        )
    return copy
