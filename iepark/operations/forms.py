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
from iepark.core.attachments import AttachmentsField
from iepark.core.choices import COLLEGE_KINDS
from iepark.core.forms import DateInput, PlainForm, ServiceModelForm, style_form
from iepark.core.policy import Action, actor_for

from . import hours
from .choices import CheckoutCondition, Weekday
from .models import DormBuilding, DormRoom, ServiceNotice, ServicePoint
from .policy import DORM_KEEPER_ROLES, SERVICE_KEEPER_ROLES
from .selectors import dorm_building_list, free_bed_list, service_point_list, students_without_bed

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
        widget=forms.CheckboxSelectMultiple,
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


# --- dormitories ---------------------------------------------------------------------------------


def _dorm_keeper_parks(user: Any):
    """Return the parks whose dormitories ``user`` keeps (all for a superuser)."""
    parks = core_selectors.park_list(user=user)
    actor = actor_for(user)
    return parks if actor.is_superuser else parks.filter(pk__in=actor.parks(DORM_KEEPER_ROLES))


class DormBuildingForm(ServiceModelForm):
    class Meta:
        model = DormBuilding
        fields = ["park", "name", "name_en", "gender_policy"]

    def scope_choices(self) -> None:
        self.fields["park"].queryset = _dorm_keeper_parks(self.user)
        if self.is_update:
            self.fields["park"].disabled = True
        else:
            self.use_single_choice("park")


class DormRoomForm(ServiceModelForm):
    """A room; it stays in its building. Changing the number of beds adds beds or removes free, never-used ones."""

    FIXED = ("building",)

    class Meta:
        model = DormRoom
        fields = [
            "building",
            "floor",
            "number",
            "gender",
            "beds_count",
            "accessible",
            "facilities",
            "monthly_fee",
            "in_service",
        ]

    def scope_choices(self) -> None:
        self.fields["building"].queryset = dorm_building_list(user=self.user, action=Action.CHANGE).order_by("name")
        if self.is_update:
            for name in self.FIXED:
                self.fields[name].disabled = True


