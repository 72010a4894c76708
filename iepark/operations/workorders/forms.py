"""Forms of the work order pages. They validate and display; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from iepark.core.forms import DateInput, ServiceModelForm, style_form
from iepark.core.models import Park
from iepark.core.policy import actor_for, restrict
from iepark.operations.models import DormRoom

from .choices import FaultCategory, PlaceKind, Urgency
from .models import MaintenancePlan, WorkOrder
from .policy import reporting_parks
from .selectors import desk_parks, operator_staff

RATING_CHOICES = [(str(n), "★" * n) for n in range(1, 6)]


def _rooms_for(user: Any):
    return restrict(DormRoom.objects.select_related("building"), user).order_by("building__name", "number")


class ReportForm(forms.Form):
    """Report a fault, from a phone: where, what, how urgent, a short title and a description."""

    park = forms.ModelChoiceField(queryset=Park.objects.none(), label=_("park"))
    place_kind = forms.ChoiceField(choices=PlaceKind.choices, label=_("kind of place"))
    room = forms.ModelChoiceField(
        queryset=DormRoom.objects.none(),
        required=False,
        label=_("dormitory room"),
        help_text=_("If it is in a dormitory room."),
    )
    location = forms.CharField(
        max_length=200,
        required=False,
        label=_("location"),
        help_text=_("Building, floor, room or a landmark."),
    )
    category = forms.ChoiceField(choices=FaultCategory.choices, label=_("category"))
    urgency = forms.ChoiceField(choices=Urgency.choices, initial=Urgency.NORMAL, required=False, label=_("urgency"))
    title = forms.CharField(max_length=150, label=_("title"), help_text=_("E.g. “No hot water in the shower”."))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("description"))
    contact_phone = forms.CharField(max_length=20, required=False, label=_("contact phone"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = actor_for(user)
        parks = Park.objects.all() if actor.is_superuser else Park.objects.filter(pk__in=reporting_parks(actor))
        self.fields["park"].queryset = parks.order_by("code")
        rows = list(self.fields["park"].queryset[:2])
        if len(rows) == 1:
            self.fields["park"].initial = rows[0].pk
            self.fields["park"].widget = forms.HiddenInput()
        self.fields["room"].queryset = _rooms_for(user)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["urgency"] = data.get("urgency") or Urgency.NORMAL
        room, park = data.get("room"), data.get("park")
        if room is not None and park is not None and room.building.park_id != park.pk:
            self.add_error("room", _("The room must be in the same park."))
        return data


class WorkOrderForm(ServiceModelForm):
    """The desk corrects an order's description, category, urgency or place."""

    class Meta:
        model = WorkOrder
        fields = ["title", "description", "category", "urgency", "place_kind", "room", "location", "contact_phone"]

    def scope_choices(self) -> None:
        self.fields["room"].queryset = _rooms_for(self.user).filter(building__park_id=self.instance.park_id)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=None, label=_("assignee"))
    note = forms.CharField(max_length=2000, required=False, label=_("note"))

    def __init__(self, *args: Any, order: WorkOrder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = operator_staff(order.park_id)
        if order.assignee_id:
            self.fields["assignee"].initial = order.assignee_id
        style_form(self)


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False, label=_("note"))

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = required
        style_form(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label=_("reason"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect, label=_("rating"), required=True
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False, label=_("comment")
    )

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].required = required
        self.fields["rating"].empty_value = None
        style_form(self)


class ServiceLevelsForm(forms.Form):
    """The response and resolution hours of each urgency of one park."""

    def __init__(self, *args: Any, levels: dict[str, tuple[int, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Urgency.choices:
            response, resolution = levels[value]
            self.fields[f"{value}_response"] = forms.IntegerField(
                min_value=1,
                max_value=24 * 90,
                initial=response,
                label=_("%(urgency)s: response (hours)") % {"urgency": label},
            )
            self.fields[f"{value}_resolution"] = forms.IntegerField(
                min_value=1,
                max_value=24 * 365,
                initial=resolution,
                label=_("%(urgency)s: resolution (hours)") % {"urgency": label},
            )
        style_form(self)

    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(label, self[f"{value}_response"], self[f"{value}_resolution"]) for value, label in Urgency.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for value, _label in Urgency.choices:
            response, resolution = data.get(f"{value}_response"), data.get(f"{value}_resolution")
            if response and resolution and resolution < response:
                self.add_error(
                    f"{value}_resolution", _("The resolution time cannot be shorter than the response time.")
                )
        return data


class MaintenancePlanForm(ServiceModelForm):
    fieldsets = (
        (_("Task"), ("park", "title", "description", "category", "urgency")),
        (_("Place"), ("place_kind", "room", "location")),
        (_("Schedule"), ("every", "unit", "next_due", "default_assignee", "is_active")),
    )

    class Meta:
        model = MaintenancePlan
        fields = [
            "park",
            "title",
            "description",
            "category",
            "urgency",
            "place_kind",
            "room",
            "location",
            "every",
            "unit",
            "next_due",
            "default_assignee",
            "is_active",
        ]
        widgets = {"next_due": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def scope_choices(self) -> None:
        self.fields["park"].queryset = desk_parks(user=self.user)
        if self.is_update:
            self.fields["park"].disabled = True
        else:
            self.use_single_choice("park")
        park_ids = list(self.fields["park"].queryset.values_list("pk", flat=True))
        self.fields["room"].queryset = _rooms_for(self.user).filter(building__park_id__in=park_ids)
        self.fields["default_assignee"].queryset = operator_staff(park_ids)
