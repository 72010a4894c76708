"""
Forms of the operations pages. They validate and display; services write.

The service point form carries its opening hours as a formset of rows, each
row a set of weekdays with one opening and one closing time ("Mon–Fri
06:30–09:00"): the service stores one period per weekday.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from iepark.core import selectors as core_selectors
from iepark.core.forms import DateInput, ServiceModelForm, style_form
from iepark.core.policy import Action, actor_for

from . import hours
from .choices import Weekday
from .models import ServiceNotice, ServicePoint
from .policy import SERVICE_KEEPER_ROLES
from .selectors import service_point_list

# --- service points -----------------------------------------------------------------------------


class TimeInput(forms.TimeInput):
    """A native time picker (phones show their own wheel)."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class HoursRowForm(forms.Form):
    """One row of opening hours: the weekdays it applies to, an opening and a closing time."""

    days = forms.TypedMultipleChoiceField(
        label=_("days"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )
    opens = forms.TimeField(label=_("opens"), widget=TimeInput(), required=False)
    closes = forms.TimeField(
        label=_("closes"),
        widget=TimeInput(),
        required=False,
        help_text=_("Earlier than the opening time: the next day."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = [name for name in ("days", "opens", "closes") if data.get(name) not in (None, [], "")]
        if filled and len(filled) < 3 and not data.get("DELETE"):
            for name in {"days", "opens", "closes"} - set(filled):
                self.add_error(name, _("Fill in the days, the opening and the closing time, or leave the row empty."))
        return data

    def periods(self) -> list[hours.Period]:
        data = self.cleaned_data
        if data.get("DELETE") or not data.get("days") or data.get("opens") is None or data.get("closes") is None:
            return []
        return [hours.Period(day, data["opens"], data["closes"]) for day in data["days"]]


HoursFormSet = forms.formset_factory(HoursRowForm, extra=2, can_delete=True, max_num=40)


class ServicePointForm(ServiceModelForm):
    """A service point with its opening hours (``self.hours``, a formset of rows)."""

    fieldsets = (
        (_("Service point"), ("park", "kind", "name", "name_en", "place", "place_en", "operator", "is_active")),
        (_("Contact and notes"), ("phone", "hours_note", "hours_note_en")),
    )

    class Meta:
        model = ServicePoint
        fields = [
            "park",
            "kind",
            "name",
            "name_en",
            "place",
            "place_en",
            "operator",
            "is_active",
            "phone",
            "hours_note",
            "hours_note_en",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        initial = None
        if self.instance.pk is not None:
            rows = hours.grouped(p.as_period() for p in self.instance.periods.all())
            initial = [{"days": list(days), "opens": opens, "closes": closes} for days, opens, closes in rows]
        self.hours = HoursFormSet(self.data if self.is_bound else None, initial=initial, prefix="hours")

    def scope_choices(self) -> None:
        self.fields["park"].queryset = _keeper_parks(self.user)
        if self.is_update:
            self.fields["park"].disabled = True
        else:
            self.use_single_choice("park")
        self.fields["operator"].queryset = core_selectors.organisation_list(user=self.user).order_by("name")

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.hours.is_valid()])

    def periods(self) -> list[hours.Period]:
        return [period for row in self.hours.forms for period in row.periods()]

    def service_data(self, names=None) -> dict[str, Any]:
        return {**super().service_data(names), "periods": self.periods()}


def _keeper_parks(user: Any):
    """Return the parks whose service points ``user`` keeps (all for a superuser)."""
    parks = core_selectors.park_list(user=user)
    actor = actor_for(user)
    return parks if actor.is_superuser else parks.filter(pk__in=actor.parks(SERVICE_KEEPER_ROLES))


class ServiceNoticeForm(ServiceModelForm):
    class Meta:
        model = ServiceNotice
        fields = ["service_point", "title", "title_en", "body", "body_en", "valid_from", "valid_to", "closes_point"]
        widgets = {
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "body": forms.Textarea(attrs={"rows": 3}),
            "body_en": forms.Textarea(attrs={"rows": 3}),
        }

    def scope_choices(self) -> None:
        points = service_point_list(user=self.user, action=Action.CHANGE).order_by("name")
        self.fields["service_point"].queryset = points
        if self.is_update:
            self.fields["service_point"].disabled = True
