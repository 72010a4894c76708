"""Forms of the attendance pages: they validate and display; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from iepark.core.attachments import AttachmentsField
from iepark.core.forms import DateInput, PlainForm, ServiceModelForm
from iepark.teaching.models import Cohort, Course, Term

from . import selectors
from .models import LeaveRequest


class LeaveRequestForm(ServiceModelForm):
    files = AttachmentsField(label=_("proof (optional)"), required=False)

    class Meta:
        model = LeaveRequest
        fields = ["student", "start_date", "start_period", "end_date", "end_period", "reason"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    def scope_choices(self) -> None:
        self.fields["student"].queryset = selectors.students_for_leave(user=self.user)
        self.use_single_choice("student")
        for name in ("start_period", "end_period"):
            self.fields[name].widget.attrs.update({"min": 1, "max": 16, "inputmode": "numeric"})

    def _post_clean(self) -> None:
        # The service validates the request as a whole (and says which field is wrong).
        pass


class DecisionForm(PlainForm):
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ThresholdForm(PlainForm):
    threshold = forms.IntegerField(label=_("attendance threshold (%)"), min_value=1, max_value=100)


class RatesFilterForm(PlainForm):
    term = forms.ModelChoiceField(queryset=Term.objects.none(), required=False, label=_("term"))
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), required=False, label=_("cohort"))
    course = forms.ModelChoiceField(queryset=Course.objects.none(), required=False, label=_("course"))
    since = forms.DateField(required=False, label=_("from"), widget=DateInput())
    until = forms.DateField(required=False, label=_("until"), widget=DateInput())
    threshold = forms.IntegerField(required=False, min_value=1, max_value=100, label=_("threshold (%)"))

    def __init__(self, *args: Any, user: Any, terms, cohorts, courses, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms
        self.fields["cohort"].queryset = cohorts
        self.fields["course"].queryset = courses
        for name in ("term", "cohort", "course"):
            self.fields[name].widget.attrs.pop("data-tom-select", None)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end of the period cannot be before its start."))
        return data
