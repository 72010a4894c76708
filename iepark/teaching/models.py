"""
Models of teaching: cooperation agreements, cohorts (classes) and enrolments,
terms, rooms with their features and unavailable times, courses and teachers'
unavailable times. They map onto ``engines.timetabling`` (see docs/teaching.md):
courses ↔ engine courses, cohorts ↔ curricula, rooms (kind, features, capacity),
terms (days × periods per day), teacher and room unavailability.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iepark.core.choices import COLLEGE_KINDS, OrganisationKind
from iepark.core.models import Job, Major, Organisation, Park, Student, Teacher

from .choices import (
    AgreementScope,
    AgreementStatus,
    AgreementType,
    CohortType,
    CourseType,
    DayOfWeek,
    RoomKind,
    TimetableStatus,
)

ROOM_OWNER_KINDS = frozenset(
    {
        OrganisationKind.OPERATOR,
        OrganisationKind.INDUSTRIAL_COLLEGE,
        OrganisationKind.COOPERATIVE_COLLEGE,
        OrganisationKind.ENTERPRISE,
    }
)


# --- cooperation agreements ---------------------------------------------------------------------


class CooperationAgreement(models.Model):
    """A school–enterprise or school–school cooperation agreement between organisations of the park."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("park"))
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("agreement number"), max_length=60, blank=True)
    agreement_type = models.CharField(_("type"), max_length=20, choices=AgreementType.choices)
    parties = models.ManyToManyField(Organisation, related_name="agreements", verbose_name=_("parties"))
    scopes = models.JSONField(
        _("scope"), default=list, blank=True, help_text=_("What the parties cooperate on (one or more).")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    agreement_status = models.CharField(
        _("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder (days before the end)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("The parties' administrators are reminded this many days before the agreement ends."),
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "title", "pk"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="teaching_agreement_dates_in_order",
                violation_error_message=_("The agreement cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(agreement_status=AgreementStatus.TERMINATED) | ~Q(termination_reason=""),
                name="teaching_agreement_termination_reason",
                violation_error_message=_("A terminated agreement needs the reason for its termination."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The agreement cannot end before it starts.")
        bad = [s for s in (self.scopes or []) if s not in AgreementScope.values]
        if not isinstance(self.scopes, list) or not self.scopes or bad:
            errors["scopes"] = _("Choose at least one scope of cooperation from the list.")
        else:
            self.scopes = [s for s in AgreementScope.values if s in self.scopes]
        if self.agreement_status == AgreementStatus.TERMINATED and not (self.termination_reason or "").strip():
            errors["termination_reason"] = _("A terminated agreement needs the reason for its termination.")
        if errors:
            raise ValidationError(errors)

    def live_status(self, today: datetime.date | None = None) -> str:
        """Return the status as of ``today``: a signed or active agreement past its end date is expired."""
        today = today or timezone.localdate()
        if self.agreement_status in (AgreementStatus.SIGNED, AgreementStatus.ACTIVE) and self.end_date < today:
            return AgreementStatus.EXPIRED
        return self.agreement_status

    @property
    def current_status(self) -> str:
        return getattr(self, "status_now", None) or self.live_status()

    def get_current_status_display(self) -> str:
        return AgreementStatus(self.current_status).label

    def get_scopes_display(self) -> str:
        labels = dict(AgreementScope.choices)
        return ", ".join(str(labels.get(s, s)) for s in self.scopes or [])


# --- rooms ------------------------------------------------------------------------------------------


class RoomFeature(models.Model):
    """Equipment a room may have and a course may require (e.g. a coal-chemical process simulator)."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="room_features", verbose_name=_("park"))
    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["park", "name", "pk"]
        verbose_name = _("room feature")
        verbose_name_plural = _("room features")
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="teaching_feature_unique_name")]

    def __str__(self) -> str:
        return self.name if not self.name_en else f"{self.name} ({self.name_en})"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None


class Room(models.Model):
    """A teaching room or venue of the park: classroom, training room, lab, gymnasium, sports field..."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("park"))
    building = models.CharField(_("building"), max_length=100)
    number = models.CharField(_("room number or name"), max_length=60)
    name = models.CharField(_("name"), max_length=100, blank=True)
    room_kind = models.CharField(_("kind"), max_length=20, choices=RoomKind.choices)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    features = models.ManyToManyField(RoomFeature, blank=True, related_name="rooms", verbose_name=_("features"))
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="rooms",
        verbose_name=_("owner"),
        help_text=_("The park's operating company, a college or an enterprise."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["park", "building", "number", "pk"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["park", "building", "number"], name="teaching_room_unique_number"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="teaching_room_capacity_positive",
                violation_error_message=_("A room holds at least one person."),
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.building} {self.number}"
        return f"{label} · {self.name}" if self.name else label

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, self.owner_id

    def clean(self) -> None:
        super().clean()
        if self.owner_id and self.park_id:
            if self.owner.park_id != self.park_id:
                raise ValidationError({"owner": _("The owner must be an organisation of the same park.")})
            if self.owner.kind not in ROOM_OWNER_KINDS:
                raise ValidationError(
                    {"owner": _("A room is owned by the operating company, a college or an enterprise.")}
                )


class PeriodRangeMixin(models.Model):
    """A weekday and a range of periods (1-based, inclusive)."""

    day_of_week = models.PositiveSmallIntegerField(_("day of the week"), choices=DayOfWeek.choices)
    first_period = models.PositiveSmallIntegerField(_("from period"), validators=[MinValueValidator(1)])
    last_period = models.PositiveSmallIntegerField(_("to period"), validators=[MinValueValidator(1)])
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.first_period and self.last_period and self.last_period < self.first_period:
            raise ValidationError({"last_period": _("The last period cannot come before the first.")})

    def periods_label(self) -> str:
        if self.first_period == self.last_period:
            return f"{self.get_day_of_week_display()} {self.first_period}"
        return f"{self.get_day_of_week_display()} {self.first_period}–{self.last_period}"


class RoomUnavailability(PeriodRangeMixin):
    """A time a room cannot be used for teaching (maintenance, another use), weekly within optional dates."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="unavailabilities", verbose_name=_("room"))
    start_date = models.DateField(_("from"), null=True, blank=True, help_text=_("Empty: always."))
    end_date = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: until further notice."))

    class Meta:
        ordering = ["room", "day_of_week", "first_period", "pk"]
        verbose_name = _("room unavailability")
        verbose_name_plural = _("room unavailabilities")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_period__gte=F("first_period")) & Q(first_period__gte=1),
                name="teaching_room_unavailability_periods",
                violation_error_message=_("The last period cannot come before the first."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="teaching_room_unavailability_dates",
                violation_error_message=_("The unavailability cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room} · {self.periods_label()}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.room.park_id, self.room.owner_id

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The unavailability cannot end before it starts.")})


# --- terms ------------------------------------------------------------------------------------------


def parse_period_span(text: str) -> tuple[datetime.time, datetime.time]:
    """Return the times of ``"HH:MM-HH:MM"``; ValueError when it is not that."""
    start, sep, end = text.strip().partition("-")
    if not sep:
        raise ValueError(text)

    def clock(value: str) -> datetime.time:
        hours, colon, minutes = value.strip().partition(":")
        if not colon or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
            raise ValueError(value)
        return datetime.time(int(hours), int(minutes))

    return clock(start), clock(end)


def default_period_spans(count: int) -> list[tuple[datetime.time, datetime.time]]:
    """Return the park's usual day: 45-minute periods from 08:00 with 10-minute breaks.

    Lunch runs from 12:00 to 14:00 (after period 4) and supper from 17:30 to 19:00 (after period 8).
    """
    spans, minutes = [], 8 * 60
    for period in range(1, count + 1):
        start = min(minutes, 23 * 60 + 14)
        end = start + 45
        spans.append((datetime.time(start // 60, start % 60), datetime.time(end // 60, end % 60)))
        minutes = end + 10
        if period == 4:
            minutes = max(minutes, 14 * 60)
        elif period == 8:
            minutes = max(minutes, 19 * 60)
    return spans


class Term(models.Model):
    """A teaching term of the park: its dates, teaching weeks, the days of each week and periods of each day."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="terms", verbose_name=_("park"))
    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    teaching_weeks = models.PositiveSmallIntegerField(
        _("teaching weeks"), validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    days_per_week = models.PositiveSmallIntegerField(
        _("teaching days per week"), default=5, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    periods_per_day = models.PositiveSmallIntegerField(
        _("periods per day"), default=8, validators=[MinValueValidator(1), MaxValueValidator(16)]
    )
    holidays = models.JSONField(_("holidays"), default=list, blank=True, help_text=_("Dates without teaching."))
    period_times = models.JSONField(
        _("period times"),
        default=list,
        blank=True,
        help_text=_("The clock times of each period, HH:MM-HH:MM. Empty: the park's usual day (from 08:00)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["park", "-start_date", "pk"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(fields=["park", "name"], name="teaching_term_unique_name"),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="teaching_term_dates_in_order",
                violation_error_message=_("The term must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(days_per_week__gte=1, days_per_week__lte=7)
                & Q(periods_per_day__gte=1, periods_per_day__lte=16)
                & Q(teaching_weeks__gte=1),
                name="teaching_term_shape",
                violation_error_message=_("A term has 1 to 7 teaching days a week and 1 to 16 periods a day."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, None

    @property
    def weeks_spanned(self) -> int:
        """How many (partial) weeks the term's dates cover."""
        return (self.end_date - self.start_date).days // 7 + 1

    def holiday_dates(self) -> list[datetime.date]:
        return [datetime.date.fromisoformat(str(d)) for d in self.holidays or []]

    def period_spans(self) -> list[tuple[datetime.time, datetime.time]]:
        """Return the start and end time of each period (index 0 is period 1)."""
        if self.period_times and len(self.period_times) >= self.periods_per_day:
            return [parse_period_span(str(v)) for v in self.period_times[: self.periods_per_day]]
        return default_period_spans(self.periods_per_day)

    def period_span(self, period: int) -> tuple[datetime.time, datetime.time]:
        """Return the start and end time of ``period`` (1-based)."""
        return self.period_spans()[period - 1]

    def teaching_dates(self, day_of_week: int) -> list[datetime.date]:
        """Return the dates of the term's teaching weeks that fall on ``day_of_week``, holidays left out.

        Week 1 is the (Monday-based) week of the start date.
        """
        holidays = set(self.holiday_dates())
        monday = self.start_date - datetime.timedelta(days=self.start_date.weekday())
        dates = []
        for week in range(self.teaching_weeks):
            day = monday + datetime.timedelta(days=7 * week + day_of_week)
            if self.start_date <= day <= self.end_date and day not in holidays:
                dates.append(day)
        return dates

    def week_of(self, day: datetime.date) -> int | None:
        """Return the teaching week (1-based) of ``day``, or None outside the teaching weeks."""
        monday = self.start_date - datetime.timedelta(days=self.start_date.weekday())
        week = (day - monday).days // 7 + 1
        if day < self.start_date or day > self.end_date or not 1 <= week <= self.teaching_weeks:
            return None
        return week

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.start_date and self.end_date:
            if self.end_date <= self.start_date:
                errors["end_date"] = _("The term must end after it starts.")
            elif self.teaching_weeks and self.teaching_weeks > self.weeks_spanned:
                errors["teaching_weeks"] = _(
                    "The dates cover %(weeks)s weeks: the term cannot have more teaching weeks."
                ) % {"weeks": self.weeks_spanned}
        dates = []
        for value in self.holidays or []:
            try:
                dates.append(datetime.date.fromisoformat(str(value)))
            except ValueError:
                errors["holidays"] = _("Give each holiday as a date (YYYY-MM-DD).")
                break
        if "holidays" not in errors and self.start_date and self.end_date:
            outside = [d for d in dates if not self.start_date <= d <= self.end_date]
            if outside:
                errors["holidays"] = _("Holidays must fall inside the term: %(dates)s.") % {
                    "dates": ", ".join(d.isoformat() for d in outside)
                }
        if "holidays" not in errors:
            self.holidays = sorted({d.isoformat() for d in dates})
        if self.period_times:
            try:
                spans = [parse_period_span(str(v)) for v in self.period_times]
            except ValueError:
                errors["period_times"] = _("Give each period as HH:MM-HH:MM, for example 08:00-08:45.")
            else:
                if self.periods_per_day and len(spans) != self.periods_per_day:
                    errors["period_times"] = _("Give the times of all %(count)s periods, or none.") % {
                        "count": self.periods_per_day
                    }
                elif any(start >= end for start, end in spans) or any(
                    spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)
                ):
                    errors["period_times"] = _("Each period must end after it starts and before the next one starts.")
                else:
                    self.period_times = [f"{a:%H:%M}-{b:%H:%M}" for a, b in spans]
        if errors:
            raise ValidationError(errors)


# --- cohorts ----------------------------------------------------------------------------------------


class Cohort(models.Model):
    """A class of students of one college and major: regular, order class (订单班) or agreement class (协议班)."""

    college = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("college")
    )
    major = models.ForeignKey(Major, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("major"))
    name = models.CharField(_("name"), max_length=100)
    intake_year = models.PositiveSmallIntegerField(
        _("intake year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    cohort_type = models.CharField(_("type"), max_length=20, choices=CohortType.choices, default=CohortType.REGULAR)
    sponsor = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsored_cohorts",
        verbose_name=_("sponsoring enterprise"),
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"), null=True, blank=True, help_text=_("An order class never takes more students.")
    )
    hiring_commitment = models.PositiveSmallIntegerField(
        _("hiring commitment"),
        null=True,
        blank=True,
        help_text=_("How many graduates the sponsor commits to hire."),
    )
    hiring_terms = models.TextField(_("terms of the hiring commitment"), blank=True)
    agreement = models.ForeignKey(
        CooperationAgreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("agreement"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["college", "-intake_year", "name", "pk"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(fields=["college", "name"], name="teaching_cohort_unique_name"),
            models.CheckConstraint(
                condition=~Q(cohort_type=CohortType.ORDER_CLASS)
                | Q(sponsor__isnull=False, seats__isnull=False, seats__gte=1, agreement__isnull=False),
                name="teaching_order_class_complete",
                violation_error_message=_("An order class needs a sponsoring enterprise, seats and an agreement."),
            ),
            models.CheckConstraint(
                condition=~Q(cohort_type=CohortType.AGREEMENT_CLASS) | Q(agreement__isnull=False),
                name="teaching_agreement_class_has_agreement",
                violation_error_message=_("An agreement class needs its agreement."),
            ),
            models.CheckConstraint(
                condition=Q(cohort_type=CohortType.ORDER_CLASS) | Q(sponsor__isnull=True),
                name="teaching_only_order_class_sponsored",
                violation_error_message=_("Only an order class has a sponsoring enterprise."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.college.park_id, self.college_id

    @property
    def park_id(self) -> int | None:
        return self.college.park_id if self.college_id else None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, object] = {}
        if self.college_id and self.college.kind not in COLLEGE_KINDS:
            errors["college"] = _("A cohort belongs to a college.")
        if self.college_id and self.major_id and self.major.park_id != self.college.park_id:
            errors["major"] = _("The major belongs to another park.")
        if self.cohort_type == CohortType.ORDER_CLASS:
            if not self.sponsor_id:
                errors["sponsor"] = _("An order class needs its sponsoring enterprise.")
            elif self.sponsor.kind != OrganisationKind.ENTERPRISE or (
                self.college_id and self.sponsor.park_id != self.college.park_id
            ):
                errors["sponsor"] = _("The sponsor must be an enterprise of the park.")
            if not self.seats:
                errors["seats"] = _("An order class needs its number of seats.")
            if not self.agreement_id:
                errors["agreement"] = _("An order class needs the agreement it is made under.")
        else:
            if self.sponsor_id:
                errors["sponsor"] = _("Only an order class has a sponsoring enterprise.")
            if self.cohort_type == CohortType.AGREEMENT_CLASS and not self.agreement_id:
                errors["agreement"] = _("An agreement class needs the agreement it is made under.")
        if self.agreement_id and "agreement" not in errors and self.college_id:
            if self.agreement.park_id != self.college.park_id:
                errors["agreement"] = _("The agreement belongs to another park.")
        if errors:
            raise ValidationError(errors)


class Enrolment(models.Model):
    """A student's membership of a cohort; leaving ends it with a date and a reason (the row is kept)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("cohort"))
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("student"))
    start_date = models.DateField(_("joined on"))
    end_date = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.TextField(_("reason for leaving"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["cohort", "student__student_number", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "student"],
                condition=Q(end_date__isnull=True),
                name="teaching_enrolment_one_current",
                violation_error_message=_("The student is already in this cohort."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | (Q(end_date__gte=F("start_date")) & ~Q(leave_reason="")),
                name="teaching_enrolment_leaving",
                violation_error_message=_("Leaving a cohort needs a date on or after joining, and a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.cohort}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.cohort.college.park_id, self.cohort.college_id

    @property
    def is_current(self) -> bool:
        return self.end_date is None


# --- courses ----------------------------------------------------------------------------------------


class Course(models.Model):
    """A course of a term: taught by teachers to cohorts, a number of lectures a week, in a suitable room."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="courses", verbose_name=_("term"))
    college = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="teaching_courses",
        verbose_name=_("organising college"),
        help_text=_("The college whose cohorts take the course (the industrial college for shared courses)."),
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name (Chinese)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    course_type = models.CharField(_("type"), max_length=12, choices=CourseType.choices, default=CourseType.THEORY)
    lectures_per_week = models.PositiveSmallIntegerField(
        _("lectures per week"), validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    min_working_days = models.PositiveSmallIntegerField(
        _("minimum working days"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text=_("The lectures should spread over at least this many days of the week."),
    )
    teachers = models.ManyToManyField(Teacher, related_name="teaching_courses", verbose_name=_("teachers"))
    cohorts = models.ManyToManyField(Cohort, related_name="courses", verbose_name=_("cohorts"))
    required_room_kind = models.CharField(_("required room kind"), max_length=20, choices=RoomKind.choices, blank=True)
    required_features = models.ManyToManyField(
        RoomFeature, blank=True, related_name="courses", verbose_name=_("required features")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["term", "code", "pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["term", "code"], name="teaching_course_unique_code"),
            models.CheckConstraint(
                condition=Q(min_working_days__lte=F("lectures_per_week")) & Q(min_working_days__gte=1),
                name="teaching_course_working_days",
                violation_error_message=_("The minimum working days cannot exceed the lectures per week."),
            ),
            models.CheckConstraint(
                condition=~Q(course_type=CourseType.PRACTICAL) | ~Q(required_room_kind=""),
                name="teaching_practical_course_room_kind",
                violation_error_message=_("A practical course needs the kind of room it is taught in."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.term.park_id, self.college_id

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.college_id and self.college.kind not in COLLEGE_KINDS:
            errors["college"] = _("A course is organised by a college.")
        elif self.college_id and self.term_id and self.college.park_id != self.term.park_id:
            errors["college"] = _("The college belongs to another park.")
        if self.term_id and self.lectures_per_week:
            slots = self.term.days_per_week * self.term.periods_per_day
            if self.lectures_per_week > slots:
                errors["lectures_per_week"] = _("The term has only %(slots)s periods a week.") % {"slots": slots}
        if self.term_id and self.min_working_days and self.min_working_days > self.term.days_per_week:
            errors["min_working_days"] = _("The term has only %(days)s teaching days a week.") % {
                "days": self.term.days_per_week
            }
        elif self.min_working_days and self.lectures_per_week and self.min_working_days > self.lectures_per_week:
            errors["min_working_days"] = _("The minimum working days cannot exceed the lectures per week.")
        if self.course_type == CourseType.PRACTICAL and not self.required_room_kind:
            errors["required_room_kind"] = _("A practical course needs the kind of room it is taught in.")
        if errors:
            raise ValidationError(errors)


class TeacherUnavailability(PeriodRangeMixin):
    """A weekly time in a term when a teacher cannot teach."""

    term = models.ForeignKey(
        Term, on_delete=models.CASCADE, related_name="teacher_unavailabilities", verbose_name=_("term")
    )
    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="unavailabilities", verbose_name=_("teacher")
    )

    class Meta:
        ordering = ["term", "teacher", "day_of_week", "first_period", "pk"]
        verbose_name = _("teacher unavailability")
        verbose_name_plural = _("teacher unavailabilities")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_period__gte=F("first_period")) & Q(first_period__gte=1),
                name="teaching_teacher_unavailability_periods",
                violation_error_message=_("The last period cannot come before the first."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.periods_label()}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.term.park_id, self.teacher.organisation_id

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.term_id:
            if self.day_of_week is not None and self.day_of_week >= self.term.days_per_week:
                errors["day_of_week"] = _("The term teaches on its first %(days)s days of the week only.") % {
                    "days": self.term.days_per_week
                }
            if self.last_period and self.last_period > self.term.periods_per_day:
                errors["last_period"] = _("The term has %(periods)s periods a day.") % {
                    "periods": self.term.periods_per_day
                }
            if self.teacher_id and self.teacher.organisation.park_id != self.term.park_id:
                errors["teacher"] = _("The teacher works in another park.")
        if errors:
            raise ValidationError(errors)


# --- timetabling runs -----------------------------------------------------------------------------


class TimetableRun(models.Model):
    """A run of ``engines.timetabling`` over a term's courses (optionally of some colleges), with its cost."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="timetable_runs", verbose_name=_("term"))
    colleges = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name=_("colleges"),
        help_text=_("Empty: the courses of every college."),
    )
    seconds = models.PositiveSmallIntegerField(
        _("time limit (seconds)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    seed = models.PositiveIntegerField(_("seed"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=TimetableStatus.choices, default=TimetableStatus.QUEUED
    )
    job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("job")
    )
    cost = models.JSONField(_("cost breakdown"), default=dict, blank=True)
    hard_violations = models.PositiveIntegerField(_("hard violations"), null=True, blank=True)
    soft_cost = models.PositiveIntegerField(_("soft cost"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("timetabling run")
        verbose_name_plural = _("timetabling runs")
        constraints = [
            models.UniqueConstraint(
                fields=["term"],
                condition=Q(status=TimetableStatus.PUBLISHED),
                name="teaching_one_published_timetable",
                violation_error_message=_("The term already has a published timetable."),
            ),
        ]

    def __str__(self) -> str:
        return _("Timetable %(number)s of %(term)s") % {"number": self.pk, "term": self.term}

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.term.park_id, None


class TimetableEntry(models.Model):
    """One weekly lecture of a run: a course in a room at a day of the week and a period (1-based)."""

    run = models.ForeignKey(TimetableRun, on_delete=models.CASCADE, related_name="entries", verbose_name=_("run"))
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="timetable_entries", verbose_name=_("course")
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="timetable_entries", verbose_name=_("room"))
    day_of_week = models.PositiveSmallIntegerField(_("day of the week"), choices=DayOfWeek.choices)
    period = models.PositiveSmallIntegerField(_("period"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["run", "day_of_week", "period", "pk"]
        verbose_name = _("timetable entry")
        verbose_name_plural = _("timetable entries")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "room", "day_of_week", "period"], name="teaching_timetable_room_once"
            ),
            models.UniqueConstraint(
                fields=["run", "course", "day_of_week", "period"], name="teaching_timetable_course_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} · {self.get_day_of_week_display()} {self.period} · {self.room}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.run.term.park_id, self.course.college_id


# --- calendar feeds ---------------------------------------------------------------------------------


class TimetableFeedToken(models.Model):
    """A user's secret calendar feed address (``/timetable-feed/<token>.ics``); regenerating it revokes the old one.

    The token is ``HMAC(SECRET_KEY, nonce)``: the row keeps the nonce (to show the user their address
    again) and the token's SHA-256 (to find the row from an address). The database alone does not
    reveal any address.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="timetable_feed_token",
        verbose_name=_("user"),
    )
    nonce = models.CharField(_("nonce"), max_length=64, editable=False)
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    renewed_at = models.DateTimeField(_("renewed"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return _("Calendar feed of %(user)s") % {"user": self.user}

    def audit_owner(self) -> tuple[int | None, int | None]:
        person = getattr(self.user, "person", None)
        return (getattr(person, "park_id", None), None)
