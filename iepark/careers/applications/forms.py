"""Forms of the students' side of careers. They validate and display; the services write."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iepark.core import selectors as core_selectors
from iepark.core.forms import DateInput, ServiceModelForm, style_form

from ..models import Offer, StudentProfile


class StudentProfileForm(ServiceModelForm):
    """A career profile; the student is chosen on creation by staff (a student edits their own)."""

    class Meta:
        model = StudentProfile
        fields = [
            "student",
            "certificates",
            "skills",
            "cv",
            "preferred_posts",
            "preferred_places",
            "earliest_start",
            "open_to_offers",
        ]
        widgets = {
            "earliest_start": DateInput(),
            "certificates": forms.Textarea(attrs={"rows": 3}),
            "skills": forms.Textarea(attrs={"rows": 3}),
            "cv": forms.Textarea(attrs={"rows": 8}),
        }

    fieldsets = (
        (_("Student"), ["student"]),
        (_("What I can do"), ["certificates", "skills", "cv"]),
        (_("What I am looking for"), ["open_to_offers", "preferred_posts", "preferred_places", "earliest_start"]),
    )

    def __init__(self, *args: Any, own_student: Any = None, **kwargs: Any) -> None:
        self.own_student = own_student
        super().__init__(*args, **kwargs)

    def scope_choices(self) -> None:
        if self.is_update or self.own_student is not None:
            del self.fields["student"]
        else:
            self.fields["student"].queryset = core_selectors.student_list(user=self.user).filter(
                career_profile__isnull=True
            )
        self.fields["certificates"].help_text = _("One per line, e.g. “Chemical operator, level 4”.")
        self.fields["skills"].help_text = _("What you can do, e.g. DCS operation, welding, forklift.")
        self.fields["preferred_posts"].help_text = _("Separate several with commas.")
        self.fields["preferred_places"].help_text = _("Areas of the zone or towns, separated with commas.")


class CoverLetterForm(forms.Form):
    cover_letter = forms.CharField(
        label=_("cover letter"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Why this post, and what you bring to it (optional)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ReasonForm(forms.Form):
    """The reason of a rejection (required) or of a withdrawal or decline (optional)."""

    reason = forms.CharField(label=_("reason"), max_length=300, required=False)

    def __init__(self, *args: Any, required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        style_form(self)


class InterviewSlotForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("starts at"), required=False)
    duration_minutes = forms.IntegerField(
        label=_("duration (minutes)"), min_value=5, max_value=480, initial=30, required=False
    )
    location = forms.CharField(
        label=_("place or link"), max_length=300, required=False, help_text=_("A room, an address or a video link.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_at") and not (data.get("location") or "").strip():
            self.add_error("location", _("Say where the interview is, or give its link."))
        if data.get("location") and not data.get("starts_at"):
            self.add_error("starts_at", _("Give the time the interview starts."))
        return data

    def slot(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("starts_at"):
            return None
        return {
            "starts_at": data["starts_at"],
            "duration_minutes": data.get("duration_minutes") or 30,
            "location": data.get("location", ""),
        }


InterviewSlotFormSet = forms.formset_factory(InterviewSlotForm, extra=3, max_num=6)


def interview_slot_formset(data: Any = None) -> Any:
    return InterviewSlotFormSet(data, prefix="slot")


class OfferForm(ServiceModelForm):
    class Meta:
        model = Offer
        fields = ["post", "monthly_pay", "contract_type", "start_date", "deadline", "terms"]
        widgets = {
            "start_date": DateInput(),
            "deadline": DateInput(),
            "terms": forms.Textarea(attrs={"rows": 5}),
        }

    fieldsets = (
        (_("The post"), ["post", "monthly_pay", "contract_type", "start_date"]),
        (_("The answer"), ["deadline", "terms"]),
    )

    def scope_choices(self) -> None:
        today = timezone.localdate()
        self.fields["deadline"].help_text = _("After today and before the start date; past it the offer expires.")
        self.fields["start_date"].initial = today + datetime.timedelta(days=30)
        self.fields["deadline"].initial = today + datetime.timedelta(days=7)
