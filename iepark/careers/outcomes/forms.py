"""Forms of the outcome pages: they validate and display; the services write."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iepark.core import policy
from iepark.core.choices import Role
from iepark.core.forms import DateInput, ServiceModelForm, style_form
from iepark.core.models import Organisation, Student

from ..choices import ContractType, LeaveReason, PayBand
from ..models import EmploymentRecord, GraduateDestination
from ..policy import OUTCOME_EDITOR_ROLES
from . import selectors

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class EmploymentRecordForm(ServiceModelForm):
    class Meta:
        model = EmploymentRecord
        fields = [
            "student",
            "employer",
            "employer_name",
            "post",
            "start_date",
            "contract_type",
            "pay_band",
            "social_insurance_start",
            "via_order_class",
            "end_date",
            "leave_reason",
        ]
        widgets = {
            "start_date": DateInput(),
            "social_insurance_start": DateInput(),
            "end_date": DateInput(),
        }

    fieldsets = (
        (_("Graduate and employer"), ["student", "employer", "employer_name", "post", "via_order_class"]),
        (_("Contract"), ["start_date", "contract_type", "pay_band", "social_insurance_start"]),
        (_("End of the spell"), ["end_date", "leave_reason"]),
    )

    def scope_choices(self) -> None:
        self.fields["student"].queryset = selectors.employable_students(user=self.user)
        actor = policy.actor_for(self.user)
        keeps_outcomes = actor.is_superuser or bool(
            actor.orgs(OUTCOME_EDITOR_ROLES) or actor.parks([Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR])
        )
        if keeps_outcomes:
            self.fields["employer"].queryset = selectors.employer_choices(user=self.user)
            self.fields["employer"].help_text = _(
                "A zone enterprise; for an employer outside the zone, type its name below."
            )
            self.fields["employer_name"].help_text = _("Only for an employer outside the zone.")
        else:
            # An enterprise's HR keeps the records of its own employees only.
            self.fields["employer"].queryset = Organisation.objects.filter(pk__in=actor.orgs([Role.ENTERPRISE_HR]))
            self.fields["employer"].required = True
            del self.fields["employer_name"]
            self.use_single_choice("employer")
        if self.is_update:
            self.fields["student"].disabled = True


class EmploymentEndForm(forms.Form):
    """End a spell; after a transfer within the zone, open the record at the new zone employer in the same step."""

    end_date = forms.DateField(label=_("end date"), widget=DateInput(), help_text=_("The day the graduate left."))
    leave_reason = forms.ChoiceField(label=_("reason for leaving"), choices=[("", "---------"), *LeaveReason.choices])
    new_employer = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("new zone employer"), required=False
    )
    new_post = forms.CharField(label=_("new post"), max_length=200, required=False)
    new_start_date = forms.DateField(
        label=_("starts there on"), widget=DateInput(), required=False, help_text=_("The end date if empty.")
    )
    new_contract_type = forms.ChoiceField(
        label=_("contract type"), choices=[("", "---------"), *ContractType.choices], required=False
    )
    new_pay_band = forms.ChoiceField(label=_("pay band"), choices=[("", "---------"), *PayBand.choices], required=False)
    new_social_insurance_start = forms.DateField(label=_("social insurance from"), widget=DateInput(), required=False)

    FOLLOW_ON = (
        "new_employer",
        "new_post",
        "new_start_date",
        "new_contract_type",
        "new_pay_band",
        "new_social_insurance_start",
    )

    def __init__(self, *args: Any, user: Any, record: EmploymentRecord, allow_follow_on: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow_follow_on = allow_follow_on
        if allow_follow_on:
            self.fields["new_employer"].queryset = selectors.employer_choices(user=user).exclude(pk=record.employer_id)
        else:
            for name in self.FOLLOW_ON:
                del self.fields[name]
        self.fields["end_date"].initial = timezone.localdate()
        style_form(self)

    def follow_on(self) -> dict[str, Any] | None:
        """Return the follow-on record's fields, or None when no new employer is given."""
        data = self.cleaned_data
        if not self.allow_follow_on or not data.get("new_employer"):
            return None
        return {
            "employer": data["new_employer"],
            "post": data.get("new_post") or "",
            "start_date": data.get("new_start_date"),
            "contract_type": data.get("new_contract_type") or "",
            "pay_band": data.get("new_pay_band") or "",
            "social_insurance_start": data.get("new_social_insurance_start"),
        }


