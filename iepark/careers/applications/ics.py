"""iCalendar (RFC 5545) file of a chosen interview time, for the student's and HR's calendars."""

from __future__ import annotations

import datetime

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Interview


def interview_ics(interview: Interview) -> bytes:
    """Return a one-event calendar of ``interview`` (times in UTC, so no time-zone definition is needed)."""
    application = interview.application
    posting = application.posting
    starts = interview.starts_at.astimezone(datetime.UTC)
    site = getattr(settings, "IEPARK_SITE_URL", "").rstrip("/")
    url = f"{site}{reverse('application_detail', args=[application.pk])}"

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//iepark//careers interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"interview-{interview.pk}@iepark")
    event.add("dtstamp", datetime.datetime.now(datetime.UTC).replace(microsecond=0))
    event.add("dtstart", starts)
    event.add("dtend", starts + datetime.timedelta(minutes=interview.duration_minutes))
    event.add(
        "summary",
        _("Interview: %(posting)s · %(enterprise)s")
        % {"posting": posting.display_title, "enterprise": posting.enterprise},
    )
    event.add("location", interview.location)
    event.add(
        "description",
        _("Interview of %(student)s for “%(posting)s”. %(url)s")
        % {"student": application.student.person, "posting": posting.display_title, "url": url},
    )
    event.add("url", url)
    calendar.add_component(event)
    return calendar.to_ical()
