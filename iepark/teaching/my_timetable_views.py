"""
Pages of everyone's own timetable: the week view, the .ics download and calendar feed, the Excel export.

- ``/my/timetable/`` — the logged-in student's (their cohorts' courses) or teacher's (their
  courses) published timetable, one teaching week at a time (``?term=``, ``?week=``).
- ``/timetable/<cohort|teacher|room>/<id>/`` — the same for a cohort, teacher or room the user
  may see (linked from the cohort and room pages); lectures are those the user may see.
- ``….ics`` and ``….xlsx`` — logged-in downloads of the chosen term (``?term=``).
- ``/timetable-feed/<token>.ics`` (and ``/timetable-feed/<token>/<kind>/<id>.ics``) — the calendar
  apps' subscription, without a login: the token acts as its user (same policy as the pages);
  a wrong or revoked token is 404. The user makes or regenerates it with a POST to
  ``/my/timetable/feed/``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from iepark.core import policy
from iepark.core.policy import Actor

from . import timetable_exports as exports
from .models import Term
from .policy import TEACHING_READ_ROLES


def _links_others(actor: Actor) -> bool:
    """Whether the lectures link to their rooms', teachers' and cohorts' timetables (the park-wide readers)."""
    return actor.is_superuser or bool(actor.parks(TEACHING_READ_ROLES))


def _subject(request, kind: str | None, pk: Any) -> exports.Subject:
    if kind is not None and kind not in exports.SUBJECT_KINDS:
        raise Http404
    return exports.subject_for(request.user, kind, pk)


def _term(terms: list[Term], value: Any, today: datetime.date) -> Term | None:
    if value:
        try:
            wanted = int(value)
        except (TypeError, ValueError):
            raise Http404 from None
        for term in terms:
            if term.pk == wanted:
                return term
        raise Http404
    return exports.current_term(terms, today)


def _week(value: Any, term: Term, today: datetime.date) -> int:
    try:
        return int(value) if value else exports.default_week(term, today)
    except (TypeError, ValueError):
        return exports.default_week(term, today)


def _urls(subject: exports.Subject) -> dict[str, str]:
    if subject.kind == "me":
        return {
            "page": reverse("my_timetable"),
            "ics": reverse("my_timetable_ics"),
            "xlsx": reverse("my_timetable_xlsx"),
        }
    args = [subject.kind, subject.pk]
    return {
        "page": reverse("subject_timetable", args=args),
        "ics": reverse("subject_timetable_ics", args=args),
        "xlsx": reverse("subject_timetable_xlsx", args=args),
    }


def feed_url(request, token: str, subject: exports.Subject) -> str:
    if subject.kind == "me":
        path = reverse("timetable_feed", args=[token])
    else:
        path = reverse("timetable_feed_subject", args=[token, subject.kind, subject.pk])
    return request.build_absolute_uri(path)


def _page(request, subject: exports.Subject):
    today = timezone.localdate()
    terms = exports.published_terms(request.user)
    term = _term(terms, request.GET.get("term"), today)
    context: dict[str, Any] = {
        "subject": subject,
        "terms": terms,
        "term": term,
        "urls": _urls(subject),
        "today": today,
        "links_others": _links_others(policy.actor_for(request.user)),
    }
    if term is not None:
        entries = exports.published_entries(request.user, subject, term=term)
        view = exports.week_view(term, entries, _week(request.GET.get("week"), term, today), today)
        context.update(
            {
                "entries": entries,
                "view": view,
                "this_week": term.week_of(today),
                "week_end": view["monday"] + datetime.timedelta(days=term.days_per_week - 1),
            }
        )
    token = exports.feed_token_of(request.user)
    context["feed_url"] = feed_url(request, token, subject) if token else ""
    return render(request, "teaching/my_timetable.html", context)


@login_required
@require_GET
def my_timetable(request):
    """The logged-in student's or teacher's week of the published timetable."""
    return _page(request, _subject(request, None, None))