class ClaimApplyForm(forms.Form):
    """Settle a conflict by correcting the records as the claim says."""

    note = forms.CharField(label=_("settlement note"), max_length=300, required=False)
    post = forms.CharField(
        label=_("post"), max_length=200, required=False, help_text=_("For a new record; the latest post if empty.")
    )
    start_date = forms.DateField(
        label=_("new record starts on"), widget=DateInput(), required=False, help_text=_("The claim's date if empty.")
    )
    end_date = forms.DateField(
        label=_("current records end on"), widget=DateInput(), required=False, help_text=_("The claim's date if empty.")
    )
    leave_reason = forms.ChoiceField(
        label=_("reason for leaving"), choices=[("", "---------"), *LeaveReason.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ClaimDismissForm(forms.Form):
    note = forms.CharField(label=_("why the claim is dismissed"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class EmploymentStatementForm(forms.Form):
    """What a source says: employed or not, and where (the survey and the student's own report)."""

    employed = forms.TypedChoiceField(
        label=_("employed"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        initial="yes",
    )
    employer = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("zone employer"), required=False)
    employer_name = forms.CharField(
        label=_("employer outside the zone"),
        max_length=200,
        required=False,
        help_text=_("If the employer is not a zone enterprise, type its name."),
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["employer"].queryset = selectors.employer_choices(user=user)

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "employed": data["employed"],
            "employer": data.get("employer"),
            "employer_name": data.get("employer_name") or "",
            "note": data.get("note") or "",
        }


class SurveyForm(EmploymentStatementForm):
    """One answer of the college's graduate survey."""

    student = forms.ModelChoiceField(queryset=Student.objects.none(), label=_("graduate"))
    as_of = forms.DateField(label=_("as of"), widget=DateInput())

    field_order = ["student", "as_of", "employed", "employer", "employer_name", "note"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        actor = policy.actor_for(user)
        students = selectors.employable_students(user=user)
        if not actor.is_superuser:
            students = students.filter(college__in=actor.orgs(OUTCOME_EDITOR_ROLES))
        self.fields["student"].queryset = students
        self.fields["as_of"].initial = timezone.localdate()
        self.order_fields(self.field_order)
        style_form(self)

    def service_data(self) -> dict[str, Any]:
        return {**super().service_data(), "student": self.cleaned_data["student"], "as_of": self.cleaned_data["as_of"]}


class StudentReportForm(EmploymentStatementForm):
    """A student's statement of their current employment."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        style_form(self)


class HeadcountMonthForm(forms.Form):
    month = forms.DateField(
        label=_("month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = timezone.localdate().replace(day=1)
        style_form(self)
        self.fields["month"].widget.attrs.pop("data-datepicker", None)


class GraduateDestinationForm(ServiceModelForm):
    class Meta:
        model = GraduateDestination
        fields = ["student", "category", "as_of", "employer", "detail"]
        widgets = {"as_of": DateInput()}

    def scope_choices(self) -> None:
        self.fields["student"].queryset = policy.restrict(
            Student.objects.select_related("person").order_by("college__name", "student_number"), self.user
        )
        self.fields["employer"].queryset = selectors.employer_choices(user=self.user)
        self.fields["employer"].help_text = _("For contract or flexible employment at a zone enterprise.")
        self.fields["detail"].help_text = _("The employer outside the zone, the school, or other detail.")
        if self.is_update:
            self.fields["student"].disabled = True
        else:
            self.fields["as_of"].initial = timezone.localdate()


class PlacementForm(forms.Form):
    graduation_year = forms.TypedChoiceField(label=_("graduation year"), coerce=int, choices=())
    as_of = forms.DateField(label=_("as of"), widget=DateInput())

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        years = years or [today.year]
        self.fields["graduation_year"].choices = [(y, str(y)) for y in years]
        self.fields["graduation_year"].initial = years[0]
        self.fields["as_of"].initial = today
        style_form(self)

    def values(self) -> tuple[int, datetime.date]:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["graduation_year"], self.cleaned_data["as_of"]
        return int(self.fields["graduation_year"].initial), self.fields["as_of"].initial


class SurveyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file, with the template's column titles."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: only check the rows and report errors, write nothing"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
