"""
Everyone's own timetable: the published lectures of a person, cohort, teacher or room, dated.

- ``subject_for`` names whose timetable is read ("me": the user's courses as teacher or student;
  or a cohort, teacher or room the user may see; anything else is 404).
- ``published_entries`` reads the published runs' entries through the policy
  (``selectors.timetable_entry_list``), so a page, a feed or an export shows only what its user
  may see; a fixed number of queries whatever the size.
- ``lectures`` dates them: each entry on each of ``term.teaching_dates(day)`` (holidays left
  out), at ``term.period_span(period)`` in the park's time zone (``settings.TIME_ZONE``).
- ``week_view`` lays one teaching week out as a grid (days × periods, with real dates).
- ``timetable_ics`` (iCalendar, RFC 5545, with its VTIMEZONE) and ``timetable_workbook`` (.xlsx:
  a week grid sheet and a list sheet) build the files.
- Calendar feed tokens (``feed_token_*``): each user's secret feed address; the token acts as
  that user. Creating and regenerating one is audited (without the secret).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import secrets
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from iepark.core import audit, policy
from iepark.core.choices import AuditAction
from iepark.core.models import Teacher

from . import selectors
from .choices import DayOfWeek, TimetableStatus
from .models import Course, Term, TimetableEntry, TimetableFeedToken

SUBJECT_KINDS = ("cohort", "teacher", "room")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A feed covers the published timetables of the terms that end on or after this many days ago.
FEED_PAST_DAYS = 30


# --- whose timetable --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """Whose timetable: ``kind`` "me" (the user's own), "cohort", "teacher" or "room", and which."""

    kind: str
    pk: int | None = None
    label: str = ""
    obj: Any = None

    @property
    def slug(self) -> str:
        return "me" if self.kind == "me" else f"{self.kind}-{self.pk}"


def subject_for(user: Any, kind: str | None = None, pk: Any = None) -> Subject:
    """Return the subject ``kind``/``pk`` if ``user`` may see it (Http404 otherwise); "me" when no kind."""
    if not kind or kind == "me":
        return Subject("me", None, _("My timetable"))
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if kind == "cohort":
        obj = selectors.cohort_list(user=user).filter(pk=pk).first()
    elif kind == "teacher":
        obj = policy.restrict(Teacher.objects.select_related("person", "organisation"), user).filter(pk=pk).first()
    elif kind == "room":
        obj = selectors.room_list(user=user).filter(pk=pk).first()
    else:
        raise Http404
    if obj is None:
        raise Http404
    return Subject(kind, pk, str(obj), obj)


def _subject_courses(user: Any, subject: Subject) -> Q | None:
    """The entries' filter for ``subject`` (None when the user has no timetable of their own)."""
    if subject.kind == "room":
        return Q(room_id=subject.pk)
    if subject.kind == "cohort":
        return Q(course__in=Course.objects.filter(cohorts=subject.pk).values("pk"))
    if subject.kind == "teacher":
        return Q(course__in=Course.objects.filter(teachers=subject.pk).values("pk"))
    person_id = policy.actor_for(user).person_id
    if person_id is None:
        return None
    mine = Course.objects.filter(
        Q(teachers__person_id=person_id)
        | Q(cohorts__enrolments__student__person_id=person_id, cohorts__enrolments__end_date__isnull=True)
    )
    return Q(course__in=mine.values("pk"))


def published_terms(user: Any) -> list[Term]:
    """The terms the user may see that have a published timetable, latest first (one query)."""
    qs = selectors.term_list(user=user).filter(timetable_runs__status=TimetableStatus.PUBLISHED).distinct()
    return list(qs.order_by("-start_date", "pk"))


def current_term(terms: Sequence[Term], today: datetime.date | None = None) -> Term | None:
    """The term running ``today``, else the next one to start, else the last one to have ended."""
    today = today or timezone.localdate()
    running = [t for t in terms if t.start_date <= today <= t.end_date]
    if running:
        return max(running, key=lambda t: t.start_date)
    coming = [t for t in terms if t.start_date > today]
    if coming:
        return min(coming, key=lambda t: t.start_date)
    return max(terms, key=lambda t: t.end_date) if terms else None


def published_entries(
    user: Any,
    subject: Subject,
    *,
    term: Term | None = None,
    terms_since: datetime.date | None = None,
    pk: Any = None,
) -> list[TimetableEntry]:
    """The published entries of ``subject`` the user may see, in ``term`` (or terms ending on/after a date).

    ``pk`` narrows them to one entry (none when it is not a number).

    Three queries whatever the size: the entries and their courses' teachers and cohorts.
    """
    condition = _subject_courses(user, subject)
    if condition is None:
        return []
    qs: QuerySet[TimetableEntry] = selectors.timetable_entry_list(user=user).filter(
        condition, run__status=TimetableStatus.PUBLISHED
    )
    if term is not None:
        qs = qs.filter(run__term=term)
    if terms_since is not None:
        qs = qs.filter(run__term__end_date__gte=terms_since)
    if pk is not None:
        try:
            qs = qs.filter(pk=int(pk))
        except (TypeError, ValueError):
            return []
    qs = qs.select_related("run__term", "course", "room").prefetch_related(
        "course__teachers__person", "course__cohorts"
    )
    return list(qs.order_by("run__term__start_date", "day_of_week", "period", "course__code", "pk"))


# --- dated lectures -----------------------------------------------------------------------------------


def park_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@dataclass
class Lecture:
    """One entry on one date, with its clock times in the park's time zone."""

    entry: TimetableEntry
    date: datetime.date
    start: datetime.datetime
    end: datetime.datetime

    @property
    def week(self) -> int | None:
        return self.entry.run.term.week_of(self.date)


def teachers_of(entry: TimetableEntry) -> list[str]:
    return [t.person.name for t in entry.course.teachers.all()]


def cohorts_of(entry: TimetableEntry) -> list[str]:
    return [c.name for c in entry.course.cohorts.all()]


class _TermCache:
    """Teaching dates and period spans of each term, worked out once per term."""

    def __init__(self) -> None:
        self.dates: dict[tuple[int, int], list[datetime.date]] = {}
        self.spans: dict[int, list[tuple[datetime.time, datetime.time]]] = {}

    def teaching_dates(self, term: Term, day: int) -> list[datetime.date]:
        key = (term.pk, day)
        if key not in self.dates:
            self.dates[key] = term.teaching_dates(day)
        return self.dates[key]

    def span(self, term: Term, period: int) -> tuple[datetime.time, datetime.time]:
        if term.pk not in self.spans:
            self.spans[term.pk] = term.period_spans()
        spans = self.spans[term.pk]
        return spans[period - 1] if 1 <= period <= len(spans) else spans[-1]


def lectures(entries: Iterable[TimetableEntry]) -> list[Lecture]:
    """Each entry on each of its term's teaching dates (holidays left out), in date and time order."""
    zone, cache, result = park_zone(), _TermCache(), []
    for entry in entries:
        term = entry.run.term
        start_time, end_time = cache.span(term, entry.period)
        for day in cache.teaching_dates(term, entry.day_of_week):
            result.append(
                Lecture(
                    entry,
                    day,
                    datetime.datetime.combine(day, start_time, tzinfo=zone),
                    datetime.datetime.combine(day, end_time, tzinfo=zone),
                )
            )
    result.sort(key=lambda lec: (lec.start, lec.entry.course.code, lec.entry.pk))
    return result


# --- one teaching week -------------------------------------------------------------------------------


@dataclass
class Day:
    date: datetime.date
    label: str
    is_holiday: bool
    is_today: bool
    in_term: bool
    lectures: list[Lecture] = field(default_factory=list)


def default_week(term: Term, today: datetime.date | None = None) -> int:
    """The teaching week of ``today`` in ``term``: 1 before it starts, the last after it ends."""
    today = today or timezone.localdate()
    week = term.week_of(today)
    if week is not None:
        return week
    return 1 if today < term.start_date else term.teaching_weeks


def week_view(term: Term, entries: Sequence[TimetableEntry], week: int, today: datetime.date | None = None) -> dict:
    """One teaching week of ``term``: its days with real dates, and a grid of periods × days of lectures."""
    today = today or timezone.localdate()
    week = min(max(week, 1), term.teaching_weeks)
    zone, cache = park_zone(), _TermCache()
    monday = term.start_date - datetime.timedelta(days=term.start_date.weekday()) + datetime.timedelta(weeks=week - 1)
    holidays = set(term.holiday_dates())
    days = []
    for d in range(term.days_per_week):
        date = monday + datetime.timedelta(days=d)
        days.append(
            Day(
                date=date,
                label=str(DayOfWeek(d).label),
                is_holiday=date in holidays,
                is_today=date == today,
                in_term=term.start_date <= date <= term.end_date,
            )
        )
    cells: dict[tuple[int, int], list[Lecture]] = {}
    for entry in entries:
        if entry.day_of_week >= len(days):
            continue
        day = days[entry.day_of_week]
        if day.date not in cache.teaching_dates(term, entry.day_of_week):
            continue  # a holiday, or outside the term's dates
        start, end = cache.span(term, entry.period)
        lecture = Lecture(
            entry,
            day.date,
            datetime.datetime.combine(day.date, start, tzinfo=zone),
            datetime.datetime.combine(day.date, end, tzinfo=zone),
        )
        cells.setdefault((entry.day_of_week, entry.period), []).append(lecture)
        day.lectures.append(lecture)
    for day in days:
        day.lectures.sort(key=lambda lec: (lec.start, lec.entry.course.code))
    spans = term.period_spans()
    rows = [
        {
            "period": p,
            "start": spans[p - 1][0],
            "end": spans[p - 1][1],
            "cells": [cells.get((d, p), []) for d in range(term.days_per_week)],
            "slots": [{"day": days[d], "lectures": cells.get((d, p), [])} for d in range(term.days_per_week)],
        }
        for p in range(1, term.periods_per_day + 1)
    ]
    return {
        "week": week,
        "weeks": term.teaching_weeks,
        "previous": week - 1 if week > 1 else None,
        "next": week + 1 if week < term.teaching_weeks else None,
        "days": days,
        "rows": rows,
        "monday": monday,
        "today_column": next((i for i, day in enumerate(days) if day.is_today), None),
    }


# --- iCalendar -----------------------------------------------------------------------------------------


def _uid_host() -> str:
    site = getattr(settings, "IEPARK_SITE_URL", "") or ""
    host = site.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host or "iepark"


def timetable_ics(items: Sequence[Lecture], *, name: str) -> bytes:
    """Return a calendar named ``name`` with one event per lecture, in the park's time zone (with VTIMEZONE).

    Each event's UID is stable (entry and date): a calendar app updates the lecture when the same
    timetable is served again, and drops it when a newly published timetable replaces it.
    """
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//iepark//timetable//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    refresh = icalendar.vDDDTypes(datetime.timedelta(hours=6))
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", refresh)
    host, now = _uid_host(), datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    for lecture in items:
        entry = lecture.entry
        course = entry.course
        event = icalendar.Event()
        event.add("uid", f"timetable-{entry.run_id}-{entry.pk}-{lecture.date:%Y%m%d}@{host}")
        stamp = entry.run.published_at or now
        event.add("dtstamp", stamp.astimezone(datetime.UTC).replace(microsecond=0))
        event.add("dtstart", lecture.start)
        event.add("dtend", lecture.end)
        event.add("summary", f"{course.code} {course.display_name}")
        event.add("location", str(entry.room))
        description = [
            _("Teachers: %(names)s") % {"names": ", ".join(teachers_of(entry)) or "—"},
            _("Cohorts: %(names)s") % {"names": ", ".join(cohorts_of(entry)) or "—"},
            _("Period %(period)s, week %(week)s of %(term)s")
            % {"period": entry.period, "week": lecture.week, "term": entry.run.term.name},
        ]
        event.add("description", "\n".join(description))
        event.add("categories", [str(course.get_course_type_display())])
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


# --- Excel ------------------------------------------------------------------------------------------------


def _sheet_title(text: str) -> str:
    for bad in "[]:*?/\\":
        text = text.replace(bad, " ")
    return text[:31]


def timetable_workbook(term: Term, entries: Sequence[TimetableEntry], *, title: str) -> bytes:
    """Return an .xlsx workbook of ``term``'s timetable: a week grid (days × periods) and every dated lecture."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    grid = wb.active
    grid.title = _sheet_title(_("Week"))
    grid.append([title])
    grid["A1"].font = Font(bold=True, size=13)
    grid.append(
        [_("%(term)s, %(start)s to %(end)s") % {"term": term.name, "start": term.start_date, "end": term.end_date}]
    )
    grid.append(
        [pgettext("timetable", "Period"), _("Time"), *[str(DayOfWeek(d).label) for d in range(term.days_per_week)]]
    )
    header = grid.max_row
    for cell in grid[header]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    cells: dict[tuple[int, int], list[str]] = {}
    for entry in entries:
        if entry.run.term_id != term.pk:
            continue
        text = "\n".join(
            filter(
                None,
                [
                    f"{entry.course.code} {entry.course.display_name}",
                    str(entry.room),
                    ", ".join(teachers_of(entry)),
                    ", ".join(cohorts_of(entry)),
                ],
            )
        )
        cells.setdefault((entry.day_of_week, entry.period), []).append(text)
    spans = term.period_spans()
    wrap = Alignment(wrap_text=True, vertical="top")
    for p in range(1, term.periods_per_day + 1):
        start, end = spans[p - 1]
        grid.append(
            [p, f"{start:%H:%M}–{end:%H:%M}", *["\n\n".join(cells.get((d, p), [])) for d in range(term.days_per_week)]]
        )
        for cell in grid[grid.max_row]:
            cell.alignment = wrap
    grid.column_dimensions["A"].width = 8
    grid.column_dimensions["B"].width = 13
    for d in range(term.days_per_week):
        grid.column_dimensions[chr(ord("C") + d)].width = 28
    grid.freeze_panes = grid.cell(row=header + 1, column=3)
    holidays = term.holiday_dates()
    if holidays:
        grid.append([])
        grid.append([_("No teaching on: %(dates)s") % {"dates": ", ".join(d.isoformat() for d in holidays)}])

    listing = wb.create_sheet(_sheet_title(_("Lectures")))
    listing.append(
        [
            _("Date"),
            _("Day"),
            _("Week"),
            pgettext("timetable", "Period"),
            _("Start"),
            _("End"),
            _("Course code"),
            _("Course"),
            _("Room"),
            _("Teachers"),
            _("Cohorts"),
        ]
    )
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for lecture in lectures(e for e in entries if e.run.term_id == term.pk):
        entry = lecture.entry
        listing.append(
            [
                lecture.date,
                str(DayOfWeek(entry.day_of_week).label),
                lecture.week,
                entry.period,
                lecture.start.time(),
                lecture.end.time(),
                entry.course.code,
                entry.course.display_name,
                str(entry.room),
                ", ".join(teachers_of(entry)),
                ", ".join(cohorts_of(entry)),
            ]
        )
    for row in listing.iter_rows(min_row=2):
        row[0].number_format = "yyyy-mm-dd"
        row[4].number_format = "hh:mm"
        row[5].number_format = "hh:mm"
    for index, width in enumerate([12, 10, 6, 7, 7, 7, 12, 28, 22, 24, 28]):
        listing.column_dimensions[chr(ord("A") + index)].width = width
    listing.freeze_panes = "A2"
    listing.auto_filter.ref = listing.dimensions
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- calendar feed tokens --------------------------------------------------------------------------------


def _token_of(nonce: str) -> str:
    return salted_hmac("iepark.teaching.timetable_feed", nonce, algorithm="sha256").hexdigest()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token_of(user: Any) -> str | None:
    """Return the user's feed token, or None when they have not made one (one query)."""
    row = policy.restrict(TimetableFeedToken.objects.all(), user).filter(user_id=user.pk).first()
    return _token_of(row.nonce) if row else None


def feed_user(token: str) -> Any:
    """Return the active user whose feed token is ``token`` (Http404 for a wrong or revoked token)."""
    if not token or len(token) > 128:
        raise Http404
    row = TimetableFeedToken.objects.select_related("user").filter(key_hash=_hash(token)).first()
    if row is None or not row.user.is_active or not secrets.compare_digest(_token_of(row.nonce), token):
        raise Http404
    return row.user


@transaction.atomic
def feed_token_regenerate(*, actor: Any) -> str:
    """Make the user a new feed token (their first, or a new one revoking the old address); audited."""
    if not policy.can_add(actor, TimetableFeedToken(user=actor)):
        raise PermissionDenied
    nonce = secrets.token_hex(32)
    token = _token_of(nonce)
    row = TimetableFeedToken.objects.select_for_update().filter(user=actor).first()
    owner = (policy.actor_for(actor).person_park_id, None)
    if row is None:
        row = TimetableFeedToken.objects.create(user=actor, nonce=nonce, key_hash=_hash(token))
        audit.record(actor=actor, action=AuditAction.CREATE, instance=row, changes={"user": actor.pk}, owner=owner)
    else:
        row.nonce, row.key_hash = nonce, _hash(token)
        row.save(update_fields=["nonce", "key_hash", "renewed_at"])
        audit.record(
            actor=actor, action=AuditAction.UPDATE, instance=row, changes={"token": ["revoked", "new"]}, owner=owner
        )
    return token