class CheckInForm(PlainForm):
    """Check a student without a bed in to a free bed."""

    student = forms.ModelChoiceField(label=_("student"), queryset=None)
    bed = forms.ModelChoiceField(label=_("bed"), queryset=None)
    start_date = forms.DateField(label=_("check-in date"), widget=DateInput())
    needs_accessible = forms.BooleanField(label=_("needs an accessible room"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .models import BedAssignment

        parks = _dorm_keeper_parks(user)
        housed = BedAssignment.objects.filter(end_date__isnull=True).values("student_id")
        self.fields["student"].queryset = (
            core_selectors.student_list(user=user)
            .filter(college__park__in=parks)
            .exclude(pk__in=housed)
            .select_related("person")
            .order_by("student_number")
        )
        self.fields["bed"].queryset = free_bed_list(user=user)
        style_form(self)


class CheckOutForm(PlainForm):
    end_date = forms.DateField(label=_("check-out date"), widget=DateInput())
    checkout_condition = forms.ChoiceField(
        label=_("condition of the room and bed"),
        choices=CheckoutCondition.choices,
        initial=CheckoutCondition.GOOD,
        widget=forms.RadioSelect,
    )
    damage_description = forms.CharField(
        label=_("damage found"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when damage was found: what, where, how bad."),
    )
    photos = AttachmentsField(label=_("photos"), required=False)
    inspection_note = forms.CharField(
        label=_("other notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything else: missing items, cleaning needed."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


# The soft goals of the allocation engine (``engines.allocation.Weights``) as the allocation page names them.
WEIGHT_LABELS = {
    "roommate": _("roommate requests (per mutual pair kept apart)"),
    "cohort_floor": _("cohort together on a floor (per student away)"),
    "cohort_building": _("cohort together in a building (per student away)"),
    "college_building": _("college together in a building (per student away)"),
    "part_empty": _("avoid part-empty rooms (per empty bed in a used room)"),
    "accessible": _("keep accessible beds free (per student not needing one placed there)"),
}
WEIGHT_HELP = {
    "roommate": _("0 ignores the wish; higher weights win over lower ones."),
}


class AllocationForm(PlainForm):
    """Which students without a bed to allocate (by park, cohort year and college) and the seed."""

    park = forms.ModelChoiceField(label=_("park"), queryset=None)
    cohort_year = forms.IntegerField(label=_("cohort year"), required=False, min_value=1990, max_value=2100)
    college = forms.ModelChoiceField(label=_("college"), queryset=None, required=False)
    seed = forms.IntegerField(
        label=_("seed"),
        initial=0,
        min_value=0,
        max_value=2**31 - 1,
        help_text=_("The same students, beds and seed give the same allocation."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from engines.allocation import Weights

        defaults = Weights()
        for name in Weights.names():
            self.fields[f"weight_{name}"] = forms.IntegerField(
                label=WEIGHT_LABELS.get(name, name),
                initial=getattr(defaults, name),
                required=False,
                min_value=0,
                max_value=1000,
                help_text=WEIGHT_HELP.get(name, ""),
            )
        self.user = user
        parks = _dorm_keeper_parks(user)
        self.fields["park"].queryset = parks
        self.fields["college"].queryset = (
            core_selectors.organisation_list(user=user).filter(park__in=parks, kind__in=COLLEGE_KINDS).order_by("name")
        )
        if len(parks[:2]) == 1:
            self.fields["park"].initial = parks[0].pk
            self.fields["park"].widget = forms.HiddenInput()
        style_form(self)

    def weights(self) -> dict[str, int]:
        """Return the weights given (every goal's), for ``services.clean_weights``."""
        return {
            name[len("weight_") :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("weight_") and value is not None
        }

    def grouped_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        fields = list(self.visible_fields())
        return [
            (None, [f for f in fields if not f.name.startswith("weight_")]),
            (_("Weights of the wishes"), [f for f in fields if f.name.startswith("weight_")]),
        ]

    def students(self):
        data = self.cleaned_data
        qs = students_without_bed(user=self.user, park=data["park"])
        if data.get("cohort_year"):
            qs = qs.filter(cohort_year=data["cohort_year"])
        if data.get("college"):
            qs = qs.filter(college=data["college"])
        return qs.order_by("college_id", "cohort_year", "student_number", "pk")


# --- housing wishes and room transfers -------------------------------------------------------------


class HousingWishForm(PlainForm):
    """A student's housing wishes; the roommate is named by student number and name."""

    needs_accessible = forms.BooleanField(label=_("I need an accessible room"), required=False)
    accessibility_note = forms.CharField(
        label=_("accessibility needs"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. wheelchair access, a lower bed. Seen by dormitory staff and your student manager."),
    )
    roommate_student_number = forms.CharField(label=_("roommate's student number"), required=False, max_length=32)
    roommate_name = forms.CharField(
        label=_("roommate's name"),
        required=False,
        max_length=100,
        help_text=_("Honoured when you ask for each other; leave both empty for no request."),
    )

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["needs_accessible"].label = _("needs an accessible room")
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool((data.get("roommate_student_number") or "").strip()) != bool((data.get("roommate_name") or "").strip()):
            self.add_error("roommate_name", _("Give the roommate's student number and name."))
        return data


class TransferRequestForm(PlainForm):
    reason = forms.CharField(
        label=_("why do you want to move?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    preferred_building = forms.ModelChoiceField(label=_("preferred building"), queryset=None, required=False)
    preferred_room_number = forms.CharField(
        label=_("preferred room number"), max_length=20, required=False, help_text=_("Optional.")
    )

    def __init__(self, *args: Any, buildings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_building"].queryset = buildings
        style_form(self)


class TransferDecisionForm(PlainForm):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("note to the student"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class TransferCarryOutForm(PlainForm):
    bed = forms.ModelChoiceField(label=_("new bed"), queryset=None, help_text=_("Free beds suiting the student."))
    move_date = forms.DateField(label=_("move date"), widget=DateInput())

    def __init__(self, *args: Any, beds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = beds
        style_form(self)


class BedAddForm(PlainForm):
    label = forms.CharField(label=_("label"), max_length=10, required=False, help_text=_("Empty: the next number."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