@login_required
@require_GET
def subject_timetable(request, kind: str, pk: int):
    """A cohort's, teacher's or room's week of the published timetable (what the user may see of it)."""
    return _page(request, _subject(request, kind, pk))


def _filename(subject: exports.Subject, term: Term | None, ext: str) -> str:
    stem = f"timetable-{subject.slug}" + (f"-term-{term.pk}" if term else "")
    return f"{stem}.{ext}"


def _ics_response(user, subject: exports.Subject, term: Term | None, *, attachment: bool) -> HttpResponse:
    if term is not None:
        entries = exports.published_entries(user, subject, term=term)
    else:
        since = timezone.localdate() - datetime.timedelta(days=exports.FEED_PAST_DAYS)
        entries = exports.published_entries(user, subject, terms_since=since)
    if subject.kind == "me":
        person = getattr(user, "person", None)
        name = _("Timetable of %(name)s") % {"name": getattr(person, "name", None) or user.get_username()}
    else:
        name = _("Timetable of %(name)s") % {"name": subject.label}
    body = exports.timetable_ics(exports.lectures(entries), name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{_filename(subject, term, "ics")}"'
    response["Cache-Control"] = "private, max-age=0, no-store"
    return response


def _download_term(request) -> Term | None:
    """The term of a download: ``?term=`` among the published ones (404 otherwise), or every current one."""
    value = request.GET.get("term")
    if not value:
        return None
    return _term(exports.published_terms(request.user), value, timezone.localdate())


@login_required
@require_GET
def my_timetable_ics(request):
    return _ics_response(request.user, _subject(request, None, None), _download_term(request), attachment=True)


@login_required
@require_GET
def subject_timetable_ics(request, kind: str, pk: int):
    return _ics_response(request.user, _subject(request, kind, pk), _download_term(request), attachment=True)


def _xlsx_response(request, subject: exports.Subject) -> HttpResponse:
    today = timezone.localdate()
    terms = exports.published_terms(request.user)
    term = _term(terms, request.GET.get("term"), today)
    if term is None:
        raise Http404
    entries = exports.published_entries(request.user, subject, term=term)
    title = _("Timetable of %(name)s") % {"name": subject.label}
    if subject.kind == "me":
        person = getattr(request.user, "person", None)
        title = _("Timetable of %(name)s") % {"name": getattr(person, "name", None) or request.user.get_username()}
    body = exports.timetable_workbook(term, entries, title=title)
    response = HttpResponse(body, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(subject, term, "xlsx")}"'
    return response


@login_required
@require_GET
def my_timetable_xlsx(request):
    return _xlsx_response(request, _subject(request, None, None))


@login_required
@require_GET
def subject_timetable_xlsx(request, kind: str, pk: int):
    return _xlsx_response(request, _subject(request, kind, pk))


@login_required
@require_POST
def my_timetable_feed_regenerate(request):
    """Make the user's calendar feed address, or a new one (the old address stops working)."""
    had = exports.feed_token_of(request.user) is not None
    exports.feed_token_regenerate(actor=request.user)
    if had:
        messages.success(request, _("Your calendar address is new: the old one no longer works."))
    else:
        messages.success(request, _("Your calendar address is ready: add it to your calendar app."))
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = reverse("my_timetable")
    return redirect(target)


@require_GET
def timetable_feed(request, token: str):
    """The user's own timetable for calendar apps (no login: the token acts as its user)."""
    user = exports.feed_user(token)
    return _ics_response(user, exports.subject_for(user), None, attachment=False)


@require_GET
def timetable_feed_subject(request, token: str, kind: str, pk: int):
    """A cohort's, teacher's or room's timetable for calendar apps, as the token's user may see it."""
    user = exports.feed_user(token)
    if kind not in exports.SUBJECT_KINDS:
        raise Http404
    return _ics_response(user, exports.subject_for(user, kind, pk), None, attachment=False)
