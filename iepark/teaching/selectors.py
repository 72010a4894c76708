"""Reads of teaching, always scoped by the acting user through the policy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils import timezone

from iepark.core import policy
from iepark.core.policy import Action

from .choices import AgreementStatus
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


def status_now_expression(today=None) -> Case:
    """The agreement's status as of today: signed or active past the end date reads as expired."""
    today = today or timezone.localdate()
    return Case(
        When(
            agreement_status__in=[AgreementStatus.SIGNED, AgreementStatus.ACTIVE],
            end_date__lt=today,
            then=Value(AgreementStatus.EXPIRED),
        ),
        default="agreement_status",
        output_field=CharField(),
    )


def agreement_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[CooperationAgreement]:
    qs = CooperationAgreement.objects.select_related("park").prefetch_related("parties")
    return policy.restrict(qs, user, action).annotate(status_now=status_now_expression())


def room_feature_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[RoomFeature]:
    return policy.restrict(RoomFeature.objects.select_related("park"), user, action)


def room_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Room]:
    qs = Room.objects.select_related("park", "owner").prefetch_related("features")
    return policy.restrict(qs, user, action)


def room_unavailability_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[RoomUnavailability]:
    return policy.restrict(RoomUnavailability.objects.select_related("room", "room__park"), user, action)


def term_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Term]:
    return policy.restrict(Term.objects.select_related("park"), user, action)


def cohort_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Cohort]:
    qs = Cohort.objects.select_related("college", "college__park", "major", "sponsor", "agreement").annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__end_date__isnull=True), distinct=True)
    )
    return policy.restrict(qs, user, action).order_by("college", "-intake_year", "name", "pk")


def enrolment_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Enrolment]:
    qs = Enrolment.objects.select_related("cohort", "cohort__college", "student", "student__person", "student__college")
    return policy.restrict(qs, user, action)


def course_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[Course]:
    qs = Course.objects.select_related("term", "term__park", "college").prefetch_related(
        "teachers__person", "cohorts", "required_features"
    )
    return policy.restrict(qs, user, action)


def teacher_unavailability_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[TeacherUnavailability]:
    qs = TeacherUnavailability.objects.select_related("term", "teacher", "teacher__person", "teacher__organisation")
    return policy.restrict(qs, user, action)


def suitable_rooms(park_id: int, room_kind: str, features: Iterable[RoomFeature]) -> QuerySet[Room]:
    """Active rooms of the park of ``room_kind`` (any kind when empty) having every one of ``features``."""
    qs = Room.objects.filter(park_id=park_id, is_active=True)
    if room_kind:
        qs = qs.filter(room_kind=room_kind)
    for feature in features:
        qs = qs.filter(features=feature)
    return qs.distinct()


def timetable_run_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[TimetableRun]:
    qs = TimetableRun.objects.select_related("term", "term__park", "job").prefetch_related("colleges")
    return policy.restrict(qs, user, action)


def timetable_entry_list(*, user: Any, action: Action = Action.VIEW) -> QuerySet[TimetableEntry]:
    qs = TimetableEntry.objects.select_related("run", "run__term", "course", "room")
    return policy.restrict(qs, user, action)
