"""Forms of the safety pages. They validate and display; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from iepark.core import selectors as core_selectors
from iepark.core.attachments import AttachmentsField
from iepark.core.forms import DateInput, PlainForm, ServiceModelForm, style_form
from iepark.core.models import Organisation, Person
from iepark.core.policy import Action, actor_for
from iepark.operations.models import DormBuilding

from . import selectors
from .choices import AnswerResult, CheckResult, Severity
from .models import ChecklistItem, FireEquipment, InspectionRound, InspectionSchedule, InspectionTemplate
from .policy import SAFETY_KEEPER_ROLES


def keeper_parks(user: Any):
    """Return the parks whose safety ``user`` runs (all visible ones for a superuser)."""
    parks = core_selectors.park_list(user=user)
    actor = actor_for(user)
    return parks if actor.is_superuser else parks.filter(pk__in=actor.parks(SAFETY_KEEPER_ROLES))


def _orgs(user: Any, parks):
    return selectors.owner_candidates(user=user).filter(park__in=parks, is_active=True).order_by("kind", "name")


def _people(user: Any, parks):
    from iepark.core import policy

    return policy.restrict(Person.objects.filter(park__in=parks), user).order_by("name")


def _buildings(user: Any, parks):
    from iepark.core import policy

    return policy.restrict(DormBuilding.objects.filter(park__in=parks), user).order_by("name")


# --- templates ---------------------------------------------------------------------------------------------


class InspectionTemplateForm(ServiceModelForm):
    class Meta:
        model = InspectionTemplate
        fields = ["park", "name", "area_kind", "kind", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def scope_choices(self) -> None:
        self.fields["park"].queryset = keeper_parks(self.user)
        if self.is_update:
            self.fields["park"].disabled = True
        else:
            self.use_single_choice("park")


class ChecklistItemForm(ServiceModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["template", "text", "guidance", "is_active"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}

    def scope_choices(self) -> None:
        self.fields["template"].queryset = selectors.template_list(user=self.user, action=Action.CHANGE).order_by(
            "name"
        )
        if self.is_update:
            self.fields["template"].disabled = True


# --- schedules and rounds -------------------------------------------------------------------------------


class _PlaceForm(ServiceModelForm):
    def scope_choices(self) -> None:
        parks = keeper_parks(self.user)
        self.fields["template"].queryset = (
            selectors.template_list(user=self.user, action=Action.CHANGE).filter(is_active=True).order_by("name")
        )
        self.fields["building"].queryset = _buildings(self.user, parks)
        self.fields["owner"].queryset = _orgs(self.user, parks)
        self.fields["inspector"].queryset = _people(self.user, parks)
        if self.is_update:
            self.fields["template"].disabled = True


class InspectionScheduleForm(_PlaceForm):
    class Meta:
        model = InspectionSchedule
        fields = ["template", "place", "building", "owner", "every", "unit", "next_date", "inspector", "is_active"]
        widgets = {"next_date": DateInput()}


class InspectionRoundForm(_PlaceForm):
    class Meta:
        model = InspectionRound
        fields = ["template", "place", "building", "owner", "scheduled_date", "inspector", "note"]
        widgets = {"scheduled_date": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}


class AnswerForm(PlainForm):
    item = forms.IntegerField(widget=forms.HiddenInput())
    result = forms.ChoiceField(choices=AnswerResult.choices)
    note = forms.CharField(required=False, max_length=500)


class CompleteForm(PlainForm):
    note = forms.CharField(label=_("note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


# --- findings and rectification ---------------------------------------------------------------------------


def photo_field(*, required: bool = False) -> forms.Field:
    """Several photos at once, checked by the shared attachments (images only here)."""
    field = AttachmentsField(
        label=_("photos"), required=required, help_text=_("Photos of the finding (JPEG, PNG or WebP).")
    )
    field.widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
    return field


class FindingForm(PlainForm):
    """A finding of a round, with who rectifies it by when (defaults from the round and the severity)."""

    item = forms.ModelChoiceField(label=_("checklist item"), queryset=ChecklistItem.objects.none(), required=False)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    severity = forms.ChoiceField(label=_("severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    place = forms.CharField(label=_("exact place"), required=False, max_length=200)
    owner = forms.ModelChoiceField(
        label=_("owner"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Who must rectify; empty: the round's area owner, else the operating company."),
    )
    owner_person = forms.ModelChoiceField(label=_("responsible person"), queryset=Person.objects.none(), required=False)
    deadline = forms.DateField(
        label=_("deadline"), required=False, widget=DateInput(), help_text=_("Empty: from the severity.")
    )

    def __init__(self, *args: Any, user: Any, inspection: InspectionRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parks = [inspection.template.park_id]
        self.fields["item"].queryset = inspection.template.items.filter(is_active=True).order_by("position")
        self.fields["owner"].queryset = _orgs(user, parks)
        self.fields["owner_person"].queryset = _people(user, parks)
        self.fields["photos"] = photo_field()
        self.order_fields(["item", "description", "severity", "photos", "place", "owner", "owner_person", "deadline"])
        style_form(self)


class FindingEditForm(ServiceModelForm):
    class Meta:
        from .models import Finding

        model = Finding
        fields = ["description", "severity", "place"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PhotosForm(PlainForm):
    caption = forms.CharField(label=_("caption"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"] = photo_field(required=True)
        style_form(self)


class RectificationTaskForm(ServiceModelForm):
    class Meta:
        from .models import RectificationTask

        model = RectificationTask
        fields = ["owner", "owner_person", "deadline"]
        widgets = {"deadline": DateInput()}

    def scope_choices(self) -> None:
        park = [self.instance.finding.round.template.park_id] if self.instance.pk else keeper_parks(self.user)
        self.fields["owner"].queryset = _orgs(self.user, park)
        self.fields["owner_person"].queryset = _people(self.user, park)


class ReportDoneForm(PlainForm):
    note = forms.CharField(label=_("what was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    reported_on = forms.DateField(label=_("done on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ReInspectForm(PlainForm):
    passed = forms.TypedChoiceField(
        label=_("result"),
        choices=[("true", _("Passed: close the rectification")), ("false", _("Failed: reopen with a new deadline"))],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
    )
    inspected_on = forms.DateField(label=_("re-inspected on"), required=False, widget=DateInput())
    new_deadline = forms.DateField(label=_("new deadline"), required=False, widget=DateInput())
    note = forms.CharField(label=_("note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


# --- fire equipment -------------------------------------------------------------------------------------------


class FireEquipmentForm(ServiceModelForm):
    fieldsets = [
        (_("Equipment"), ["park", "kind", "code", "description", "location", "building", "status", "note"]),
        (_("Dates"), ["installed_on", "last_checked_on", "check_interval_days", "next_check_due", "expiry_date"]),
    ]

    class Meta:
        model = FireEquipment
        fields = [
            "park",
            "kind",
            "code",
            "description",
            "location",
            "building",
            "installed_on",
            "last_checked_on",
            "check_interval_days",
            "next_check_due",
            "expiry_date",
            "status",
            "note",
        ]
        widgets = {
            "installed_on": DateInput(),
            "last_checked_on": DateInput(),
            "next_check_due": DateInput(),
            "expiry_date": DateInput(),
        }

    def scope_choices(self) -> None:
        parks = keeper_parks(self.user)
        self.fields["park"].queryset = parks
        self.fields["building"].queryset = _buildings(self.user, parks)
        self.fields["check_interval_days"].required = False
        if self.is_update:
            self.fields["park"].disabled = True
        else:
            self.use_single_choice("park")

    def _post_clean(self) -> None:
        # The service fills the interval from the kind; the model's own validation runs there.
        if self.cleaned_data.get("check_interval_days") is None:
            self.instance.check_interval_days = 1
        super()._post_clean()


class EquipmentCheckForm(PlainForm):
    checked_on = forms.DateField(label=_("checked on"), required=False, widget=DateInput())
    result = forms.ChoiceField(label=_("result"), choices=CheckResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("note"), required=False, max_length=500)
    next_check_due = forms.DateField(
        label=_("next check due"), required=False, widget=DateInput(), help_text=_("Empty: after the usual interval.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
