"""Forms of the venue pages. They validate and display; services write."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iepark.core.forms import DateInput, PlainForm, style_form
from iepark.core.policy import restrict
from iepark.teaching.choices import RoomKind
from iepark.teaching.models import RoomFeature

from .choices import BOOKABLE_ROOM_KINDS
from .selectors import bookable_organisations, bookable_rooms

KIND_CHOICES = [("", _("Any kind"))] + [(k.value, k.label) for k in RoomKind if k in BOOKABLE_ROOM_KINDS]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"step": 300, **(attrs or {})}, format="%H:%M")


class BookingForm(PlainForm):
    """Request a venue: the room, when, how many people, what for and for which organisation."""

    room = forms.ModelChoiceField(queryset=None, label=_("room"))
    date = forms.DateField(label=_("date"), widget=DateInput())
    start_time = forms.TimeField(label=_("from"), widget=TimeInput())
    end_time = forms.TimeField(label=_("until"), widget=TimeInput())
    attendees = forms.IntegerField(label=_("number of people"), min_value=1, max_value=100_000)
    purpose = forms.CharField(label=_("purpose"), max_length=200, help_text=_("E.g. “Basketball match of class 2401”."))
    organisation = forms.ModelChoiceField(queryset=None, label=_("organisation"))

    def __init__(self, *args: Any, user: Any, instance: Any = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "room": instance.room_id,
                    "date": instance.date,
                    "start_time": instance.start_time,
                    "end_time": instance.end_time,
                    "attendees": instance.attendees,
                    "purpose": instance.purpose,
                    "organisation": instance.organisation_id,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = bookable_rooms(user=user)
        orgs = bookable_organisations(user=user)
        self.fields["organisation"].queryset = orgs
        if instance is None and not self.initial.get("organisation"):
            first = list(orgs[:2])
            if len(first) == 1:
                self.fields["organisation"].initial = first[0].pk
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The booking must end after it starts."))
        return data


class FindForm(forms.Form):
    """Find a free venue: when, what kind, how many people, which equipment."""

    date = forms.DateField(label=_("date"), widget=DateInput())
    start_time = forms.TimeField(label=_("from"), widget=TimeInput())
    end_time = forms.TimeField(label=_("until"), widget=TimeInput())
    room_kind = forms.ChoiceField(label=_("kind"), choices=KIND_CHOICES, required=False)
    min_capacity = forms.IntegerField(label=_("at least (people)"), min_value=1, required=False)
    features = forms.ModelMultipleChoiceField(queryset=None, label=_("features"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["features"].queryset = restrict(RoomFeature.objects.all(), user).order_by("name", "pk")
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end, day = data.get("start_time"), data.get("end_time"), data.get("date")
        if start and end and end <= start:
            self.add_error("end_time", _("The booking must end after it starts."))
        if day and day < timezone.localdate():
            self.add_error("date", _("The date has passed."))
        return data

    @staticmethod
    def defaults() -> dict[str, Any]:
        now = timezone.localtime()
        start = (now + datetime.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        if start.date() != now.date() or start.hour >= 21:
            start = (now + datetime.timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
        end = start + datetime.timedelta(hours=2)
        if end.date() != start.date():
            end = start.replace(hour=23, minute=55)
        return {"date": start.date(), "start_time": start.time(), "end_time": end.time()}


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label=_("reason"))

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        style_form(self)


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False, label=_("note"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
