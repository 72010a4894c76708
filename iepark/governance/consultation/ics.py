"""iCalendar (RFC 5545) invitation of a contact meeting, for the participants' calendars."""

from __future__ import annotations

import datetime

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from .choices import MeetingStatus
from .models import Meeting


def meeting_ics(meeting: Meeting) -> bytes:
    """Return a one-event calendar of ``meeting`` (UTC times; a cancelled meeting is marked CANCELLED)."""
    site = getattr(settings, "IEPARK_SITE_URL", "").rstrip("/")
    url = f"{site}{reverse('meeting_detail', args=[meeting.pk])}"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//iepark//contact meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"contact-meeting-{meeting.pk}@iepark")
    event.add("dtstamp", datetime.datetime.now(datetime.UTC).replace(microsecond=0))
    event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
    event.add("summary", _("Contact meeting: %(title)s") % {"title": meeting.title})
    event.add("location", meeting.place)
    agenda = [f"{item.position}. {item.title}" for item in meeting.agenda.all()]
    description = "\n".join([*agenda, url]) if agenda else url
    event.add("description", description)
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    # Each change is a later version of the same invitation (calendars keep the highest sequence).
    changed = meeting.updated_at and meeting.created_at and meeting.updated_at > meeting.created_at
    event.add("sequence", int((meeting.updated_at - meeting.created_at).total_seconds()) if changed else 0)
    for row in meeting.participants.select_related("person"):
        email = row.person.email
        if email:
            attendee = icalendar.vCalAddress(f"mailto:{email}")
            attendee.params["cn"] = icalendar.vText(row.person.name)
            event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()
